// Pack reader: validates every header field, section bound, offset table and id before
// exposing any view, so the accessors need no further checks beyond the dense-id range.
#include "vitrine/pack.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "vitrine/byte_buffer.hpp"
#include "vitrine/crc32.hpp"

namespace vitrine {
namespace {

constexpr char kMagic[8] = {'V', 'T', 'R', 'N', 'P', 'A', 'C', 'K'};
constexpr std::size_t kHeaderSize = 32;
constexpr std::size_t kSectionEntrySize = 16;
constexpr std::uint32_t kMaxSections = 64;

Status corrupt(const std::string& what) { return Status(Code::data_loss, "model pack: " + what); }

std::string tag_name(std::uint32_t tag) {
  std::string s(4, '?');
  for (int k = 0; k < 4; ++k) {
    const char c = static_cast<char>((tag >> (8 * k)) & 0xFF);
    s[k] = (c >= 32 && c < 127) ? c : '?';
  }
  return s;
}

struct Span {
  const std::uint8_t* p = nullptr;
  std::size_t n = 0;
};

// Checks that `count` u32 offsets (count >= 1) start at 0, never decrease and end at `end`.
bool valid_offsets(const std::uint8_t* offs, std::uint64_t count, std::uint64_t end) {
  if (load_u32(offs) != 0) return false;
  std::uint32_t prev = 0;
  // count entries fit in a section already checked against the buffer, so in size_t too.
  const auto entries = static_cast<std::size_t>(count);
  for (std::size_t k = 1; k < entries; ++k) {
    const std::uint32_t v = load_u32(offs + 4 * k);
    if (v < prev) return false;
    prev = v;
  }
  return prev == end;
}

bool finite_nonneg_table(const std::uint8_t* p, float* out) {
  for (int k = 0; k < 256; ++k) {
    const float v = load_f32(p + 4 * k);
    if (!std::isfinite(v) || v < 0) return false;
    out[k] = v;
  }
  return true;
}

std::string_view string_at(const std::uint8_t* offs, const std::uint8_t* bytes, std::uint32_t k) {
  const std::uint32_t a = load_u32(offs + 4 * std::size_t{k});
  const std::uint32_t b = load_u32(offs + 4 * (std::size_t{k} + 1));
  return {reinterpret_cast<const char*>(bytes) + a, b - a};
}

// Strings from..to-1 of `count`, at u32 offsets into `len` bytes: the offsets start at 0,
// never decrease and end at `len`; every string is 1..kPackMaxIdBytes bytes and after the
// one before it (bytewise). Nothing when good, else what is wrong. Checked a range at a
// time (in order) so that PackChecks can spread a large pack's ids over several steps.
const char* bad_strings(const std::uint8_t* offs, const std::uint8_t* bytes, std::uint64_t len,
                        std::uint32_t from, std::uint32_t to, std::uint32_t count) {
  if (from == 0 && load_u32(offs) != 0) return "bad offsets";
  for (std::uint32_t k = from; k < to; ++k) {
    const std::uint32_t a = load_u32(offs + 4 * std::size_t{k});
    const std::uint32_t b = load_u32(offs + 4 * (std::size_t{k} + 1));
    if (b < a || b > len) return "bad offsets";
    if (a == b || b - a > kPackMaxIdBytes) return "empty or too long";
    if (k > 0 && !(string_at(offs, bytes, k - 1) < string_at(offs, bytes, k))) {
      return "not sorted";
    }
  }
  if (to == count && load_u32(offs + 4 * std::size_t{count}) != len) return "bad offsets";
  return nullptr;
}

// The header and the section table, checked: magic, version, size, the header checksum,
// every section within the buffer and no tag twice. Section checksums are not checked here.
struct SectionTable {
  std::uint32_t count = 0;
  struct Entry {
    std::uint32_t tag;
    Span span;
    std::uint32_t crc;
  } entries[kMaxSections];
};

Status read_section_table(const std::uint8_t* data, std::size_t size, SectionTable& table) {
  if (data == nullptr || size < kHeaderSize) return corrupt("truncated header");
  if (std::memcmp(data, kMagic, 8) != 0) return corrupt("bad magic (not a Vitrine pack)");
  const std::uint32_t version = load_u32(data + 8);
  if (version != kPackVersion) {
    if (version > kPackVersion) {
      return Status(Code::unsupported, "model pack: version " + std::to_string(version) +
                                           " is newer than this "
                                           "engine (reads version " +
                                           std::to_string(kPackVersion) + ")");
    }
    return corrupt("bad version " + std::to_string(version));
  }
  const std::uint32_t nsec = load_u32(data + 12);
  if (nsec > kMaxSections) return corrupt("too many sections");
  const std::uint64_t table_end = kHeaderSize + std::uint64_t{nsec} * kSectionEntrySize;
  if (table_end > size) return corrupt("truncated section table");
  if (load_u32(data + 24) != size) {
    return corrupt("size mismatch: header says " + std::to_string(load_u32(data + 24)) +
                   " bytes, buffer has " + std::to_string(size));
  }
  {
    // The header checksum covers bytes 0..27 and the section table (at most 1 KB).
    const std::uint32_t c =
        crc32_update(crc32(data, 28), data + kHeaderSize, std::size_t{nsec} * kSectionEntrySize);
    if (c != load_u32(data + 28)) return corrupt("header checksum mismatch");
  }
  table.count = nsec;
  for (std::uint32_t s = 0; s < nsec; ++s) {
    const std::uint8_t* e = data + kHeaderSize + std::size_t{s} * kSectionEntrySize;
    const std::uint32_t tag = load_u32(e);
    const std::uint64_t off = load_u32(e + 4);
    const std::uint64_t len = load_u32(e + 8);
    if (off < table_end || off + len > size) {
      return corrupt("section " + tag_name(tag) + " out of bounds");
    }
    for (std::uint32_t t = 0; t < s; ++t) {
      if (table.entries[t].tag == tag) return corrupt("duplicate section " + tag_name(tag));
    }
    table.entries[s] = {tag, {data + off, static_cast<std::size_t>(len)}, load_u32(e + 12)};
  }
  return Status::ok();
}

// A relation section's layout (RSEQ, RCOV, RBUY): lengths checked against the item count.
struct RelationLayout {
  std::uint64_t rows, nnz, width;
  const std::uint8_t* row_ptr;
  const std::uint8_t* ids;
  const std::uint8_t* codes;
};

Result<RelationLayout> relation_layout(const Span& sp, std::uint64_t n, const std::string& name) {
  if (sp.n < 16 + 1024) return corrupt("truncated relation " + name);
  RelationLayout r;
  r.rows = load_u32(sp.p);
  r.nnz = load_u32(sp.p + 4);
  r.width = load_u32(sp.p + 8);
  if (r.rows != n) return corrupt("relation " + name + " row count differs from item count");
  if (r.width != 4 && !(r.width == 2 && n <= 65536)) return corrupt("bad id width in " + name);
  if (sp.n != 16 + 1024 + 4 * (r.rows + 1) + (r.width + 1) * r.nnz) {
    return corrupt("bad length of relation " + name);
  }
  r.row_ptr = sp.p + 16 + 1024;
  r.ids = r.row_ptr + 4 * (r.rows + 1);
  r.codes = r.ids + r.width * r.nnz;
  return r;
}

constexpr char kRelationTags[kRelationCount][5] = {"RSEQ", "RCOV", "RBUY"};

}  // namespace

Result<PackChecks> PackChecks::start(const std::uint8_t* data, std::size_t size) {
  SectionTable table;
  if (Status st = read_section_table(data, size, table); !st.is_ok()) return st;
  PackChecks checks;
  checks.items_ = load_u32(data + 16);
  for (std::uint32_t s = 0; s < table.count; ++s) {
    const auto& e = table.entries[s];
    checks.parts_.push_back({e.tag, e.span.p, e.span.n, e.crc, 0});
  }
  for (const auto& name : kRelationTags) {
    for (std::uint32_t s = 0; s < table.count; ++s) {
      if (table.entries[s].tag != pack_tag(name)) continue;
      auto rel = relation_layout(table.entries[s].span, checks.items_, name);
      if (!rel.is_ok()) return rel.status();
      const RelationLayout& r = rel.value();
      checks.parts_.push_back({table.entries[s].tag, r.ids,
                               static_cast<std::size_t>(r.width * r.nnz), 0,
                               static_cast<std::uint32_t>(r.width)});
    }
  }
  const Span* idof = nullptr;
  for (std::uint32_t s = 0; s < table.count; ++s) {
    const auto& e = table.entries[s];
    if (e.tag == pack_tag("IDOF") && e.span.n == 4 * (std::uint64_t{checks.items_} + 1)) {
      idof = &e.span;
    }
    if (e.tag == pack_tag("IDST")) checks.id_bytes_ = {e.span.p, e.span.n};
  }
  // Without both (or with a bad IDOF length) Pack::open refuses the pack anyway.
  if (idof != nullptr && checks.id_bytes_.p != nullptr) {
    checks.parts_.push_back({0, idof->p, checks.items_, 0, kIdsPart});
  }
  return checks;
}

Result<bool> PackChecks::step(std::size_t max_bytes) {
  while (next_ < parts_.size()) {
    const Part& part = parts_[next_];
    std::size_t n = std::min(max_bytes, part.size - done_);
    if (part.width == kIdsPart) {
      // part.size counts ids here; about 16 bytes each, offset and bytes, read per id.
      n = std::min(std::max<std::size_t>(max_bytes / 16, 1), part.size - done_);
      const auto from = static_cast<std::uint32_t>(done_);
      if (const char* bad = bad_strings(part.data, id_bytes_.p, id_bytes_.n, from,
                                        static_cast<std::uint32_t>(from + n), items_)) {
        return corrupt(std::string("item ids: ") + bad);
      }
      max_bytes -= std::min(max_bytes, 16 * n);
      done_ += n;
      if (done_ < part.size) return false;
      ++next_;
      done_ = 0;
      continue;
    }
    if (part.width == 0) {
      crc_ = crc32_update(crc_, part.data + done_, n);
    } else {
      n -= n % part.width;
      if (n == 0 && done_ < part.size) n = part.width;  // always progress
      for (std::size_t k = done_; k < done_ + n; k += part.width) {
        const std::uint32_t id =
            part.width == 4 ? load_u32(part.data + k) : load_u16(part.data + k);
        if (id >= items_) return corrupt("neighbour out of range in " + tag_name(part.tag));
      }
    }
    done_ += n;
    max_bytes -= std::min(max_bytes, n);
    if (done_ < part.size) return false;
    if (part.width == 0 && crc_ != part.crc) {
      return corrupt("checksum mismatch in section " + tag_name(part.tag));
    }
    ++next_;
    done_ = 0;
    crc_ = 0;
  }
  return true;
}

Result<Pack> Pack::open(const std::uint8_t* data, std::size_t size, PackOpenOptions options) {
  SectionTable table;
  if (Status st = read_section_table(data, size, table); !st.is_ok()) return st;
  if (options.verify_checksums) {
    for (std::uint32_t s = 0; s < table.count; ++s) {
      const auto& e = table.entries[s];
      if (crc32(e.span.p, e.span.n) != e.crc) {
        return corrupt("checksum mismatch in section " + tag_name(e.tag));
      }
    }
  }

  Pack pack;
  pack.data_ = data;
  pack.size_ = size;
  pack.item_count_ = load_u32(data + 16);
  pack.category_count_ = load_u32(data + 20);
  const std::uint64_t n = pack.item_count_;
  const std::uint64_t nc = pack.category_count_;
  if (n >= kNoItem || nc >= kNoCategory) return corrupt("bad counts");

  const std::uint32_t nsec = table.count;
  const auto* found = table.entries;
  auto get_tag = [&](std::uint32_t tag) -> const Span* {
    for (std::uint32_t s = 0; s < nsec; ++s) {
      if (found[s].tag == tag) return &found[s].span;
    }
    return nullptr;
  };
  auto get = [&](const char(&name)[5]) { return get_tag(pack_tag(name)); };
  auto need = [&](const char(&name)[5], std::uint64_t len, Span& out) -> Status {
    const Span* sp = get(name);
    if (sp == nullptr) return corrupt(std::string("missing section ") + name);
    if (sp->n != len) return corrupt(std::string("bad length of section ") + name);
    out = *sp;
    return Status::ok();
  };
  Status st;
  Span meta, idof, idst, icat, iprc, iflg, ctof, ctst, popq, popt, pops;

  if (!(st = need("META", 32, meta)).is_ok()) return st;
  pack.info_.min_support = load_u32(meta.p);
  pack.info_.window = load_u32(meta.p + 4);
  pack.info_.max_neighbors = load_u32(meta.p + 8);
  pack.info_.sessions = load_u32(meta.p + 16) | std::uint64_t{load_u32(meta.p + 20)} << 32;
  pack.info_.orders = load_u32(meta.p + 24) | std::uint64_t{load_u32(meta.p + 28)} << 32;

  if (const Span* sp = get("DPAR")) {  // optional: a differentially private pack
    if (sp->n != 80) return corrupt("bad length of section DPAR");
    PackPrivacy& dp = pack.info_.privacy;
    auto f64 = [&](std::size_t at) {
      const std::uint64_t u = load_u32(sp->p + at) | std::uint64_t{load_u32(sp->p + at + 4)} << 32;
      double v;
      std::memcpy(&v, &u, 8);
      return v;
    };
    dp.mechanism = load_u32(sp->p);
    dp.max_pairs = load_u32(sp->p + 4);
    dp.max_items = load_u32(sp->p + 8);
    dp.selection = load_u32(sp->p + 12);
    dp.epsilon = f64(16);
    dp.delta = f64(24);
    dp.mu = f64(32);
    dp.scale = f64(40);
    dp.sigma_popularity = f64(48);
    dp.sigma_pairs = f64(56);
    dp.threshold = f64(64);
    dp.delta_selection = f64(72);
    const double values[] = {dp.epsilon,          dp.delta,       dp.mu,        dp.scale,
                             dp.sigma_popularity, dp.sigma_pairs, dp.threshold, dp.delta_selection};
    bool ok = (dp.mechanism == 1 || dp.mechanism == 2) && dp.selection <= 1 && dp.max_pairs > 0 &&
              dp.max_items > 0;
    for (double v : values) ok = ok && std::isfinite(v) && v >= 0;
    if (!ok || !(dp.epsilon > 0) || !(dp.delta < 1)) return corrupt("bad parameters in DPAR");
    dp.enabled = true;
  }

  if (!(st = need("IDOF", 4 * (n + 1), idof)).is_ok()) return st;
  {
    const Span* sp = get("IDST");
    if (sp == nullptr) return corrupt("missing section IDST");
    idst = *sp;
  }
  if (options.check_ids) {
    if (const char* bad =
            bad_strings(idof.p, idst.p, idst.n, 0, pack.item_count_, pack.item_count_))
      return corrupt(std::string("item ids: ") + bad);
  }
  pack.id_offsets_ = idof.p;
  pack.id_bytes_ = idst.p;

  if (!(st = need("CTOF", 4 * (nc + 1), ctof)).is_ok()) return st;
  {
    const Span* sp = get("CTST");
    if (sp == nullptr) return corrupt("missing section CTST");
    ctst = *sp;
  }
  const std::uint32_t ncat = pack.category_count_;
  if (const char* bad = bad_strings(ctof.p, ctst.p, ctst.n, 0, ncat, ncat)) {
    return corrupt(std::string("category names: ") + bad);
  }
  pack.cat_offsets_ = ctof.p;
  pack.cat_bytes_ = ctst.p;

  if (!(st = need("ICAT", 4 * n, icat)).is_ok()) return st;
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint32_t c = load_u32(icat.p + 4 * i);
    if (c != kNoCategory && c >= nc) return corrupt("item category out of range");
  }
  pack.item_category_ = icat.p;
  if (!(st = need("IPRC", 4 * n, iprc)).is_ok()) return st;
  pack.item_price_ = iprc.p;
  if (!(st = need("IFLG", n, iflg)).is_ok()) return st;
  pack.item_flags_ = iflg.p;

