#include "vitrine/engine.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "vitrine/snapshot.hpp"

namespace vitrine {
namespace {

using privacy::ConsentState;
using privacy::Purpose;

ConsentState with_history() {
  ConsentState c;
  c.set(Purpose::history, true);
  return c;
}

TEST(Engine, TracksBeforeConsentInMemoryButWillNotSnapshot) {
  Engine e;
  ASSERT_TRUE(e.track_json(R"({"event":"view_item","items":[{"item_id":"a"}]})", 10).is_ok());
  EXPECT_EQ(e.recently_viewed({}, 20).size(), 1u);
  auto snap = e.snapshot();
  ASSERT_FALSE(snap.is_ok());
  EXPECT_EQ(snap.status().code(), Code::permission_denied);
  EXPECT_EQ(e.restore(nullptr, 0).code(), Code::permission_denied);
}

TEST(Engine, CountsAcceptedAndRejected) {
  Engine e;
  e.track_json(R"({"event":"view_item","items":[{"item_id":"a"}]})", 1);
  e.track_json(R"({"event":"nope"})", 2);
  e.track_json("not json", 3);
  EXPECT_EQ(e.stats().accepted, 1u);
  EXPECT_EQ(e.stats().rejected, 2u);
  EXPECT_EQ(e.history().entries().size(), 1u);
}

TEST(Engine, RestoreMergesStoredHistoryWithThisPage) {
  Engine first;
  first.set_consent(with_history());
  first.track_json(R"({"event":"view_item","items":[{"item_id":"old"}]})", 10);
  const auto bytes = first.snapshot().value();

  Engine second;
  second.track_json(R"({"event":"view_item","items":[{"item_id":"new"}]})", 20);
  second.set_consent(with_history());
  ASSERT_TRUE(second.restore(bytes.data(), bytes.size()).is_ok());
  const auto rows = second.recently_viewed({}, 30);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].item.id, "new");
  EXPECT_EQ(rows[1].item.id, "old");
}

