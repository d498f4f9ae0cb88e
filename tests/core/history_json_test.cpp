#include "vitrine/history_json.hpp"

#include <gtest/gtest.h>

#include "vitrine/event.hpp"

namespace vitrine {
namespace {

History sample() {
  History h;
  auto ev = [&](const char* json, std::int64_t t) { h.add(parse_event(json, t).value()); };
  ev(R"({"event":"view_item","items":[{"item_id":"a","item_name":"Wool \"hat\"","item_category":"Hats","price":19.99}]})",
     1000);
  ev(R"({"event":"add_to_cart","items":[{"item_id":"b","quantity":3}]})", 2000);
  ev(R"({"event":"search","search_term":"red scarf"})", 2500);
  ev(R"({"event":"purchase","items":[{"item_id":"b","quantity":3},{"item_id":"a","price":0.1}]})",
     3000);
  return h;
}

TEST(HistoryJson, RoundTripIsExact) {
  const History h = sample();
  const std::string json = history_to_json(h);
  auto back = history_from_json(json);
  ASSERT_TRUE(back.is_ok()) << back.status().message();
  EXPECT_EQ(history_to_json(back.value()), json);
  EXPECT_EQ(back.value().entries().size(), h.entries().size());
  EXPECT_EQ(back.value().items()[0].price, 0.1);  // the latest price, bit for bit
  EXPECT_EQ(back.value().searches().at(0).term, "red scarf");
  EXPECT_NE(json.find(R"("event":"add_to_cart","itemId":"b","quantity":3)"), std::string::npos);
}

TEST(HistoryJson, RefusesBadInputWithWhereAndWhat) {
  const struct {
    const char* json;
    const char* message;
  } cases[] = {
      {"[]", "needs the arrays"},
      {R"({"items":[],"events":[]})", "needs the arrays"},
      {R"({"items":[{"name":"x"}],"events":[],"searches":[]})", "items[0]: id is missing"},
      {R"({"items":[{"id":"a"},{"id":"a"}],"events":[],"searches":[]})", "listed twice"},
      {R"({"items":[{"id":"a","price":-1}],"events":[],"searches":[]})", "price"},
      {R"({"items":[{"id":"a"}],"events":[{"time":1,"event":"view_item","itemId":"b","quantity":1}],"searches":[]})",
       "events[0]: itemId \"b\" is not in items"},
      {R"({"items":[{"id":"a"}],"events":[{"time":1.5,"event":"view_item","itemId":"a","quantity":1}],"searches":[]})",
       "whole milliseconds"},
      {R"({"items":[{"id":"a"}],"events":[{"time":1,"event":"page_view","itemId":"a","quantity":1}],"searches":[]})",
       "unknown event"},
      {R"({"items":[{"id":"a"}],"events":[{"time":1,"event":"view_item","itemId":"a","quantity":0}],"searches":[]})",
       "quantity"},
      {R"({"items":[],"events":[],"searches":[{"time":1}]})", "term is missing"},
      {"{\"items\":[", "history JSON"},
  };
  for (const auto& c : cases) {
    auto r = history_from_json(c.json);
    ASSERT_FALSE(r.is_ok()) << c.json;
    EXPECT_EQ(r.status().code(), Code::invalid_argument);
    EXPECT_NE(r.status().message().find(c.message), std::string::npos) << r.status().message();
  }
}

TEST(HistoryJson, RefusesMoreEventsThanTheCapacity) {
  std::string json = R"({"items":[{"id":"a"}],"events":[)";
  for (int k = 0; k < 11; ++k) {
    json += (k ? "," : "");
    json += R"({"time":1,"event":"view_item","itemId":"a","quantity":1})";
  }
  json += R"(],"searches":[]})";
  EXPECT_TRUE(history_from_json(json, 11).is_ok());
  EXPECT_FALSE(history_from_json(json, 10).is_ok());
}

}  // namespace
}  // namespace vitrine
