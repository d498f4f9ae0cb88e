// libFuzzer target for the export/import decoder (history JSON): any text gives a status,
// never a crash; an accepted one round-trips exactly.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vitrine/history_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vitrine;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto decoded = history_from_json(text, 64);
  if (!decoded.is_ok()) return 0;
  const std::string json = history_to_json(decoded.value());
  auto again = history_from_json(json, 64);
  if (!again.is_ok() || history_to_json(again.value()) != json) std::abort();
  return 0;
}
