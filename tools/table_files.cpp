#include "table_files.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>
#include <unordered_map>

#include "vitrine/pack.hpp"

namespace vitrine::tools {
namespace {

constexpr const char* kItemsHeader = "item_id\tsessions\torders";
constexpr const char* kPairsHeader = "relation\titem_a\titem_b\tsessions\tweight";
constexpr const char* kTotalsHeader = "name\tvalue";

Status bad(const std::string& path, std::uint64_t line, const std::string& what) {
  return Status(Code::invalid_argument, path + ":" + std::to_string(line) + ": " + what);
}

Status cannot_write(const std::string& path) {
  return Status(Code::invalid_argument, path + ": cannot write");
}

// Line reader over a FILE* (getline keeps the buffer between lines).
class Lines {
 public:
  explicit Lines(const std::string& path) : path_(path), f_(std::fopen(path.c_str(), "rb")) {}
  ~Lines() {
    std::free(buf_);
    if (f_) std::fclose(f_);
  }
  Lines(const Lines&) = delete;
  Lines& operator=(const Lines&) = delete;
  bool ok() const { return f_ != nullptr; }
  bool next(std::string_view& line) {
    const ssize_t n = ::getline(&buf_, &cap_, f_);
    if (n < 0) return false;
    ++lineno_;
    std::size_t len = static_cast<std::size_t>(n);
    while (len > 0 && (buf_[len - 1] == '\n' || buf_[len - 1] == '\r')) --len;
    line = std::string_view(buf_, len);
    return true;
  }
  std::uint64_t lineno() const { return lineno_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::FILE* f_;
  char* buf_ = nullptr;
  std::size_t cap_ = 0;
  std::uint64_t lineno_ = 0;
};

void split_tabs(std::string_view s, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t i = 0;
  for (;;) {
    const std::size_t j = s.find('\t', i);
    out.push_back(s.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
    if (j == std::string_view::npos) return;
    i = j + 1;
  }
}

bool parse_u64(std::string_view s, std::uint64_t& v) {
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > kPackMaxIdBytes) return false;
  for (char c : id) {
    if (c == '\t' || c == '\n' || c == '\r') return false;
  }
  return true;
}

// Opens `path`, checks its header; `fields` columns per row.
Status open_table(Lines& in, const char* header) {
  if (!in.ok()) return Status(Code::invalid_argument, in.path() + ": cannot open");
  std::string_view line;
  if (!in.next(line) || line != header) {
    return bad(in.path(), 1, std::string("header must be '") + header + "' (tab-separated)");
  }
  return Status::ok();
}

}  // namespace

TablesWriter::~TablesWriter() {
  if (pairs_) std::fclose(pairs_);
}

Status TablesWriter::open(const std::string& dir) {
  dir_ = dir;
  if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) {
    return Status(Code::invalid_argument, dir + ": cannot create directory");
  }
  const std::string path = dir + "/pairs.tsv";
  pairs_ = std::fopen(path.c_str(), "wb");
  if (pairs_ == nullptr) return cannot_write(path);
  std::setvbuf(pairs_, nullptr, _IOFBF, 1 << 20);
  std::fprintf(pairs_, "%s\n", kPairsHeader);
  return Status::ok();
}

Status TablesWriter::pair(pack::Relation relation, const pack::PairCount& row,
                          const std::vector<std::string>& ids) {
  if (row.a >= ids.size() || row.b >= ids.size()) {
    return Status(Code::invalid_argument, "pair row with an unknown item handle");
  }
  const std::string& a = ids[row.a];
  const std::string& b = ids[row.b];
  std::fprintf(pairs_, "%s\t%s\t%s\t%u\t%llu\n", pack::kRelationNames[relation], a.c_str(),
               b.c_str(), row.sessions, static_cast<unsigned long long>(row.weight));
  return Status::ok();
}

Status TablesWriter::finish(const pack::AggregateTables& t, const std::vector<std::string>& ids) {
  for (int r = 0; r < 3; ++r) {
    for (const pack::PairCount& row : t.pairs[r]) {
      Status st = pair(static_cast<pack::Relation>(r), row, ids);
      if (!st.is_ok()) return st;
    }
  }
  const bool pairs_ok = std::ferror(pairs_) == 0;
  if (std::fclose(pairs_) != 0 || !pairs_ok) {
    pairs_ = nullptr;
    return cannot_write(dir_ + "/pairs.tsv");
  }
  pairs_ = nullptr;

  const std::string items_path = dir_ + "/items.tsv";
  std::FILE* f = std::fopen(items_path.c_str(), "wb");
  if (f == nullptr) return cannot_write(items_path);
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  std::fprintf(f, "%s\n", kItemsHeader);
  for (std::size_t h = 0; h < t.item_sessions.size(); ++h) {
    if (t.item_sessions[h] == 0) continue;  // interned but in no session
    const std::uint32_t orders = h < t.item_orders.size() ? t.item_orders[h] : 0;
    std::fprintf(f, "%s\t%u\t%u\n", ids[h].c_str(), t.item_sessions[h], orders);
  }
  const bool items_ok = std::ferror(f) == 0;
  if (std::fclose(f) != 0 || !items_ok) return cannot_write(items_path);

  const std::string totals_path = dir_ + "/totals.tsv";
  f = std::fopen(totals_path.c_str(), "wb");
  if (f == nullptr) return cannot_write(totals_path);
  std::fprintf(f,
               "%s\nversion\t%u\nwindow\t%u\nmax_session_items\t%u\n"
               "weight_scale\t%llu\nmin_sessions\t%u\nsessions\t%llu\norders\t%llu\nevents\t%llu\n",
               kTotalsHeader, pack::kTablesVersion, t.options.window, t.options.max_session_items,
               static_cast<unsigned long long>(pack::weight_scale(t.options.window)),
               t.min_sessions, static_cast<unsigned long long>(t.sessions),
               static_cast<unsigned long long>(t.orders),
               static_cast<unsigned long long>(t.events));
  const bool totals_ok = std::ferror(f) == 0;
  if (std::fclose(f) != 0 || !totals_ok) return cannot_write(totals_path);
  return Status::ok();
}

Status read_tables(const std::string& dir, PackBuilder& builder, std::uint32_t min_support,
                   pack::AggregateTables& out) {
  out = pack::AggregateTables{};
  std::vector<std::string_view> f;
  std::string_view line;

  // totals.tsv: every key once.
  {
    Lines in(dir + "/totals.tsv");
    Status st = open_table(in, kTotalsHeader);
    if (!st.is_ok()) return st;
    std::unordered_map<std::string, std::uint64_t> kv;
    while (in.next(line)) {
      if (line.empty()) continue;
      split_tabs(line, f);
      if (f.size() != 2) return bad(in.path(), in.lineno(), "need 2 columns");
      std::uint64_t v;
      if (!parse_u64(f[1], v)) return bad(in.path(), in.lineno(), "value is not an integer");
      if (!kv.emplace(std::string(f[0]), v).second) {
        return bad(in.path(), in.lineno(), "duplicate key '" + std::string(f[0]) + "'");
      }
    }
    for (const char* key : {"version", "window", "max_session_items", "weight_scale",
                            "min_sessions", "sessions", "orders", "events"}) {
      if (kv.count(key) == 0) return bad(in.path(), in.lineno(), std::string("no ") + key);
    }
    if (kv["version"] != pack::kTablesVersion) {
      return bad(in.path(), in.lineno(),
                 "version " + std::to_string(kv["version"]) + " (this build reads " +
                     std::to_string(pack::kTablesVersion) + ")");
    }
    if (kv["window"] < 1 || kv["window"] > pack::kMaxWindow) {
      return bad(in.path(), in.lineno(), "window must be 1..20");
    }
    out.options.window = static_cast<std::uint32_t>(kv["window"]);
    if (kv["weight_scale"] != pack::weight_scale(out.options.window)) {
      return bad(in.path(), in.lineno(), "weight_scale must be lcm(1..window)");
    }
    if (kv["max_session_items"] > 0xFFFFFFFFu || kv["orders"] > kv["sessions"]) {
      return bad(in.path(), in.lineno(), "inconsistent max_session_items/orders");
    }
    out.options.max_session_items = static_cast<std::uint32_t>(kv["max_session_items"]);
    // Tables cut at min_sessions cannot give a pack of a lower min_support.
    if (kv["min_sessions"] < 1 || kv["min_sessions"] > min_support) {
      return bad(in.path(), in.lineno(),
                 "min_sessions " + std::to_string(kv["min_sessions"]) +
                     ": these tables need --min-support >= min_sessions (and min_sessions >= 1)");
    }
    out.min_sessions = static_cast<std::uint32_t>(kv["min_sessions"]);
    out.sessions = kv["sessions"];
    out.orders = kv["orders"];
    out.events = kv["events"];
  }

  // items.tsv: each id once; counts bounded by the totals.
  {
    Lines in(dir + "/items.tsv");
    Status st = open_table(in, kItemsHeader);
    if (!st.is_ok()) return st;
    while (in.next(line)) {
      if (line.empty()) continue;
      split_tabs(line, f);
      std::uint64_t s, o;
      if (f.size() != 3) return bad(in.path(), in.lineno(), "need 3 columns");
      if (!valid_id(f[0])) return bad(in.path(), in.lineno(), "item id must be 1 to 256 bytes");
      if (!parse_u64(f[1], s) || !parse_u64(f[2], o) || s == 0 || o > s || s > out.sessions ||
          s > 0xFFFFFFFFu) {
        return bad(in.path(), in.lineno(),
                   "need 0 < sessions <= total sessions, orders <= sessions");
      }
      Result<std::uint32_t> h = builder.intern(f[0]);
      if (!h.is_ok()) return bad(in.path(), in.lineno(), h.status().message());
      const std::uint32_t k = h.value();
      if (out.item_sessions.size() <= k) {
        out.item_sessions.resize(std::size_t{k} + 1, 0);
        out.item_orders.resize(std::size_t{k} + 1, 0);
      }
      if (out.item_sessions[k] != 0) {
        return bad(in.path(), in.lineno(), "duplicate item '" + std::string(f[0]) + "'");
      }
      out.item_sessions[k] = static_cast<std::uint32_t>(s);
      out.item_orders[k] = static_cast<std::uint32_t>(o);
    }
  }

  // pairs.tsv: items must be in items.tsv; a pair's sessions are bounded by its items'.
  {
    Lines in(dir + "/pairs.tsv");
    Status st = open_table(in, kPairsHeader);
    if (!st.is_ok()) return st;
    while (in.next(line)) {
      if (line.empty()) continue;
      split_tabs(line, f);
      if (f.size() != 5) return bad(in.path(), in.lineno(), "need 5 columns");
      int r = -1;
      for (int k = 0; k < 3; ++k) {
        if (f[0] == pack::kRelationNames[k]) r = k;
      }
      if (r < 0) return bad(in.path(), in.lineno(), "unknown relation '" + std::string(f[0]) + "'");
      std::uint64_t s, w;
      if (!parse_u64(f[3], s) || !parse_u64(f[4], w) || s == 0 || s > 0xFFFFFFFFu) {
        return bad(in.path(), in.lineno(), "sessions and weight must be integers, sessions > 0");
      }
      if (r != pack::kSeq && w != 0) return bad(in.path(), in.lineno(), "weight must be 0");
      if (s < out.min_sessions) return bad(in.path(), in.lineno(), "sessions under min_sessions");
      ++out.pair_rows[r];
      std::uint32_t ab[2];
      for (int k = 0; k < 2; ++k) {
        // A known id gives its handle; an unknown one a fresh handle, rejected below.
        Result<std::uint32_t> h = builder.intern(f[1 + k]);
        if (!h.is_ok() || h.value() >= out.item_sessions.size() ||
            out.item_sessions[h.value()] == 0) {
          return bad(in.path(), in.lineno(),
                     "item '" + std::string(f[1 + k]) + "' is not in items.tsv");
        }
        ab[k] = h.value();
      }
      if (ab[0] == ab[1]) return bad(in.path(), in.lineno(), "pair of an item with itself");
      const auto& counts = r == pack::kBuy ? out.item_orders : out.item_sessions;
      if (s > counts[ab[0]] || s > counts[ab[1]]) {
        return bad(in.path(), in.lineno(), "more sessions than its items have");
      }
      if (s >= min_support)
        out.pairs[r].push_back({ab[0], ab[1], static_cast<std::uint32_t>(s), w});
    }
  }
  for (auto& rows : out.pairs) pack::reduce_pairs(rows);
  return Status::ok();
}

// Spill runs: varint rows, read back by the process that wrote them.
SpillStore::~SpillStore() {
  for (std::FILE* f : open_) std::fclose(f);
  for (const auto& list : files_) {
    for (const std::string& path : list) std::remove(path.c_str());
  }
}

namespace {

void put_varint(std::uint64_t v, std::FILE* f) {
  unsigned char b[10];
  int n = 0;
  while (v >= 0x80) {
    b[n++] = static_cast<unsigned char>(v | 0x80);
    v >>= 7;
  }
  b[n++] = static_cast<unsigned char>(v);
  std::fwrite(b, 1, static_cast<std::size_t>(n), f);
}

// False at a clean end of file (before the first byte); `truncated` when cut inside.
bool get_varint(std::FILE* f, std::uint64_t& v, bool& truncated) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    const int c = getc_unlocked(f);  // one reader per file
    if (c == EOF) {
      truncated = shift > 0;
      return false;
    }
    v |= std::uint64_t(c & 0x7F) << shift;
    if ((c & 0x80) == 0) return true;
  }
  truncated = true;
  return false;
}

}  // namespace