  if (!(st = need("POPQ", 1024 + n, popq)).is_ok()) return st;
  if (!finite_nonneg_table(popq.p, pack.pop_table_)) return corrupt("bad popularity table");
  pack.pop_codes_ = popq.p + 1024;

  {
    const Span* sp = get("POPT");
    if (sp == nullptr) return corrupt("missing section POPT");
    popt = *sp;
    if (popt.n % 4 != 0 || popt.n / 4 > n) return corrupt("bad length of section POPT");
    for (std::size_t k = 0; k < popt.n / 4; ++k) {
      if (load_u32(popt.p + 4 * k) >= n) return corrupt("POPT item out of range");
    }
    pack.top_ids_ = popt.p;
    pack.top_count_ = static_cast<std::uint32_t>(popt.n / 4);
  }
  {
    const Span* sp = get("POPS");
    if (sp == nullptr) return corrupt("missing section POPS");
    pops = *sp;
    if (pops.n < 4 * (nc + 1) || (pops.n - 4 * (nc + 1)) % 4 != 0) {
      return corrupt("bad length of section POPS");
    }
    const std::uint64_t m = (pops.n - 4 * (nc + 1)) / 4;
    if (!valid_offsets(pops.p, nc + 1, m)) return corrupt("bad segment offsets");
    const std::uint8_t* ids = pops.p + 4 * (nc + 1);
    for (std::uint64_t k = 0; k < m; ++k) {
      if (load_u32(ids + 4 * k) >= n) return corrupt("POPS item out of range");
    }
    pack.seg_ptr_ = pops.p;
    pack.seg_ids_ = ids;
  }
  if (const Span* sp = get("POPB")) {  // optional: price-band bestsellers
    if (sp->n < 24 || (sp->n - 24) % 4 != 0) return corrupt("bad length of section POPB");
    const float medium = load_f32(sp->p), high = load_f32(sp->p + 4);
    if (!std::isfinite(medium) || !std::isfinite(high) || medium > high) {
      return corrupt("bad price bands in POPB");
    }
    const std::uint64_t m = (sp->n - 24) / 4;
    if (!valid_offsets(sp->p + 8, 4, m)) return corrupt("bad band offsets");
    for (std::uint64_t k = 0; k < m; ++k) {
      if (load_u32(sp->p + 24 + 4 * k) >= n) return corrupt("POPB item out of range");
    }
    pack.band_medium_ = medium;
    pack.band_high_ = high;
    pack.band_ptr_ = sp->p + 8;
  }

