#include <gtest/gtest.h>

#include <random>
#include <set>

#include "../../core/src/pack/pack_tables.hpp"
#include "../../core/src/pack/sha256.hpp"
#include "shard_test_pack.hpp"
#include "vitrine/pack.hpp"
#include "vitrine/pack/dp_accounting.hpp"
#include "vitrine/pack/shards.hpp"
#include "vitrine/recommend.hpp"

namespace vitrine {
namespace {

std::string hex_of(const std::string& s) {
  const auto d = detail::sha256(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  return detail::hex(d.data(), d.size());
}

TEST(Sha256, KnownVectors) {  // FIPS 180-4 examples
  EXPECT_EQ(hex_of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex_of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hex_of(std::string(1000, 'a')),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

std::vector<std::string> ranked(const Pack& p, const std::vector<std::string>& history,
                                const std::string& context_item, Context context) {
  std::vector<Signal> signals;
  for (std::size_t k = 0; k < history.size(); ++k) {
    if (auto d = p.find(history[k])) {
      signals.push_back({*d, k % 4 == 3 ? EventType::add_to_cart : EventType::view_item,
                         static_cast<std::int64_t>(k)});
    }
  }
  RecommendRequest r;
  r.context = context;
  r.limit = 20;
  r.max_per_category = context == Context::home ? 3 : 0;
  if (!context_item.empty()) r.item = p.find(context_item).value_or(kNoItem);
  std::vector<std::string> out;
  for (const Recommendation& x : recommend(p, signals, r)) {
    out.push_back(std::string(p.item_id(x.item)) + "/" + source_name(x.reason.source) + "/" +
                  (x.reason.item == kNoItem ? "" : std::string(p.item_id(x.reason.item))) + "/" +
                  std::to_string(x.score));
  }
  return out;
}

class Sharded : public ::testing::TestWithParam<std::uint32_t> {};

// Every history and page item's shard loaded: the same list, scores and reasons as the
// unsharded pack, with and without embeddings in the head.
TEST_P(Sharded, SameRecommendationsAsUnsharded) {
  const std::uint32_t dim = GetParam();
  const std::vector<std::uint8_t> full_bytes = testing::small_pack(dim);
  const Pack full = Pack::open(full_bytes.data(), full_bytes.size()).value();
  ShardOptions so;
  so.shards = 9;
  so.keep_embeddings = dim > 0;
  const ShardedPackBytes parts = shard_pack(full_bytes.data(), full_bytes.size(), so).value();
  ASSERT_EQ(parts.shards.size(), 9u);
  EXPECT_LT(parts.head.size(), full_bytes.size());
  std::mt19937 rng(11);
  int compared = 0, differed_with_head_only = 0;
  for (int trial = 0; trial < 60; ++trial) {
    std::vector<std::string> history;
    const int len = static_cast<int>(rng() % 8);
    for (int k = 0; k < len; ++k)
      history.push_back(std::string(full.item_id(rng() % full.item_count())));
    const std::string page(full.item_id(rng() % full.item_count()));
    const Context ctx = trial % 3 == 0   ? Context::home
                        : trial % 3 == 1 ? Context::item
                                         : Context::cart;
    const std::string context_item = ctx == Context::item ? page : "";
    const auto want = ranked(full, history, context_item, ctx);

    ShardSet set = ShardSet::open(parts.head.data(), parts.head.size()).value();
    std::vector<std::uint8_t> head_only = set.joined();
    const Pack p0 = Pack::open(head_only.data(), head_only.size()).value();
    if (ranked(p0, history, context_item, ctx) != want) ++differed_with_head_only;

    std::set<std::uint32_t> need;
    for (const auto& h : history) need.insert(shard_of(h, so.shards));
    if (!context_item.empty()) need.insert(shard_of(context_item, so.shards));
    for (std::uint32_t k : need) {
      ASSERT_TRUE(set.add(parts.shards[k].data(), parts.shards[k].size()).is_ok());
    }
    EXPECT_EQ(set.loaded_count(), need.size());
    const std::vector<std::uint8_t> joined = set.joined();
    const Pack p = Pack::open(joined.data(), joined.size()).value();
    EXPECT_EQ(ranked(p, history, context_item, ctx), want) << "trial " << trial;
    ++compared;
  }
  EXPECT_EQ(compared, 60);
  // The shards matter: with the head alone most lists differ.
  EXPECT_GT(differed_with_head_only, 30);
}

INSTANTIATE_TEST_SUITE_P(Embeddings, Sharded, ::testing::Values(0u, 8u));

bool has_section(const std::vector<std::uint8_t>& bytes, const char (&tag)[5]) {
  std::size_t len = 0;
  return detail::find_section(bytes.data(), bytes.size(), pack_tag(tag), &len) != nullptr;
}

// A head that keeps every item (its embeddings) also keeps the sections indexed by the full
// item order: the embedding clusters (EIDX), the session statistics (SSTA) and the fusion
// (FUSN); the joined pack carries them, so it scores with the fused scorer and the clustered
// search, and ranks as the unsharded pack once the shards it needs are loaded.
TEST(Shards, HeadKeepsIndexStatisticsAndFusion) {
  const std::vector<std::uint8_t> full_bytes = testing::small_pack(8, 400, [](PackBuildOptions& o) {
    o.embedding_index = EmbeddingIndex::always;
    o.session_stats = true;
    o.fusion = true;  // small and quick to train: the test is about carrying it
    o.fusion_hidden = 4;
    o.fusion_epochs = 1;
    o.fusion_candidates = 30;
    o.fusion_neighbours = 10;
  });
  ASSERT_TRUE(has_section(full_bytes, "EIDX"));
  ASSERT_TRUE(has_section(full_bytes, "SSTA"));
  ASSERT_TRUE(has_section(full_bytes, "FUSN"));
  const Pack full = Pack::open(full_bytes.data(), full_bytes.size()).value();
  ShardOptions so;
  so.shards = 7;
  const ShardedPackBytes parts = shard_pack(full_bytes.data(), full_bytes.size(), so).value();
  EXPECT_TRUE(has_section(parts.head, "EIDX"));
  EXPECT_TRUE(has_section(parts.head, "SSTA"));
  EXPECT_TRUE(has_section(parts.head, "FUSN"));
  EXPECT_FALSE(has_section(parts.shards[0], "SSTA"));
  std::mt19937 rng(5);
  for (int trial = 0; trial < 30; ++trial) {
    std::vector<std::string> history;
    for (int k = 0; k < 1 + static_cast<int>(rng() % 6); ++k)
      history.push_back(std::string(full.item_id(rng() % full.item_count())));
    const auto want = ranked(full, history, "", Context::home);
    ShardSet set = ShardSet::open(parts.head.data(), parts.head.size()).value();
    for (const auto& h : history) {
      const auto& shard = parts.shards[shard_of(h, so.shards)];
      ASSERT_TRUE(set.add(shard.data(), shard.size()).is_ok());
    }
    const std::vector<std::uint8_t> joined = set.joined();
    EXPECT_TRUE(has_section(joined, "EIDX"));
    EXPECT_FALSE(has_section(joined, "SHRD"));
    const Pack p = Pack::open(joined.data(), joined.size()).value();
    EXPECT_GT(p.embedding_clusters().count, 0u);
    EXPECT_EQ(ranked(p, history, "", Context::home), want) << "trial " << trial;
  }
  // Without its embeddings the head holds only the listed items: none of the three.
  so.keep_embeddings = false;
  const auto thin = shard_pack(full_bytes.data(), full_bytes.size(), so).value();
  EXPECT_FALSE(has_section(thin.head, "EIDX"));
  EXPECT_FALSE(has_section(thin.head, "SSTA"));
  EXPECT_FALSE(has_section(thin.head, "FUSN"));
}

// A private pack's privacy record stays with its head and with every joined pack.
TEST(Shards, HeadKeepsThePrivacyRecord) {
  const std::vector<std::uint8_t> full_bytes = testing::small_pack(0, 400, [](PackBuildOptions& o) {
    o.dp.epsilon = 4;
    o.dp.key = pack::dp_key_from_seed(1);
  });
  const Pack full = Pack::open(full_bytes.data(), full_bytes.size()).value();
  ASSERT_TRUE(full.info().privacy.enabled);
  ShardOptions so;
  so.shards = 4;
  const ShardedPackBytes parts = shard_pack(full_bytes.data(), full_bytes.size(), so).value();
  ShardSet set = ShardSet::open(parts.head.data(), parts.head.size()).value();
  ASSERT_TRUE(set.add(parts.shards[1].data(), parts.shards[1].size()).is_ok());
  const std::vector<std::uint8_t> joined = set.joined();
  const PackPrivacy dp = Pack::open(joined.data(), joined.size()).value().info().privacy;
  EXPECT_TRUE(dp.enabled);
  EXPECT_EQ(dp.epsilon, 4.0);
  EXPECT_EQ(dp.selection, full.info().privacy.selection);
  EXPECT_EQ(Pack::open(parts.head.data(), parts.head.size()).value().info().privacy.epsilon, 4.0);
}

TEST(Shards, AllShardsRebuildTheFullItemTableAndRows) {
  const std::vector<std::uint8_t> full_bytes = testing::small_pack(0);
  const Pack full = Pack::open(full_bytes.data(), full_bytes.size()).value();
  ShardOptions so;
  so.shards = 5;
  const auto parts = shard_pack(full_bytes.data(), full_bytes.size(), so).value();
  ShardSet set = ShardSet::open(parts.head.data(), parts.head.size()).value();
  EXPECT_EQ(set.directory().full_item_count, full.item_count());
  for (const auto& s : parts.shards) ASSERT_TRUE(set.add(s.data(), s.size()).is_ok());
  const auto joined = set.joined();
  const Pack p = Pack::open(joined.data(), joined.size()).value();
  ASSERT_EQ(p.item_count(), full.item_count());
  ASSERT_EQ(p.category_count(), full.category_count());
  for (std::uint32_t i = 0; i < full.item_count(); ++i) {
    ASSERT_EQ(p.item_id(i), full.item_id(i));
    ASSERT_EQ(p.category(i), full.category(i));
    ASSERT_EQ(p.popularity(i), full.popularity(i));
    ASSERT_EQ(p.available(i), full.available(i));
    for (int r = 0; r < kRelationCount; ++r) {
      const RelationRow a = p.row(Relation(r), i), b = full.row(Relation(r), i);
      ASSERT_EQ(a.size(), b.size());
      for (std::uint32_t k = 0; k < a.size(); ++k) {
        ASSERT_EQ(a.item(k), b.item(k));
        ASSERT_EQ(a.weight(k), b.weight(k));
      }
    }
  }
  ASSERT_EQ(p.top_items().size(), full.top_items().size());
  for (std::uint32_t k = 0; k < p.top_items().size(); ++k)
    EXPECT_EQ(p.top_items()[k], full.top_items()[k]);
}

TEST(Shards, BadShardsAreRefusedAndChangeNothing) {
  const std::vector<std::uint8_t> full_bytes = testing::small_pack(0);
  ShardOptions so;
  so.shards = 4;
  const auto parts = shard_pack(full_bytes.data(), full_bytes.size(), so).value();
  ShardSet set = ShardSet::open(parts.head.data(), parts.head.size()).value();
  ASSERT_TRUE(set.add(parts.shards[1].data(), parts.shards[1].size()).is_ok());
  const auto before = set.joined();

  std::vector<std::uint8_t> flipped = parts.shards[2];
  flipped[flipped.size() / 2] ^= 1;
  Status st = set.add(flipped.data(), flipped.size());
  EXPECT_EQ(st.code(), Code::data_loss);
  EXPECT_NE(st.message().find("SHA-256"), std::string::npos) << st.message();

  std::vector<std::uint8_t> cut(parts.shards[2].begin(), parts.shards[2].begin() + 40);
  EXPECT_FALSE(set.add(cut.data(), cut.size()).is_ok());
  EXPECT_FALSE(set.add(full_bytes.data(), full_bytes.size()).is_ok());  // not a shard
  EXPECT_FALSE(set.add(parts.head.data(), parts.head.size()).is_ok());

  so.shards = 5;  // a shard of another cut of the same pack
  const auto other = shard_pack(full_bytes.data(), full_bytes.size(), so).value();
  st = set.add(other.shards[2].data(), other.shards[2].size());
  EXPECT_EQ(st.code(), Code::data_loss);
  so.shards = 4;
  const auto other_pack = testing::small_pack(0, 300);
  const auto other4 = shard_pack(other_pack.data(), other_pack.size(), so).value();
  EXPECT_FALSE(set.add(other4.shards[2].data(), other4.shards[2].size()).is_ok());

  EXPECT_EQ(set.loaded_count(), 1u);
  EXPECT_EQ(set.joined(), before);
  EXPECT_TRUE(set.add(parts.shards[1].data(), parts.shards[1].size()).is_ok());  // again: no-op
  EXPECT_EQ(set.joined(), before);
}

TEST(Shards, EmbeddingsStayInTheHeadUnlessDropped) {
  const std::vector<std::uint8_t> full_bytes = testing::small_pack(8);
  const Pack full = Pack::open(full_bytes.data(), full_bytes.size()).value();
  ShardOptions so;
  so.shards = 3;
  const auto kept = shard_pack(full_bytes.data(), full_bytes.size(), so).value();
  const Pack head = Pack::open(kept.head.data(), kept.head.size()).value();
  EXPECT_EQ(head.embedding_dim(), 8u);
  EXPECT_EQ(head.item_count(), full.item_count());
  so.keep_embeddings = false;
  const auto dropped = shard_pack(full_bytes.data(), full_bytes.size(), so).value();
  const Pack small = Pack::open(dropped.head.data(), dropped.head.size()).value();
  EXPECT_EQ(small.embedding_dim(), 0u);
  EXPECT_LT(small.item_count(), full.item_count());
  EXPECT_LT(dropped.head.size(), kept.head.size() / 2);
  EXPECT_EQ(dropped.shards, kept.shards);  // shards never carry embeddings
}

TEST(Shards, OptionsAndHeadsAreChecked) {
  const std::vector<std::uint8_t> full_bytes = testing::small_pack(0);
  ShardOptions so;
  so.shards = 0;
  EXPECT_EQ(shard_pack(full_bytes.data(), full_bytes.size(), so).status().code(),
            Code::invalid_argument);
  so.shards = 3;
  const auto parts = shard_pack(full_bytes.data(), full_bytes.size(), so).value();
  // A head is not cut again; a plain pack is no head.
  EXPECT_FALSE(shard_pack(parts.head.data(), parts.head.size(), so).is_ok());
  EXPECT_EQ(ShardSet::open(full_bytes.data(), full_bytes.size()).status().code(),
            Code::failed_precondition);
  std::vector<std::uint8_t> bad = parts.head;
  bad[bad.size() / 2] ^= 0x40;
  EXPECT_FALSE(ShardSet::open(bad.data(), bad.size()).is_ok());
  // The head is a pack any reader opens: popularity works without shards.
  const Pack head = Pack::open(parts.head.data(), parts.head.size()).value();
  EXPECT_GT(head.top_items().size(), 0u);
  EXPECT_FALSE(head.has_relation(Relation::co_view));
  // Items are spread over the shards.
  const Pack full = Pack::open(full_bytes.data(), full_bytes.size()).value();
  std::vector<int> per(3, 0);
  for (std::uint32_t i = 0; i < full.item_count(); ++i) ++per[shard_of(full.item_id(i), 3)];
  for (int n : per) EXPECT_GT(n, static_cast<int>(full.item_count() / 5));
}

}  // namespace
// A two-level directory: the head names blocks, each block its shards. Joined, the same
// pack as the one-level cut; a shard needs its block first; bad blocks change nothing.
TEST(Shards, DirectoryBlocksNameTheShards) {
  const std::vector<std::uint8_t> full_bytes = testing::small_pack(0);
  ShardOptions so;
  so.shards = 10;
  const auto flat = shard_pack(full_bytes.data(), full_bytes.size(), so).value();
  so.block_size = 4;
  const auto parts = shard_pack(full_bytes.data(), full_bytes.size(), so).value();
  ASSERT_EQ(parts.blocks.size(), 3u);  // 4 + 4 + 2 shards
  EXPECT_EQ(parts.shards, flat.shards);
  EXPECT_LT(parts.head.size(), flat.head.size());  // 3 digests instead of 10

  ShardSet set = ShardSet::open(parts.head.data(), parts.head.size()).value();
  EXPECT_EQ(set.directory().block_size, 4u);
  EXPECT_FALSE(set.block_loaded(1));
  EXPECT_EQ(shard_digest_hex(set.directory(), 5), "");
  Status st = set.add(parts.shards[5].data(), parts.shards[5].size());
  EXPECT_EQ(st.code(), Code::failed_precondition) << st.message();
  EXPECT_EQ(set.loaded_count(), 0u);

  // Tampered, cut short, from another cut, or a shard given as a block: refused.
  std::vector<std::uint8_t> flipped = parts.blocks[1];
  flipped[40] ^= 1;
  st = set.add_block(flipped.data(), flipped.size());
  EXPECT_EQ(st.code(), Code::data_loss);
  EXPECT_NE(st.message().find("SHA-256"), std::string::npos) << st.message();
  EXPECT_FALSE(set.add_block(parts.blocks[1].data(), 30).is_ok());
  EXPECT_FALSE(set.add_block(parts.shards[1].data(), parts.shards[1].size()).is_ok());
  so.block_size = 5;
  const auto other = shard_pack(full_bytes.data(), full_bytes.size(), so).value();
  EXPECT_FALSE(set.add_block(other.blocks[1].data(), other.blocks[1].size()).is_ok());
  EXPECT_FALSE(set.block_loaded(1));

  ASSERT_TRUE(set.add_block(parts.blocks[1].data(), parts.blocks[1].size()).is_ok());
  EXPECT_TRUE(set.block_loaded(1));
  EXPECT_FALSE(set.block_loaded(0));
  ShardSet flat_set = ShardSet::open(flat.head.data(), flat.head.size()).value();
  EXPECT_EQ(shard_digest_hex(set.directory(), 5), shard_digest_hex(flat_set.directory(), 5));
  EXPECT_EQ(set.directory().sizes[5], flat_set.directory().sizes[5]);
  ASSERT_TRUE(set.add(parts.shards[5].data(), parts.shards[5].size()).is_ok());
  ASSERT_TRUE(set.add_block(parts.blocks[1].data(), parts.blocks[1].size()).is_ok());  // again
  EXPECT_TRUE(set.loaded(5));

  // Everything loaded: the joined pack equals the one-level cut's.
  for (const auto& b : parts.blocks) ASSERT_TRUE(set.add_block(b.data(), b.size()).is_ok());
  for (const auto& s : parts.shards) ASSERT_TRUE(set.add(s.data(), s.size()).is_ok());
  for (const auto& s : flat.shards) ASSERT_TRUE(flat_set.add(s.data(), s.size()).is_ok());
  EXPECT_EQ(set.joined(), flat_set.joined());

  // A one-level head has no blocks.
  EXPECT_EQ(flat_set.add_block(parts.blocks[0].data(), parts.blocks[0].size()).code(),
            Code::failed_precondition);
  so.block_size = kMaxShards + 1;
  EXPECT_EQ(shard_pack(full_bytes.data(), full_bytes.size(), so).status().code(),
            Code::invalid_argument);
}

}  // namespace vitrine
