#include "session_io.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <unordered_map>

#include "vitrine/json.hpp"
#include "vitrine/pack.hpp"

namespace vitrine::tools {
namespace {

Status bad(const std::string& path, std::uint64_t line, const std::string& what) {
  return Status(Code::invalid_argument, path + ":" + std::to_string(line) + ": " + what);
}

// 0 for a pipe (a generator streaming into the tool): progress then reports bytes only.
std::uint64_t file_size(std::ifstream& in) {
  in.seekg(0, std::ios::end);
  const auto end = in.tellg();
  if (!in || end < 0) {
    in.clear();
    return 0;
  }
  in.seekg(0, std::ios::beg);
  return static_cast<std::uint64_t>(end);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

void split_ws(std::string_view s, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t' && s[j] != '\r') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
}

}  // namespace

bool parse_format(std::string_view name, Format& out) {
  if (name == "lines") {
    out = Format::lines;
  } else if (name == "sessionrec") {
    out = Format::sessionrec;
  } else if (name == "otto") {
    out = Format::otto;
  } else {
    return false;
  }
  return true;
}

Status read_sessions(const std::string& path, Format format, std::vector<RawSession>& out,
                     const ReadProgress& progress) {
  return stream_sessions(
      path, format,
      [&out](RawSession& s) {
        out.push_back(std::move(s));
        return Status::ok();
      },
      progress);
}

Status stream_sessions(const std::string& path, Format format, const SessionSink& each,
                       const ReadProgress& progress) {
  std::vector<RawSession> out;  // sessionrec only: rows of a session may be anywhere
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::invalid_argument, path + ": cannot open");
  const std::uint64_t total = file_size(in);
  std::uint64_t done = 0, next_report = 8u << 20;
  std::string line;
  std::uint64_t lineno = 0;
  std::vector<std::string_view> fields;
  // sessionrec state
  std::unordered_map<std::string, std::size_t> session_index;
  int col_session = -1, col_item = -1, col_time = -1;
  std::vector<std::vector<std::pair<double, std::size_t>>> order;  // (time, row) per session

