// Bytes written right after they are allocated (a download copied into wasm memory). A
// std::vector<std::uint8_t> zero-fills on resize: for a 40 MB pack that cost 0.5-1 s in
// the -Os wasm build (a byte loop), all of it overwritten at once. ByteBuffer does not.
#pragma once
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace vitrine {

template <class T>
struct UninitializedAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <class U>
  UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
  // resize(n) default-constructs: nothing for bytes. Other constructions as usual.
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

using ByteBuffer = std::vector<std::uint8_t, UninitializedAllocator<std::uint8_t>>;

}  // namespace vitrine
