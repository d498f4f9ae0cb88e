// The generated data tables of the checkout profile (tables_generated.cpp, made by
// scripts/gen-autofill-tables.mjs; sources in docs/autofill-data.md). Plain arrays of
// string literals: no start-up cost, nothing allocated.
#pragma once
#include <cstddef>

namespace vitrine::autofill::tables {

struct FoldEntry {
  unsigned code_point;
  const char* folded;  // UTF-8
};
struct CountryRow {
  const char* alpha2;
  const char* alpha3;
  const char* name;  // English (CLDR), for a country written in a text field
};
struct RegionRow {
  const char* iso;       // ISO 3166-2, e.g. "JP-13"
  const char* national;  // the part after the dash, what shops put in selects ("13", "CA")
  const char* label;     // the name in the country's language where shipped, else ISO's
};
struct PhoneRow {
  const char* country;
  const char* calling_code;
  const char* idd;              // international dialling prefix (a pattern)
  const char* national_prefix;  // "" when none
  const char* national_pattern;
  const char* possible_lengths;  // "10" or "4,5,6"
  std::size_t first_format;
  std::size_t format_count;
};
struct PhoneFormatRow {
  const char* pattern;      // with groups, over the national significant number
  const char* format;       // "$1 $2"
  const char* leading;      // pattern a prefix of the number must match ("" = any)
  const char* np_rule;      // national prefix formatting rule for $1 ("0$1"), "" = none
  const char* intl_format;  // "" = not used internationally
};
struct CallingCodeRow {
  const char* calling_code;
  const char* country;
};

// All sorted by their first key for binary search. The name tables are text: one line per
// name, "scope\tfolded key\tcode\n" (scope: the country for region names, "" for country
// names), sorted by scope then key (bytes).
extern const FoldEntry kFold[];
extern const std::size_t kFoldCount;
extern const CountryRow kCountries[];
extern const std::size_t kCountryCount;
extern const char kCountryNames[];
extern const RegionRow kRegions[];
extern const std::size_t kRegionCount;
extern const char kRegionNames[];
extern const PhoneRow kPhone[];
extern const std::size_t kPhoneCount;
extern const PhoneFormatRow kPhoneFormats[];
extern const CallingCodeRow kCallingCodes[];
extern const std::size_t kCallingCodeCount;

}  // namespace vitrine::autofill::tables
