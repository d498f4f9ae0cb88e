// Appending little-endian fields to bytes: every multi-byte field of a pack, a shard
// directory block and a table file is little-endian (docs/pack-format.md).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace vitrine::detail {

inline void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int k = 0; k < 4; ++k) out.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
}

inline void put_f32(std::vector<std::uint8_t>& out, float v) {
  std::uint32_t u;
  std::memcpy(&u, &v, 4);
  put_u32(out, u);
}

struct ByteWriter {
  std::vector<std::uint8_t> bytes;
  void u8(std::uint8_t v) { bytes.push_back(v); }
  void u32(std::uint32_t v) { put_u32(bytes, v); }
  void f32(float v) { put_f32(bytes, v); }
  void raw(const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    bytes.insert(bytes.end(), b, b + n);
  }
};

}  // namespace vitrine::detail