  while (std::getline(in, line)) {
    ++lineno;
    done += line.size() + 1;
    if (progress && done >= next_report) {
      progress(done, total);
      next_report = done + (8u << 20);
    }
    const std::string_view text = trim(line);
    if (format == Format::lines) {
      if (text.empty()) continue;
      split_ws(text, fields);
      RawSession s;
      std::int64_t t = 0;
      for (std::string_view f : fields) {
        if (f.size() > kPackMaxIdBytes) return bad(path, lineno, "item id longer than 256 bytes");
        s.push_back({std::string(f), EventType::view_item, t++});
      }
      Status st = each(s);
      if (!st.is_ok()) return st;
    } else if (format == Format::sessionrec) {
      if (text.empty()) continue;
      split_ws(text, fields);
      if (col_session < 0) {
        for (std::size_t k = 0; k < fields.size(); ++k) {
          if (fields[k] == "SessionId") col_session = static_cast<int>(k);
          if (fields[k] == "ItemId") col_item = static_cast<int>(k);
          if (fields[k] == "Time") col_time = static_cast<int>(k);
        }
        if (col_session < 0 || col_item < 0 || col_time < 0) {
          return bad(path, lineno, "header must name SessionId, ItemId and Time");
        }
        continue;
      }
      const auto need = static_cast<std::size_t>(std::max({col_session, col_item, col_time}));
      if (fields.size() <= need) return bad(path, lineno, "too few columns");
      const std::string_view item = fields[static_cast<std::size_t>(col_item)];
      if (item.size() > kPackMaxIdBytes) return bad(path, lineno, "item id longer than 256 bytes");
      const std::string tstr(fields[static_cast<std::size_t>(col_time)]);
      char* end = nullptr;
      const double t = std::strtod(tstr.c_str(), &end);
      if (end == tstr.c_str() || *end != '\0' || !std::isfinite(t)) {
        return bad(path, lineno, "Time is not a number: '" + tstr + "'");
      }
      const std::string sid(fields[static_cast<std::size_t>(col_session)]);
      auto [it, fresh] = session_index.emplace(sid, out.size());
      if (fresh) {
        out.emplace_back();
        order.emplace_back();
      }
      RawSession& s = out[it->second];
      order[it->second - (out.size() - order.size())].push_back({t, s.size()});
      s.push_back({std::string(item), EventType::view_item, std::llround(t * 1000.0)});
    } else {
      if (text.empty()) continue;
      JsonLimits limits;
      limits.max_bytes = 64u << 20;
      limits.max_elements = 10'000'000;
      Result<Json> doc = Json::parse(text, limits);
      if (!doc.is_ok()) return bad(path, lineno, doc.status().message());
      const Json* events = doc.value().find("events");
      if (events == nullptr || !events->is_array()) return bad(path, lineno, "no events array");
      RawSession s;
      for (const Json& e : events->as_array()) {
        const Json* aid = e.find("aid");
        const Json* ts = e.find("ts");
        const Json* type = e.find("type");
        if (aid == nullptr || !aid->is_number() || ts == nullptr || !ts->is_number() ||
            type == nullptr || !type->is_string()) {
          return bad(path, lineno, "event needs numeric aid and ts and a string type");
        }
        EventType et;
        const std::string& tn = type->as_string();
        if (tn == "clicks") {
          et = EventType::view_item;
        } else if (tn == "carts") {
          et = EventType::add_to_cart;
        } else if (tn == "orders") {
          et = EventType::purchase;
        } else {
          return bad(path, lineno, "unknown event type '" + tn + "'");
        }
        const double a = aid->as_number();
        if (a < 0 || a != std::floor(a) || a > 9.0e15) return bad(path, lineno, "bad aid");
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.0f", a);
        s.push_back({buf, et, static_cast<std::int64_t>(ts->as_number())});
      }
      std::stable_sort(s.begin(), s.end(),
                       [](const RawEvent& x, const RawEvent& y) { return x.time_ms < y.time_ms; });
      Status st = each(s);
      if (!st.is_ok()) return st;
    }
  }
  if (format == Format::sessionrec) {
    if (col_session < 0) return bad(path, lineno, "missing header SessionId ItemId Time");
    // Sort each session by time (stable: file order breaks ties).
    const std::size_t base = out.size() - order.size();
    for (std::size_t k = 0; k < order.size(); ++k) {
      auto& o = order[k];
      std::stable_sort(o.begin(), o.end(),
                       [](const auto& x, const auto& y) { return x.first < y.first; });
      RawSession sorted;
      sorted.reserve(o.size());
      for (const auto& [t, row] : o) sorted.push_back(std::move(out[base + k][row]));
      out[base + k] = std::move(sorted);
    }
    for (RawSession& s : out) {
      Status st = each(s);
      if (!st.is_ok()) return st;
    }
  }
  if (progress) progress(total, total);
  return Status::ok();
}

Status read_pairs(const std::string& path, std::vector<RawPair>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::invalid_argument, path + ": cannot open");
  std::string line;
  std::uint64_t lineno = 0;
  std::vector<std::string_view> fields;
  while (std::getline(in, line)) {
    ++lineno;
    std::string_view text(line);
    while (!text.empty() && (text.back() == '\r' || text.back() == '\n')) text.remove_suffix(1);
    if (text.empty()) continue;
    const std::size_t tab = text.find('\t');
    if (tab == std::string_view::npos || text.find('\t', tab + 1) != std::string_view::npos) {
      return bad(path, lineno, "need one tab between the prefix and the target");
    }
    RawPair p;
    split_ws(text.substr(0, tab), fields);
    if (fields.empty()) return bad(path, lineno, "empty prefix");
    for (std::string_view f : fields) {
      if (f.size() > kPackMaxIdBytes) return bad(path, lineno, "item id longer than 256 bytes");
      p.prefix.emplace_back(f);
    }
    const std::string_view target = trim(text.substr(tab + 1));
    if (target.empty() || target.size() > kPackMaxIdBytes ||
        target.find(' ') != std::string_view::npos) {
      return bad(path, lineno, "the target must be one item id of 1 to 256 bytes");
    }
    p.target = std::string(target);
    out.push_back(std::move(p));
  }
  return Status::ok();
}

