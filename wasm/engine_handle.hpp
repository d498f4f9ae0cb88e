// The engine crosses to JS as a number, its address in wasm memory, not as an Embind class:
// class_ would bring Embind's class machinery (ClassHandle, pointer registries, finalizers)
// into the JS glue, about 2.3 KB gzip for one class (docs/benchmarks.md, Weight). Only the
// package's own code holds the number (js/src/index.js) and deletes it once, on close().
#pragma once
#include <cstdint>

#include "vitrine/engine.hpp"

namespace vitrine::wasm {

using EngineHandle = std::uintptr_t;

inline Engine& engine_at(EngineHandle handle) { return *reinterpret_cast<Engine*>(handle); }

// with_engine<&f>: f(Engine&, args...) as a function taking the engine's handle first, for
// emscripten::function. The bindings stay written against Engine&.
template <auto F>
struct ByHandle;
template <class R, class E, class... A, R (*F)(E&, A...)>
struct ByHandle<F> {
  static R call(EngineHandle handle, A... args) { return F(engine_at(handle), args...); }
};
template <auto F>
constexpr auto with_engine = &ByHandle<F>::call;

}  // namespace vitrine::wasm
