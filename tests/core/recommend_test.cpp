#include "vitrine/recommend.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "../../core/src/dot_kernel.hpp"
#include "vitrine/pack_builder.hpp"

namespace vitrine {
namespace {

// A tiny shop: hats (h1, h2, h3) and scarves (s1, s2); shoppers go h1 -> h2 -> s1, and
// buy h1 with s2.
class RecommendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PackBuilder b;
    b.add_catalog_item({"h1", "Hats", 10, true});
    b.add_catalog_item({"h2", "Hats", 11, true});
    b.add_catalog_item({"h3", "Hats", 12, false});
    b.add_catalog_item({"s1", "Scarves", 20, true});
    b.add_catalog_item({"s2", "Scarves", 21, true});
    auto h = [&](const char* id) { return b.intern(id).value(); };
    for (int k = 0; k < 5; ++k) {
      b.add_session({{h("h1"), EventType::view_item},
                     {h("h2"), EventType::view_item},
                     {h("s1"), EventType::view_item}});
    }
    for (int k = 0; k < 3; ++k) {
      b.add_session({{h("h1"), EventType::add_to_cart}, {h("s2"), EventType::add_to_cart}});
    }
    b.add_session({{h("h3"), EventType::view_item}, {h("h1"), EventType::view_item}});
    bytes_ = b.build().value();
    pack_ = Pack::open(bytes_.data(), bytes_.size()).value();
  }
  std::uint32_t id(const char* s) const { return pack_.find(s).value(); }
  std::vector<std::string> ids(const std::vector<Recommendation>& r) const {
    std::vector<std::string> out;
    for (const auto& x : r) out.emplace_back(pack_.item_id(x.item));
    return out;
  }
  std::vector<std::uint8_t> bytes_;
  Pack pack_;
};

TEST_F(RecommendTest, ColdStartIsPopularity) {
  RecommendRequest req;
  req.limit = 3;
  const auto r = recommend(pack_, {}, req);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(ids(r)[0], "h1");  // in 9 sessions
  for (const auto& x : r) EXPECT_EQ(x.reason.source, Source::popularity);
}

TEST_F(RecommendTest, HomeUsesTheHistoryWithReasons) {
  RecommendRequest req;
  req.limit = 2;
  req.weights.re_view = 0;
  req.weights.co_purchase = 0;
  const auto r = recommend(pack_, {{id("h1"), EventType::view_item, 1}}, req);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(ids(r)[0], "h2");
  EXPECT_EQ(r[0].reason.source, Source::co_view);
  EXPECT_EQ(r[0].reason.item, id("h1"));
  EXPECT_GT(r[0].score, r[1].score);
}

TEST_F(RecommendTest, ItemContextExcludesTheItemAndUsesIt) {
  RecommendRequest req;
  req.context = Context::item;
  req.item = id("h2");
  req.limit = 3;
  const auto r = recommend(pack_, {{id("s2"), EventType::view_item, 1}}, req);
  const auto got = ids(r);
  EXPECT_EQ(std::count(got.begin(), got.end(), "h2"), 0);
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(got[0], "s1");
  EXPECT_EQ(r[0].reason.item, id("h2"));
}

TEST_F(RecommendTest, CartContextGivesComplementsAndExcludesTheCart) {
  RecommendRequest req;
  req.context = Context::cart;
  req.limit = 2;
  const auto r = recommend(pack_, {{id("h1"), EventType::add_to_cart, 1}}, req);
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(ids(r)[0], "s2");
  EXPECT_EQ(r[0].reason.source, Source::co_purchase);
  for (const auto& x : r) EXPECT_NE(x.item, id("h1"));
}

