// libFuzzer target for the one place stored bytes reach the LDP mechanisms: the memoized
// answer read back from IndexedDB (make_report's memo). Any bytes, for any report type and
// value, give a well-formed answer and a report of the exact wire shape, never a crash; a
// well-formed memo is used as is.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "vitrine/privacy/ldp/report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace ldp = vitrine::privacy::ldp;
  if (size < 3) return 0;
  const auto& types = ldp::report_types();
  const auto& type = types[data[0] % types.size()];
  const std::uint32_t value = (static_cast<std::uint32_t>(data[1]) << 8 | data[2]) % type.domain;
  ldp::Response memo;
  memo.bits.assign(data + 3, data + size);
  ldp::SeededRandom rng(size);
  const auto made = ldp::make_report(type, value, &memo, rng);
  if (!ldp::well_formed(type.oracle(), made.answer)) std::abort();
  if (ldp::well_formed(type.oracle(), memo) && !(made.answer == memo)) std::abort();
  if (made.json.rfind("{\"t\":\"", 0) != 0 || made.json.back() != '}') std::abort();
  return 0;
}
