// Pack <-> tables. Layout rules (alignment, checksums, section order) follow the builder's
// writer and docs/pack-format.md, so a pack written here opens with Pack::open unchanged.
#include "pack_tables.hpp"

#include <cstring>

#include "byte_writer.hpp"
#include "vitrine/crc32.hpp"

namespace vitrine::detail {
namespace {

constexpr const char* kRelationTags[kRelationCount] = {"RSEQ", "RCOV", "RBUY"};
constexpr std::uint32_t kKnownTags[] = {
    pack_tag("META"), pack_tag("IDOF"), pack_tag("IDST"), pack_tag("CTOF"),
    pack_tag("CTST"), pack_tag("ICAT"), pack_tag("IPRC"), pack_tag("IFLG"),
    pack_tag("POPQ"), pack_tag("POPT"), pack_tag("POPS"), pack_tag("POPB"),
    pack_tag("RSEQ"), pack_tag("RCOV"), pack_tag("RBUY"), pack_tag("EMBD")};

std::uint32_t relation_tag(int r) {
  const char* s = kRelationTags[r];
  return std::uint32_t(std::uint8_t(s[0])) | std::uint32_t(std::uint8_t(s[1])) << 8 |
         std::uint32_t(std::uint8_t(s[2])) << 16 | std::uint32_t(std::uint8_t(s[3])) << 24;
}

struct Out : ByteWriter {
  void ids(const std::vector<std::uint32_t>& v) {
    for (std::uint32_t x : v) u32(x);
  }
};

void put_strings(const std::vector<std::string>& strings, Out& offs, Out& bytes) {
  offs.u32(0);
  for (const std::string& s : strings) {
    bytes.raw(s.data(), s.size());
    offs.u32(static_cast<std::uint32_t>(bytes.bytes.size()));
  }
}

void put_lists(const std::vector<std::vector<std::uint32_t>>& lists, Out& out) {
  std::uint32_t at = 0;
  out.u32(0);
  for (const auto& l : lists) out.u32(at += static_cast<std::uint32_t>(l.size()));
  for (const auto& l : lists) out.ids(l);
}

}  // namespace

const std::uint8_t* find_section(const std::uint8_t* data, std::size_t data_size, std::uint32_t tag,
                                 std::size_t* size) {
  *size = 0;
  // Bounds-checked: shards and heads are read here before Pack::open has seen them.
  if (data_size < 32) return nullptr;
  const std::uint32_t nsec = load_u32(data + 12);
  if (nsec > (data_size - 32) / 16) return nullptr;
  for (std::uint32_t s = 0; s < nsec; ++s) {
    const std::uint8_t* e = data + 32 + 16 * std::size_t{s};
    if (load_u32(e) != tag) continue;
    const std::size_t offset = load_u32(e + 4), len = load_u32(e + 8);
    if (offset > data_size || len > data_size - offset) return nullptr;
    *size = len;
    return data + offset;
  }
  return nullptr;
}

Result<PackTables> read_tables(const std::uint8_t* data, std::size_t size) {
  auto opened = Pack::open(data, size);
  if (!opened.is_ok()) return opened.status();
  const Pack& pack = opened.value();
  PackTables t;
  const std::uint32_t n = pack.item_count(), nc = pack.category_count();
  std::size_t len = 0;
  std::memcpy(t.meta.data(), find_section(data, size, pack_tag("META"), &len), 32);
  t.ids.reserve(n);
  t.item_category.resize(n);
  t.price.resize(n);
  t.flags.resize(n);
  const std::uint8_t* popq = find_section(data, size, pack_tag("POPQ"), &len);
  std::memcpy(t.pop_table.data(), popq, 1024);
  t.pop_codes.assign(popq + 1024, popq + 1024 + n);
  const std::uint8_t* iflg = find_section(data, size, pack_tag("IFLG"), &len);
  for (std::uint32_t i = 0; i < n; ++i) {
    t.ids.emplace_back(pack.item_id(i));
    t.item_category[i] = pack.category(i);
    t.price[i] = pack.price(i);
    t.flags[i] = iflg[i];
  }
  for (std::uint32_t c = 0; c < nc; ++c) t.categories.emplace_back(pack.category_name(c));
  auto copy = [](IdList l) {
    std::vector<std::uint32_t> v(l.size());
    for (std::uint32_t k = 0; k < l.size(); ++k) v[k] = l[k];
    return v;
  };
  t.top = copy(pack.top_items());
  for (std::uint32_t c = 0; c < nc; ++c) t.segments.push_back(copy(pack.top_items_in(c)));
  if (pack.has_price_bands()) {
    t.bands = true;
    t.band_medium = pack.band_medium();
    t.band_high = pack.band_high();
    for (int b = 0; b < 3; ++b) t.band_lists[b] = copy(pack.top_items_in_band(b));
  }
  for (int r = 0; r < kRelationCount; ++r) {
    const std::uint8_t* sec = find_section(data, size, relation_tag(r), &len);
    if (sec == nullptr) continue;
    RelationTable& rel = t.relations[r];
    rel.present = true;
    std::memcpy(rel.table.data(), sec + 16, 1024);
    rel.row_ptr.assign(1, 0);
    for (std::uint32_t i = 0; i < n; ++i) {
      const RelationRow row = pack.row(static_cast<Relation>(r), i);
      for (std::uint32_t k = 0; k < row.size(); ++k) {
        rel.ids.push_back(row.item(k));
        rel.codes.push_back(row.code(k));
      }
      rel.row_ptr.push_back(static_cast<std::uint32_t>(rel.ids.size()));
    }
  }
  if (pack.embedding_dim() > 0) {
    t.embedding_dim = pack.embedding_dim();
    t.embedding_scale = pack.embedding_scale();
    const std::int8_t* e = pack.embedding(0);
    t.embeddings.assign(e, e + std::size_t{n} * t.embedding_dim);
  }
  const std::uint32_t nsec = load_u32(data + 12);
  for (std::uint32_t s = 0; s < nsec; ++s) {
    const std::uint8_t* e = data + 32 + 16 * std::size_t{s};
    const std::uint32_t tag = load_u32(e);
    bool known = false;
    for (std::uint32_t k : kKnownTags) known = known || k == tag;
    if (known) continue;
    const std::uint8_t* p = data + load_u32(e + 4);
    t.extra.push_back({tag, std::vector<std::uint8_t>(p, p + load_u32(e + 8))});
  }
  return t;
}

std::vector<std::uint8_t> write_pack(const PackTables& t) {
  const std::uint32_t n = t.item_count();
  const auto nc = static_cast<std::uint32_t>(t.categories.size());
  std::vector<std::pair<std::uint32_t, Out>> sections;
  auto add = [&](const char(&tag)[5]) -> Out& {
    sections.push_back({pack_tag(tag), Out{}});
    return sections.back().second;
  };
  add("META").raw(t.meta.data(), 32);
  {
    Out offs, bytes;
    put_strings(t.ids, offs, bytes);
    add("IDOF") = std::move(offs);
    add("IDST") = std::move(bytes);
  }
  {
    Out offs, bytes;
    put_strings(t.categories, offs, bytes);
    add("CTOF") = std::move(offs);
    add("CTST") = std::move(bytes);
  }
  add("ICAT").ids(t.item_category);
  {
    Out& p = add("IPRC");
    for (float v : t.price) p.f32(v);
  }
  add("IFLG").raw(t.flags.data(), t.flags.size());
  {
    Out& p = add("POPQ");
    for (float v : t.pop_table) p.f32(v);
    p.raw(t.pop_codes.data(), t.pop_codes.size());
  }
  add("POPT").ids(t.top);
  put_lists(t.segments, add("POPS"));
  if (t.bands) {
    Out& p = add("POPB");
    p.f32(t.band_medium);
    p.f32(t.band_high);
    put_lists({t.band_lists[0], t.band_lists[1], t.band_lists[2]}, p);
  }
  const std::uint32_t width = n <= 65536 ? 2 : 4;
  for (int r = 0; r < kRelationCount; ++r) {
    const RelationTable& rel = t.relations[r];
    if (!rel.present) continue;
    sections.push_back({relation_tag(r), Out{}});
    Out& p = sections.back().second;
    p.u32(n);
    p.u32(static_cast<std::uint32_t>(rel.ids.size()));
    p.u32(width);
    p.u32(0);
    for (float v : rel.table) p.f32(v);
    p.ids(rel.row_ptr);
    for (std::uint32_t id : rel.ids) {
      if (width == 2) {
        p.u8(static_cast<std::uint8_t>(id));
        p.u8(static_cast<std::uint8_t>(id >> 8));
      } else {
        p.u32(id);
      }
    }
    p.raw(rel.codes.data(), rel.codes.size());
  }
  if (t.embedding_dim > 0) {
    Out& p = add("EMBD");
    p.u32(t.embedding_dim);
    p.f32(t.embedding_scale);
    p.raw(t.embeddings.data(), t.embeddings.size());
  }
  for (const auto& [tag, bytes] : t.extra) {
    sections.push_back({tag, Out{}});
    sections.back().second.bytes = bytes;
  }

  // Header, section table, then each section on an 8-byte boundary.
  const std::size_t table_end = 32 + 16 * sections.size();
  std::vector<std::uint32_t> offsets;
  std::size_t pos = (table_end + 7) & ~std::size_t{7};
  for (const auto& s : sections) {
    offsets.push_back(static_cast<std::uint32_t>(pos));
    pos = (pos + s.second.bytes.size() + 7) & ~std::size_t{7};
  }
  Out w;
  w.raw("VTRNPACK", 8);
  w.u32(kPackVersion);
  w.u32(static_cast<std::uint32_t>(sections.size()));
  w.u32(n);
  w.u32(nc);
  w.u32(static_cast<std::uint32_t>(pos));
  w.u32(0);  // header checksum, below
  for (std::size_t k = 0; k < sections.size(); ++k) {
    const auto& b = sections[k].second.bytes;
    w.u32(sections[k].first);
    w.u32(offsets[k]);
    w.u32(static_cast<std::uint32_t>(b.size()));
    w.u32(crc32(b.data(), b.size()));
  }
  std::vector<std::uint8_t> head(w.bytes.begin(), w.bytes.begin() + 28);
  head.insert(head.end(), w.bytes.begin() + 32, w.bytes.end());
  const std::uint32_t hc = crc32(head.data(), head.size());
  for (int k = 0; k < 4; ++k) w.bytes[28 + k] = static_cast<std::uint8_t>(hc >> (8 * k));
  for (std::size_t k = 0; k < sections.size(); ++k) {
    w.bytes.resize(offsets[k], 0);
    w.raw(sections[k].second.bytes.data(), sections[k].second.bytes.size());
  }
  w.bytes.resize(pos, 0);
  return std::move(w.bytes);
}

}  // namespace vitrine::detail
