// Consent purposes and the gate every engine operation passes. All purposes start
// denied; an unset signal counts as denied.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace vitrine::privacy {

enum class Purpose : std::uint8_t {
  history = 0,
  personalization = 1,
  measurement = 2,
  autofill = 3
};
constexpr int kPurposeCount = 4;

std::string_view purpose_name(Purpose purpose);
std::optional<Purpose> purpose_from_name(std::string_view name);

class ConsentState {
 public:
  constexpr ConsentState() = default;
  static constexpr ConsentState from_bits(std::uint8_t bits) {
    ConsentState s;
    s.bits_ = static_cast<std::uint8_t>(bits & 0x0f);
    return s;
  }

  constexpr bool allows(Purpose p) const { return (bits_ >> static_cast<int>(p)) & 1u; }
  constexpr void set(Purpose p, bool granted) {
    const auto mask = static_cast<std::uint8_t>(1u << static_cast<int>(p));
    bits_ = static_cast<std::uint8_t>(granted ? (bits_ | mask) : (bits_ & ~mask));
  }
  constexpr std::uint8_t bits() const { return bits_; }
  constexpr bool operator==(ConsentState o) const { return bits_ == o.bits_; }

 private:
  std::uint8_t bits_ = 0;
};

}  // namespace vitrine::privacy
