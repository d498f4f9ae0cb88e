#include "vitrine/segments/segments.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "test_events.hpp"
#include "vitrine/engine.hpp"
#include "vitrine/segments/customer_value.hpp"
#include "vitrine/snapshot.hpp"

namespace vitrine {
namespace {

constexpr std::int64_t kMin = 60 * 1000;
constexpr std::int64_t kDay = SegmentOptions::kDayMs;
constexpr std::int64_t kNow = 400 * kDay;

Event item(EventType type, const std::string& id, std::int64_t t, double price = 20,
           const std::string& category = "Tents", const std::string& brand = "") {
  Event e;
  e.type = type;
  e.time_ms = t;
  e.items.push_back({id, "", brand, category, "", price, 1});
  return e;
}

Segments of(const History& h, std::int64_t now = kNow) {
  return compute_segments(h, Profile{}, now);
}

TEST(Visits, AGapOfMoreThanThirtyMinutesStartsAVisit) {
  History h;
  h.add(item(EventType::view_item, "a", 0));
  h.add(item(EventType::view_item, "b", 29 * kMin));
  h.add(item(EventType::view_item, "c", 60 * kMin));  // 31 minutes after b
  const auto v = visits(h, 30 * kMin);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].end_ms, 29 * kMin);
  EXPECT_EQ(v[1].start_ms, 60 * kMin);
}

TEST(Segments, EmptyHistoryIsANewVisitorWithNothingElseKnown) {
  const Segments s = of(History{});
  EXPECT_EQ(s.lifecycle, Lifecycle::new_visitor);
  EXPECT_FALSE(s.recency);
  EXPECT_FALSE(s.engagement);
  EXPECT_FALSE(s.value_tier);
  EXPECT_FALSE(s.predicted_value);
  EXPECT_FALSE(s.price_band);
  EXPECT_TRUE(s.categories.empty());
  EXPECT_TRUE(s.brands.empty());
}

TEST(Segments, OneVisitUnderWayIsNew) {
  History h;
  h.add(item(EventType::view_item, "a", kNow - 10 * kMin));
  const Segments s = of(h);
  EXPECT_EQ(s.lifecycle, Lifecycle::new_visitor);
  EXPECT_FALSE(s.recency);  // no previous visit
  EXPECT_EQ(s.engagement, Level::low);
}

TEST(Segments, RecencyOfThePreviousVisitInEveryBucket) {
  const std::pair<std::int64_t, Recency> cases[] = {
      {2 * 3600 * 1000, Recency::today}, {kDay + 1, Recency::d2},   {3 * kDay, Recency::d7},
      {8 * kDay, Recency::d14},          {20 * kDay, Recency::d30}, {45 * kDay, Recency::older},
  };
  for (const auto& [ago, expected] : cases) {
    History h;
    h.add(item(EventType::view_item, "a", kNow - ago));
    h.add(item(EventType::view_item, "b", kNow - 5 * kMin));  // this visit
    const Segments s = of(h);
    ASSERT_TRUE(s.recency) << ago;
    EXPECT_EQ(*s.recency, expected) << recency_name(expected);
    EXPECT_EQ(s.lifecycle, Lifecycle::returning);
    EXPECT_EQ(*s.previous_visit_ms, kNow - ago);
  }
}

TEST(Segments, BackAfterADayWithNoEventYetCountsTheLastVisit) {
  History h;
  h.add(item(EventType::view_item, "a", kNow - 3 * kDay));
  const Segments s = of(h);
  EXPECT_EQ(s.lifecycle, Lifecycle::returning);
  EXPECT_EQ(s.recency, Recency::d7);
}

TEST(Segments, CustomerRepeatAndLapsed) {
  History one;
  one.add(item(EventType::purchase, "a", kNow - 2 * kDay, 40));
  EXPECT_EQ(of(one).lifecycle, Lifecycle::customer);
  EXPECT_EQ(of(one).orders, 1u);

  History two = one;
  Event order = item(EventType::purchase, "b", kNow - kDay, 30);
  order.items.push_back({"c", "", "", "Tents", "", 10.0, 2});  // one order, two lines
  two.add(order);
  const Segments r = of(two);
  EXPECT_EQ(r.lifecycle, Lifecycle::repeat);
  EXPECT_EQ(r.orders, 2u);
  EXPECT_DOUBLE_EQ(r.order_value, 40 + 30 + 20);

  History old;
  old.add(item(EventType::purchase, "a", kNow - 61 * kDay, 40));
  EXPECT_EQ(of(old).lifecycle, Lifecycle::lapsed);
}