  for (int r = 0; r < kRelationCount; ++r) {
    const Span* sp = get_tag(pack_tag(kRelationTags[r]));
    if (sp == nullptr) continue;
    const std::string name = kRelationTags[r];
    auto layout = relation_layout(*sp, n, name);
    if (!layout.is_ok()) return layout.status();
    const RelationLayout& l = layout.value();
    Rel& rel = pack.rel_[r];
    if (!finite_nonneg_table(sp->p + 16, rel.table)) return corrupt("bad weight table in " + name);
    rel.id_width = static_cast<std::uint32_t>(l.width);
    rel.row_ptr = l.row_ptr;
    rel.ids = l.ids;
    rel.codes = l.codes;
    if (!valid_offsets(rel.row_ptr, l.rows + 1, l.nnz))
      return corrupt("bad row offsets in " + name);
    if (options.check_neighbours) {
      for (std::uint64_t k = 0; k < l.nnz; ++k) {
        const std::uint32_t id =
            l.width == 4 ? load_u32(rel.ids + 4 * k) : load_u16(rel.ids + 2 * k);
        if (id >= n) return corrupt("neighbour out of range in " + name);
      }
    }
    rel.rows = static_cast<std::uint32_t>(l.rows);
    rel.nnz = static_cast<std::uint32_t>(l.nnz);
  }

