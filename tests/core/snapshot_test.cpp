#include "vitrine/snapshot.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "test_events.hpp"

namespace vitrine {
namespace {

using testing::item_event;
using testing::view;

History sample() {
  History h;
  h.add(view("a", 1000, "Wool hat \xE2\x9C\x93"));
  h.add(item_event(EventType::add_to_cart, "b", 2000, "Gloves", 12.5));
  h.add(view("a", 3000));
  Event s;
  s.type = EventType::search;
  s.time_ms = 2500;
  s.search_term = "scarf";
  h.add(s);
  return h;
}

void expect_same(const History& x, const History& y) {
  ASSERT_EQ(x.entries().size(), y.entries().size());
  for (std::size_t i = 0; i < x.entries().size(); ++i) {
    const auto& a = x.entries()[i];
    const auto& b = y.entries()[i];
    EXPECT_EQ(a.time_ms, b.time_ms);
    EXPECT_EQ(a.type, b.type);
    EXPECT_EQ(a.quantity, b.quantity);
    EXPECT_EQ(x.items()[a.item].id, y.items()[b.item].id);
    EXPECT_EQ(x.items()[a.item].name, y.items()[b.item].name);
    EXPECT_EQ(x.items()[a.item].price, y.items()[b.item].price);
  }
  ASSERT_EQ(x.searches().size(), y.searches().size());
  EXPECT_EQ(x.searches()[0].term, y.searches()[0].term);
}

TEST(Snapshot, RoundTrips) {
  const History h = sample();
  const auto bytes = encode_snapshot(h);
  auto back = decode_snapshot(bytes.data(), bytes.size());
  ASSERT_TRUE(back.is_ok()) << back.status().message();
  expect_same(h, back.value());
  EXPECT_EQ(encode_snapshot(back.value()), bytes);  // stable encoding
}

TEST(Snapshot, EmptyHistoryRoundTrips) {
  const auto bytes = encode_snapshot(History());
  EXPECT_TRUE(decode_snapshot(bytes.data(), bytes.size()).is_ok());
}

TEST(Snapshot, EveryFlippedBitIsRefused) {
  const auto good = encode_snapshot(sample());
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      auto bad = good;
      bad[i] ^= static_cast<std::uint8_t>(1 << bit);
      auto r = decode_snapshot(bad.data(), bad.size());
      EXPECT_FALSE(r.is_ok()) << "byte " << i << " bit " << bit;
    }
  }
}

TEST(Snapshot, EveryTruncationIsRefused) {
  const auto good = encode_snapshot(sample());
  for (std::size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(decode_snapshot(good.data(), n).is_ok()) << n;
  }
  EXPECT_FALSE(decode_snapshot(nullptr, 0).is_ok());
}

TEST(Snapshot, NewerVersionSaysSo) {
  auto bytes = encode_snapshot(sample());
  bytes[4] = 9;
  auto r = decode_snapshot(bytes.data(), bytes.size());
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::unsupported);
}

TEST(Snapshot, ValidChecksumOverHostileBodyIsRefused) {
  // A body that passes the checksum but points at an item that does not exist.
  std::vector<std::uint8_t> body = {1, 1, 'a', 0, 0, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F,  // item a
                                    1, 2, 0,   5, 1,                                // item 5
                                    0};
  std::vector<std::uint8_t> bytes = {'V', 'T', 'S', 'N', 1, 0, 0, 0};
  const auto len = static_cast<std::uint32_t>(body.size());
  const std::uint32_t crc = crc32(body.data(), body.size());
  for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<std::uint8_t>(len >> (8 * i)));
  for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<std::uint8_t>(crc >> (8 * i)));
  bytes.insert(bytes.end(), body.begin(), body.end());
  auto r = decode_snapshot(bytes.data(), bytes.size());
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::data_loss);
  body[16] = 0;  // now it points at item 0
  const std::uint32_t crc2 = crc32(body.data(), body.size());
  for (int i = 0; i < 4; ++i) bytes[12 + i] = static_cast<std::uint8_t>(crc2 >> (8 * i));
  std::memcpy(bytes.data() + 16, body.data(), body.size());
  EXPECT_TRUE(decode_snapshot(bytes.data(), bytes.size()).is_ok());
}

TEST(Snapshot, Crc32KnownValue) {
  const char* s = "123456789";
  EXPECT_EQ(crc32(reinterpret_cast<const std::uint8_t*>(s), 9), 0xCBF43926u);
}

}  // namespace
}  // namespace vitrine
