// The engine on a sharded pack: the shards a query needs, loading them, bad shards, and the
// same recommendations as the whole pack once they are in.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "shard_test_pack.hpp"
#include "test_events.hpp"
#include "vitrine/engine.hpp"
#include "vitrine/pack/shards.hpp"

namespace vitrine {
namespace {

using privacy::ConsentState;
using privacy::Purpose;

Status load(Engine& e, const std::vector<std::uint8_t>& bytes) {
  std::memcpy(e.pack_buffer(bytes.size()), bytes.data(), bytes.size());
  auto summary = e.open_pack();
  return summary.is_ok() ? Status::ok() : summary.status();
}

Status add(Engine& e, const std::vector<std::uint8_t>& bytes) {
  std::memcpy(e.shard_buffer(bytes.size()), bytes.data(), bytes.size());
  return e.add_shard();
}

ConsentState personalized() {
  ConsentState c;
  c.set(Purpose::history, true);
  c.set(Purpose::personalization, true);
  return c;
}

std::vector<std::string> rows(const Result<std::vector<RecommendedItem>>& r) {
  std::vector<std::string> out;
  for (const auto& x : r.value()) {
    out.push_back(x.item_id + "/" + source_name(x.source) + "/" + x.reason_item + "/" +
                  x.reason_category + "/" + std::to_string(x.score));
  }
  return out;
}

struct Fixture {
  std::vector<std::uint8_t> whole = testing::small_pack(0);
  ShardedPackBytes parts = [this] {
    ShardOptions o;
    o.shards = 11;
    return shard_pack(whole.data(), whole.size(), o).value();
  }();
};

TEST(EngineShards, SameRecommendationsOnceTheMissingShardsAreLoaded) {
  Fixture f;
  std::mt19937 rng(3);
  int needed_shards = 0;
  for (int trial = 0; trial < 30; ++trial) {
    Engine whole, sharded;
    ASSERT_TRUE(load(whole, f.whole).is_ok());
    ASSERT_TRUE(load(sharded, f.parts.head).is_ok());
    ASSERT_NE(sharded.shard_directory(), nullptr);
    EXPECT_EQ(whole.shard_directory(), nullptr);
    for (Engine* e : {&whole, &sharded}) e->set_consent(personalized());
    const int steps = static_cast<int>(rng() % 30);
    for (int k = 0; k < steps; ++k) {
      const std::string id = testing::shard_test_id(rng() % 420);  // a few unknown ids too
      const EventType type = k % 5 == 4 ? EventType::add_to_cart : EventType::view_item;
      for (Engine* e : {&whole, &sharded}) {
        ASSERT_TRUE(e->track(testing::item_event(type, id, 1000 + k)).is_ok());
      }
    }
    if (trial % 4 == 0) {
      for (Engine* e : {&whole, &sharded}) ASSERT_TRUE(e->block_interest("cat3").is_ok());
    }
    RecommendQuery q;
    q.context = trial % 3 == 0 ? Context::home : trial % 3 == 1 ? Context::item : Context::cart;
    q.limit = 12;
    q.max_per_category = trial % 2 ? 2 : 0;
    if (q.context == Context::item) q.item = testing::shard_test_id(rng() % 400);
    EXPECT_TRUE(whole.missing_shards(q).empty());
    // A history item the pack does not know is found out only once its shard is loaded;
    // then older steps become seeds, and their shards are asked for in a next round.
    int rounds = 0;
    for (auto missing = sharded.missing_shards(q); !missing.empty();
         missing = sharded.missing_shards(q)) {
      ASSERT_LT(++rounds, 6);
      needed_shards += static_cast<int>(missing.size());
      for (std::uint32_t k : missing) {
        EXPECT_FALSE(sharded.shard_loaded(k));
        ASSERT_TRUE(add(sharded, f.parts.shards[k]).is_ok());
        EXPECT_TRUE(sharded.shard_loaded(k));
      }
    }
    EXPECT_EQ(rows(sharded.recommend(q)), rows(whole.recommend(q))) << "trial " << trial;
  }
  EXPECT_GT(needed_shards, 30);
}

TEST(EngineShards, WithoutPersonalizationOnlyThePageItemCounts) {
  Fixture f;
  Engine e;
  ASSERT_TRUE(load(e, f.parts.head).is_ok());
  ASSERT_TRUE(e.track(testing::view(testing::shard_test_id(5), 1)).is_ok());
  RecommendQuery q;
  EXPECT_TRUE(e.missing_shards(q).empty());  // home, no consent: popularity only
  q.context = Context::item;
  q.item = testing::shard_test_id(9);
  EXPECT_EQ(e.missing_shards(q),
            std::vector<std::uint32_t>{shard_of(q.item, e.shard_directory()->count)});
  e.set_consent(personalized());
  ASSERT_TRUE(e.track(testing::view(testing::shard_test_id(5), 2)).is_ok());
  EXPECT_EQ(e.missing_shards(q).size(),
            shard_of(testing::shard_test_id(5), 11) == shard_of(q.item, 11) ? 1u : 2u);
}

TEST(EngineShards, ABadShardChangesNothing) {
  Fixture f;
  Engine e;
  ASSERT_TRUE(load(e, f.parts.head).is_ok());
  RecommendQuery q;
  q.context = Context::item;
  q.item = testing::shard_test_id(1);
  const std::uint32_t k = e.missing_shards(q).at(0);
  const auto before = rows(e.recommend(q));
  std::vector<std::uint8_t> bad = f.parts.shards[k];
  bad[100] ^= 0x10;
  const Status st = add(e, bad);
  EXPECT_EQ(st.code(), Code::data_loss);
  EXPECT_FALSE(e.shard_loaded(k));
  EXPECT_EQ(rows(e.recommend(q)), before);
  ASSERT_TRUE(add(e, f.parts.shards[k]).is_ok());
  EXPECT_NE(rows(e.recommend(q)), before);

  Engine whole;
  ASSERT_TRUE(load(whole, f.whole).is_ok());
  EXPECT_EQ(add(whole, f.parts.shards[k]).code(), Code::failed_precondition);
  // A whole pack replaces a head (and its shards).
  ASSERT_TRUE(load(e, f.whole).is_ok());
  EXPECT_EQ(e.shard_directory(), nullptr);
  EXPECT_TRUE(e.missing_shards(q).empty());
}

}  // namespace
}  // namespace vitrine