TEST_F(RecommendTest, BusinessRules) {
  std::vector<Signal> history = {{id("h3"), EventType::view_item, 1},
                                 {id("h1"), EventType::purchase, 2}};
  RecommendRequest req;
  req.limit = 10;
  auto got = ids(recommend(pack_, history, req));
  EXPECT_EQ(std::count(got.begin(), got.end(), "h1"), 0);  // purchased
  EXPECT_EQ(std::count(got.begin(), got.end(), "h3"), 0);  // out of stock
  req.exclude_purchased = false;
  req.exclude_unavailable = false;
  got = ids(recommend(pack_, history, req));
  EXPECT_EQ(got.size(), 5u);
  // Category filter.
  req.category = pack_.find_category("Scarves").value();
  for (const auto& x : recommend(pack_, history, req)) {
    EXPECT_EQ(pack_.category(x.item), req.category);
  }
  // Diversity: at most one per category.
  req.category = kNoCategory;
  req.max_per_category = 1;
  const auto r = recommend(pack_, history, req);
  EXPECT_EQ(r.size(), 2u);
  EXPECT_NE(pack_.category(r[0].item), pack_.category(r[1].item));
}

TEST_F(RecommendTest, ReusedRecommenderGivesTheSameAnswers) {
  Recommender rec(pack_);
  RecommendRequest req;
  req.limit = 5;
  std::vector<Signal> a = {{id("h1"), EventType::view_item, 1}};
  std::vector<Signal> b = {{id("s2"), EventType::add_to_cart, 1}};
  const auto first = rec.recommend(a, req);
  rec.recommend(b, req);
  const auto again = rec.recommend(a, req);
  ASSERT_EQ(first.size(), again.size());
  for (std::size_t k = 0; k < first.size(); ++k) {
    EXPECT_EQ(first[k].item, again[k].item);
    EXPECT_EQ(first[k].score, again[k].score);
  }
}

TEST_F(RecommendTest, IgnoresUnknownItemsAndZeroLimit) {
  RecommendRequest req;
  req.limit = 0;
  EXPECT_TRUE(recommend(pack_, {{id("h1")}}, req).empty());
  req.limit = 3;
  req.context = Context::item;
  req.item = 12345;
  EXPECT_EQ(recommend(pack_, {{999999, EventType::view_item, 0}}, req).size(), 3u);
  Pack empty;
  EXPECT_TRUE(recommend(empty, {}, req).empty());
}

TEST(DotKernel, MatchesScalar) {
  std::mt19937 rng(7);
  for (std::size_t dim : {1u, 7u, 16u, 32u, 48u, 50u}) {
    std::vector<std::int8_t> q(dim), rows(dim * 9);
    for (auto& v : q) v = static_cast<std::int8_t>(static_cast<int>(rng() % 255) - 127);
    for (auto& v : rows) v = static_cast<std::int8_t>(static_cast<int>(rng() % 255) - 127);
    std::vector<std::int32_t> out(9);
    detail::dot_i8_rows(q.data(), rows.data(), 9, dim, out.data());
    for (std::size_t r = 0; r < 9; ++r) {
      EXPECT_EQ(out[r], detail::dot_i8_scalar(q.data(), rows.data() + r * dim, dim)) << dim;
    }
  }
}

TEST(Recommend, EmbeddingsFindNeighbours) {
  PackBuilder b;
  std::vector<float> e;
  for (int k = 0; k < 40; ++k) {
    b.intern("e" + std::to_string(100 + k));
    for (int d = 0; d < 16; ++d) e.push_back(d == k % 4 ? 1.0f : 0.0f);
  }
  ASSERT_TRUE(b.set_embeddings(e, 16).is_ok());
  const auto bytes = b.build().value();
  const Pack p = Pack::open(bytes.data(), bytes.size()).value();
  RecommendRequest req;
  req.context = Context::item;
  req.item = p.find("e100").value();
  req.weights.embedding = 1.0f;
  req.limit = 5;
  const auto r = recommend(p, {}, req);
  ASSERT_EQ(r.size(), 5u);
  for (const auto& x : r) {
    EXPECT_EQ(x.reason.source, Source::embedding);
    EXPECT_EQ((std::stoi(std::string(p.item_id(x.item).substr(1))) - 100) % 4, 0);
  }
}

}  // namespace
}  // namespace vitrine
