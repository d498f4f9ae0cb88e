// libFuzzer target for the autofill module's JSON entry point (what the browser and stored
// records hand it): any text gives a JSON answer with "ok", never a crash; a profile it
// accepts is a fixed point (normalizing it again gives the same profile).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "vitrine/autofill/api.hpp"
#include "vitrine/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vitrine;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string answer = autofill::call(text);
  auto parsed = Json::parse(answer);
  if (!parsed.is_ok() || !parsed.value().find("ok")) std::abort();
  const Json* profile = parsed.value().find("profile");
  if (parsed.value().find("ok")->as_bool() && profile) {
    // The normalized profile, written back and normalized again, is unchanged.
    const auto start = answer.find("\"profile\":") + 10;
    const std::string inner = answer.substr(start, answer.size() - start - 1);
    const std::string again = autofill::call("{\"op\":\"normalize\",\"profile\":" + inner + "}");
    if (again != answer) std::abort();
  }
  return 0;
}
