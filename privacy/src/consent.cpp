#include "vitrine/privacy/consent.hpp"

#include <array>

namespace vitrine::privacy {
namespace {
constexpr std::array<std::string_view, kPurposeCount> kNames = {"history", "personalization",
                                                                "measurement", "autofill"};
}

std::string_view purpose_name(Purpose purpose) { return kNames[static_cast<std::size_t>(purpose)]; }

std::optional<Purpose> purpose_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Purpose>(i);
  }
  return std::nullopt;
}

}  // namespace vitrine::privacy