  if (const Span* sp = get("EMBD")) {
    if (sp->n < 8) return corrupt("truncated embeddings");
    const std::uint64_t dim = load_u32(sp->p);
    const float scale = load_f32(sp->p + 4);
    if (dim == 0 || dim > 1024) return corrupt("bad embedding dimension");
    if (!std::isfinite(scale) || scale <= 0) return corrupt("bad embedding scale");
    if (sp->n != 8 + dim * n) return corrupt("bad length of section EMBD");
    pack.emb_dim_ = static_cast<std::uint32_t>(dim);
    pack.emb_scale_ = scale;
    pack.emb_ = reinterpret_cast<const std::int8_t*>(sp->p + 8);
  }
  if (const Span* sp = get("EIDX")) {
    if (!(st = pack.read_embedding_clusters(sp->p, sp->n)).is_ok()) return st;
  }
  if (const Span* sp = get("SSTA")) {
    if (!(st = pack.read_session_stats(sp->p, sp->n)).is_ok()) return st;
  }
  if (const Span* sp = get("FUSN")) {
    if (!(st = pack.read_fusion(sp->p, sp->n)).is_ok()) return st;
  }
  return pack;
}

std::optional<std::uint32_t> Pack::find(std::string_view item_id) const {
  std::uint32_t lo = 0, hi = item_count_;
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    const std::string_view s = string_at(id_offsets_, id_bytes_, mid);
    if (s < item_id) {
      lo = mid + 1;
    } else if (item_id < s) {
      hi = mid;
    } else {
      return mid;
    }
  }
  return std::nullopt;
}

