#include "vitrine/snapshot.hpp"

#include <array>
#include <cmath>
#include <cstring>
#include <string>

namespace vitrine {
namespace {

constexpr std::array<std::uint8_t, 4> kMagic = {'V', 'T', 'S', 'N'};
constexpr std::size_t kHeaderSize = 16;  // magic, version, flags, payload length, crc
// Times are ms since 1970; bounding them keeps the delta sums free of overflow.
constexpr std::int64_t kMaxTimeMs = 1'000'000'000'000'000;

bool add_time(std::int64_t& time, std::int64_t delta) {
  if (delta < -kMaxTimeMs || delta > kMaxTimeMs) return false;
  time += delta;
  return time >= 0 && time <= kMaxTimeMs;
}

class Writer {
 public:
  void u8(std::uint8_t v) { out.push_back(v); }
  void u16(std::uint16_t v) {
    for (int i = 0; i < 2; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      out.push_back(static_cast<std::uint8_t>(v | 0x80));
      v >>= 7;
    }
    out.push_back(static_cast<std::uint8_t>(v));
  }
  void svarint(std::int64_t v) {
    varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }
  void f64(double v) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
  }
  void text(const std::string& s) {
    varint(s.size());
    out.insert(out.end(), s.begin(), s.end());
  }
  std::vector<std::uint8_t> out;
};

// Every read is bounds-checked; after the first failure all reads fail.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : p_(data), end_(data + size) {}
  bool ok() const { return ok_; }
  bool at_end() const { return p_ == end_; }

  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!ok_ || p_ == end_) return fail();
      const std::uint8_t b = *p_++;
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return fail();
  }
  std::int64_t svarint() {
    const std::uint64_t v = varint();
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
  }
  std::uint8_t u8() {
    if (!ok_ || p_ == end_) return static_cast<std::uint8_t>(fail());
    return *p_++;
  }
  double f64() {
    if (!ok_ || end_ - p_ < 8) return static_cast<double>(fail());
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= static_cast<std::uint64_t>(p_[i]) << (8 * i);
    p_ += 8;
    double v = 0;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
  bool text(std::string& s, std::size_t max) {
    const std::uint64_t n = varint();
    if (!ok_ || n > max || static_cast<std::uint64_t>(end_ - p_) < n) return fail() != 0;
    s.assign(reinterpret_cast<const char*>(p_), static_cast<std::size_t>(n));
    p_ += n;
    return true;
  }

 private:
  std::uint64_t fail() {
    ok_ = false;
    return 0;
  }
  const std::uint8_t* p_;
  const std::uint8_t* end_;
  bool ok_ = true;
};

std::uint32_t read_u32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

Status corrupt(const std::string& what) {
  return Status(Code::data_loss, "snapshot is corrupt: " + what);
}

}  // namespace

std::vector<std::uint8_t> encode_snapshot(const History& history) {
  Writer body;
  body.varint(history.items().size());
  for (const ItemInfo& item : history.items()) {
    body.text(item.id);
    body.text(item.name);
    body.text(item.category);
    body.text(item.brand);
    body.f64(item.price);
  }
  body.varint(history.entries().size());
  std::int64_t previous = 0;
  for (const HistoryEntry& e : history.entries()) {
    body.svarint(e.time_ms - previous);
    previous = e.time_ms;
    body.u8(static_cast<std::uint8_t>(e.type));
    body.varint(e.item);
    body.varint(static_cast<std::uint64_t>(e.quantity));
  }
  body.varint(history.searches().size());
  previous = 0;
  for (const SearchEntry& s : history.searches()) {
    body.svarint(s.time_ms - previous);
    previous = s.time_ms;
    body.text(s.term);
  }

  Writer out;
  for (std::uint8_t b : kMagic) out.u8(b);
  out.u16(kSnapshotVersion);
  out.u16(0);  // flags, reserved
  out.u32(static_cast<std::uint32_t>(body.out.size()));
  out.u32(crc32(body.out.data(), body.out.size()));
  out.out.insert(out.out.end(), body.out.begin(), body.out.end());
  return std::move(out.out);
}

Result<History> decode_snapshot(const std::uint8_t* data, std::size_t size, std::size_t capacity) {
  if (data == nullptr || size < kHeaderSize) return corrupt("shorter than its header");
  if (std::memcmp(data, kMagic.data(), kMagic.size()) != 0) return corrupt("wrong magic");
  const std::uint16_t version = static_cast<std::uint16_t>(data[4] | data[5] << 8);
  if (version < 1 || version > kSnapshotVersion) {
    return Status(Code::unsupported, "snapshot version " + std::to_string(version) +
                                         " is not supported (this engine reads versions 1 to " +
                                         std::to_string(kSnapshotVersion) + ")");
  }
  if (data[6] != 0 || data[7] != 0) return corrupt("unknown flags");
  const std::uint32_t length = read_u32(data + 8);
  if (length != size - kHeaderSize) return corrupt("length does not match");
  const std::uint8_t* body = data + kHeaderSize;
  if (crc32(body, length) != read_u32(data + 12)) return corrupt("checksum mismatch");

  Reader r(body, length);
  History history(capacity);
  const std::uint64_t item_count = r.varint();
  if (!r.ok() || item_count > length) return corrupt("bad item count");
  for (std::uint64_t i = 0; i < item_count; ++i) {
    ItemInfo info;
    r.text(info.id, EventLimits::max_id);
    r.text(info.name, EventLimits::max_text);
    r.text(info.category, EventLimits::max_text);
    if (version >= 2) r.text(info.brand, EventLimits::max_text);
    info.price = r.f64();
    if (!r.ok()) return corrupt("bad item " + std::to_string(i));
    if (info.id.empty() || history.find(info.id)) return corrupt("bad or repeated item id");
    if (info.price != -1 && !valid_price(info.price)) {
      return corrupt("bad price");
    }
    history.intern(info);
  }
  const std::uint64_t entry_count = r.varint();
  if (!r.ok() || entry_count > length) return corrupt("bad entry count");
  std::int64_t time = 0;
  for (std::uint64_t i = 0; i < entry_count; ++i) {
    const std::int64_t delta = r.svarint();
    HistoryEntry e;
    const std::uint8_t type = r.u8();
    const std::uint64_t item = r.varint();
    const std::uint64_t quantity = r.varint();
    if (!r.ok()) return corrupt("truncated entry " + std::to_string(i));
    if ((i > 0 && delta < 0) || type >= kEventTypeCount || item >= item_count || quantity < 1 ||
        quantity > static_cast<std::uint64_t>(EventLimits::max_quantity)) {
      return corrupt("bad entry " + std::to_string(i));
    }
    if (!add_time(time, delta)) return corrupt("bad time in entry " + std::to_string(i));
    e.time_ms = time;
    e.type = static_cast<EventType>(type);
    e.item = static_cast<std::uint32_t>(item);
    e.quantity = static_cast<std::int32_t>(quantity);
    history.add_entry(e);
  }
  const std::uint64_t search_count = r.varint();
  if (!r.ok() || search_count > length) return corrupt("bad search count");
  time = 0;
  for (std::uint64_t i = 0; i < search_count; ++i) {
    SearchEntry s;
    const std::int64_t delta = r.svarint();
    r.text(s.term, EventLimits::max_text);
    if (!r.ok()) return corrupt("truncated search " + std::to_string(i));
    if (!add_time(time, delta)) return corrupt("bad time in search " + std::to_string(i));
    s.time_ms = time;
    history.add_search(std::move(s));
  }
  if (!r.at_end()) return corrupt("trailing bytes");
  return history;
}

}  // namespace vitrine
