#include <gtest/gtest.h>

#include "vitrine/pack/aggregate.hpp"
#include "vitrine/pack_builder.hpp"

namespace vitrine::pack {
namespace {

struct Row {
  std::uint32_t a, b, sessions;
  std::uint64_t weight;
  bool operator==(const Row& o) const {
    return a == o.a && b == o.b && sessions == o.sessions && weight == o.weight;
  }
};

std::vector<Row> rows(const std::vector<PairCount>& pairs) {
  std::vector<Row> out;
  for (const PairCount& p : pairs) out.push_back({p.a, p.b, p.sessions, p.weight});
  return out;
}

void add(Aggregator& agg, std::vector<std::uint32_t> items, std::vector<std::uint8_t> buy) {
  ASSERT_TRUE(agg.add_session(items.data(), buy.data(), items.size()).is_ok());
}

TEST(PackAggregate, WeightScaleIsTheLcmOfTheSteps) {
  EXPECT_EQ(weight_scale(1), 1u);
  EXPECT_EQ(weight_scale(10), 2520u);
  EXPECT_EQ(weight_scale(20), 232792560u);
}

// Counted by hand: A=0, B=1, C=2; window 10 (scale 2520).
TEST(PackAggregate, CountsOfThreeSessions) {
  Aggregator agg;
  add(agg, {0, 1, 0, 2}, {0, 0, 0, 0});  // A B A C
  add(agg, {1, 0}, {0, 1});              // B, A carted
  add(agg, {0, 2}, {1, 1});              // A and C carted
  add(agg, {}, {});                      // empty: not a session
  AggregateTables t;
  ASSERT_TRUE(agg.finish(t).is_ok());
  EXPECT_FALSE(agg.spilled());
  EXPECT_EQ(t.sessions, 3u);
  EXPECT_EQ(t.orders, 2u);
  EXPECT_EQ(t.events, 8u);
  EXPECT_EQ(t.item_sessions, (std::vector<std::uint32_t>{3, 2, 2}));
  EXPECT_EQ(t.item_orders, (std::vector<std::uint32_t>{2, 0, 1}));
  // A->C: 2520/3 + 2520/1 in session 1, 2520 in session 3.
  EXPECT_EQ(
      rows(t.pairs[kSeq]),
      (std::vector<Row>{
          {0, 1, 1, 2520}, {0, 2, 2, 840 + 2520 + 2520}, {1, 0, 2, 2520 + 2520}, {1, 2, 1, 1260}}));
  EXPECT_EQ(
      rows(t.pairs[kCov]),
      (std::vector<Row>{
          {0, 1, 2, 0}, {0, 2, 2, 0}, {1, 0, 2, 0}, {1, 2, 1, 0}, {2, 0, 2, 0}, {2, 1, 1, 0}}));
  EXPECT_EQ(rows(t.pairs[kBuy]), (std::vector<Row>{{0, 2, 1, 0}, {2, 0, 1, 0}}));
  EXPECT_EQ(t.pair_rows[kCov], 6u);
}

TEST(PackAggregate, LongSessionsPairOnlyWithinTheWindow) {
  AggregateOptions o;
  o.window = 1;
  o.max_session_items = 3;
  Aggregator agg(o);
  add(agg, {0, 1, 2, 3}, {0, 0, 0, 0});
  AggregateTables t;
  ASSERT_TRUE(agg.finish(t).is_ok());
  EXPECT_EQ(
      rows(t.pairs[kCov]),
      (std::vector<Row>{
          {0, 1, 1, 0}, {1, 0, 1, 0}, {1, 2, 1, 0}, {2, 1, 1, 0}, {2, 3, 1, 0}, {3, 2, 1, 0}}));
}

// Deterministic pseudo-random sessions with repeats, carts and long sessions.
template <class F>
void sessions(F&& each) {
  std::uint64_t x = 88172645463325252ull;
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (int s = 0; s < 400; ++s) {
    const std::size_t len = 1 + next() % (s % 37 == 0 ? 90 : 12);
    std::vector<std::uint32_t> items;
    std::vector<std::uint8_t> buy;
    for (std::size_t k = 0; k < len; ++k) {
      items.push_back(static_cast<std::uint32_t>(next() % 60));
      buy.push_back(next() % 7 == 0 ? 1 : 0);
    }
    each(items, buy);
  }
}

TEST(PackAggregate, SpilledRunsMergeToTheInMemoryTables) {
  Aggregator whole;
  sessions([&](auto& items, auto& buy) { add(whole, items, buy); });
  AggregateTables expected;
  ASSERT_TRUE(whole.finish(expected).is_ok());

  std::vector<std::vector<PairCount>> runs[3];
  Aggregator spilling({}, 4096, [&](Relation r, const std::vector<PairCount>& run) {
    runs[r].push_back(run);
    return Status::ok();
  });
  sessions([&](auto& items, auto& buy) { add(spilling, items, buy); });
  AggregateTables t;
  ASSERT_TRUE(spilling.finish(t).is_ok());
  ASSERT_TRUE(spilling.spilled());
  EXPECT_EQ(t.sessions, expected.sessions);
  EXPECT_EQ(t.item_sessions, expected.item_sessions);
  EXPECT_EQ(t.item_orders, expected.item_orders);
  for (int r = 0; r < 3; ++r) {
    EXPECT_GT(runs[r].size(), 2u) << r;
    EXPECT_TRUE(t.pairs[r].empty());
    std::vector<RunSource> sources;
    std::vector<std::size_t> at(runs[r].size(), 0);
    for (std::size_t k = 0; k < runs[r].size(); ++k) {
      sources.push_back([&, k](PairCount& row) -> Result<bool> {
        if (at[k] == runs[r][k].size()) return false;
        row = runs[r][k][at[k]++];
        return true;
      });
    }
    std::vector<PairCount> merged;
    ASSERT_TRUE(merge_runs(sources, [&](const PairCount& row) {
                  merged.push_back(row);
                  return Status::ok();
                }).is_ok());
    EXPECT_EQ(rows(merged), rows(expected.pairs[r])) << r;
    // reduce_pairs over the concatenated runs agrees too.
    std::vector<PairCount> all;
    for (const auto& run : runs[r]) all.insert(all.end(), run.begin(), run.end());
    reduce_pairs(all);
    EXPECT_EQ(rows(all), rows(expected.pairs[r])) << r;
  }
}

TEST(PackAggregate, MergeRefusesARunOutOfOrder) {
  std::vector<PairCount> run = {{0, 5, 1, 0}, {0, 2, 1, 0}};
  std::size_t at = 0;
  std::vector<RunSource> sources = {[&](PairCount& row) -> Result<bool> {
    if (at == run.size()) return false;
    row = run[at++];
    return true;
  }};
  EXPECT_FALSE(merge_runs(sources, [](const PairCount&) { return Status::ok(); }).is_ok());
}

TEST(PackAggregate, BuilderFromTablesEqualsBuilderFromSessions) {
  PackBuilder from_sessions;
  for (int k = 0; k < 60; ++k) from_sessions.intern("i" + std::to_string(k));
  Aggregator agg;
  sessions([&](auto& items, auto& buy) {
    std::vector<SessionEvent> ev;
    for (std::size_t k = 0; k < items.size(); ++k) {
      ev.push_back({items[k], buy[k] ? EventType::add_to_cart : EventType::view_item});
    }
    ASSERT_TRUE(from_sessions.add_session(ev).is_ok());
    add(agg, items, buy);
  });
  AggregateTables t;
  ASSERT_TRUE(agg.finish(t).is_ok());
  PackBuilder from_tables;
  for (int k = 0; k < 60; ++k) from_tables.intern("i" + std::to_string(k));
  ASSERT_TRUE(from_tables.set_tables(t).is_ok());
  EXPECT_FALSE(from_tables.add_session({{0, EventType::view_item}}).is_ok());
  EXPECT_EQ(from_tables.build().value(), from_sessions.build().value());

  AggregateTables bad = t;
  bad.pairs[kCov].push_back({3, 3, 1, 0});
  PackBuilder refuses;
  for (int k = 0; k < 60; ++k) refuses.intern("i" + std::to_string(k));
  EXPECT_FALSE(refuses.set_tables(bad).is_ok());
  EXPECT_FALSE(from_sessions.set_tables(t).is_ok());  // sessions already added
}

}  // namespace
}  // namespace vitrine::pack
