#include "vitrine/event.hpp"

#include <gtest/gtest.h>

#include <string>

namespace vitrine {
namespace {

TEST(Event, ParsesDataLayerShape) {
  auto r = parse_event(R"({"event":"view_item","ecommerce":{"currency":"EUR","value":19.5,
      "items":[{"item_id":"SKU-1","item_name":"Wool hat","item_category":"Hats","price":19.5,
      "quantity":2,"index":0}]}})",
                       1000);
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  const Event& e = r.value();
  EXPECT_EQ(e.type, EventType::view_item);
  EXPECT_EQ(e.time_ms, 1000);
  ASSERT_EQ(e.items.size(), 1u);
  EXPECT_EQ(e.items[0].id, "SKU-1");
  EXPECT_EQ(e.items[0].name, "Wool hat");
  EXPECT_EQ(e.items[0].category, "Hats");
  EXPECT_DOUBLE_EQ(e.items[0].price.value(), 19.5);
  EXPECT_EQ(e.items[0].quantity, 2);
}

TEST(Event, ParsesFlatShapeSearchAndShopifyNames) {
  auto flat = parse_event(R"({"event":"add_to_cart","items":[{"item_id":42}]})", 1);
  ASSERT_TRUE(flat.is_ok()) << flat.status().message();
  EXPECT_EQ(flat.value().items[0].id, "42");
  auto search = parse_event(R"({"event":"search","search_term":"wool hat"})", 1);
  ASSERT_TRUE(search.is_ok());
  EXPECT_EQ(search.value().search_term, "wool hat");
  auto shopify = parse_event(R"({"event":"product_viewed","items":[{"item_id":"a"}]})", 1);
  ASSERT_TRUE(shopify.is_ok());
  EXPECT_EQ(shopify.value().type, EventType::view_item);
  EXPECT_EQ(event_type_from_name("checkout_completed"), EventType::purchase);
}

struct BadEvent {
  const char* json;
  const char* message_part;
};

class EventRejects : public ::testing::TestWithParam<BadEvent> {};

TEST_P(EventRejects, WithAClearMessage) {
  auto r = parse_event(GetParam().json, 1);
  ASSERT_FALSE(r.is_ok()) << GetParam().json;
  EXPECT_EQ(r.status().code(), Code::invalid_argument);
  EXPECT_NE(r.status().message().find(GetParam().message_part), std::string::npos)
      << r.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Bad, EventRejects,
    ::testing::Values(
        BadEvent{R"({"event":"page_view"})", "unknown event \"page_view\""},
        BadEvent{R"({"items":[]})", "event name is missing"},
        BadEvent{R"([1])", "must be an object"},
        BadEvent{R"({"event":"view_item"})", "needs at least one item"},
        BadEvent{R"({"event":"view_item","items":[{"item_name":"x"}]})", "item_id is missing"},
        BadEvent{R"({"event":"view_item","items":[{"item_id":""}]})", "item_id is empty"},
        BadEvent{R"({"event":"view_item","items":[{"item_id":true}]})", "item_id must be"},
        BadEvent{R"({"event":"view_item","items":[{"item_id":1.5}]})", "whole number"},
        BadEvent{R"({"event":"view_item","items":[{"item_id":"a","price":-1}]})", "price"},
        BadEvent{R"({"event":"view_item","items":[{"item_id":"a","price":-0.01}]})", "price"},
        BadEvent{R"({"event":"view_item","items":[{"item_id":"a","price":"12"}]})",
                 "price must be a number"},
        BadEvent{R"({"event":"view_item","items":[{"item_id":"a","price":1e10}]})", "price"},
        BadEvent{R"({"event":"view_item","items":[{"item_id":"a","quantity":0}]})", "quantity"},
        BadEvent{R"({"event":"view_item","items":{"item_id":"a"}})", "items must be an array"},
        BadEvent{R"({"event":"search"})", "search_term"},
        BadEvent{R"({"event":"view_item","items":[{"item_id":"a"}],)", "not valid JSON"}));

TEST(Event, RefusesAbsurdLengths) {
  const std::string long_id(200, 'x');
  auto r = parse_event(R"({"event":"view_item","items":[{"item_id":")" + long_id + "\"}]}", 1);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("longer than 128"), std::string::npos);
  std::string many = R"({"event":"view_item_list","items":[)";
  for (int i = 0; i < 201; ++i) many += std::string(i ? "," : "") + "{\"item_id\":\"a\"}";
  many += "]}";
  EXPECT_FALSE(parse_event(many, 1).is_ok());
  EXPECT_FALSE(parse_event(std::string(70000, ' '), 1).is_ok());
}

TEST(Event, ValidateCatchesNonFinitePrice) {
  Event e;
  e.items.push_back({"a", "", "", "", "", std::numeric_limits<double>::infinity(), 1});
  EXPECT_FALSE(validate_event(e).is_ok());
  e.items[0].price = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(validate_event(e).is_ok());
  e.items[0].price = 3;
  EXPECT_TRUE(validate_event(e).is_ok());
}

}  // namespace
}  // namespace vitrine
