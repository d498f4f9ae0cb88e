// Status objects for JS ({ ok, code, error }) and the guard that keeps every C++
// exception inside wasm: from JS an escaping exception is an opaque number.
#pragma once
#include <emscripten/val.h>

#include <exception>
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

inline val internal_error(const char* what) {
  val out = val::object();
  out.set("ok", false);
  out.set("code", std::string("internal"));
  out.set("error", std::string(what));
  return out;
}

template <class F>
val guarded(F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    return internal_error(e.what());
  } catch (...) {
    return internal_error("unknown C++ exception");
  }
}

}  // namespace vitrine::wasm
