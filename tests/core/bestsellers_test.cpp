// Bestsellers per segment: the pack's price-band lists (section POPB) and the engine's
// choice of the shopper's own segment.
#include <gtest/gtest.h>

#include <algorithm>

#include "vitrine/engine.hpp"
#include "vitrine/pack.hpp"
#include "vitrine/pack_builder.hpp"

namespace vitrine {
namespace {

constexpr std::int64_t kNow = 1'800'000'000'000;

// Nine items: a0..a2 cheap (5..7), b0..b2 mid (50..52), c0..c2 dear (500..502); item k
// appears in k+1 sessions, so later items are more popular. Categories: "Tents" for a*,
// "Stoves" for the rest.
std::vector<std::uint8_t> sample_pack(bool with_prices = true) {
  PackBuilder b;
  const char* groups[] = {"a", "b", "c"};
  const float base[] = {5, 50, 500};
  std::vector<std::uint32_t> handles;
  for (int g = 0; g < 3; ++g) {
    for (int i = 0; i < 3; ++i) {
      const std::string id = std::string(groups[g]) + std::to_string(i);
      handles.push_back(b.intern(id).value());
      CatalogItem row{id, g == 0 ? "Tents" : "Stoves"};
      if (with_prices) row.price = base[g] + static_cast<float>(i);
      EXPECT_TRUE(b.add_catalog_item(row).is_ok());
    }
  }
  for (std::size_t k = 0; k < handles.size(); ++k) {
    for (std::size_t s = 0; s <= k; ++s) {
      EXPECT_TRUE(b.add_session({{handles[k], EventType::view_item}}).is_ok());
    }
  }
  return b.build().value();
}

std::vector<std::string> ids(const Pack& p, IdList list) {
  std::vector<std::string> out;
  for (std::uint32_t k = 0; k < list.size(); ++k) out.emplace_back(p.item_id(list[k]));
  return out;
}

TEST(PackPriceBands, TertilesAndPopularityPerBand) {
  const auto bytes = sample_pack();
  const Pack p = Pack::open(bytes.data(), bytes.size()).value();
  ASSERT_TRUE(p.has_price_bands());
  EXPECT_FLOAT_EQ(p.band_medium(), 50);
  EXPECT_FLOAT_EQ(p.band_high(), 500);
  EXPECT_EQ(ids(p, p.top_items_in_band(0)), (std::vector<std::string>{"a2", "a1", "a0"}));
  EXPECT_EQ(ids(p, p.top_items_in_band(2)), (std::vector<std::string>{"c2", "c1", "c0"}));
  EXPECT_TRUE(p.top_items_in_band(3).empty());
}

TEST(PackPriceBands, APackWithoutPricesHasNoBandsAndStillOpens) {
  // Also what a pack from before POPB looks like to the reader: the section is optional.
  const auto bytes = sample_pack(false);
  const auto p = Pack::open(bytes.data(), bytes.size());
  ASSERT_TRUE(p.is_ok());
  EXPECT_FALSE(p.value().has_price_bands());
  EXPECT_TRUE(p.value().top_items_in_band(0).empty());
}

Engine engine_with(const std::vector<std::uint8_t>& bytes, bool personal) {
  Engine e;
  privacy::ConsentState c;
  c.set(privacy::Purpose::history, true);
  c.set(privacy::Purpose::personalization, personal);
  e.set_consent(c);
  std::copy(bytes.begin(), bytes.end(), e.pack_buffer(bytes.size()));
  EXPECT_TRUE(e.open_pack().is_ok());
  return e;
}

Event view(const std::string& id, double price, const std::string& category = "") {
  Event ev;
  ev.type = EventType::view_item;
  ev.time_ms = kNow - 1000;
  ev.items.push_back({id, "", "", category, "", price, 1});
  return ev;
}

TEST(EngineBestsellers, TheShoppersOwnSegment) {
  const auto bytes = sample_pack();
  Engine e = engine_with(bytes, true);
  auto all = e.bestsellers(3, kNow).value();
  EXPECT_EQ(all.segment, "all");
  EXPECT_EQ(all.items, (std::vector<std::string>{"c2", "c1", "c0"}));
  // Dear items without a category: the price band decides (the pack's own bounds).
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(e.track(view("x" + std::to_string(i), 60)).is_ok());
  auto band = e.bestsellers(3, kNow).value();
  EXPECT_EQ(band.segment, "priceBand");
  EXPECT_EQ(band.value, "medium");
  EXPECT_EQ(band.items, (std::vector<std::string>{"b2", "b1", "b0"}));
  // A category affinity comes first.
  ASSERT_TRUE(e.track(view("a0", 5, "Tents")).is_ok());
  auto category = e.bestsellers(2, kNow).value();
  EXPECT_EQ(category.segment, "category");
  EXPECT_EQ(category.value, "Tents");
  EXPECT_EQ(category.items, (std::vector<std::string>{"a2", "a1"}));
}

TEST(EngineBestsellers, WithoutPersonalizationEveryoneGetsTheSame) {
  const auto bytes = sample_pack();
  Engine e = engine_with(bytes, false);
  ASSERT_TRUE(e.track(view("a0", 5, "Tents")).is_ok());
  EXPECT_EQ(e.bestsellers(3, kNow).value().segment, "all");
  Engine none;
  EXPECT_EQ(none.bestsellers(3, kNow).status().code(), Code::failed_precondition);
}

}  // namespace
}  // namespace vitrine
