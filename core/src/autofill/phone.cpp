// Phone numbers with libphonenumber's metadata (generated tables): parse to E.164 and
// format for display. Validation is the country's national number pattern.
#include <cstdlib>

#include "digit_pattern.hpp"
#include "tables.hpp"
#include "text.hpp"
#include "vitrine/autofill/normalize.hpp"

namespace vitrine::autofill {
namespace {

const tables::PhoneRow* phone_row(std::string_view country) {
  for (std::size_t i = 0; i < tables::kPhoneCount; ++i) {
    if (country == tables::kPhone[i].country) return &tables::kPhone[i];
  }
  return nullptr;
}

// The country whose metadata formats numbers of this calling code and number.
const tables::PhoneRow* row_for(std::string_view cc, std::string_view national) {
  const tables::PhoneRow* first = nullptr;
  for (std::size_t i = 0; i < tables::kPhoneCount; ++i) {
    const auto& r = tables::kPhone[i];
    if (cc != r.calling_code) continue;
    if (match_full(r.national_pattern, national)) return &r;
    if (!first) first = &r;
  }
  return first;
}

bool valid_for(const tables::PhoneRow& r, std::string_view national) {
  return match_full(r.national_pattern, national);
}

// Replaces $1..$9 in format by groups.
std::string substitute(std::string_view format, const std::vector<std::string>& groups) {
  std::string out;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '$' && i + 1 < format.size() && format[i + 1] >= '1' && format[i + 1] <= '9') {
      const auto g = static_cast<std::size_t>(format[i + 1] - '1');
      if (g < groups.size()) out += groups[g];
      ++i;
    } else {
      out += format[i];
    }
  }
  return out;
}

// Splits "+CCNNN" into calling code and national number with the calling-code table.
bool split_e164(std::string_view e164, std::string& cc, std::string& national) {
  if (e164.size() < 4 || e164[0] != '+') return false;
  for (std::size_t len = 1; len <= 3 && len + 1 < e164.size(); ++len) {
    const auto candidate = e164.substr(1, len);
    for (std::size_t i = 0; i < tables::kCallingCodeCount; ++i) {
      if (candidate == tables::kCallingCodes[i].calling_code) {
        cc = std::string(candidate);
        national = std::string(e164.substr(1 + len));
        return true;
      }
    }
  }
  return false;
}

}  // namespace

std::optional<std::string> normalize_phone(std::string_view text, std::string_view country) {
  if (!valid_utf8(text)) return std::nullopt;
  std::string digits = digits_of(text, true);
  const auto* row = phone_row(country);
  if (row && digits[0] != '+') {
    // A leading international dialling prefix ("00", "011", "8~10") means an international number.
    for (std::size_t len = 4; len >= 2; --len) {
      if (digits.size() > len && match_full(row->idd, std::string_view(digits).substr(0, len))) {
        digits = "+" + digits.substr(len);
        break;
      }
    }
  }
  if (digits.empty()) return std::nullopt;
  if (digits[0] == '+') {
    std::string cc, national;
    if (!split_e164(digits, cc, national) || digits.size() > 16) return std::nullopt;
    const auto* r = row_for(cc, national);
    if (r && !valid_for(*r, national)) {
      // "+44 (0)20 ..." keeps the trunk prefix by habit: drop it when that makes it valid.
      const std::string np = r->national_prefix;
      if (np.empty() || national.compare(0, np.size(), np) != 0 ||
          !valid_for(*r, national.substr(np.size()))) {
        return std::nullopt;
      }
      national = national.substr(np.size());
    }
    if (!r && (national.size() < 4 || national.size() > 14)) return std::nullopt;
    return "+" + cc + national;
  }
  if (!row) return std::nullopt;  // a national number needs a country we know
  std::string national = digits;
  const std::string np = row->national_prefix;
  if (!np.empty() && national.compare(0, np.size(), np) == 0 &&
      valid_for(*row, national.substr(np.size()))) {
    national = national.substr(np.size());
  }
  if (!valid_for(*row, national)) return std::nullopt;
  return std::string("+") + row->calling_code + national;
}

std::string calling_code_of(std::string_view e164) {
  std::string cc, national;
  return split_e164(e164, cc, national) ? cc : std::string();
}

std::string format_phone(std::string_view e164, PhoneStyle style) {
  std::string cc, national;
  if (!split_e164(e164, cc, national)) return std::string(e164);
  if (style == PhoneStyle::e164) return std::string(e164);
  if (style == PhoneStyle::national_number) return national;
  const auto* r = row_for(cc, national);
  if (r) {
    const auto* meta = phone_row(r->country);
    // Formats live with the main country of a calling code (CA numbers use US's).
    const tables::PhoneRow* fmt_row = meta;
    if (meta->format_count == 0) fmt_row = row_for(cc, "");
    for (std::size_t i = 0; fmt_row && i < fmt_row->format_count; ++i) {
      const auto& f = tables::kPhoneFormats[fmt_row->first_format + i];
      std::vector<std::string> groups;
      if (!match_prefix(f.leading, national) || !match_full(f.pattern, national, &groups)) {
        continue;
      }
      if (style == PhoneStyle::international) {
        if (!*f.intl_format) break;
        return "+" + cc + " " + substitute(f.intl_format, groups);
      }
      std::string format = f.format;
      if (*f.np_rule) {
        // The rule rewrites the first group, e.g. "0$1" or "($1)".
        const auto pos = format.find("$1");
        if (pos != std::string::npos) {
          format.replace(pos, 2, std::string(f.np_rule));
        }
      }
      return substitute(format, groups);
    }
  }
  if (style == PhoneStyle::international) return "+" + cc + " " + national;
  return (r && *r->national_prefix ? std::string(r->national_prefix) : std::string()) + national;
}

}  // namespace vitrine::autofill
