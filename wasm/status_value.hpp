// Status objects for JS ({ ok, code, error }): every error of the core is a Status, since
// the wasm build has no C++ exceptions (-fno-exceptions, CMakeLists.txt).
#pragma once
#include <emscripten/val.h>

#include <string>

#include "vitrine/status.hpp"

namespace vitrine::wasm {

using emscripten::val;

inline val status_value(const vitrine::Status& s) {
  val out = val::object();
  out.set("ok", s.is_ok());
  if (!s.is_ok()) {
    out.set("code", std::string(vitrine::code_name(s.code())));
    out.set("error", s.message());
  }
  return out;
}

}  // namespace vitrine::wasm
