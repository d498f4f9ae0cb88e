// Postal codes of the supported countries. Hand-written from each national post's published
// format (the formats are also those of the UPU's "Postal addressing systems" pages and of
// Google's address metadata): a pattern over the code with spaces and dashes removed, and
// where the canonical form puts its separator.
#include <cctype>

#include "text.hpp"
#include "vitrine/autofill/normalize.hpp"

namespace vitrine::autofill {
namespace {

struct PostalFormat {
  const char* country;
  const char* shape;  // 9 = digit, A = letter; alternatives separated by '|'
  const char* separator;
  int split;  // insert separator before this many trailing characters (0 = none)
};

const PostalFormat kPostal[] = {
    {"US", "99999|999999999", "-", 4},  // ZIP, ZIP+4
    {"CA", "A9A9A9", " ", 3},
    {"GB", "A9|A99|AA9|AA99|A9A|AA9A", " ", 3},  // outward part; inward "9AA" checked below
    {"DE", "99999", "", 0},
    {"FR", "99999", "", 0},
    {"IT", "99999", "", 0},
    {"ES", "99999", "", 0},
    {"NL", "9999AA", " ", 2},
    {"PL", "99999", "-", 3},
    {"RO", "999999", "", 0},
    {"RU", "999999", "", 0},
    {"CN", "999999", "", 0},
    {"TW", "999|99999|999999", "", 0},
    {"JP", "9999999", "-", 4},
    {"IN", "999999", "", 0},
    {"BR", "99999999", "-", 3},
    {"MX", "99999", "", 0},
    {"AU", "9999", "", 0},
    {"SE", "99999", " ", 2},
    {"CH", "9999", "", 0},
};

bool fits(std::string_view shape, std::string_view code) {
  if (shape.size() != code.size()) return false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const bool digit = code[i] >= '0' && code[i] <= '9';
    const bool letter = code[i] >= 'A' && code[i] <= 'Z';
    if ((shape[i] == '9' && !digit) || (shape[i] == 'A' && !letter)) return false;
  }
  return true;
}

bool fits_any(std::string_view shapes, std::string_view code) {
  std::size_t start = 0;
  while (start <= shapes.size()) {
    const auto bar = shapes.find('|', start);
    const auto end = bar == std::string_view::npos ? shapes.size() : bar;
    if (fits(shapes.substr(start, end - start), code)) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

std::optional<std::string> normalize_postal(std::string_view text, std::string_view country) {
  if (!valid_utf8(text) || text.size() > 32) return std::nullopt;
  // Upper-case ASCII letters and digits only (fullwidth digits folded); anything else but
  // spaces and dashes makes it invalid.
  std::string code;
  const std::string folded = fold_key(text);
  for (char c : folded) {
    if (c >= 'a' && c <= 'z') {
      code += static_cast<char>(c - 'a' + 'A');
    } else if (c >= '0' && c <= '9') {
      code += c;
    } else {
      return std::nullopt;
    }
  }
  for (const auto& f : kPostal) {
    if (country != f.country) continue;
    if (country == "GB") {
      if (code.size() < 5 || !fits("9AA", std::string_view(code).substr(code.size() - 3)) ||
          !fits_any(f.shape, std::string_view(code).substr(0, code.size() - 3))) {
        return std::nullopt;
      }
    } else if (!fits_any(f.shape, code)) {
      return std::nullopt;
    }
    // ZIP+4 only gets its dash when it has the four digits.
    if (f.split > 0 && !(country == "US" && code.size() == 5)) {
      code.insert(code.size() - static_cast<std::size_t>(f.split), f.separator);
    }
    return code;
  }
  // A country without a table: letters, digits, spaces and dashes, 2 to 10 characters.
  std::string cleaned;
  if (!clean_text(text, cleaned) || cleaned.size() < 2 || cleaned.size() > 10) return std::nullopt;
  for (char c : cleaned) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != ' ' && c != '-') return std::nullopt;
  }
  return cleaned;
}

}  // namespace vitrine::autofill
