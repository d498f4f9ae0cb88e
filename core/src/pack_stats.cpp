// Reader of the optional sections SSTA (session statistics) and FUSN (learned fusion):
// every length, offset table, id and float is checked before a view is handed out, as for
// the version-1 sections (docs/pack-format.md).
#include <cmath>
#include <string>

#include "vitrine/pack.hpp"

namespace vitrine {
namespace {

Status corrupt(const std::string& what) { return Status(Code::data_loss, "model pack: " + what); }

// A bounded cursor over a section.
struct Cursor {
  const std::uint8_t* p;
  std::size_t left;
  bool take(std::uint64_t n, const std::uint8_t*& out) {
    if (n > left) return false;
    out = p;
    p += n;
    left -= static_cast<std::size_t>(n);
    return true;
  }
};

bool table256(const std::uint8_t* p, float* out) {
  for (int k = 0; k < 256; ++k) {
    const float v = load_f32(p + 4 * k);
    if (!std::isfinite(v) || v < 0) return false;
    out[k] = v;
  }
  return true;
}

}  // namespace

Status Pack::read_session_stats(const std::uint8_t* data, std::size_t len) {
  Cursor c{data, len};
  const std::uint8_t* head = nullptr;
  if (!c.take(32, head)) return corrupt("truncated section SSTA");
  const std::uint64_t n = item_count_;
  if (load_u32(head) != 1) return Status::ok();  // a later layout: not read, scoring as before
  if (load_u32(head + 4) != n || load_u32(head + 8) != kSessionStatValues ||
      load_u32(head + 12) != kSessionStatRelations) {
    return corrupt("bad counts in SSTA");
  }
  // Parts present: bit s for value s, bit 8 + r for relation r; popularity always.
  const std::uint32_t parts = load_u32(head + 28);
  if (!(parts & 1u) || parts > 0xFFF) return corrupt("bad parts in SSTA");
  const std::uint8_t* values[kSessionStatValues] = {};
  for (int s = 0; s < kSessionStatValues; ++s) {
    if (!(parts & (1u << s))) continue;
    const std::uint8_t* p = nullptr;
    if (!c.take(1024 + n, p)) return corrupt("truncated section SSTA");
    if (!table256(p, stats_tables_[s])) return corrupt("bad value table in SSTA");
    values[s] = p + 1024;
  }
  for (int r = 0; r < kSessionStatRelations; ++r) {
    if (!(parts & (1u << (8 + r)))) continue;
    Rel& rel = stats_rel_[r];
    const std::uint8_t* p = nullptr;
    if (!c.take(8 + 1024 + 4 * (n + 1), p)) return corrupt("truncated relation in SSTA");
    const std::uint64_t nnz = load_u32(p), width = load_u32(p + 4);
    if (width != 4 && !(width == 2 && n <= 65536)) return corrupt("bad id width in SSTA");
    if (!table256(p + 8, rel.table)) return corrupt("bad weight table in SSTA");
    rel.row_ptr = p + 8 + 1024;
    // Offsets: start at 0, never decrease, end at nnz.
    std::uint32_t prev = load_u32(rel.row_ptr);
    if (prev != 0) return corrupt("bad row offsets in SSTA");
    for (std::uint64_t i = 1; i <= n; ++i) {
      const std::uint32_t v = load_u32(rel.row_ptr + 4 * i);
      if (v < prev) return corrupt("bad row offsets in SSTA");
      prev = v;
    }
    if (prev != nnz) return corrupt("bad row offsets in SSTA");
    if (!c.take(width * nnz, rel.ids) || !c.take(nnz, rel.codes)) {
      return corrupt("truncated relation in SSTA");
    }
    for (std::uint64_t k = 0; k < nnz; ++k) {
      const std::uint32_t id = width == 4 ? load_u32(rel.ids + 4 * k) : load_u16(rel.ids + 2 * k);
      if (id >= n) return corrupt("neighbour out of range in SSTA");
    }
    rel.id_width = static_cast<std::uint32_t>(width);
    rel.rows = static_cast<std::uint32_t>(n);
    rel.nnz = static_cast<std::uint32_t>(nnz);
  }
  if (c.left != 0) return corrupt("bad length of section SSTA");
  for (int s = 0; s < kSessionStatValues; ++s) stats_values_[s] = values[s];
  return Status::ok();
}

Status Pack::read_fusion(const std::uint8_t* data, std::size_t len) {
  if (len < 24) return corrupt("truncated section FUSN");
  if (load_u32(data) != 1) return Status::ok();  // a later layout: not read
  FusionParams f;
  f.features = load_u32(data + 4);
  f.hidden = load_u32(data + 8);
  f.candidates = load_u32(data + 12);
  f.hand_count = load_u32(data + 16);
  f.neighbours = load_u32(data + 20);
  if (f.features == 0 || f.features > 256 || f.hidden > 256 || f.candidates == 0 ||
      f.candidates > 1000 || f.hand_count > 256 || f.neighbours > 1000) {
    return corrupt("bad sizes in FUSN");
  }
  const std::uint64_t floats = std::uint64_t{f.hand_count} + 3 * f.features +
                               std::uint64_t{f.hidden} * f.features + 2 * f.hidden;
  if (len != 24 + 4 * std::uint64_t{f.features} + 4 * floats) {
    return corrupt("bad length of section FUSN");
  }
  f.feature_ids = data + 24;
  f.hand = f.feature_ids + 4 * std::size_t{f.features};
  f.mean = f.hand + 4 * std::size_t{f.hand_count};
  for (std::uint64_t k = 0; k < floats; ++k) {
    if (!std::isfinite(load_f32(f.hand + 4 * k))) return corrupt("non-finite weight in FUSN");
  }
  if (!has_session_stats()) return Status::ok();  // nothing to rerank: not used
  fusion_ = f;
  return Status::ok();
}

}  // namespace vitrine
