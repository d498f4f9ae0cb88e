#include "../../core/src/card_data.hpp"

#include <gtest/gtest.h>

#include <string>

#include "vitrine/engine.hpp"
#include "vitrine/event.hpp"

namespace vitrine {
namespace {

TEST(CardData, FindsLuhnValidNumbersInTheirUsualShapes) {
  EXPECT_TRUE(contains_card_number("4242424242424242"));     // Visa test number, 16 digits
  EXPECT_TRUE(contains_card_number("4242 4242 4242 4242"));  // as printed on the card
  EXPECT_TRUE(contains_card_number("4242-4242-4242-4242"));
  EXPECT_TRUE(contains_card_number("my card 378282246310005 please"));  // Amex, 15 digits
  EXPECT_TRUE(contains_card_number("4222222222222"));                   // 13 digits
  EXPECT_TRUE(contains_card_number("6011111111111117"));                // Discover
  EXPECT_TRUE(contains_card_number("x4242424242424242x"));
  EXPECT_TRUE(contains_card_number("0004242424242424242"));  // 19 digits
}

TEST(CardData, LeavesOtherTextAlone) {
  EXPECT_FALSE(contains_card_number(""));
  EXPECT_FALSE(contains_card_number("wool hat"));
  EXPECT_FALSE(contains_card_number("4242424242424241"));      // Luhn fails
  EXPECT_FALSE(contains_card_number("424242424242"));          // 12 digits: too short
  EXPECT_FALSE(contains_card_number("42424242424242424242"));  // 20 digits: too long
  EXPECT_FALSE(contains_card_number("4242  4242 4242 4242"));  // two spaces split the run
  EXPECT_FALSE(contains_card_number("size 42, 2 pack, 2024-11-29"));
  EXPECT_FALSE(contains_card_number("123"));  // a security code alone is not findable, nor kept
}

TEST(CardData, AnEventCarryingACardNumberIsRefusedAndNotEchoed) {
  const std::string card = "4242424242424242";
  for (const std::string json : {
           std::string(R"({"event":"search","search_term":"4242 4242 4242 4242"})"),
           R"({"event":"view_item","items":[{"item_id":"1","item_name":"pay )" + card + R"("}]})",
           R"({"event":"add_to_cart","items":[{"item_id":"1","item_variant":")" + card + R"("}]})",
           R"({"event":"view_item","items":[{"item_id":"1","item_brand":")" + card + R"("}]})",
           R"({"event":"view_item","items":[{"item_id":"1","item_category":")" + card + R"("}]})",
           R"({"event":")" + card + R"("})",
       }) {
    auto parsed = parse_event(json, 1000);
    ASSERT_FALSE(parsed.is_ok()) << json;
    EXPECT_EQ(parsed.status().code(), Code::invalid_argument);
    EXPECT_EQ(parsed.status().message().find("4242"), std::string::npos)
        << parsed.status().message();
  }
}

TEST(CardData, CardFieldsThemeScriptsAddAreNeverKept) {
  // add_payment_info with what a careless theme might push: the engine reads none of it.
  Engine engine;
  engine.set_consent(privacy::ConsentState::from_bits(0x0f));
  const std::string json =
      R"({"event":"add_payment_info","payment_type":"Credit Card","card_number":"4242424242424242",)"
      R"("cvc":"123","ecommerce":{"items":[{"item_id":"hat"}]}})";
  ASSERT_TRUE(engine.track_json(json, 1000).is_ok());
  const auto bytes = engine.snapshot().value();
  const std::string stored(bytes.begin(), bytes.end());
  EXPECT_EQ(stored.find("4242"), std::string::npos);
  EXPECT_EQ(stored.find("123"), std::string::npos);
  EXPECT_EQ(stored.find("Credit"), std::string::npos);
}

}  // namespace
}  // namespace vitrine