TEST(Segments, ValueTierFromOrderValueMinusRefunds) {
  History h;
  h.add(item(EventType::purchase, "a", kNow - kDay, 250));
  EXPECT_EQ(of(h).value_tier, Level::high);
  h.add(item(EventType::refund, "a", kNow - kDay / 2, 250));
  h.add(item(EventType::purchase, "b", kNow - kDay / 4, 60));
  EXPECT_EQ(of(h).value_tier, Level::medium);
  History none;
  none.add(item(EventType::view_item, "a", kNow - kDay, 250));
  EXPECT_FALSE(of(none).value_tier);
  EXPECT_FALSE(of(none).predicted_value);
}

TEST(Segments, EngagementFromVisitsInTheLastMonth) {
  History h;
  for (int d = 0; d < 4; ++d) h.add(item(EventType::view_item, "a", kNow - (d + 1) * kDay));
  EXPECT_EQ(of(h).engagement, Level::high);
  History two;
  two.add(item(EventType::view_item, "a", kNow - 2 * kDay));
  two.add(item(EventType::view_item, "a", kNow - kDay));
  EXPECT_EQ(of(two).engagement, Level::medium);
  History stale;
  for (int d = 0; d < 5; ++d) stale.add(item(EventType::view_item, "a", kNow - (40 + d) * kDay));
  EXPECT_EQ(of(stale).engagement, Level::low);
}

TEST(Segments, AffinitiesAndPriceBand) {
  History h;
  for (int i = 0; i < 4; ++i) {
    h.add(item(EventType::view_item, "t" + std::to_string(i), kNow - i * kMin, 150, "Tents",
               "Nordisk"));
  }
  h.add(item(EventType::view_item, "s", kNow - 5 * kMin, 150, "Stoves", "Primus"));
  Segments s = of(h);
  ASSERT_EQ(s.categories.size(), 2u);
  EXPECT_EQ(s.categories[0], "Tents");
  ASSERT_EQ(s.brands.size(), 2u);
  EXPECT_EQ(s.brands[0], "Nordisk");
  EXPECT_EQ(s.price_band, Level::high);
  EXPECT_DOUBLE_EQ(s.price_shares[2], 1.0);

  Profile blocked;
  blocked.block("Tents");
  s = compute_segments(h, blocked, kNow);
  ASSERT_EQ(s.brands.size(), 1u);  // a removed interest steers no brand either
  EXPECT_EQ(s.brands[0], "Primus");
}

TEST(Segments, FewerThanThreePricedEventsGiveNoPriceBand) {
  History h;
  h.add(item(EventType::view_item, "a", kNow, 150));
  h.add(item(EventType::view_item, "b", kNow, 10));
  EXPECT_FALSE(of(h).price_band);
  h.add(item(EventType::view_item, "c", kNow, 12));
  EXPECT_EQ(of(h).price_band, Level::low);
}

TEST(CustomerValue, Hyp2f1MatchesClosedForms) {
  // 2F1(1, 1; 2; z) = -ln(1 - z) / z
  EXPECT_NEAR(hyp2f1(1, 1, 2, 0.5), -std::log(0.5) / 0.5, 1e-9);
  EXPECT_DOUBLE_EQ(hyp2f1(2, 3, 4, 0), 1);
}

TEST(CustomerValue, BgNbdBehavesAsThePaperDescribes) {
  // More repeat orders, more expected; a long silence since the last order, fewer.
  const double one = bgnbd_expected_orders(0, 0, 4, 13);
  const double frequent = bgnbd_expected_orders(4, 3.5, 4, 13);
  const double silent = bgnbd_expected_orders(4, 0.5, 12, 13);
  EXPECT_GT(one, 0);
  EXPECT_GT(frequent, one);
  EXPECT_LT(silent, frequent);
  // Hand check of equation 10 for x = 0, T = 4, t = 13 with the CDNOW parameters:
  // the value is (a+b-1)/(a-1) * (1 - (8.414/21.414)^0.243 * 2F1(0.243, 2.426; 2.219; 13/21.414)).
  const BgNbdParams p;
  const double z = 13 / (p.alpha + 4 + 13);
  const double by_hand =
      (p.a + p.b - 1) / (p.a - 1) *
      (1 - std::pow((p.alpha + 4) / (p.alpha + 17), p.r) * hyp2f1(p.r, p.b, p.a + p.b - 1, z));
  EXPECT_NEAR(one, by_hand, 1e-12);  // the engine computes powers as exp2(y log2 x)
}

