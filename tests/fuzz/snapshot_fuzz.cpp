// libFuzzer target for the stored-history decoder: any bytes give a status, never a
// crash; an accepted snapshot re-encodes to bytes that decode to the same history.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "vitrine/snapshot.hpp"

namespace {

void check(const std::uint8_t* data, std::size_t size) {
  using namespace vitrine;
  auto decoded = decode_snapshot(data, size, 64);
  if (!decoded.is_ok()) return;
  const auto bytes = encode_snapshot(decoded.value());
  auto again = decode_snapshot(bytes.data(), bytes.size(), 64);
  if (!again.is_ok() || encode_snapshot(again.value()) != bytes) std::abort();
}

void put_u32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check(data, size);
  // Again with the header's length and checksum made right, so mutations reach the body
  // decoder instead of stopping at the checksum.
  if (size >= 16) {
    std::vector<std::uint8_t> fixed(data, data + size);
    put_u32(fixed.data() + 8, static_cast<std::uint32_t>(size - 16));
    put_u32(fixed.data() + 12, vitrine::crc32(fixed.data() + 16, size - 16));
    check(fixed.data(), fixed.size());
  }
  return 0;
}
