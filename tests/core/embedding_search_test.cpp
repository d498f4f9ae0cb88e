// The clustered embedding search (section EIDX) must return exactly the dense pass's list.
#include "../../core/src/recommend/embedding_search.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

#include "../../core/src/dot_kernel.hpp"
#include "vitrine/pack_builder.hpp"
#include "vitrine/recommend.hpp"

namespace vitrine {
namespace {

using detail::EmbeddingSearch;

// `groups` centres, members spread around them; `levels` > 0 rounds every value to a few
// levels, so many dots tie and the (dot, item) order decides.
std::vector<std::uint8_t> make_pack(std::uint32_t n, std::uint32_t dim, std::uint32_t groups,
                                    float spread, int levels, EmbeddingIndex index,
                                    std::uint32_t clusters = 0) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  PackBuildOptions o;
  o.embedding_index = index;
  o.embedding_clusters = clusters;
  PackBuilder b(o);
  std::vector<std::vector<float>> centre(groups, std::vector<float>(dim));
  for (auto& c : centre) {
    for (auto& v : c) v = u(rng);
  }
  std::vector<float> e;
  for (std::uint32_t i = 0; i < n; ++i) {
    b.intern("i" + std::to_string(100000 + i));
    const auto& c = centre[(i * 7919u) % groups];
    for (std::uint32_t d = 0; d < dim; ++d) {
      float v = c[d] + spread * u(rng);
      if (levels > 0) v = std::round(v * float(levels)) / float(levels);
      e.push_back(v);
    }
  }
  EXPECT_TRUE(b.set_embeddings(e, dim).is_ok());
  return b.build().value();
}

std::vector<std::int8_t> random_query(std::mt19937& rng, std::uint32_t dim) {
  std::vector<std::int8_t> q(dim);
  for (auto& v : q) v = static_cast<std::int8_t>(static_cast<int>(rng() % 255) - 127);
  return q;
}

TEST(EmbeddingSearch, GatherEqualsScalar) {
  std::mt19937 rng(3);
  for (std::size_t dim : {1u, 15u, 16u, 17u, 32u, 48u, 100u}) {
    std::vector<std::int8_t> rows(dim * 20);
    for (auto& v : rows) v = static_cast<std::int8_t>(static_cast<int>(rng() % 255) - 127);
    const auto q = random_query(rng, static_cast<std::uint32_t>(dim));
    const std::vector<std::uint32_t> ids = {19, 0, 7, 7, 3, 11, 18, 2, 5};
    std::vector<std::int32_t> out(ids.size());
    detail::dot_i8_gather(q.data(), rows.data(), dim, ids.data(), ids.size(), out.data());
    for (std::size_t r = 0; r < ids.size(); ++r) {
      EXPECT_EQ(out[r], detail::dot_i8_scalar(q.data(), rows.data() + ids[r] * dim, dim)) << dim;
    }
  }
}

struct Case {
  std::uint32_t n, dim, groups;
  float spread;
  int levels;
  std::uint32_t clusters;
};

TEST(EmbeddingSearch, ClustersGiveTheDenseList) {
  const Case cases[] = {
      {3000, 16, 40, 0.3f, 0, 0},  // clustered
      {2000, 32, 1, 1.0f, 0, 0},   // no structure at all
      {1500, 8, 20, 0.5f, 2, 0},   // coarse values: many ties
      {500, 17, 5, 0.2f, 0, 500},  // a cluster per item
      {300, 16, 3, 0.4f, 0, 1},    // one cluster
  };
  std::mt19937 rng(11);
  for (const Case& c : cases) {
    const auto bytes =
        make_pack(c.n, c.dim, c.groups, c.spread, c.levels, EmbeddingIndex::always, c.clusters);
    const Pack p = Pack::open(bytes.data(), bytes.size()).value();
    ASSERT_GT(p.embedding_clusters().count, 0u);
    EmbeddingSearch dense, clustered;
    for (int t = 0; t < 60; ++t) {
      // Half the queries are an item's own row (the engine's usual query), half random.
      std::vector<std::int8_t> q = random_query(rng, c.dim);
      if (t % 2 == 0) std::memcpy(q.data(), p.embedding(rng() % c.n), c.dim);
      for (std::size_t k :
           {std::size_t{1}, std::size_t{10}, std::size_t{200}, std::size_t{c.n + 5}}) {
        const auto want = dense.top(p, q.data(), k, true);
        const auto& got = clustered.top(p, q.data(), k);
        ASSERT_EQ(got, want) << "n " << c.n << " dim " << c.dim << " k " << k << " query " << t;
      }
    }
  }
}

TEST(EmbeddingSearch, ClustersScanFewRowsOnClusteredData) {
  const auto bytes = make_pack(4000, 16, 64, 0.15f, 0, EmbeddingIndex::always);
  const Pack p = Pack::open(bytes.data(), bytes.size()).value();
  EmbeddingSearch s;
  std::size_t scanned = 0;
  for (std::uint32_t i = 0; i < 4000; i += 40) {
    s.top(p, p.embedding(i), 20);
    scanned += s.rows_scanned();
  }
  EXPECT_LT(scanned / 100, 4000u / 4) << "rows scanned per query";
}

TEST(EmbeddingSearch, RecommendationsDoNotDependOnTheIndex) {
  const auto with = make_pack(2500, 16, 30, 0.3f, 0, EmbeddingIndex::always);
  const auto without = make_pack(2500, 16, 30, 0.3f, 0, EmbeddingIndex::never);
  ASSERT_GT(with.size(), without.size());
  const Pack a = Pack::open(with.data(), with.size()).value();
  const Pack b = Pack::open(without.data(), without.size()).value();
  EXPECT_EQ(b.embedding_clusters().count, 0u);
  Recommender ra(a), rb(b);
  for (std::uint32_t i = 0; i < 2500; i += 97) {
    RecommendRequest req;
    req.context = Context::item;
    req.item = i;
    req.weights.embedding = 1.0f;
    req.limit = 50;
    const std::vector<Signal> signals = {{(i * 31) % 2500, EventType::view_item, 1}};
    const auto x = ra.recommend(signals, req);
    const auto y = rb.recommend(signals, req);
    ASSERT_EQ(x.size(), y.size());
    for (std::size_t k = 0; k < x.size(); ++k) {
      EXPECT_EQ(x[k].item, y[k].item);
      EXPECT_EQ(x[k].score, y[k].score);
    }
  }
}

TEST(EmbeddingSearch, AutomaticIndexOnlyForLargeTables) {
  // 8 clusters asked for: the threshold is the point, and k-means stays quick in wasm.
  const auto small = make_pack(65535, 16, 10, 0.3f, 0, EmbeddingIndex::automatic, 8);
  const Pack p = Pack::open(small.data(), small.size()).value();
  EXPECT_EQ(p.embedding_clusters().count, 0u);  // 1 MiB - 16 B of rows: the dense pass
  const auto large = make_pack(65536, 16, 10, 0.3f, 0, EmbeddingIndex::automatic, 8);
  const Pack q = Pack::open(large.data(), large.size()).value();
  EXPECT_EQ(q.embedding_clusters().count, 8u);  // 1 MiB of rows
}

// Structure checks of EIDX (checksums off: the damage is what the reader must see).
TEST(EmbeddingSearch, DamagedIndexIsRejected) {
  const auto bytes = make_pack(400, 16, 8, 0.3f, 0, EmbeddingIndex::always);
  std::uint32_t nsec;
  std::memcpy(&nsec, bytes.data() + 12, 4);
  std::size_t at = 0;
  for (std::uint32_t s = 0; s < nsec && at == 0; ++s) {
    const std::uint8_t* e = bytes.data() + 32 + 16 * s;
    if (std::memcmp(e, "EIDX", 4) == 0) {
      std::uint32_t off;
      std::memcpy(&off, e + 4, 4);
      at = off;
    }
  }
  ASSERT_GT(at, 0u);
  PackOpenOptions raw;
  raw.verify_checksums = false;
  ASSERT_TRUE(Pack::open(bytes.data(), bytes.size(), raw).is_ok());
  std::uint32_t k;
  std::memcpy(&k, bytes.data() + at + 4, 4);
  const std::size_t radius = at + 16 + 4 * std::size_t{k} * 16;
  const std::size_t offsets = radius + 4 * k;
  const std::size_t members = offsets + 4 * (k + 1);
  auto damaged = [&](std::size_t pos, std::uint32_t value) {
    std::vector<std::uint8_t> b = bytes;
    std::memcpy(b.data() + pos, &value, 4);
    return Pack::open(b.data(), b.size(), raw).status();
  };
  EXPECT_EQ(damaged(members + 4, 0xFFFFFFu).code(), Code::data_loss);  // out of range
  std::uint32_t first;
  std::memcpy(&first, bytes.data() + members, 4);
  EXPECT_EQ(damaged(members + 4, first).code(), Code::data_loss);    // an item twice
  EXPECT_EQ(damaged(offsets + 4 * k, 399).code(), Code::data_loss);  // misses an item
  EXPECT_EQ(damaged(radius, 0xFF800000u).code(), Code::data_loss);   // -inf radius
  EXPECT_EQ(damaged(at + 8, 15).code(), Code::data_loss);            // another dimension
  EXPECT_EQ(damaged(at + 4, 0).code(), Code::data_loss);             // no clusters
  EXPECT_TRUE(damaged(at, 2).is_ok());                               // a newer layout is ignored
}

}  // namespace
}  // namespace vitrine
