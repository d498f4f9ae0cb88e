#include "vitrine/profile.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace vitrine {
namespace {

constexpr std::int64_t kDay = 24 * 3600 * 1000LL;

void add(History& h, const char* id, const char* category, EventType type, std::int64_t t) {
  Event e;
  e.type = type;
  e.time_ms = t;
  e.items.push_back({id, "", "", category, "", std::nullopt, 1});
  h.add(e);
}

TEST(Profile, InterestsAreDecayedSharesStrongestFirst) {
  History h;
  const std::int64_t now = 100 * kDay;
  for (int k = 0; k < 3; ++k) add(h, "h1", "Hats", EventType::view_item, now - kDay);
  add(h, "s1", "Scarves", EventType::add_to_cart, now - kDay);   // 3 views' worth
  add(h, "b1", "Boots", EventType::view_item, now - 15 * kDay);  // a half-life older
  add(h, "x", "", EventType::view_item, now);                    // no category: ignored
  Profile p;
  const auto got = p.interests(h, now);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].category, "Hats");  // ties broken by name: Hats < Scarves
  EXPECT_EQ(got[1].category, "Scarves");
  EXPECT_NEAR(got[0].weight, got[1].weight, 1e-12);
  EXPECT_EQ(got[2].category, "Boots");
  double total = 0;
  for (const auto& i : got) total += i.weight;
  EXPECT_NEAR(total, 1.0, 1e-9);
  // Boots: one view a half-life before the three views of Hats.
  EXPECT_NEAR(got[2].weight / got[0].weight, 0.5 / 3, 1e-9);
}

// Many categories, some with equal weight: heaviest first, ties by name, every one once.
TEST(Profile, InterestsOfManyCategoriesAreFullyOrdered) {
  History h;
  const char* names[] = {"k", "b", "j", "a", "f", "c", "l", "e", "h", "d", "g", "i"};
  for (int c = 0; c < 12; ++c) {
    for (int k = 0; k < 1 + c % 3; ++k) {  // weights 1, 2 or 3 views
      add(h, (std::string(names[c]) + std::to_string(k)).c_str(), names[c], EventType::view_item,
          10);
    }
  }
  InterestOptions o;
  o.min_weight = 0;
  o.limit = 20;
  const auto got = Profile().interests(h, 10, o);
  ASSERT_EQ(got.size(), 12u);
  for (std::size_t k = 1; k < got.size(); ++k) {
    const bool ordered =
        got[k - 1].weight > got[k].weight ||
        (got[k - 1].weight == got[k].weight && got[k - 1].category < got[k].category);
    EXPECT_TRUE(ordered) << k;
  }
  EXPECT_EQ(got[0].category, "c");  // 3 views each: j, c, h, i; c first by name
}

TEST(Profile, ABlockedCategoryIsNoInterest) {
  History h;
  add(h, "h1", "Hats", EventType::view_item, 10);
  add(h, "s1", "Scarves", EventType::view_item, 10);
  Profile p;
  ASSERT_TRUE(p.block("Hats"));
  const auto got = p.interests(h, 10);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].category, "Scarves");
  EXPECT_DOUBLE_EQ(got[0].weight, 1.0);
  EXPECT_FALSE(p.block(""));
  EXPECT_FALSE(p.block(std::string(300, 'x')));
  p.unblock("Hats");
  EXPECT_EQ(p.interests(h, 10).size(), 2u);
}

TEST(Profile, StrayViewsBelowTheThresholdAreNotInterests) {
  History h;
  for (int k = 0; k < 30; ++k) add(h, "h1", "Hats", EventType::view_item, 10);
  add(h, "s1", "Scarves", EventType::view_item, 10);  // 1/31 < 5 %
  Profile p;
  const auto got = p.interests(h, 10);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].category, "Hats");
}

}  // namespace
}  // namespace vitrine
