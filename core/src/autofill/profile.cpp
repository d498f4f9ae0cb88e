#include "vitrine/autofill/profile.hpp"

#include <initializer_list>

#include "text.hpp"
#include "vitrine/autofill/normalize.hpp"

namespace vitrine::autofill {
namespace {

constexpr std::size_t kMaxText = 200;

Status bad(const std::string& field, const std::string& what) {
  return {Code::invalid_argument, field + ": " + what};
}

Status check_keys(const Json& obj, const std::string& path,
                  std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : obj.as_object()) {
    bool known = false;
    for (auto a : allowed) known = known || key == a;
    if (!known) return bad(path + key, "unknown field");
  }
  return Status::ok();
}

// A text member: absent, null or "" give "" (an error if required).
Status read_text(const Json& obj, const std::string& path, std::string_view key, bool required,
                 std::string& out) {
  const std::string field = path + std::string(key);
  const Json* v = obj.find(key);
  out.clear();
  if (v && !v->is_null()) {
    if (!v->is_string()) return bad(field, "must be a string");
    if (v->as_string().size() > kMaxText) return bad(field, "longer than 200 bytes");
    if (!clean_text(v->as_string(), out)) return bad(field, "control characters or bad UTF-8");
  }
  if (required && out.empty()) return bad(field, "required");
  return Status::ok();
}

Status read_address(const Json& obj, const std::string& path, bool with_names, Address& a) {
  if (!obj.is_object()) return bad(path.substr(0, path.size() - 1), "must be an object");
  Status s = with_names ? check_keys(obj, path,
                                     {"givenName", "familyName", "organization", "line1", "line2",
                                      "city", "region", "postalCode", "country"})
                        : check_keys(obj, path,
                                     {"line1", "line2", "city", "region", "postalCode", "country"});
  if (!s.is_ok()) return s;
  std::string country_text, postal_text, region_text_in;
  for (auto step :
       {read_text(obj, path, "line1", true, a.line1), read_text(obj, path, "line2", false, a.line2),
        read_text(obj, path, "city", true, a.city),
        read_text(obj, path, "region", false, region_text_in),
        read_text(obj, path, "postalCode", true, postal_text),
        read_text(obj, path, "country", true, country_text)}) {
    if (!step.is_ok()) return step;
  }
  if (with_names) {
    for (auto step : {read_text(obj, path, "givenName", false, a.given_name),
                      read_text(obj, path, "familyName", false, a.family_name),
                      read_text(obj, path, "organization", false, a.organization)}) {
      if (!step.is_ok()) return step;
    }
  }
  const auto country = resolve_country(country_text);
  if (!country) return bad(path + "country", "unknown country '" + country_text + "'");
  a.country = *country;
  const auto postal = normalize_postal(postal_text, a.country);
  if (!postal) return bad(path + "postalCode", "not a postal code of " + a.country);
  a.postal_code = *postal;
  if (has_regions(a.country)) {
    if (region_text_in.empty()) {
      if (region_required(a.country)) return bad(path + "region", "required in " + a.country);
    } else {
      const auto region = resolve_region(a.country, region_text_in);
      if (!region) return bad(path + "region", "not a region of " + a.country);
      a.region = *region;
    }
  } else {
    a.region = region_text_in;
  }
  return Status::ok();
}

void put(std::string& out, bool& first, std::string_view key, const std::string& value) {
  if (value.empty()) return;
  out += first ? "" : ",";
  first = false;
  json_quote(key, out);
  out += ':';
  json_quote(value, out);
}

void put_address(std::string& out, const Address& a, bool with_names) {
  out += '{';
  bool first = true;
  if (with_names) {
    put(out, first, "givenName", a.given_name);
    put(out, first, "familyName", a.family_name);
    put(out, first, "organization", a.organization);
  }
  put(out, first, "line1", a.line1);
  put(out, first, "line2", a.line2);
  put(out, first, "city", a.city);
  put(out, first, "region", a.region);
  put(out, first, "postalCode", a.postal_code);
  put(out, first, "country", a.country);
  out += '}';
}

}  // namespace

Result<CheckoutProfile> profile_from_json(const Json& json) {
  if (!json.is_object()) return bad("profile", "must be an object");
  Status s = check_keys(
      json, "", {"givenName", "familyName", "organization", "email", "tel", "shipping", "billing"});
  if (!s.is_ok()) return s;
  CheckoutProfile p;
  std::string email, tel;
  for (auto step :
       {read_text(json, "", "givenName", true, p.given_name),
        read_text(json, "", "familyName", true, p.family_name),
        read_text(json, "", "organization", false, p.organization),
        read_text(json, "", "email", false, email), read_text(json, "", "tel", false, tel)}) {
    if (!step.is_ok()) return step;
  }
  const Json* shipping = json.find("shipping");
  if (!shipping) return bad("shipping", "required");
  s = read_address(*shipping, "shipping.", false, p.shipping);
  if (!s.is_ok()) return s;
  if (const Json* billing = json.find("billing"); billing && !billing->is_null()) {
    Address b;
    s = read_address(*billing, "billing.", true, b);
    if (!s.is_ok()) return s;
    p.billing = std::move(b);
  }
  if (!email.empty()) {
    const auto e = normalize_email(email);
    if (!e) return bad("email", "not an e-mail address");
    p.email = *e;
  }
  if (!tel.empty()) {
    const auto t = normalize_phone(tel, p.shipping.country);
    if (!t) return bad("tel", "not a phone number of " + p.shipping.country + " or in E.164");
    p.tel = *t;
  }
  return p;
}

std::string profile_to_json(const CheckoutProfile& p) {
  std::string out = "{";
  bool first = true;
  put(out, first, "givenName", p.given_name);
  put(out, first, "familyName", p.family_name);
  put(out, first, "organization", p.organization);
  put(out, first, "email", p.email);
  put(out, first, "tel", p.tel);
  out += first ? "" : ",";
  out += "\"shipping\":";
  put_address(out, p.shipping, false);
  if (p.billing) {
    out += ",\"billing\":";
    put_address(out, *p.billing, true);
  }
  out += '}';
  return out;
}

}  // namespace vitrine::autofill
