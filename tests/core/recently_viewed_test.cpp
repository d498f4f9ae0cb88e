#include "vitrine/recently_viewed.hpp"

#include <gtest/gtest.h>

#include <string>

#include "test_events.hpp"

namespace vitrine {
namespace {

using testing::item_event;
using testing::view;
constexpr std::int64_t kDay = 24LL * 3600 * 1000;

std::vector<std::string> ids(const std::vector<RecentlyViewedEntry>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.item.id);
  return out;
}

TEST(RecentlyViewed, MostRecentFirstOneRowPerItemWithCounts) {
  History h;
  h.add(view("a", 100, "A"));
  h.add(view("b", 200));
  h.add(view("a", 300, "A renamed"));
  h.add(view("c", 400));
  const auto rows = recently_viewed(h, 500, {});
  EXPECT_EQ(ids(rows), (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_EQ(rows[1].views, 2u);
  EXPECT_EQ(rows[1].last_seen_ms, 300);
  EXPECT_EQ(rows[1].item.name, "A renamed");
}

TEST(RecentlyViewed, OnlyViewsCount) {
  History h;
  h.add(item_event(EventType::add_to_cart, "cart-only", 100));
  h.add(view("seen", 200));
  EXPECT_EQ(ids(recently_viewed(h, 300, {})), (std::vector<std::string>{"seen"}));
}

TEST(RecentlyViewed, LimitAndCap) {
  History h;
  for (int i = 0; i < 80; ++i) h.add(view("i" + std::to_string(i), i));
  RecentlyViewedOptions o;
  o.limit = 3;
  EXPECT_EQ(ids(recently_viewed(h, 100, o)), (std::vector<std::string>{"i79", "i78", "i77"}));
  o.limit = 1000;
  EXPECT_EQ(recently_viewed(h, 100, o).size(), RecentlyViewedOptions::kCap);
}

TEST(RecentlyViewed, ExcludesCurrentAndPurchasedItems) {
  History h;
  h.add(view("a", 1));
  h.add(view("b", 2));
  h.add(view("c", 3));
  h.add(item_event(EventType::purchase, "b", 4));
  RecentlyViewedOptions o;
  o.exclude_item = "c";
  EXPECT_EQ(ids(recently_viewed(h, 5, o)), (std::vector<std::string>{"b", "a"}));
  o.exclude_purchased = true;
  EXPECT_EQ(ids(recently_viewed(h, 5, o)), (std::vector<std::string>{"a"}));
}

TEST(RecentlyViewed, AgeLimitDefaultsToThirtyDays) {
  History h;
  h.add(view("old", 0));
  h.add(view("new", 20 * kDay));
  EXPECT_EQ(ids(recently_viewed(h, 31 * kDay, {})), (std::vector<std::string>{"new"}));
  RecentlyViewedOptions o;
  o.max_age_ms = 40 * kDay;
  EXPECT_EQ(ids(recently_viewed(h, 31 * kDay, o)), (std::vector<std::string>{"new", "old"}));
}

TEST(History, BoundedAndTimeOrdered) {
  History h(5);
  for (int i = 0; i < 10; ++i) h.add(view("i" + std::to_string(i), 100 + i));
  h.add(view("late", 50));  // older than everything: goes to the front, then falls off
  ASSERT_EQ(h.entries().size(), 5u);
  for (std::size_t i = 1; i < h.entries().size(); ++i) {
    EXPECT_LE(h.entries()[i - 1].time_ms, h.entries()[i].time_ms);
  }
  EXPECT_EQ(h.items()[h.entries().back().item].id, "i9");
}

TEST(History, ListImpressionsAreNotKept) {
  History h;
  h.add(item_event(EventType::view_item_list, "x", 1));
  EXPECT_TRUE(h.entries().empty());
}

TEST(History, RemoveItemForgetsIt) {
  History h;
  h.add(view("a", 1, "Secret name"));
  h.add(view("b", 2));
  EXPECT_EQ(h.remove_item("a"), 1u);
  EXPECT_FALSE(h.find("a").has_value());
  for (const auto& item : h.items()) EXPECT_NE(item.name, "Secret name");
  EXPECT_EQ(h.items()[h.entries()[0].item].id, "b");
}

TEST(History, PruneBefore) {
  History h;
  h.add(view("a", 10));
  h.add(view("b", 20));
  EXPECT_EQ(h.prune_before(15), 1u);
  EXPECT_FALSE(h.find("a").has_value());
  EXPECT_TRUE(h.find("b").has_value());
}

// The item index (open addressing) through many growths, with ids that differ in one byte,
// then through a compaction that renumbers the items.
TEST(History, FindsEveryItemThroughGrowthAndCompaction) {
  History h(5000);
  const auto id = [](int i) { return "SKU-" + std::to_string(i); };
  for (int i = 0; i < 3000; ++i) h.add(view(id(i), i));
  ASSERT_EQ(h.items().size(), 3000u);
  for (int i = 0; i < 3000; ++i) {
    const auto k = h.find(id(i));
    ASSERT_TRUE(k.has_value()) << i;
    EXPECT_EQ(h.items()[*k].id, id(i));
  }
  EXPECT_FALSE(h.find("SKU-3000").has_value());
  EXPECT_FALSE(h.find("").has_value());
  // A known id keeps its index and takes the newer details.
  const auto before = *h.find(id(7));
  h.add(view(id(7), 5000, "Renamed"));
  EXPECT_EQ(*h.find(id(7)), before);
  EXPECT_EQ(h.items()[before].name, "Renamed");
  // The 1000 newest entries stay: items 2001..2999 and 7, renumbered from 0.
  EXPECT_EQ(h.keep_newest(1000), 2001u);
  EXPECT_EQ(h.items().size(), 1000u);
  EXPECT_FALSE(h.find(id(0)).has_value());
  EXPECT_FALSE(h.find(id(2000)).has_value());
  for (int i : {7, 2001, 2500, 2999}) {
    const auto k = h.find(id(i));
    ASSERT_TRUE(k.has_value()) << i;
    EXPECT_EQ(h.items()[*k].id, id(i));
  }
}

}  // namespace
}  // namespace vitrine