std::optional<std::uint32_t> Pack::find_category(std::string_view name) const {
  std::uint32_t lo = 0, hi = category_count_;
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    const std::string_view s = string_at(cat_offsets_, cat_bytes_, mid);
    if (s < name) {
      lo = mid + 1;
    } else if (name < s) {
      hi = mid;
    } else {
      return mid;
    }
  }
  return std::nullopt;
}

std::string_view Pack::item_id(std::uint32_t item) const {
  if (item >= item_count_) return {};
  return string_at(id_offsets_, id_bytes_, item);
}

std::string_view Pack::category_name(std::uint32_t category) const {
  if (category >= category_count_) return {};
  return string_at(cat_offsets_, cat_bytes_, category);
}

float Pack::price(std::uint32_t item) const {
  if (item >= item_count_) return std::numeric_limits<float>::quiet_NaN();
  return load_f32(item_price_ + 4 * std::size_t{item});
}

IdList Pack::top_items() const { return {top_ids_, top_count_}; }

IdList Pack::top_items_in(std::uint32_t category) const {
  if (category >= category_count_) return {};
  const std::uint32_t a = load_u32(seg_ptr_ + 4 * std::size_t{category});
  const std::uint32_t b = load_u32(seg_ptr_ + 4 * (std::size_t{category} + 1));
  return {seg_ids_ + 4 * std::size_t{a}, b - a};
}

