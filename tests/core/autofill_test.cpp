// The checkout profile normalizer on the 20 countries of issue 7: countries from codes and
// names in many languages, regions (ISO 3166-2 and national select codes), phones to E.164
// and back to national display, postal codes, e-mail, the profile and the JSON entry point.
#include <gtest/gtest.h>

#include <string>

#include "../../core/src/autofill/digit_pattern.hpp"
#include "../../core/src/autofill/text.hpp"
#include "vitrine/autofill/api.hpp"
#include "vitrine/autofill/normalize.hpp"
#include "vitrine/autofill/profile.hpp"

namespace vitrine::autofill {
namespace {

std::string or_none(const std::optional<std::string>& v) { return v ? *v : "<none>"; }

TEST(AutofillText, FoldsCaseMarksWidthAndPunctuation) {
  EXPECT_EQ(fold_key("Baden-Württemberg"), "badenwurttemberg");
  EXPECT_EQ(fold_key("ＢＡＤＥＮ　１３"), "baden13");
  EXPECT_EQ(fold_key("Côte d’Ivoire"), "cotedivoire");
  EXPECT_EQ(fold_key("МОСКВА"), "москва");
  EXPECT_EQ(fold_key("東京都"), "東京都");
  std::string out;
  EXPECT_TRUE(clean_text("  a \t b  ", out));
  EXPECT_EQ(out, "a b");
  EXPECT_FALSE(clean_text("a\x01", out));
  EXPECT_FALSE(clean_text("\xff", out));
}

TEST(AutofillPattern, MatchesTheMetadataSubset) {
  std::vector<std::string> groups;
  EXPECT_TRUE(match_full("(\\d{3})(\\d{3})(\\d{4})", "2015550123", &groups));
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[2], "0123");
  EXPECT_TRUE(match_full("[2-9]\\d{9}|3\\d{6}", "3123456"));
  EXPECT_FALSE(match_full("[2-9]\\d{9}|3\\d{6}", "1123456789"));
  EXPECT_TRUE(match_full("1(?:5[0-2]|6)?\\d{2,3}", "15012"));
  EXPECT_FALSE(match_full("1(?:5[0-2]|6)?\\d{2,3}", "1531234"));
  EXPECT_TRUE(match_prefix("3[02]|40", "3012345"));
  EXPECT_FALSE(match_prefix("3[02]|40", "3112345"));
  EXPECT_FALSE(match_full("(\\d", "1"));  // malformed: matches nothing
  EXPECT_FALSE(match_full("a", "a"));     // outside the subset
}

TEST(AutofillCountry, FromCodesAndNamesInManyLanguages) {
  const std::pair<const char*, const char*> cases[] = {
      {"DE", "DE"},         {"deu", "DE"},      {"Germany", "DE"},        {"Deutschland", "DE"},
      {"Allemagne", "DE"},  {"Alemania", "DE"}, {"Германия", "DE"},       {"ドイツ", "DE"},
      {"德国", "DE"},       {"Niemcy", "DE"},   {"Tyskland", "DE"},       {" united states ", "US"},
      {"États-Unis", "US"}, {"UK", "GB"},       {"United Kingdom", "GB"}, {"Royaume-Uni", "GB"},
      {"日本", "JP"},       {"Japon", "JP"},    {"Brasil", "BR"},         {"Suisse", "CH"},
      {"Schweiz", "CH"},    {"Svizzera", "CH"}, {"中国", "CN"},           {"Россия", "RU"},
      {"România", "RO"},    {"Romania", "RO"},  {"Nederland", "NL"},      {"Polska", "PL"},
      {"México", "MX"},     {"India", "IN"},    {"Australia", "AU"},      {"Sverige", "SE"},
      {"Italia", "IT"},     {"España", "ES"},   {"Canada", "CA"},         {"Taiwan", "TW"},
      {"France", "FR"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(or_none(resolve_country(in)), want) << in;
  EXPECT_FALSE(resolve_country("Atlantis"));
  EXPECT_FALSE(resolve_country(""));
  EXPECT_FALSE(resolve_country("\xff\xfe"));
  EXPECT_EQ(country_name("JP"), "Japan");
}

TEST(AutofillRegion, IsoCodesNationalCodesAndNames) {
  const std::tuple<const char*, const char*, const char*> cases[] = {
      {"JP", "JP-13", "JP-13"},
      {"JP", "13", "JP-13"},
      {"JP", "東京都", "JP-13"},
      {"JP", "東京", "JP-13"},
      {"JP", "Tokyo", "JP-13"},
      {"JP", "1", "JP-01"},
      {"JP", "北海道", "JP-01"},
      {"JP", "大阪府", "JP-27"},
      {"JP", "47", "JP-47"},
      {"US", "CA", "US-CA"},
      {"US", "California", "US-CA"},
      {"US", "ny", "US-NY"},
      {"US", "DC", "US-DC"},
      {"CA", "ON", "CA-ON"},
      {"CA", "Québec", "CA-QC"},
      {"CA", "Quebec", "CA-QC"},
      {"DE", "Bayern", "DE-BY"},
      {"DE", "BY", "DE-BY"},
      {"IT", "MI", "IT-MI"},
      {"IT", "Milano", "IT-MI"},
      {"IT", "RM", "IT-RM"},
      {"ES", "M", "ES-M"},
      {"ES", "Barcelona", "ES-B"},
      {"BR", "SP", "BR-SP"},
      {"BR", "São Paulo", "BR-SP"},
      {"MX", "CDMX", "MX-CMX"},
      {"MX", "Jalisco", "MX-JAL"},
      {"IN", "MH", "IN-MH"},
      {"IN", "Maharashtra", "IN-MH"},
      {"AU", "NSW", "AU-NSW"},
      {"CN", "北京", "CN-BJ"},
      {"CN", "北京市", "CN-BJ"},
      {"CN", "Beijing", "CN-BJ"},
      {"CN", "广东省", "CN-GD"},
      {"TW", "TPE", "TW-TPE"},
      {"RU", "Москва", "RU-MOW"},
      {"RU", "MOW", "RU-MOW"},
      {"PL", "mazowieckie", "PL-14"},
      {"RO", "CJ", "RO-CJ"},
      {"RO", "Cluj", "RO-CJ"},
      {"SE", "AB", "SE-AB"},
      {"CH", "ZH", "CH-ZH"},
      {"CH", "Zürich", "CH-ZH"},
      {"NL", "NH", "NL-NH"},
      {"NL", "Noord-Holland", "NL-NH"},
  };
  for (const auto& [country, in, want] : cases) {
    EXPECT_EQ(or_none(resolve_region(country, in)), want) << country << " " << in;
  }
  EXPECT_FALSE(resolve_region("US", "Bayern"));
  EXPECT_FALSE(resolve_region("JP", "48"));
  EXPECT_FALSE(resolve_region("GB", "Kent"));  // GB has no region table
  EXPECT_FALSE(has_regions("FR"));
  EXPECT_TRUE(has_regions("JP"));
  EXPECT_EQ(region_text("US-CA"), "CA");
  EXPECT_EQ(region_text("JP-13"), "東京都");
  EXPECT_EQ(region_text("DE-BY"), "Bayern");
  EXPECT_EQ(region_national("JP-13"), "13");
}

TEST(AutofillPhone, NationalAndInternationalToE164) {
  const std::tuple<const char*, const char*, const char*> cases[] = {
      {"(201) 555-0123", "US", "+12015550123"},
      {"1 201 555 0123", "US", "+12015550123"},
      {"+1 416 555 0199", "CA", "+14165550199"},
      {"020 7946 0958", "GB", "+442079460958"},
      {"+44 (0)20 7946 0958", "GB", "+442079460958"},
      {"030 1234567", "DE", "+49301234567"},
      {"0049 30 1234567", "DE", "+49301234567"},
      {"01 23 45 67 89", "FR", "+33123456789"},
      {"06 12 34 56 78", "FR", "+33612345678"},
      {"06 6982 1234", "IT", "+390669821234"},
      {"312 345 6789", "IT", "+393123456789"},
      {"912 345 678", "ES", "+34912345678"},
      {"020 123 4567", "NL", "+31201234567"},
      {"512 345 678", "PL", "+48512345678"},
      {"0721 234 567", "RO", "+40721234567"},
      {"8 (916) 123-45-67", "RU", "+79161234567"},
      {"138 0013 8000", "CN", "+8613800138000"},
      {"0912 345 678", "TW", "+886912345678"},
      {"03-1234-5678", "JP", "+81312345678"},
      {"090-1234-5678", "JP", "+819012345678"},
      {"０９０−１２３４−５６７８", "JP", "+819012345678"},
      {"98765 43210", "IN", "+919876543210"},
      {"(11) 91234-5678", "BR", "+5511912345678"},
      {"55 1234 5678", "MX", "+525512345678"},
      {"0412 345 678", "AU", "+61412345678"},
      {"070-123 45 67", "SE", "+46701234567"},
      {"044 668 18 00", "CH", "+41446681800"},
  };
  for (const auto& [in, country, want] : cases) {
    EXPECT_EQ(or_none(normalize_phone(in, country)), want) << country << " " << in;
  }
  EXPECT_FALSE(normalize_phone("12", "US"));
  EXPECT_FALSE(normalize_phone("555-0123", "US"));  // 7 digits: not a US number
  EXPECT_FALSE(normalize_phone("", "DE"));
  EXPECT_FALSE(normalize_phone("+999 123", "DE"));
  EXPECT_FALSE(normalize_phone("030 123", "ZZ"));  // national, unknown country
}

TEST(AutofillPhone, FormatsForDisplay) {
  EXPECT_EQ(format_phone("+12015550123", PhoneStyle::national), "(201) 555-0123");
  EXPECT_EQ(format_phone("+12015550123", PhoneStyle::international), "+1 201-555-0123");
  EXPECT_EQ(format_phone("+442079460958", PhoneStyle::national), "020 7946 0958");
  EXPECT_EQ(format_phone("+49301234567", PhoneStyle::national), "030 1234567");
  EXPECT_EQ(format_phone("+33612345678", PhoneStyle::national), "06 12 34 56 78");
  EXPECT_EQ(format_phone("+819012345678", PhoneStyle::national), "090-1234-5678");
  EXPECT_EQ(format_phone("+81312345678", PhoneStyle::national), "03-1234-5678");
  EXPECT_EQ(format_phone("+79161234567", PhoneStyle::national), "8 (916) 123-45-67");
  EXPECT_EQ(format_phone("+5511912345678", PhoneStyle::national_number), "11912345678");
  EXPECT_EQ(calling_code_of("+819012345678"), "81");
  EXPECT_EQ(calling_code_of("+14165550199"), "1");
}

TEST(AutofillPostal, CanonicalFormPerCountry) {
  const std::tuple<const char*, const char*, const char*> cases[] = {
      {"94043", "US", "94043"},
      {"940431351", "US", "94043-1351"},
      {"k1a0b1", "CA", "K1A 0B1"},
      {"sw1a1aa", "GB", "SW1A 1AA"},
      {"M1 1AE", "GB", "M1 1AE"},
      {"10117", "DE", "10117"},
      {"75008", "FR", "75008"},
      {"00184", "IT", "00184"},
      {"28001", "ES", "28001"},
      {"1012ab", "NL", "1012 AB"},
      {"00950", "PL", "00-950"},
      {"010011", "RO", "010011"},
      {"101000", "RU", "101000"},
      {"100000", "CN", "100000"},
      {"10048", "TW", "10048"},
      {"〒100-0001", "JP", "100-0001"},
      {"１０００００１", "JP", "100-0001"},
      {"110001", "IN", "110001"},
      {"01310100", "BR", "01310-100"},
      {"06600", "MX", "06600"},
      {"2000", "AU", "2000"},
      {"11455", "SE", "114 55"},
      {"8001", "CH", "8001"},
  };
  for (const auto& [in, country, want] : cases) {
    EXPECT_EQ(or_none(normalize_postal(in, country)), want) << country << " " << in;
  }
  EXPECT_FALSE(normalize_postal("1234", "DE"));
  EXPECT_FALSE(normalize_postal("ABCDE", "US"));
  EXPECT_FALSE(normalize_postal("K1A 0B", "CA"));
  EXPECT_FALSE(normalize_postal("1234 A", "NL"));
  EXPECT_FALSE(normalize_postal("100000", "JP"));
}

TEST(AutofillEmail, PlausibleAddresses) {
  EXPECT_EQ(or_none(normalize_email(" Ana.Silva+shop@Example.COM ")), "Ana.Silva+shop@example.com");
  EXPECT_EQ(or_none(normalize_email("t@bücher.de")), "t@bücher.de");
  for (const char* bad :
       {"", "a", "a@b", "@b.com", "a@@b.com", "a b@c.com", "a@-b.com", "a..b@c.com", "a@b..com"}) {
    EXPECT_FALSE(normalize_email(bad)) << bad;
  }
}

Result<CheckoutProfile> parse_profile(const std::string& text) {
  auto json = Json::parse(text);
  EXPECT_TRUE(json.is_ok()) << text;
  return profile_from_json(json.value());
}

TEST(AutofillProfile, NormalizesAndRoundTrips) {
  auto p = parse_profile(R"({"givenName":" Hanako ","familyName":"Yamada","email":"H@Ex.JP",
    "tel":"090-1234-5678","shipping":{"line1":"1-1 Chiyoda","city":"Chiyoda-ku",
    "region":"東京都","postalCode":"1000001","country":"Japan"}})");
  ASSERT_TRUE(p.is_ok()) << p.status().message();
  EXPECT_EQ(p.value().given_name, "Hanako");
  EXPECT_EQ(p.value().tel, "+819012345678");
  EXPECT_EQ(p.value().shipping.region, "JP-13");
  EXPECT_EQ(p.value().shipping.postal_code, "100-0001");
  EXPECT_EQ(p.value().shipping.country, "JP");
  EXPECT_EQ(p.value().email, "H@ex.jp");
  const std::string json = profile_to_json(p.value());
  auto again = parse_profile(json);
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(profile_to_json(again.value()), json);
}

TEST(AutofillProfile, FieldLevelErrors) {
  const std::string ship =
      R"("shipping":{"line1":"1 Main St","city":"Springfield","region":"IL","postalCode":"62701","country":"US"})";
  const std::pair<std::string, std::string> cases[] = {
      {R"({"familyName":"S",)" + ship + "}", "givenName: required"},
      {R"({"givenName":"A","familyName":"S","email":"nope",)" + ship + "}", "email: "},
      {R"({"givenName":"A","familyName":"S","tel":"12",)" + ship + "}", "tel: "},
      {R"({"givenName":"A","familyName":"S","nickname":"x",)" + ship + "}", "nickname: unknown"},
      {R"({"givenName":"A","familyName":"S","shipping":{"line1":"x","city":"y","postalCode":"62701","country":"US"}})",
       "shipping.region: required"},
      {R"({"givenName":"A","familyName":"S","shipping":{"line1":"x","city":"y","region":"IL","postalCode":"6270","country":"US"}})",
       "shipping.postalCode: "},
      {R"({"givenName":"A","familyName":"S","shipping":{"line1":"x","city":"y","postalCode":"62701","country":"Narnia"}})",
       "shipping.country: "},
      {R"({"givenName":"A","familyName":"S",)" + ship +
           R"(,"billing":{"line1":"x","city":"Berlin","postalCode":"1","country":"DE"}})",
       "billing.postalCode: "},
      {R"({"givenName":7,"familyName":"S",)" + ship + "}", "givenName: must be a string"},
  };
  for (const auto& [text, want] : cases) {
    auto p = parse_profile(text);
    ASSERT_FALSE(p.is_ok()) << text;
    EXPECT_EQ(p.status().code(), Code::invalid_argument);
    EXPECT_EQ(p.status().message().rfind(want, 0), 0u) << p.status().message();
  }
}

TEST(AutofillApi, JsonEntryPoint) {
  const std::string out = call(
      R"({"op":"normalize","profile":{"givenName":"Max","familyName":"Muster","tel":"030 1234567",
      "shipping":{"line1":"Unter den Linden 1","city":"Berlin","region":"Berlin","postalCode":"10117","country":"Deutschland"}}})");
  EXPECT_NE(out.find(R"("ok":true)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("tel":"+49301234567")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("region":"DE-BE")"), std::string::npos) << out;

