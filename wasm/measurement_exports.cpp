// The measurement chunk's wasm (vitrine-measurement.wasm): the local differential privacy
// reports of privacy/ldp behind a plain C ABI, without Embind, so that it stays small and is
// fetched only when the shopper granted `measurement`. Random bytes come from the host
// (crypto.getRandomValues in the browser), imported as env.random_fill. No logic here:
// marshalling only.
#include <cstdint>
#include <cstring>

#include "vitrine/privacy/ldp/report.hpp"

extern "C" {
__attribute__((import_module("env"), import_name("random_fill"))) void vt_random_fill(
    std::uint8_t* out, std::uint32_t len);
}

namespace {
namespace ldp = vitrine::privacy::ldp;

// Asks the host for 512 bytes at a time: an OUE report over 1,024 values needs 1,024 draws,
// and one call to the host per draw would cost more than the report.
class HostRandom final : public ldp::RandomSource {
 public:
  std::uint64_t next_u64() override {
    if (used_ == kWords) {
      vt_random_fill(reinterpret_cast<std::uint8_t*>(words_), sizeof words_);
      used_ = 0;
    }
    return words_[used_++];
  }

 private:
  static constexpr int kWords = 64;
  std::uint64_t words_[kWords];
  int used_ = kWords;
};

// The one buffer shared with JS, in and out (a report is at most about 330 bytes).
std::uint8_t g_io[4096];

std::int32_t put(const std::string& s, std::size_t at) {
  if (at + s.size() > sizeof g_io) return -1;
  std::memcpy(g_io + at, s.data(), s.size());
  return static_cast<std::int32_t>(at + s.size());
}
}  // namespace

extern "C" {

__attribute__((used)) std::uint8_t* vt_io() { return g_io; }

// The catalogue's JSON at vt_io(); returns its length.
__attribute__((used)) std::int32_t vt_catalogue() { return put(ldp::report_types_json(), 0); }

// A report of catalogue entry `type_index` for the true value `value`. In: `memo_len` bytes
// of the earlier answer at vt_io() (0: none; GRR: 4 bytes little endian; OUE: the bits).
// Out at vt_io(): 2 bytes little endian answer length, the answer (same encoding as the
// memo), then the report's JSON. Returns the total length, or -1 for bad arguments.
__attribute__((used)) std::int32_t vt_report(std::uint32_t type_index, std::uint32_t value,
                                             std::uint32_t memo_len) {
  const auto& types = ldp::report_types();
  if (type_index >= types.size() || memo_len > sizeof g_io) return -1;
  const auto& type = types[type_index];
  if (value >= type.domain) return -1;
  ldp::Response memo;
  const bool grr = type.mechanism == ldp::Mechanism::grr;
  if (grr && memo_len == 4) {
    for (int i = 3; i >= 0; --i) memo.value = (memo.value << 8) | g_io[i];
  } else if (!grr) {
    memo.bits.assign(g_io, g_io + memo_len);
  }
  HostRandom rng;
  const auto made = ldp::make_report(type, value, memo_len ? &memo : nullptr, rng);
  std::string answer;
  if (grr) {
    for (int i = 0; i < 4; ++i) answer += static_cast<char>((made.answer.value >> (8 * i)) & 0xff);
  } else {
    answer.assign(made.answer.bits.begin(), made.answer.bits.end());
  }
  g_io[0] = static_cast<std::uint8_t>(answer.size() & 0xff);
  g_io[1] = static_cast<std::uint8_t>(answer.size() >> 8);
  const std::int32_t end = put(answer, 2);
  return end < 0 ? -1 : put(made.json, static_cast<std::size_t>(end));
}

// The value to report for a measured number (a count of days or views, a category index):
// the type's bucket, or -1 for a number it cannot take.
__attribute__((used)) std::int32_t vt_value(std::uint32_t type_index, double measured) {
  const auto& types = ldp::report_types();
  if (type_index >= types.size()) return -1;
  const auto value = types[type_index].value_of(measured);
  return value ? static_cast<std::int32_t>(*value) : -1;
}
}
