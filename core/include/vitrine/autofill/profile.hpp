// The checkout profile: validated and normalized from outside JSON, written back as JSON.
#pragma once
#include <optional>
#include <string>

#include "vitrine/json.hpp"
#include "vitrine/status.hpp"

namespace vitrine::autofill {

struct Address {
  std::string given_name, family_name, organization;  // billing only (shipping: profile's)
  std::string line1, line2, city;
  std::string region;  // ISO 3166-2 when the country has regions, else free text
  std::string postal_code;
  std::string country;  // ISO 3166-1 alpha-2
};

struct CheckoutProfile {
  std::string given_name, family_name, organization;
  std::string email;
  std::string tel;  // E.164
  Address shipping;
  std::optional<Address> billing;  // none: same as shipping
};

// From the API's JSON shape (docs/api.md "Autofill"). A bad field gives invalid_argument
// with the message "<field path>: <what is wrong>", e.g. "shipping.postalCode: ...".
Result<CheckoutProfile> profile_from_json(const Json& json);
// The API's JSON shape; empty optional fields are left out.
std::string profile_to_json(const CheckoutProfile& profile);

}  // namespace vitrine::autofill