// The journal's record of an event: the entries from that time on, a tail of the time-ordered
// log (also when an older event came in late), and the searches from then on.
TEST(Engine, SnapshotSinceHoldsTheEntriesFromThatTimeOn) {
  Engine e;
  e.set_consent(with_history());
  for (const auto& [id, t] : {std::pair{"a", 10}, {"b", 30}, {"c", 20}, {"d", 40}}) {
    const std::string json =
        std::string(R"({"event":"view_item","items":[{"item_id":")") + id + R"("}]})";
    ASSERT_TRUE(e.track_json(json, t).is_ok());
  }
  ASSERT_TRUE(e.track_json(R"({"event":"search","search_term":"hat"})", 35).is_ok());
  const auto since = [&](std::int64_t t) {
    const auto bytes = e.snapshot_since(t).value();
    const History h = decode_snapshot(bytes.data(), bytes.size()).value();
    std::vector<std::string> ids;
    for (const auto& entry : h.entries()) ids.push_back(h.items()[entry.item].id);
    return std::pair{ids, h.searches().size()};
  };
  EXPECT_EQ(since(20).first, (std::vector<std::string>{"c", "b", "d"}));
  EXPECT_EQ(since(20).second, 1u);
  EXPECT_EQ(since(36).first, (std::vector<std::string>{"d"}));
  EXPECT_EQ(since(36).second, 0u);
  EXPECT_EQ(since(0).first.size(), 4u);
  EXPECT_TRUE(since(41).first.empty());
}

TEST(Engine, RestoringTheSameSnapshotTwiceChangesNothing) {
  Engine e;
  e.set_consent(with_history());
  e.track_json(R"({"event":"view_item","items":[{"item_id":"a"}]})", 10);
  e.track_json(R"({"event":"search","search_term":"hat"})", 11);
  const auto bytes = e.snapshot().value();
  ASSERT_TRUE(e.restore(bytes.data(), bytes.size()).is_ok());
  ASSERT_TRUE(e.restore(bytes.data(), bytes.size()).is_ok());
  EXPECT_EQ(e.history().entries().size(), 1u);
  EXPECT_EQ(e.history().searches().size(), 1u);
  EXPECT_EQ(e.snapshot().value(), bytes);
}

TEST(Engine, ShedEntriesStayOutWhenAnOlderStoredCopyIsMergedAgain) {
  Engine e;
  e.set_consent(with_history());
  for (int i = 0; i < 10; ++i) {
    e.track_json(R"({"event":"view_item","items":[{"item_id":"i)" + std::to_string(i) + R"("}]})",
                 100 + i);
  }
  const auto stored = e.snapshot().value();  // the last copy that fitted on the device
  EXPECT_EQ(e.shed_history(4), 6u);
  ASSERT_TRUE(e.restore(stored.data(), stored.size()).is_ok());
  ASSERT_EQ(e.history().entries().size(), 4u);
  EXPECT_EQ(e.history().entries().front().time_ms, 106);
  // Withdrawing history forgets the floor with the history.
  e.set_consent(ConsentState{});
  e.set_consent(with_history());
  ASSERT_TRUE(e.restore(stored.data(), stored.size()).is_ok());
  EXPECT_EQ(e.history().entries().size(), 10u);
}

TEST(Engine, CorruptSnapshotLeavesEngineWorking) {
  Engine e;
  e.set_consent(with_history());
  e.track_json(R"({"event":"view_item","items":[{"item_id":"a"}]})", 10);
  auto bytes = e.snapshot().value();
  bytes[bytes.size() - 1] ^= 0xFF;
  const Status s = e.restore(bytes.data(), bytes.size());
  EXPECT_EQ(s.code(), Code::data_loss);
  EXPECT_NE(s.message().find("checksum"), std::string::npos);
  EXPECT_EQ(e.recently_viewed({}, 20).size(), 1u);
  EXPECT_TRUE(e.track_json(R"({"event":"view_item","items":[{"item_id":"b"}]})", 30).is_ok());
  EXPECT_EQ(e.recently_viewed({}, 40).size(), 2u);
}

TEST(Engine, WithdrawingHistoryErasesIt) {
  Engine e;
  e.set_consent(with_history());
  e.track_json(R"({"event":"view_item","items":[{"item_id":"a"}]})", 10);
  e.set_consent(ConsentState());
  EXPECT_TRUE(e.history().entries().empty());
  EXPECT_TRUE(e.history().items().empty());
}

TEST(Engine, RetentionDropsOldHistoryOnly) {
  Engine e;
  e.track_json(R"({"event":"view_item","items":[{"item_id":"old"}]})", 0);
  const std::int64_t later = Engine::kHistoryRetentionMs + 1000;
  e.track_json(R"({"event":"view_item","items":[{"item_id":"new"}]})", later - 10);
  EXPECT_EQ(e.enforce_retention(later), 1u);
  EXPECT_EQ(e.enforce_retention(later), 0u);  // idempotent
  EXPECT_TRUE(e.history().find("new").has_value());
}

}  // namespace
}  // namespace vitrine

namespace vitrine {
namespace {

TEST(Engine, EraseForgetsHistoryAndConsent) {
  Engine e;
  privacy::ConsentState all = privacy::ConsentState::from_bits(0xf);
  e.set_consent(all);
  ASSERT_TRUE(
      e.track_json(R"({"event":"view_item","items":[{"item_id":"a","item_category":"Hats"}]})", 10)
          .is_ok());
  ASSERT_TRUE(e.block_interest("Scarves").is_ok());
  e.erase();
  EXPECT_EQ(e.consent().bits(), 0);
  EXPECT_TRUE(e.history().entries().empty());
  EXPECT_TRUE(e.history().items().empty());
  EXPECT_TRUE(e.blocked_interests().empty());
}

TEST(Engine, ShedHistoryKeepsTheNewest) {
  Engine e;
  for (int k = 0; k < 10; ++k) {
    const std::string json =
        R"({"event":"view_item","items":[{"item_id":"i)" + std::to_string(k) + R"("}]})";
    ASSERT_TRUE(e.track_json(json, k).is_ok());
  }
  EXPECT_EQ(e.shed_history(4), 6u);
  ASSERT_EQ(e.history().entries().size(), 4u);
  EXPECT_EQ(e.history().items().size(), 4u);  // details of shed items go too
  EXPECT_EQ(e.recently_viewed({}, 10).front().item.id, "i9");
  EXPECT_EQ(e.shed_history(4), 0u);
}

}  // namespace
}  // namespace vitrine
