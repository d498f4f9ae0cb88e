// Country and region lookup over the generated name tables.
#include <algorithm>
#include <cstring>

#include "tables.hpp"
#include "text.hpp"
#include "vitrine/autofill/normalize.hpp"

namespace vitrine::autofill {
namespace {

std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

const tables::NameRow* find_name(const tables::NameRow* rows, std::size_t n, std::string_view scope,
                                 std::string_view key) {
  const auto* end = rows + n;
  const auto* it = std::lower_bound(rows, end, std::make_pair(scope, key),
                                    [](const tables::NameRow& r, const auto& v) {
                                      const std::string_view s(r.scope), k(r.key);
                                      return s < v.first || (s == v.first && k < v.second);
                                    });
  if (it == end || scope != it->scope || key != it->key) return nullptr;
  return it;
}

const tables::RegionRow* find_region(std::string_view iso) {
  const auto* end = tables::kRegions + tables::kRegionCount;
  const auto* it = std::lower_bound(
      tables::kRegions, end, iso,
      [](const tables::RegionRow& r, std::string_view v) { return std::string_view(r.iso) < v; });
  return it != end && iso == it->iso ? it : nullptr;
}

}  // namespace

std::optional<std::string> resolve_country(std::string_view text) {
  if (!valid_utf8(text)) return std::nullopt;
  std::string cleaned;
  clean_text(text, cleaned);
  const std::string code = upper_ascii(cleaned);
  for (std::size_t i = 0; i < tables::kCountryCount; ++i) {
    if (code == tables::kCountries[i].alpha2 || code == tables::kCountries[i].alpha3) {
      return std::string(tables::kCountries[i].alpha2);
    }
  }
  if (code == "UK") return std::string("GB");  // the code shops and shoppers write for GB
  const std::string key = fold_key(cleaned);
  if (const auto* row = find_name(tables::kCountryNames, tables::kCountryNameCount, "", key)) {
    return std::string(row->code);
  }
  return std::nullopt;
}

std::string country_name(std::string_view alpha2) {
  for (std::size_t i = 0; i < tables::kCountryCount; ++i) {
    if (alpha2 == tables::kCountries[i].alpha2) return tables::kCountries[i].name;
  }
  return std::string(alpha2);
}

bool has_regions(std::string_view country) {
  const std::string prefix = std::string(country) + "-";
  const auto* end = tables::kRegions + tables::kRegionCount;
  const auto* it = std::lower_bound(
      tables::kRegions, end, std::string_view(prefix),
      [](const tables::RegionRow& r, std::string_view v) { return std::string_view(r.iso) < v; });
  return it != end && std::string_view(it->iso).substr(0, prefix.size()) == prefix;
}

bool region_required(std::string_view country) {
  // Countries whose postal address needs the state, province or prefecture line
  // (the "require" fields of Google's address metadata, as Chromium's autofill shows them).
  static const char* const kRequired[] = {"AU", "BR", "CA", "CN", "IN",
                                          "IT", "JP", "MX", "TW", "US"};
  for (const char* c : kRequired) {
    if (country == c) return true;
  }
  return false;
}

std::optional<std::string> resolve_region(std::string_view country, std::string_view text) {
  if (!valid_utf8(text) || !has_regions(country)) return std::nullopt;
  std::string key = fold_key(text);
  // "JP-13" folds to "jp13": look it up as the code it is.
  const std::string code = upper_ascii(text);
  if (find_region(code)) return code;
  if (const auto* row = find_name(tables::kRegionNames, tables::kRegionNameCount, country, key)) {
    return std::string(row->code);
  }
  return std::nullopt;
}

std::string region_text(std::string_view iso_code) {
  const auto* row = find_region(iso_code);
  if (!row) return std::string(iso_code);
  // Where the postal address writes the abbreviation (USPS, Canada Post, Australia Post,
  // Correios, Mexican and Indian practice), a text field gets it too.
  static const char* const kAbbreviated[] = {"US", "CA", "AU", "BR"};
  for (const char* c : kAbbreviated) {
    if (iso_code.substr(0, 2) == c) return row->national;
  }
  return row->label;
}

std::string region_national(std::string_view iso_code) {
  const auto dash = iso_code.find('-');
  return dash == std::string_view::npos ? std::string(iso_code)
                                        : std::string(iso_code.substr(dash + 1));
}

}  // namespace vitrine::autofill
