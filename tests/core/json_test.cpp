#include "vitrine/json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace vitrine {
namespace {

TEST(Json, ParsesNestedValues) {
  auto r = Json::parse(R"({"a":[1,2.5,-3e2],"b":{"c":true,"d":null},"e":"x\u00e9\ud83d\ude00"})");
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  const Json& j = r.value();
  ASSERT_TRUE(j.is_object());
  ASSERT_EQ(j.find("a")->as_array().size(), 3u);
  EXPECT_DOUBLE_EQ(j.find("a")->as_array()[2].as_number(), -300);
  EXPECT_TRUE(j.find("b")->find("c")->as_bool());
  EXPECT_TRUE(j.find("b")->find("d")->is_null());
  EXPECT_EQ(j.find("e")->as_string(), "x\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(j.find("missing"), nullptr);
}

TEST(Json, RefusesMalformedInput) {
  for (const char* bad :
       {"", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"abc", "\"\\x\"", "\"\\ud800\"",
        "{\"a\":1,\"a\":2}", "[1] x", "\"\x01\"", "\"\xC3\"", "\"\xC0\xAF\"", "1e999"}) {
    EXPECT_FALSE(Json::parse(bad).is_ok()) << "accepted: " << bad;
  }
}

TEST(Json, KeepsMembersInOrderAndRefusesADuplicateInAnyObject) {
  auto r = Json::parse(R"({"z":1,"a":"plain \"quoted\" \u00e9 text","m":[]})");
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  const auto& members = r.value().as_object();
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members[0].first, "z");
  EXPECT_EQ(members[1].first, "a");
  EXPECT_EQ(members[2].first, "m");
  EXPECT_EQ(members[1].second.as_string(), "plain \"quoted\" \xC3\xA9 text");
  for (int n : {3, 16, 127}) {
    std::string text = "{";
    for (int i = 0; i < n; ++i) text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    ASSERT_TRUE(Json::parse(text.substr(0, text.size() - 1) + "}").is_ok()) << n;
    auto dup = Json::parse(text + "\"k" + std::to_string(n / 2) + "\":0}");
    ASSERT_FALSE(dup.is_ok()) << n;
    EXPECT_NE(dup.status().message().find("duplicate member \"k" + std::to_string(n / 2) + "\""),
              std::string::npos)
        << dup.status().message();
  }
  // Member names are compared pair by pair, so an object may have at most max_members.
  std::string many = "{";
  for (int i = 0; i < 129; ++i) many += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  many.back() = '}';
  auto refused = Json::parse(many);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("too many members"), std::string::npos);
  JsonLimits wide;
  wide.max_members = 129;
  EXPECT_TRUE(Json::parse(many, wide).is_ok());
  auto big = Json::parse(
      "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,"
      "\"i\":9,\"j\":10,\"k\":11,\"l\":12,\"m\":13,\"n\":14,\"o\":15,\"p\":16,"
      "\"q\":17,\"r\":18}");
  ASSERT_TRUE(big.is_ok());
  EXPECT_EQ(big.value().find("r")->as_number(), 18);
  EXPECT_EQ(big.value().find("s"), nullptr);
}

TEST(Json, EnforcesLimits) {
  JsonLimits limits;
  limits.max_depth = 4;
  EXPECT_TRUE(Json::parse("[[[[1]]]]", limits).is_ok());
  EXPECT_FALSE(Json::parse("[[[[[[1]]]]]]", limits).is_ok());
  limits.max_bytes = 3;
  EXPECT_FALSE(Json::parse("[1,2]", limits).is_ok());
  JsonLimits few;
  few.max_elements = 3;
  EXPECT_FALSE(Json::parse("[1,2,3,4]", few).is_ok());
  // Deep nesting of a hostile size is refused without exhausting the stack.
  EXPECT_FALSE(Json::parse(std::string(100000, '[')).is_ok());
}

TEST(Json, QuoteEscapesControlCharacters) {
  std::string out;
  json_quote("a\"b\\c\n\x01", out);
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001\"");
  auto back = Json::parse(out);
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(back.value().as_string(), "a\"b\\c\n\x01");
}

}  // namespace
}  // namespace vitrine