bool split_csv(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::string cur;
  std::size_t i = 0;
  for (;;) {
    cur.clear();
    if (i < line.size() && line[i] == '"') {
      ++i;
      for (;;) {
        if (i >= line.size()) return false;  // unterminated quote
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            cur.push_back('"');
            i += 2;
          } else {
            ++i;
            break;
          }
        } else {
          cur.push_back(line[i++]);
        }
      }
      if (i < line.size() && line[i] != ',') return false;
    } else {
      while (i < line.size() && line[i] != ',') {
        if (line[i] == '"') return false;
        cur.push_back(line[i++]);
      }
    }
    fields.push_back(cur);
    if (i >= line.size()) return true;
    ++i;  // the comma
  }
}

Status read_catalog(const std::string& path, std::vector<CatalogItem>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::invalid_argument, path + ": cannot open");
  std::string line;
  std::uint64_t lineno = 0;
  std::vector<std::string> f;
  int c_id = -1, c_cat = -1, c_price = -1, c_avail = -1;
  std::size_t ncols = 0;
  while (std::getline(in, line)) {
    ++lineno;
    std::string_view text = line;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (lineno == 1 && text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") {
      text.remove_prefix(3);  // UTF-8 byte order mark
    }
    if (text.empty()) continue;
    if (!split_csv(text, f)) return bad(path, lineno, "bad quoting");
    if (c_id < 0) {
      for (std::size_t k = 0; k < f.size(); ++k) {
        const std::string_view h = trim(f[k]);
        if (h == "item_id") c_id = static_cast<int>(k);
        if (h == "category") c_cat = static_cast<int>(k);
        if (h == "price") c_price = static_cast<int>(k);
        if (h == "available") c_avail = static_cast<int>(k);
      }
      if (c_id < 0 || c_cat < 0 || c_price < 0 || c_avail < 0) {
        return bad(path, lineno, "header must name item_id, category, price, available");
      }
      ncols = f.size();
      continue;
    }
    if (f.size() != ncols) {
      return bad(
          path, lineno,
          "expected " + std::to_string(ncols) + " fields, found " + std::to_string(f.size()));
    }
    CatalogItem item;
    item.id = std::string(trim(f[static_cast<std::size_t>(c_id)]));
    if (item.id.empty() || item.id.size() > kPackMaxIdBytes) {
      return bad(path, lineno, "item_id must be 1 to 256 bytes");
    }
    item.category = std::string(trim(f[static_cast<std::size_t>(c_cat)]));
    if (item.category.size() > kPackMaxIdBytes) return bad(path, lineno, "category too long");
    const std::string price(trim(f[static_cast<std::size_t>(c_price)]));
    if (!price.empty()) {
      char* end = nullptr;
      const double p = std::strtod(price.c_str(), &end);
      if (end == price.c_str() || *end != '\0' || !std::isfinite(p) || p < 0 || p > 1e9) {
        return bad(path, lineno, "price is not a number >= 0: '" + price + "'");
      }
      item.price = static_cast<float>(p);
    }
    std::string av(trim(f[static_cast<std::size_t>(c_avail)]));
    std::transform(av.begin(), av.end(), av.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (av == "1" || av == "true" || av == "yes" || av == "in_stock" || av.empty()) {
      item.available = true;
    } else if (av == "0" || av == "false" || av == "no" || av == "out_of_stock") {
      item.available = false;
    } else {
      return bad(path, lineno, "available must be 1/0/true/false/yes/no: '" + av + "'");
    }
    out.push_back(std::move(item));
  }
  if (c_id < 0) return bad(path, lineno, "empty catalog (no header)");
  return Status::ok();
}

}  // namespace vitrine::tools