TEST(Segments, PredictedValueIsExpectedOrdersTimesMeanOrder) {
  History h;
  h.add(item(EventType::purchase, "a", kNow - 20 * kDay, 40));
  h.add(item(EventType::purchase, "b", kNow - 2 * kDay, 60));
  const Segments s = of(h);
  ASSERT_TRUE(s.expected_orders);
  ASSERT_TRUE(s.predicted_value);
  EXPECT_NEAR(*s.predicted_value, *s.expected_orders * 50, 0.01);
  EXPECT_GT(*s.predicted_value, 0);
}

TEST(EngineSegments, NeedPersonalization) {
  Engine engine;
  EXPECT_EQ(engine.segments(kNow).status().code(), Code::permission_denied);
  privacy::ConsentState consent;
  consent.set(privacy::Purpose::personalization, true);
  engine.set_consent(consent);
  EXPECT_TRUE(engine.segments(kNow).is_ok());
}

TEST(SnapshotV2, BrandsSurviveAndVersionOneIsStillRead) {
  History h;
  h.add(item(EventType::view_item, "a", 1000, 20, "Tents", "Nordisk"));
  auto decoded = decode_snapshot(encode_snapshot(h).data(), encode_snapshot(h).size());
  ASSERT_TRUE(decoded.is_ok());
  EXPECT_EQ(decoded.value().items()[0].brand, "Nordisk");

  // A version-1 snapshot (no brand field), written byte by byte.
  std::vector<std::uint8_t> body = {1, 1, 'a', 0, 5, 'T', 'e', 'n', 't', 's'};
  for (int i = 0; i < 6; ++i) body.push_back(0);
  body.push_back(0x34);  // 20.0 as a little-endian double
  body.push_back(0x40);
  body.insert(body.end(), {1, 0xD0, 0x0F, 0, 0, 1, 0});  // entry at t=1000; no searches
  std::vector<std::uint8_t> v1 = {'V', 'T', 'S', 'N', 1, 0, 0, 0};
  const auto n = static_cast<std::uint32_t>(body.size());
  const std::uint32_t crc = crc32(body.data(), body.size());
  for (int i = 0; i < 4; ++i) v1.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
  for (int i = 0; i < 4; ++i) v1.push_back(static_cast<std::uint8_t>(crc >> (8 * i)));
  v1.insert(v1.end(), body.begin(), body.end());
  auto old = decode_snapshot(v1.data(), v1.size());
  ASSERT_TRUE(old.is_ok()) << old.status().message();
  ASSERT_EQ(old.value().items().size(), 1u);
  EXPECT_EQ(old.value().items()[0].category, "Tents");
  EXPECT_EQ(old.value().items()[0].brand, "");
  EXPECT_EQ(old.value().items()[0].price, 20);
  EXPECT_EQ(old.value().entries()[0].time_ms, 1000);
}

}  // namespace
}  // namespace vitrine

namespace vitrine {
namespace {

TEST(Segments, CartSinceTheLastOrder) {
  History h;
  h.add(item(EventType::add_to_cart, "a", kNow - 3 * kDay, 40));
  h.add(item(EventType::purchase, "a", kNow - 2 * kDay, 40));
  EXPECT_EQ(of(h).cart_count, 0u);
  EXPECT_FALSE(of(h).cart_updated_ms);
  h.add(item(EventType::add_to_cart, "b", kNow - kDay, 25, "Stoves"));
  h.add(item(EventType::add_to_cart, "c", kNow - kDay + 1, 10));
  h.add(item(EventType::remove_from_cart, "c", kNow - kDay + 2, 10));
  const Segments s = of(h);
  EXPECT_EQ(s.cart_count, 1u);
  EXPECT_DOUBLE_EQ(s.cart_value, 25);
  ASSERT_EQ(s.cart_categories.size(), 1u);
  EXPECT_EQ(s.cart_categories[0], "Stoves");
  EXPECT_EQ(*s.cart_updated_ms, kNow - kDay + 2);
}

}  // namespace
}  // namespace vitrine
