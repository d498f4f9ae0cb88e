#include "vitrine/pack.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "vitrine/crc32.hpp"
#include "vitrine/pack_builder.hpp"

namespace vitrine {
namespace {

std::vector<std::uint8_t> small_pack() {
  PackBuilder b;
  EXPECT_TRUE(b.add_catalog_item({"hat", "Hats", 19.5f, true}).is_ok());
  EXPECT_TRUE(b.add_catalog_item({"scarf", "Scarves", 25.0f, false}).is_ok());
  EXPECT_TRUE(b.add_catalog_item({"gloves", "Hats", 12.0f, true}).is_ok());
  const std::uint32_t hat = b.intern("hat").value(), scarf = b.intern("scarf").value(),
                      gloves = b.intern("gloves").value();
  for (int k = 0; k < 3; ++k) {
    EXPECT_TRUE(
        b.add_session({{hat, EventType::view_item}, {scarf, EventType::view_item}}).is_ok());
  }
  EXPECT_TRUE(b.add_session({{gloves, EventType::view_item},
                             {hat, EventType::add_to_cart},
                             {gloves, EventType::add_to_cart}})
                  .is_ok());
  return b.build().value();
}

TEST(Pack, OpensWhatTheBuilderWrites) {
  const std::vector<std::uint8_t> bytes = small_pack();
  Result<Pack> r = Pack::open(bytes.data(), bytes.size());
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  const Pack& p = r.value();
  ASSERT_EQ(p.item_count(), 3u);
  ASSERT_EQ(p.category_count(), 2u);
  // Dense ids follow the bytewise order of the string ids.
  EXPECT_EQ(p.item_id(0), "gloves");
  EXPECT_EQ(p.item_id(1), "hat");
  EXPECT_EQ(p.item_id(2), "scarf");
  EXPECT_EQ(p.find("hat"), 1u);
  EXPECT_EQ(p.find("nope"), std::nullopt);
  EXPECT_EQ(p.find(""), std::nullopt);
  EXPECT_EQ(p.category_name(p.category(1)), "Hats");
  EXPECT_EQ(p.find_category("Scarves"), p.category(2));
  EXPECT_FLOAT_EQ(p.price(1), 19.5f);
  EXPECT_TRUE(p.available(1));
  EXPECT_FALSE(p.available(2));
  EXPECT_FALSE(p.available(99));
  EXPECT_TRUE(std::isnan(p.price(99)));
  EXPECT_EQ(p.item_id(99), "");
  // hat is in 4 sessions, scarf in 3, gloves in 1.
  ASSERT_GE(p.top_items().size(), 3u);
  EXPECT_EQ(p.top_items()[0], 1u);
  EXPECT_EQ(p.top_items()[1], 2u);
  EXPECT_GT(p.popularity(1), p.popularity(2));
  const IdList hats = p.top_items_in(p.category(1));
  ASSERT_EQ(hats.size(), 2u);
  EXPECT_EQ(hats[0], 1u);
  // hat -> scarf in three sessions.
  const RelationRow row = p.row(Relation::co_view_seq, 1);
  ASSERT_GE(row.size(), 1u);
  EXPECT_EQ(row.item(0), 2u);
  EXPECT_NEAR(row.weight(0), 3.0f, 0.05f);
  // gloves and hat carted together.
  const RelationRow buy = p.row(Relation::co_purchase, 0);
  ASSERT_EQ(buy.size(), 1u);
  EXPECT_EQ(buy.item(0), 1u);
  EXPECT_TRUE(p.row(Relation::co_view, 1000).empty());
  EXPECT_EQ(p.embedding_dim(), 0u);
  EXPECT_EQ(p.embedding(0), nullptr);
  EXPECT_EQ(p.info().sessions, 4u);
}

TEST(Pack, RefusesBadHeaders) {
  std::vector<std::uint8_t> bytes = small_pack();
  EXPECT_EQ(Pack::open(nullptr, 0).status().code(), Code::data_loss);
  EXPECT_EQ(Pack::open(bytes.data(), 10).status().code(), Code::data_loss);
  EXPECT_EQ(Pack::open(bytes.data(), bytes.size() - 1).status().code(), Code::data_loss);
  std::vector<std::uint8_t> bad = bytes;
  bad[0] = 'X';
  EXPECT_EQ(Pack::open(bad.data(), bad.size()).status().code(), Code::data_loss);
  bad = bytes;
  bad[8] = 2;  // a newer version
  EXPECT_EQ(Pack::open(bad.data(), bad.size()).status().code(), Code::unsupported);
}

TEST(Pack, EveryFlippedByteIsCaughtOrHarmless) {
  const std::vector<std::uint8_t> bytes = small_pack();
  std::size_t harmless = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::vector<std::uint8_t> bad = bytes;
    bad[i] ^= 0x5A;
    Result<Pack> r = Pack::open(bad.data(), bad.size());
    if (i >= 8 && i < 12) {
      // The version field: any change reads as a newer version, which this engine refuses
      // as unsupported (not as damage: a newer pack is not a broken one).
      ASSERT_FALSE(r.is_ok()) << "byte " << i;
      EXPECT_EQ(r.status().code(), Code::unsupported) << "byte " << i;
    } else if (r.is_ok()) {
      // Checksums cover every section and the header: only zero padding between sections
      // may change unnoticed, and then the pack reads exactly as before.
      ++harmless;
      EXPECT_EQ(bytes[i], 0u) << "byte " << i << " changed unnoticed";
      ASSERT_EQ(r.value().item_count(), 3u) << "byte " << i;
      EXPECT_EQ(r.value().item_id(1), "hat") << "byte " << i;
    } else {
      EXPECT_EQ(r.status().code(), Code::data_loss) << "byte " << i;
    }
  }
  EXPECT_LT(harmless, bytes.size() / 8) << "most bytes must be covered by a checksum";
}

TEST(Pack, ChecksumsOffStillValidatesStructure) {
  std::vector<std::uint8_t> bytes = small_pack();
  PackOpenOptions fast;
  fast.verify_checksums = false;
  ASSERT_TRUE(Pack::open(bytes.data(), bytes.size(), fast).is_ok());
  // Truncations always fail, whatever the options.
  for (std::size_t n = 0; n < bytes.size(); n += 7) {
    EXPECT_FALSE(Pack::open(bytes.data(), n, fast).is_ok()) << n;
  }
}

TEST(Crc32, KnownValuesAndSlices) {
  const std::string text = "123456789";
  const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
  EXPECT_EQ(crc32(p, text.size()), 0xCBF43926u);  // the standard check value
  EXPECT_EQ(crc32(p, 0), 0u);
  // Any split gives the same checksum as the whole, across the 8-byte fast path.
  std::vector<std::uint8_t> bytes(1000);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7 + 3);
  const std::uint32_t whole = crc32(bytes.data(), bytes.size());
  for (std::size_t cut : {0u, 1u, 7u, 8u, 9u, 500u, 999u, 1000u}) {
    EXPECT_EQ(crc32_update(crc32(bytes.data(), cut), bytes.data() + cut, bytes.size() - cut), whole)
        << cut;
  }
}

