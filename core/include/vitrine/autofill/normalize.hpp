// Validation and normalization of checkout details: country, region, phone, postal code,
// e-mail. Pure functions over the generated tables (docs/autofill-data.md); no I/O.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitrine::autofill {

// ISO 3166-1 alpha-2 from an alpha-2 or alpha-3 code or a country name in one of the
// languages of the tables ("DE", "deu", "Deutschland", "Germany", "Allemagne", "Германия",
// "ドイツ", "德国"); nullopt if unknown.
std::optional<std::string> resolve_country(std::string_view text);
// The English name of an alpha-2 code ("JP" -> "Japan"), the code itself if unknown.
std::string country_name(std::string_view alpha2);

// True if the country has a region table (GB and FR addresses have no region field).
bool has_regions(std::string_view country);
// True if an address in the country needs a region (state, province, prefecture).
bool region_required(std::string_view country);
// ISO 3166-2 code from a code ("JP-13"), a national code shops use in selects ("13", "CA",
// "MI", "SP") or a name ("Tokyo", "東京都", "California", "Bayern"); nullopt if unknown.
std::optional<std::string> resolve_region(std::string_view country, std::string_view text);
// How a region is written in a text field: the national code where shops write one (US
// "CA", BR "SP"), else the name in the country's language ("東京都", "Bayern").
std::string region_text(std::string_view iso_code);
// The national code of an ISO 3166-2 code ("JP-13" -> "13").
std::string region_national(std::string_view iso_code);

enum class PhoneStyle { e164, international, national, national_number };
// E.164 ("+4930123456") from a number written internationally ("+49 30 123456",
// "0049 30...") or nationally for the given country ("030 123456"); nullopt if invalid.
std::optional<std::string> normalize_phone(std::string_view text, std::string_view country);
// An E.164 number written for display: international "+49 30 123456", national "030 123456"
// (with the country's own grouping and trunk prefix), national_number "30123456".
std::string format_phone(std::string_view e164, PhoneStyle style);
// The calling code of an E.164 number ("+81..." -> "81"), "" if unknown.
std::string calling_code_of(std::string_view e164);

// The postal code in the country's canonical form ("k1a0b1" -> "K1A 0B1", "1000001" ->
// "100-0001"); nullopt if it is not a valid code of that country.
std::optional<std::string> normalize_postal(std::string_view text, std::string_view country);

// A lower-cased domain and trimmed address; nullopt if not a plausible address.
std::optional<std::string> normalize_email(std::string_view text);

}  // namespace vitrine::autofill