IdList Pack::top_items_in_band(int band) const {
  if (band_ptr_ == nullptr || band < 0 || band > 2) return {};
  const std::uint32_t a = load_u32(band_ptr_ + 4 * static_cast<std::size_t>(band));
  const std::uint32_t b = load_u32(band_ptr_ + 4 * static_cast<std::size_t>(band + 1));
  return {band_ptr_ + 16 + 4 * std::size_t{a}, b - a};
}

Status Pack::read_embedding_clusters(const std::uint8_t* p, std::size_t len) {
  if (emb_dim_ == 0) return corrupt("section EIDX without EMBD");
  if (len < 16) return corrupt("truncated section EIDX");
  if (load_u32(p) != 1) return Status();  // a newer layout: the dense pass serves
  const std::uint64_t k = load_u32(p + 4), n = item_count_;
  if (load_u32(p + 8) != emb_dim_ || load_u32(p + 12) != 0) return corrupt("bad EIDX header");
  if (k == 0 || k > n) return corrupt("bad EIDX cluster count");
  if (len != 16 + 4 * (k * emb_dim_ + k + (k + 1) + n))
    return corrupt("bad length of section EIDX");
  EmbeddingClusters c;
  c.count = static_cast<std::uint32_t>(k);
  c.centres = p + 16;
  c.radius = c.centres + 4 * k * emb_dim_;
  c.offsets = c.radius + 4 * k;
  c.members = c.offsets + 4 * (k + 1);
  for (std::uint64_t j = 0; j < k * emb_dim_; ++j) {
    if (!std::isfinite(load_f32(c.centres + 4 * j))) return corrupt("bad EIDX centre");
  }
  for (std::uint64_t j = 0; j < k; ++j) {
    const float r = load_f32(c.radius + 4 * j);
    if (!(r >= 0) || !std::isfinite(r)) return corrupt("bad EIDX radius");
    if (load_u32(c.offsets + 4 * (j + 1)) < load_u32(c.offsets + 4 * j)) {
      return corrupt("EIDX offsets not ascending");
    }
  }
  if (load_u32(c.offsets) != 0 || load_u32(c.offsets + 4 * k) != n) {
    return corrupt("EIDX offsets do not cover the items");
  }
  // Every item exactly once: a search that skipped one would differ from the dense pass.
  ItemArray<std::uint8_t> seen = zeroed<std::uint8_t>(static_cast<std::size_t>(n));
  for (std::uint64_t j = 0; j < n; ++j) {
    const std::uint32_t item = load_u32(c.members + 4 * j);
    if (item >= n || seen[item]) return corrupt("EIDX members are not the items once each");
    seen[item] = 1;
  }
  emb_clusters_ = c;
  return Status();
}

const std::int8_t* Pack::embedding(std::uint32_t item) const {
  if (emb_ == nullptr || item >= item_count_) return nullptr;
  return emb_ + std::size_t{item} * emb_dim_;
}

}  // namespace vitrine