TEST(PackChecksums, SlicesFindWhatTheWholeCheckFinds) {
  const std::vector<std::uint8_t> bytes = small_pack();
  for (std::size_t slice : {1u, 3u, 64u, 1u << 20}) {
    auto checks = PackChecksums::start(bytes.data(), bytes.size());
    ASSERT_TRUE(checks.is_ok()) << checks.status().message();
    std::size_t steps = 0;
    Result<bool> done = false;
    while ((done = checks.value().step(slice)).is_ok() && !done.value()) ++steps;
    ASSERT_TRUE(done.is_ok()) << done.status().message();
    if (slice == 1) EXPECT_GT(steps, 100u);  // it really went a byte at a time
  }
  // A flipped byte inside a section is found by the sliced check exactly when Pack::open
  // finds it with its checksums and not without them (the checksum's own catch).
  std::size_t caught = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::vector<std::uint8_t> bad = bytes;
    bad[i] ^= 0x5A;
    auto checks = PackChecksums::start(bad.data(), bad.size());
    const bool whole_ok = Pack::open(bad.data(), bad.size()).is_ok();
    const bool structure_ok = Pack::open(bad.data(), bad.size(), {false}).is_ok();
    if (!checks.is_ok()) {
      EXPECT_FALSE(whole_ok) << "byte " << i;
      continue;
    }
    Result<bool> done = false;
    while ((done = checks.value().step(5)).is_ok() && !done.value()) {
    }
    if (structure_ok) {
      EXPECT_EQ(done.is_ok(), whole_ok) << "byte " << i;
      caught += done.is_ok() ? 0 : 1;
    }
    if (!done.is_ok()) EXPECT_EQ(done.status().code(), Code::data_loss) << "byte " << i;
  }
  EXPECT_GT(caught, 0u);
}

TEST(Pack, EmptyPackIsUsable) {
  PackBuilder b;
  const std::vector<std::uint8_t> bytes = b.build().value();
  Result<Pack> r = Pack::open(bytes.data(), bytes.size());
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  EXPECT_EQ(r.value().item_count(), 0u);
  EXPECT_EQ(r.value().find("x"), std::nullopt);
  EXPECT_TRUE(r.value().top_items().empty());
}

}  // namespace
}  // namespace vitrine
