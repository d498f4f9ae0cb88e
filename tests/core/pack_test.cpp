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

TEST(PackChecks, SlicesFindWhatTheWholeCheckFinds) {
  const std::vector<std::uint8_t> bytes = small_pack();
  for (std::size_t slice : {1u, 3u, 64u, 1u << 20}) {
    auto checks = PackChecks::start(bytes.data(), bytes.size());
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
    auto checks = PackChecks::start(bad.data(), bad.size());
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

// Rewrites every section checksum and the header checksum: damage then only structure
// checks can find.
void reseal(std::vector<std::uint8_t>& bytes) {
  auto u32 = [&](std::size_t at) { return load_u32(bytes.data() + at); };
  auto put = [&](std::size_t at, std::uint32_t v) {
    for (int k = 0; k < 4; ++k) bytes[at + k] = static_cast<std::uint8_t>(v >> (8 * k));
  };
  const std::uint32_t nsec = u32(12);
  for (std::uint32_t s = 0; s < nsec; ++s) {
    const std::size_t e = 32 + 16 * std::size_t{s};
    put(e + 12, crc32(bytes.data() + u32(e + 4), u32(e + 8)));
  }
  put(28, crc32_update(crc32(bytes.data(), 28), bytes.data() + 32, 16 * std::size_t{nsec}));
}

TEST(PackChecks, ANeighbourOutOfRangeIsFoundInSlicesAsByOpen) {
  std::vector<std::uint8_t> bytes = small_pack();
  // The first neighbour id of RSEQ (u16 ids here: three items) becomes 7.
  const std::uint32_t nsec = load_u32(bytes.data() + 12);
  std::size_t ids = 0;
  for (std::uint32_t s = 0; s < nsec; ++s) {
    const std::uint8_t* e = bytes.data() + 32 + 16 * std::size_t{s};
    if (load_u32(e) != pack_tag("RSEQ")) continue;
    const std::size_t off = load_u32(e + 4);
    ASSERT_EQ(load_u32(bytes.data() + off + 8), 2u);
    ASSERT_GT(load_u32(bytes.data() + off + 4), 0u);
    ids = off + 16 + 1024 + 4 * (3 + 1);
  }
  ASSERT_NE(ids, 0u);
  bytes[ids] = 7;
  bytes[ids + 1] = 0;
  reseal(bytes);
  const Status whole = Pack::open(bytes.data(), bytes.size()).status();
  EXPECT_EQ(whole.code(), Code::data_loss);
  EXPECT_NE(whole.message().find("neighbour out of range in RSEQ"), std::string::npos);
  auto checks = PackChecks::start(bytes.data(), bytes.size());
  ASSERT_TRUE(checks.is_ok());
  Result<bool> done = false;
  while ((done = checks.value().step(3)).is_ok() && !done.value()) {
  }
  ASSERT_FALSE(done.is_ok());
  EXPECT_EQ(done.status().message(), whole.message());
  // checked() trusts PackChecks: it skips exactly these checks, no others.
  EXPECT_TRUE(Pack::open(bytes.data(), bytes.size(), PackOpenOptions::checked()).is_ok());
  PackOpenOptions no_crc;
  no_crc.verify_checksums = false;
  EXPECT_EQ(Pack::open(bytes.data(), bytes.size(), no_crc).status().message(), whole.message());
}

// The bytes of section `tag` in a pack (the section table's entry).
std::uint8_t* section(std::vector<std::uint8_t>& bytes, const char (&tag)[5], std::size_t* size) {
  const std::uint32_t nsec = load_u32(bytes.data() + 12);
  for (std::uint32_t s = 0; s < nsec; ++s) {
    const std::uint8_t* e = bytes.data() + 32 + 16 * std::size_t{s};
    if (load_u32(e) != pack_tag(tag)) continue;
    *size = load_u32(e + 8);
    return bytes.data() + load_u32(e + 4);
  }
  return nullptr;
}

TEST(PackChecks, ItemIdsOutOfOrderAreFoundInSlicesAsByOpen) {
  // small_pack()'s ids are "gloves", "hat", "scarf": "hat" becomes "aat", before "gloves";
  // then an offset past the end of IDST.
  for (int damage : {0, 1}) {
    std::vector<std::uint8_t> bytes = small_pack();
    std::size_t size = 0;
    if (damage == 0) {
      std::uint8_t* ids = section(bytes, "IDST", &size);
      ASSERT_NE(ids, nullptr);
      const std::string all(reinterpret_cast<const char*>(ids), size);
      ASSERT_EQ(all, "gloveshatscarf");
      ids[6] = 'a';
    } else {
      std::uint8_t* offsets = section(bytes, "IDOF", &size);
      ASSERT_EQ(size, 16u);
      offsets[8] = 200;  // "hat" would end at byte 200 of 14
    }
    reseal(bytes);
    const Status whole = Pack::open(bytes.data(), bytes.size()).status();
    EXPECT_EQ(whole.message(), damage == 0 ? "model pack: item ids: not sorted"
                                           : "model pack: item ids: bad offsets");
    auto checks = PackChecks::start(bytes.data(), bytes.size());
    ASSERT_TRUE(checks.is_ok());
    Result<bool> done = false;
    std::size_t steps = 0;
    while ((done = checks.value().step(3)).is_ok() && !done.value()) ++steps;
    ASSERT_FALSE(done.is_ok());
    EXPECT_EQ(done.status().message(), whole.message());
    EXPECT_GT(steps, 10u);
    // checked() trusts PackChecks for the ids too.
    EXPECT_TRUE(Pack::open(bytes.data(), bytes.size(), PackOpenOptions::checked()).is_ok());
  }
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
