// Bytes written right after they are allocated (a download copied into wasm memory). A
// std::vector<std::uint8_t> zero-fills on resize: for a 40 MB pack that cost 0.5-1 s in
// the -Os wasm build (a byte loop), all of it overwritten at once. ByteBuffer does not.
// Per-item arrays (the recommender's, one element per item of the pack) are set with
// memset, and can be set later, a part at a time (PendingFills): first writes to fresh
// memory are page faults, and setting 3.6 MB for a 200k-item pack took one 30-50 ms task
// on a cold page in Chromium.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <type_traits>
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

// n elements of a trivial type, not initialized. Not a vector (nor new[]): either brought
// its own code into the wasm, per element type, for arrays that never grow.
template <class T>
class ItemArray {
  static_assert(std::is_trivial_v<T>);

 public:
  ItemArray() = default;
  explicit ItemArray(std::size_t n) : size_(n) {
    if (n == 0) return;
    data_ = static_cast<T*>(std::malloc(n * sizeof(T)));
    if (data_ == nullptr) std::abort();  // as operator new without exceptions
  }
  ItemArray(ItemArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  ItemArray& operator=(ItemArray&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    return *this;
  }
  ItemArray(const ItemArray&) = delete;
  ItemArray& operator=(const ItemArray&) = delete;
  ~ItemArray() { std::free(data_); }
  T& operator[](std::size_t k) { return data_[k]; }
  const T& operator[](std::size_t k) const { return data_[k]; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

// n zero elements, set by memset.
template <class T>
ItemArray<T> zeroed(std::size_t n) {
  ItemArray<T> a(n);
  if (n > 0) std::memset(a.data(), 0, n * sizeof(T));
  return a;
}

// Arrays allocated now whose bytes are set later: set(max_bytes) sets up to that many more
// bytes and tells whether all are set. The arrays must outlive it (a moved ItemArray
// keeps its buffer).
class PendingFills {
 public:
  // n elements, every byte of which will be `byte` (0, or 0xFF for an all-ones id).
  template <class T>
  ItemArray<T> array(std::size_t n, unsigned char byte) {
    ItemArray<T> a(n);  // not initialized: set() writes every byte
    if (n > 0) {
      if (count_ == kMaxParts) std::abort();  // a programming error: raise kMaxParts
      parts_[count_++] = {reinterpret_cast<unsigned char*>(a.data()), n * sizeof(T), byte};
    }
    return a;
  }
  bool set(std::size_t max_bytes) {
    while (next_ < count_ && max_bytes > 0) {
      Part& part = parts_[next_];
      const std::size_t n = std::min(max_bytes, part.bytes - done_);
      std::memset(part.data + done_, part.byte, n);
      done_ += n;
      max_bytes -= n;
      if (done_ == part.bytes) {
        ++next_;
        done_ = 0;
      }
    }
    return next_ == count_;
  }

 private:
  struct Part {
    unsigned char* data;
    std::size_t bytes;
    unsigned char byte;
  };
  // A fixed array: a vector's growth code weighed 194 B of wasm for at most 6 parts.
  static constexpr std::size_t kMaxParts = 8;
  Part parts_[kMaxParts] = {};
  std::size_t count_ = 0;
  std::size_t next_ = 0;  // the part being set
  std::size_t done_ = 0;  // its bytes set so far
};

}  // namespace vitrine
