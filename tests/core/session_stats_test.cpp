// Pack sections SSTA (session statistics) and FUSN (learned fusion): what the builder
// writes, what the reader refuses, and that packs without them score as before.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "vitrine/crc32.hpp"
#include "vitrine/pack.hpp"
#include "vitrine/pack_builder.hpp"
#include "vitrine/recommend.hpp"

namespace vitrine {
namespace {

// Sessions with a strong order: item k is followed by k+1 (mod 40), a few random steps,
// and some items seen twice.
std::vector<std::uint8_t> build(bool stats, bool fusion, std::uint32_t parts = 0x7,
                                std::uint32_t sessions = 600, PackBuildOptions o = {},
                                PackBuildStats* stats_out = nullptr) {
  o.stats_parts = parts;
  o.min_support = 2;
  o.max_neighbors = 10;
  o.session_stats = stats;
  o.fusion = fusion;
  o.fusion_epochs = 2;
  PackBuilder b(o);
  std::mt19937 rng(7);
  for (std::uint32_t s = 0; s < sessions; ++s) {
    std::vector<SessionEvent> ev;
    std::uint32_t item = rng() % 40;
    const std::uint32_t len = 2 + rng() % 6;
    for (std::uint32_t k = 0; k < len; ++k) {
      ev.push_back({b.intern("i" + std::to_string(item)).value(), EventType::view_item});
      if (item % 5 == 0 && k + 1 < len) {  // items 0, 5, 10, ... are viewed twice in a row
        ev.push_back({b.intern("i" + std::to_string(item)).value(), EventType::view_item});
      }
      item = rng() % 4 == 0 ? rng() % 40 : (item + 1) % 40;
    }
    EXPECT_TRUE(b.add_session(ev).is_ok());
  }
  return b.build(stats_out).value();
}

std::vector<Signal> history(const Pack& p, std::initializer_list<const char*> ids) {
  std::vector<Signal> s;
  for (const char* id : ids) s.push_back({p.find(id).value(), EventType::view_item, 0});
  return s;
}

TEST(SessionStats, WrittenAndRead) {
  const std::vector<std::uint8_t> bytes = build(true, false, parse_stats_parts("all").value());
  const Pack p = Pack::open(bytes.data(), bytes.size()).value();
  ASSERT_TRUE(p.has_session_stats());
  EXPECT_FALSE(p.has_fusion());
  const std::uint32_t i3 = p.find("i3").value(), i4 = p.find("i4").value();
  const std::uint32_t i5 = p.find("i5").value();
  // The strongest forward and immediate neighbour of i3 is i4; backward of i4 is i3.
  EXPECT_EQ(p.session_row(SessionRelation::forward, i3).item(0), i4);
  EXPECT_EQ(p.session_row(SessionRelation::immediate, i3).item(0), i4);
  EXPECT_EQ(p.session_row(SessionRelation::backward, i4).item(0), i3);
  EXPECT_GT(p.session_row(SessionRelation::cooccur, i3).size(), 0u);
  // Repeats: i5 is viewed twice in a row, i3 never.
  EXPECT_GT(p.session_stat(SessionStat::immediate_repeat, i5), 0.2f);
  EXPECT_EQ(p.session_stat(SessionStat::immediate_repeat, i3), 0.0f);
  EXPECT_GT(p.session_stat(SessionStat::popularity, i3), 0.0f);
  EXPECT_GT(p.session_stat(SessionStat::forward_sum, i3), 0.0f);
}

TEST(SessionStats, CompactPacksCarryValuesOnly) {
  const std::vector<std::uint8_t> full = build(true, false, 0xFFF), compact = build(true, false);
  const Pack p = Pack::open(compact.data(), compact.size()).value();
  ASSERT_TRUE(p.has_session_stats());
  EXPECT_LT(compact.size(), full.size());
  EXPECT_FALSE(p.has_session_relation(SessionRelation::forward));
  EXPECT_TRUE(p.session_row(SessionRelation::cooccur, 0).empty());
  EXPECT_EQ(p.session_stat(SessionStat::forward_sum, 0), 0.0f);
  EXPECT_GT(p.session_stat(SessionStat::recent, p.find("i3").value()), 0.0f);
  EXPECT_EQ(parse_stats_parts("popularity,recent,repeat").value(), 0x7u);
  EXPECT_EQ(parse_stats_parts("forward").value(), 0x101u);
  EXPECT_FALSE(parse_stats_parts("recent,bogus").is_ok());
}

TEST(SessionStats, OldSectionsUnchangedAndScoredAsBefore) {
  const std::vector<std::uint8_t> plain = build(false, false), with = build(true, true);
  const Pack a = Pack::open(plain.data(), plain.size()).value();
  const Pack b = Pack::open(with.data(), with.size()).value();
  EXPECT_FALSE(a.has_session_stats());
  ASSERT_TRUE(b.has_fusion());
  // The version-1 sections are the same bytes: the new pack only adds SSTA and FUSN.
  EXPECT_GT(with.size(), plain.size());
  // Without SSTA, automatic is the neighbourhood scorer, in both packs alike.
  RecommendRequest r;
  r.limit = 10;
  Recommender ra(a), rb(b);
  const auto h = history(a, {"i1", "i2", "i3"});
  const auto old_auto = ra.recommend(h, r);
  r.scorer = Scorer::neighbourhood;
  const auto old_nb = ra.recommend(h, r);
  const auto new_nb = rb.recommend(history(b, {"i1", "i2", "i3"}), r);
  ASSERT_EQ(old_auto.size(), 10u);
  ASSERT_EQ(old_auto.size(), old_nb.size());
  ASSERT_EQ(old_nb.size(), new_nb.size());
  for (std::size_t k = 0; k < old_nb.size(); ++k) {
    EXPECT_EQ(old_auto[k].item, old_nb[k].item);
    EXPECT_EQ(old_auto[k].score, old_nb[k].score);
    EXPECT_EQ(a.item_id(old_nb[k].item), b.item_id(new_nb[k].item));
    EXPECT_EQ(old_nb[k].score, new_nb[k].score);
  }
}

TEST(SessionStats, FusedAndHandScorersRankTheNextItemWithReasons) {
  for (std::uint32_t parts : {0x7u, 0xFFFu}) {
    SCOPED_TRACE(parts);
    const std::vector<std::uint8_t> bytes = build(true, true, parts);
    const Pack p = Pack::open(bytes.data(), bytes.size()).value();
    ASSERT_TRUE(p.has_fusion());
    EXPECT_EQ(p.fusion().features, 32u);
    EXPECT_EQ(p.fusion().neighbours, 50u);
    EXPECT_EQ(p.fusion().hidden, 32u);
    Recommender rec(p);
    for (Scorer s : {Scorer::statistics, Scorer::fused, Scorer::automatic}) {
      RecommendRequest r;
      r.limit = 5;
      r.scorer = s;
      const auto out = rec.recommend(history(p, {"i11", "i12"}), r);
      ASSERT_EQ(out.size(), 5u);
      // The next item first among items not seen yet (re-views may come before it).
      std::size_t at = 0;
      while (at < out.size() &&
             (p.item_id(out[at].item) == "i11" || p.item_id(out[at].item) == "i12"))
        ++at;
      ASSERT_LT(at, out.size());
      EXPECT_EQ(p.item_id(out[at].item), "i13") << int(s);
      for (const Recommendation& x : out) {
        EXPECT_GT(x.score, 0.0f);
        EXPECT_TRUE(x.reason.source == Source::co_view || x.reason.source == Source::re_view);
        EXPECT_LT(x.reason.item, p.item_count());
      }
    }
    // The fused scores are not the hand scores: a different model ranks.
    RecommendRequest hand, fused;
    hand.scorer = Scorer::statistics;
    fused.scorer = Scorer::fused;
    const auto h = history(p, {"i20", "i21", "i35"});
    EXPECT_NE(rec.recommend(h, hand)[0].score, rec.recommend(h, fused)[0].score);
  }
}

// The builder's own packs pass; a pack whose SSTA or FUSN is cut short is refused.
std::vector<std::uint8_t> with_section_length(std::vector<std::uint8_t> bytes, const char* tag,
                                              std::uint32_t delta) {
  const std::uint32_t count = load_u32(bytes.data() + 12);
  for (std::uint32_t s = 0; s < count; ++s) {
    std::uint8_t* e = bytes.data() + 32 + 16 * s;
    if (std::memcmp(e, tag, 4) != 0) continue;
    const std::uint32_t len = load_u32(e + 8) - delta;
    std::memcpy(e + 8, &len, 4);
  }
  // The header CRC covers the section table (always checked): recompute it.
  std::string head(reinterpret_cast<const char*>(bytes.data()), 28);
  head.append(reinterpret_cast<const char*>(bytes.data() + 32), 16 * count);
  const std::uint32_t crc = crc32(reinterpret_cast<const std::uint8_t*>(head.data()), head.size());
  std::memcpy(bytes.data() + 28, &crc, 4);
  return bytes;
}

TEST(SessionStats, TruncatedSectionsAreRefused) {
  const std::vector<std::uint8_t> bytes = build(true, true);
  PackOpenOptions no_crc;
  no_crc.verify_checksums = false;
  ASSERT_TRUE(Pack::open(bytes.data(), bytes.size(), no_crc).is_ok());
  for (const char* tag : {"SSTA", "FUSN"}) {
    const auto cut = with_section_length(bytes, tag, 4);
    const auto r = Pack::open(cut.data(), cut.size(), no_crc);
    ASSERT_FALSE(r.is_ok()) << tag;
    EXPECT_EQ(r.status().code(), Code::data_loss);
    EXPECT_NE(r.status().message().find(tag), std::string::npos) << r.status().message();
  }
}

// Folds: the fusion also learns from an earlier slice, with statistics of the sessions
// before it, so it sees more points; the neighbourhood candidate count is stored in FUSN.
TEST(SessionStats, FusionFoldsAndNeighbourCandidates) {
  PackBuildOptions one, two;
  two.fusion_folds = 2;
  two.fusion_neighbours = 20;
  PackBuildStats s1, s2;
  const auto a = build(true, true, 0x7, 1200, one, &s1);
  const auto b = build(true, true, 0x7, 1200, two, &s2);
  EXPECT_GT(s1.fusion_points, 100u);
  EXPECT_GT(s2.fusion_points, s1.fusion_points + s1.fusion_points / 2);
  const Pack pb = Pack::open(b.data(), b.size()).value();
  ASSERT_TRUE(pb.has_fusion());
  EXPECT_EQ(pb.fusion().neighbours, 20u);
  EXPECT_NE(s1.fusion_loss, s2.fusion_loss);
  // A count above 1000 is refused.
  std::vector<std::uint8_t> bad = b;
  const std::uint32_t count = load_u32(bad.data() + 12);
  bool found = false;
  for (std::uint32_t k = 0; k < count; ++k) {
    const std::uint8_t* e = bad.data() + 32 + 16 * k;
    if (std::memcmp(e, "FUSN", 4) != 0) continue;
    const std::uint32_t at = load_u32(e + 4) + 20, v = 1001;
    std::memcpy(bad.data() + at, &v, 4);
    found = true;
  }
  ASSERT_TRUE(found);
  PackOpenOptions no_crc;
  no_crc.verify_checksums = false;
  const auto r = Pack::open(bad.data(), bad.size(), no_crc);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("FUSN"), std::string::npos) << r.status().message();
}

TEST(SessionStats, PrivatePacksLeaveThemOut) {
  PackBuildOptions o;
  o.session_stats = true;
  o.fusion = true;
  o.dp.epsilon = 4;
  o.dp.key = pack::dp_key_from_seed(1);
  PackBuilder b(o);
  for (int k = 0; k < 10; ++k) {
    ASSERT_TRUE(b.add_catalog_item({"i" + std::to_string(k), "", NAN, true}).is_ok());
  }
  for (int s = 0; s < 100; ++s) {
    ASSERT_TRUE(b.add_session({{b.intern("i" + std::to_string(s % 10)).value()},
                               {b.intern("i" + std::to_string((s + 1) % 10)).value()}})
                    .is_ok());
  }
  const auto bytes = b.build().value();
  const Pack p = Pack::open(bytes.data(), bytes.size()).value();
  EXPECT_TRUE(p.info().privacy.enabled);
  EXPECT_FALSE(p.has_session_stats());
  EXPECT_FALSE(p.has_fusion());
}

}  // namespace
}  // namespace vitrine
