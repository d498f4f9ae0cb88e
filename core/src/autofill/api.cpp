#include "vitrine/autofill/api.hpp"

#include <map>

#include "text.hpp"
#include "vitrine/autofill/normalize.hpp"
#include "vitrine/autofill/profile.hpp"
#include "vitrine/json.hpp"

namespace vitrine::autofill {
namespace {

std::string error(const Status& s) {
  const std::string& message = s.message();
  const auto colon = message.find(": ");
  const std::string field = colon == std::string::npos ? "" : message.substr(0, colon);
  std::string out = "{\"ok\":false,\"code\":";
  json_quote(code_name(s.code()), out);
  out += ",\"field\":";
  json_quote(field, out);
  out += ",\"message\":";
  json_quote(message, out);
  out += '}';
  return out;
}

using Values = std::map<std::string, std::string>;

Values address_values(const CheckoutProfile& p, const Address& a, bool billing) {
  Values v;
  const std::string& given = billing && !a.given_name.empty() ? a.given_name : p.given_name;
  const std::string& family = billing && !a.family_name.empty() ? a.family_name : p.family_name;
  v["given-name"] = given;
  v["family-name"] = family;
  // East Asian names are written family name first; Chinese without a space between.
  const bool chinese = a.country == "CN" || a.country == "TW";
  v["name"] = chinese             ? family + given
              : a.country == "JP" ? family + " " + given
                                  : given + " " + family;
  v["organization"] = billing && !a.organization.empty() ? a.organization : p.organization;
  v["email"] = p.email;
  if (!p.tel.empty()) {
    v["tel"] = format_phone(p.tel, PhoneStyle::international);
    v["tel-e164"] = p.tel;
    v["tel-national"] = format_phone(p.tel, PhoneStyle::national);
    v["tel-local"] = format_phone(p.tel, PhoneStyle::national_number);
    v["tel-country-code"] = "+" + calling_code_of(p.tel);
    // A field with no separate country code: the national form when the number belongs to
    // the address's country, else the international one.
    const bool domestic = normalize_phone(v["tel-national"], a.country) == p.tel;
    v["tel-auto"] = domestic ? v["tel-national"] : v["tel"];
  }
  v["address-line1"] = a.line1;
  v["address-line2"] = a.line2;
  v["street-address"] = a.line2.empty() ? a.line1 : a.line1 + "\n" + a.line2;
  v["address-level2"] = a.city;
  v["address-level1"] =
      has_regions(a.country) && !a.region.empty() ? region_text(a.region) : a.region;
  v["address-level1-code"] = a.region;
  v["postal-code"] = a.postal_code;
  const auto sep = a.postal_code.find_first_of(" -");
  if (sep != std::string::npos) {
    v["postal-code-1"] = a.postal_code.substr(0, sep);
    v["postal-code-2"] = a.postal_code.substr(sep + 1);
  }
  v["country"] = a.country;
  v["country-name"] = country_name(a.country);
  return v;
}

void put_values(std::string& out, const Values& v) {
  out += '{';
  bool first = true;
  for (const auto& [k, value] : v) {
    if (value.empty()) continue;
    out += first ? "" : ",";
    first = false;
    json_quote(k, out);
    out += ':';
    json_quote(value, out);
  }
  out += '}';
}

std::string values(const Json& req) {
  const Json* pj = req.find("profile");
  if (!pj) return error({Code::invalid_argument, "profile: required"});
  auto p = profile_from_json(*pj);
  if (!p.is_ok()) return error(p.status());
  const CheckoutProfile& profile = p.value();
  std::string out = "{\"ok\":true,\"shipping\":";
  put_values(out, address_values(profile, profile.shipping, false));
  out += ",\"billing\":";
  put_values(out, address_values(profile, profile.billing ? *profile.billing : profile.shipping,
                                 profile.billing.has_value()));
  out += '}';
  return out;
}

// Does one option (value or text) stand for `want`?
bool option_fits(const std::string& kind, const std::string& country, const std::string& want,
                 const std::string& s) {
  if (s.empty()) return false;
  if (kind == "country") {
    const auto c = resolve_country(s);
    return c && *c == want;
  }
  if (kind == "region") {
    const auto r = resolve_region(country, s);
    return r && *r == want;
  }
  // tel-country-code: "+81", "81", "JP", "Japan (+81)", "日本 +81".
  const std::string digits = digits_of(s, false);
  const std::string cc = digits_of(want, false);
  if (digits == cc) return true;
  const auto c = resolve_country(s);
  if (c && *c == country) return true;
  const auto plus = s.find("+" + cc);
  return plus != std::string::npos &&
         (plus + 1 + cc.size() == s.size() || s[plus + 1 + cc.size()] < '0' ||
          s[plus + 1 + cc.size()] > '9');
}

std::string match_option(const Json& req) {
  const Json* kind = req.find("kind");
  const Json* want = req.find("want");
  const Json* options = req.find("options");
  const Json* country = req.find("country");
  if (!kind || !kind->is_string() || !want || !want->is_string() || !options ||
      !options->is_array()) {
    return error({Code::invalid_argument, "request: kind, want and options required"});
  }
  const std::string c = country && country->is_string() ? country->as_string() : "";
  const auto& list = options->as_array();
  // Values first (they are the codes a form submits), then visible texts.
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto& o = list[i];
      if (!o.is_array() || o.as_array().size() != 2 || !o.as_array()[0].is_string() ||
          !o.as_array()[1].is_string()) {
        return error({Code::invalid_argument, "options: each must be [value, text]"});
      }
      if (option_fits(kind->as_string(), c, want->as_string(),
                      o.as_array()[static_cast<std::size_t>(pass)].as_string())) {
        return "{\"ok\":true,\"index\":" + std::to_string(i) + "}";
      }
    }
  }
  return "{\"ok\":true,\"index\":-1}";
}

}  // namespace

std::string call(std::string_view request_json) {
  auto parsed = Json::parse(request_json);
  if (!parsed.is_ok())
    return error({Code::invalid_argument, "request: " + parsed.status().message()});
  const Json& req = parsed.value();
  const Json* op = req.is_object() ? req.find("op") : nullptr;
  if (!op || !op->is_string()) return error({Code::invalid_argument, "op: required"});
  if (op->as_string() == "normalize") {
    const Json* pj = req.find("profile");
    if (!pj) return error({Code::invalid_argument, "profile: required"});
    auto p = profile_from_json(*pj);
    if (!p.is_ok()) return error(p.status());
    return "{\"ok\":true,\"profile\":" + profile_to_json(p.value()) + "}";
  }
  if (op->as_string() == "values") return values(req);
  if (op->as_string() == "matchOption") return match_option(req);
  return error({Code::invalid_argument, "op: unknown operation"});
}

}  // namespace vitrine::autofill