Status SpillStore::write(pack::Relation relation, const std::vector<pack::PairCount>& run) {
  const std::string path =
      dir_ + "/vitrine-spill-" + std::to_string(::getpid()) + "-" + std::to_string(runs()) + ".run";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return cannot_write(path);
  files_[relation].push_back(path);
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  // Rows are sorted: a as a delta from the previous row, b as a delta when a repeats; most
  // sessions counts are 1. About 5 bytes a row instead of 20.
  std::uint32_t prev_a = 0, prev_b = 0;
  for (const pack::PairCount& p : run) {
    put_varint(p.a - prev_a, f);
    put_varint(p.a == prev_a ? p.b - prev_b : p.b, f);
    put_varint(p.sessions, f);
    put_varint(p.weight, f);
    prev_a = p.a;
    prev_b = p.b;
  }
  const long size = std::ftell(f);
  const bool ok = std::ferror(f) == 0;
  if (std::fclose(f) != 0 || !ok) return cannot_write(path);
  bytes_ += size > 0 ? static_cast<std::uint64_t>(size) : 0;
  return Status::ok();
}

Status SpillStore::open(pack::Relation relation, std::vector<pack::RunSource>& out) {
  out.clear();
  for (const std::string& path : files_[relation]) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) return Status(Code::invalid_argument, path + ": cannot open");
    std::setvbuf(f, nullptr, _IOFBF, 1 << 18);
    open_.push_back(f);
    // Decoding state per run: the previous row's a and b.
    auto prev = std::make_shared<std::pair<std::uint32_t, std::uint32_t>>(0, 0);
    out.push_back([f, path, prev](pack::PairCount& p) -> Result<bool> {
      std::uint64_t v[4];
      bool truncated = false;
      for (int k = 0; k < 4; ++k) {
        if (!get_varint(f, v[k], truncated)) {
          if (k == 0 && !truncated) return false;
          return Status(Code::invalid_argument, path + ": truncated run");
        }
      }
      const std::uint64_t a = prev->first + v[0];
      const std::uint64_t b = v[0] == 0 ? prev->second + v[1] : v[1];
      if (a > 0xFFFFFFFFu || b > 0xFFFFFFFFu || v[2] > 0xFFFFFFFFu) {
        return Status(Code::invalid_argument, path + ": corrupt run");
      }
      p = {static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b),
           static_cast<std::uint32_t>(v[2]), v[3]};
      *prev = {p.a, p.b};
      return true;
    });
  }
  return Status::ok();
}

}  // namespace vitrine::tools
