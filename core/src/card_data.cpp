#include "card_data.hpp"

#include <cstddef>
#include <vector>

namespace vitrine {
namespace {

constexpr std::size_t kMinDigits = 13;
constexpr std::size_t kMaxDigits = 19;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_separator(char c) { return c == ' ' || c == '-'; }

// Luhn over digits[begin, end): from the right, every second digit is doubled.
bool luhn_valid(const std::vector<int>& digits, std::size_t begin, std::size_t end) {
  int sum = 0;
  bool doubled = false;
  for (std::size_t i = end; i > begin; --i) {
    int d = digits[i - 1];
    if (doubled) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    doubled = !doubled;
  }
  return sum % 10 == 0;
}

// The whole run is the candidate: a number written together is one number, and checking
// every window of a longer run would flag a third of all 16-digit order numbers.
bool run_has_card_number(const std::vector<int>& digits) {
  return digits.size() >= kMinDigits && digits.size() <= kMaxDigits &&
         luhn_valid(digits, 0, digits.size());
}

}  // namespace

bool contains_card_number(std::string_view text) {
  std::vector<int> run;  // the digits of the current run, separators dropped
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : '\0';
    if (is_digit(c)) {
      run.push_back(c - '0');
      continue;
    }
    // One separator between two digits keeps the run going ("4242 4242").
    if (is_separator(c) && !run.empty() && i + 1 < text.size() && is_digit(text[i + 1])) continue;
    if (run_has_card_number(run)) return true;
    run.clear();
  }
  return false;
}

}  // namespace vitrine