  const std::string err = call(R"({"op":"normalize","profile":{"givenName":"Max"}})");
  EXPECT_NE(err.find(R"("field":"familyName")"), std::string::npos) << err;

  const std::string values = call(
      R"({"op":"values","profile":{"givenName":"Hanako","familyName":"Yamada","tel":"+819012345678",
      "shipping":{"line1":"1-1","city":"Chiyoda-ku","region":"JP-13","postalCode":"100-0001","country":"JP"}}})");
  EXPECT_NE(values.find(R"("name":"Yamada Hanako")"), std::string::npos) << values;
  EXPECT_NE(values.find(R"("postal-code-1":"100")"), std::string::npos) << values;
  EXPECT_NE(values.find(R"("tel-national":"090-1234-5678")"), std::string::npos) << values;
  EXPECT_NE(values.find(R"("address-level1":"東京都")"), std::string::npos) << values;

  const std::string m = call(
      R"({"op":"matchOption","kind":"region","country":"JP","want":"JP-13","options":[["","選択"],["1","北海道"],["13","東京都"]]})");
  EXPECT_EQ(m, R"({"ok":true,"index":2})");
  const std::string byText = call(
      R"({"op":"matchOption","kind":"country","want":"DE","options":[["1","Frankreich"],["2","Deutschland"]]})");
  EXPECT_EQ(byText, R"({"ok":true,"index":1})");
  const std::string cc = call(
      R"J({"op":"matchOption","kind":"tel-country-code","country":"JP","want":"+81","options":[["1","USA (+1)"],["81","Japan (+81)"]]})J");
  EXPECT_EQ(cc, R"({"ok":true,"index":1})");
  const std::string none =
      call(R"({"op":"matchOption","kind":"country","want":"DE","options":[["FR","France"]]})");
  EXPECT_EQ(none, R"({"ok":true,"index":-1})");
  EXPECT_NE(call("not json").find(R"("ok":false)"), std::string::npos);
  EXPECT_NE(call(R"({"op":"launch"})").find(R"("field":"op")"), std::string::npos);
}

}  // namespace
}  // namespace vitrine::autofill
