// Country and region lookup over the generated name tables.
#include <algorithm>
#include <cstring>
#include <vector>

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

struct Name {
  std::string_view scope, key, code;
};

// The lines of a name table, split once on first use.
std::vector<Name> split_names(std::string_view blob) {
  std::vector<Name> out;
  while (!blob.empty()) {
    const auto end = blob.find('\n');
    const std::string_view line = blob.substr(0, end);
    const auto t1 = line.find('\t');
    const auto t2 = line.find('\t', t1 + 1);
    out.push_back({line.substr(0, t1), line.substr(t1 + 1, t2 - t1 - 1), line.substr(t2 + 1)});
    blob.remove_prefix(end == std::string_view::npos ? blob.size() : end + 1);
  }
  return out;
}

std::optional<std::string> find_name(const std::vector<Name>& names, std::string_view scope,
                                     std::string_view key) {
  const auto it = std::lower_bound(
      names.begin(), names.end(), std::make_pair(scope, key), [](const Name& n, const auto& v) {
        return n.scope < v.first || (n.scope == v.first && n.key < v.second);
      });
  if (it == names.end() || it->scope != scope || it->key != key) return std::nullopt;
  return std::string(it->code);
}

const std::vector<Name>& country_names() {
  static const std::vector<Name> names = split_names(tables::kCountryNames);
  return names;
}

const std::vector<Name>& region_names() {
  static const std::vector<Name> names = split_names(tables::kRegionNames);
  return names;
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
  return find_name(country_names(), "", key);
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
  return find_name(region_names(), country, key);
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
