#include "vitrine/pack_builder.hpp"

#include <gtest/gtest.h>

#include "vitrine/pack.hpp"

namespace vitrine {
namespace {

TEST(PackBuilder, SameInputSameBytes) {
  auto make = [] {
    PackBuilder b;
    for (int s = 0; s < 50; ++s) {
      std::vector<SessionEvent> ev;
      for (int k = 0; k < 6; ++k) {
        ev.push_back({b.intern("item" + std::to_string((s * 7 + k * 3) % 23)).value(),
                      k == 5 ? EventType::add_to_cart : EventType::view_item});
      }
      EXPECT_TRUE(b.add_session(ev).is_ok());
    }
    return b.build().value();
  };
  EXPECT_EQ(make(), make());
}

TEST(PackBuilder, MinSupportDropsRareRelations) {
  PackBuildOptions o;
  o.min_support = 2;
  PackBuilder b(o);
  const auto a = b.intern("a").value(), c = b.intern("c").value(), d = b.intern("d").value();
  ASSERT_TRUE(b.add_session({{a, EventType::view_item}, {c, EventType::view_item}}).is_ok());
  ASSERT_TRUE(b.add_session({{a, EventType::view_item}, {c, EventType::view_item}}).is_ok());
  // a -> d twice, but in one session: support 1.
  ASSERT_TRUE(b.add_session({{a, EventType::view_item},
                             {d, EventType::view_item},
                             {a, EventType::view_item},
                             {d, EventType::view_item}})
                  .is_ok());
  PackBuildStats stats;
  const std::vector<std::uint8_t> bytes = b.build(&stats).value();
  const Pack p = Pack::open(bytes.data(), bytes.size()).value();
  const RelationRow row = p.row(Relation::co_view_seq, p.find("a").value());
  ASSERT_EQ(row.size(), 1u);
  EXPECT_EQ(p.item_id(row.item(0)), "c");
  EXPECT_EQ(p.info().min_support, 2u);
  EXPECT_EQ(stats.sessions, 3u);
  EXPECT_GT(stats.pairs_seen[0], stats.pairs_kept[0]);
}

TEST(PackBuilder, MaxNeighborsCapsRows) {
  PackBuildOptions o;
  o.max_neighbors = 3;
  PackBuilder b(o);
  std::vector<SessionEvent> ev;
  for (int k = 0; k < 10; ++k) ev.push_back({b.intern("i" + std::to_string(k)).value()});
  ASSERT_TRUE(b.add_session(ev).is_ok());
  const std::vector<std::uint8_t> bytes = b.build().value();
  const Pack p = Pack::open(bytes.data(), bytes.size()).value();
  const RelationRow row = p.row(Relation::co_view_seq, p.find("i0").value());
  ASSERT_EQ(row.size(), 3u);
  // Strongest first: one step ahead weighs 1, two steps 1/2.
  EXPECT_EQ(p.item_id(row.item(0)), "i1");
  EXPECT_GE(row.weight(0), row.weight(1));
  EXPECT_GE(row.weight(1), row.weight(2));
}

TEST(PackBuilder, RejectsBadInput) {
  PackBuilder b;
  EXPECT_FALSE(b.intern("").is_ok());
  EXPECT_FALSE(b.intern(std::string(300, 'x')).is_ok());
  EXPECT_TRUE(b.add_catalog_item({"a", "c", 1.0f, true}).is_ok());
  EXPECT_EQ(b.add_catalog_item({"a", "c", 1.0f, true}).code(), Code::invalid_argument);
  EXPECT_EQ(b.add_catalog_item({"b", "c", -1.0f, true}).code(), Code::invalid_argument);
  EXPECT_EQ(b.add_session({{42, EventType::view_item}}).code(), Code::invalid_argument);
  EXPECT_EQ(b.set_embeddings({1, 2, 3}, 2).code(), Code::invalid_argument);
}

TEST(PackBuilder, EmbeddingsRoundTrip) {
  PackBuilder b;
  b.intern("x");
  b.intern("y");
  ASSERT_TRUE(b.set_embeddings({1.0f, 0.0f, 0.0f, -0.5f}, 2).is_ok());
  const std::vector<std::uint8_t> bytes = b.build().value();
  const Pack p = Pack::open(bytes.data(), bytes.size()).value();
  ASSERT_EQ(p.embedding_dim(), 2u);
  const std::int8_t* y = p.embedding(p.find("y").value());
  EXPECT_EQ(y[0], 0);
  EXPECT_EQ(y[1], -64);  // -0.5 / (1/127), rounded
  EXPECT_NEAR(p.embedding_scale(), 1.0f / 127.0f, 1e-6f);
}

}  // namespace
}  // namespace vitrine

namespace vitrine {
namespace {

TEST(PackBuilder, ComputedEmbeddingsPutCoViewedItemsClose) {
  PackBuildOptions o;
  o.embedding_dim = 4;
  PackBuilder b(o);
  // Two groups of items that never meet in a session.
  for (int s = 0; s < 40; ++s) {
    const int g = s % 2;
    std::vector<SessionEvent> ev;
    for (int k = 0; k < 4; ++k) {
      ev.push_back(
          {b.intern("g" + std::to_string(g) + "i" + std::to_string((s / 2 + k) % 6)).value()});
    }
    ASSERT_TRUE(b.add_session(ev).is_ok());
  }
  const std::vector<std::uint8_t> bytes = b.build().value();
  const Pack p = Pack::open(bytes.data(), bytes.size()).value();
  ASSERT_EQ(p.embedding_dim(), 4u);
  auto dot = [&](const char* x, const char* y) {
    const std::int8_t* a = p.embedding(p.find(x).value());
    const std::int8_t* c = p.embedding(p.find(y).value());
    int s = 0;
    for (int k = 0; k < 4; ++k) s += a[k] * c[k];
    return s;
  };
  EXPECT_GT(dot("g0i0", "g0i1"), dot("g0i0", "g1i1"));
  EXPECT_GT(dot("g1i2", "g1i3"), dot("g1i2", "g0i3"));
}

}  // namespace
}  // namespace vitrine
