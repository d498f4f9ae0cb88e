// libFuzzer target for the stored-history decoder: any bytes give a status, never a
// crash; an accepted snapshot re-encodes to bytes that decode to the same history.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "vitrine/snapshot.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vitrine;
  auto decoded = decode_snapshot(data, size, 64);
  if (!decoded.is_ok()) return 0;
  const auto bytes = encode_snapshot(decoded.value());
  auto again = decode_snapshot(bytes.data(), bytes.size(), 64);
  if (!again.is_ok() || encode_snapshot(again.value()) != bytes) std::abort();
  return 0;
}
