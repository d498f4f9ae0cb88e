// libFuzzer target for the event JSON reader: the text any page script can hand the engine
// through dataLayer or track(). Any input gives a status, never a crash; an accepted event
// passes validate_event and is recorded, snapshotted and restored without loss.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vitrine/engine.hpp"
#include "vitrine/event.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vitrine;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_event(text, 1'700'000'000'000);
  if (!parsed.is_ok()) {
    if (parsed.status().message().empty()) std::abort();  // every refusal says why
    return 0;
  }
  if (!validate_event(parsed.value()).is_ok()) std::abort();
  Engine engine(64);
  engine.set_consent(privacy::ConsentState::from_bits(0x0f));
  if (!engine.track(parsed.value()).is_ok()) std::abort();
  auto bytes = engine.snapshot();
  if (!bytes.is_ok()) std::abort();
  Engine again(64);
  again.set_consent(privacy::ConsentState::from_bits(0x0f));
  if (!again.restore(bytes.value().data(), bytes.value().size()).is_ok()) std::abort();
  return 0;
}
