#include "vitrine/privacy/ldp/report.hpp"

#include <cmath>
#include <cstdio>

#include "vitrine/privacy/ldp/buckets.hpp"

namespace vitrine::privacy::ldp {

namespace {
// Every day's reports together stay within the default daily budget of 1.
std::vector<ReportType> make_types() {
  return {
      {"top_category",
       1,
       1024,
       Mechanism::oue,
       0.5,
       "index of the most viewed category of the day in the model pack's category table "
       "(1023: any index from 1023 on)",
       {},
       {}},
      {"recency",
       1,
       8,
       Mechanism::oue,
       0.25,
       "days since the previous visit, bucketed",
       {"first visit", "same day", "1", "2-3", "4-7", "8-14", "15-30", "31+"},
       // Measured as days since the previous day with a visit, -1 for none.
       {-1, 0, 1, 3, 7, 14, 30}},
      {"views_per_day",
       1,
       7,
       Mechanism::oue,
       0.25,
       "product views this day, bucketed",
       {"1", "2", "3-4", "5-8", "9-16", "17-32", "33+"},
       {1, 2, 4, 8, 16, 32}},
  };
}

void append_hex(std::string& out, std::uint8_t byte) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += kHex[byte >> 4];
  out += kHex[byte & 15];
}

void append_json_string(std::string& out, std::string_view s) {
  // Catalogue strings are ours and plain ASCII; quotes and backslashes escaped anyway.
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

std::string number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}
}  // namespace

Oracle ReportType::oracle() const { return *Oracle::make(mechanism, domain, epsilon); }

std::optional<std::uint32_t> ReportType::value_of(double measured) const {
  if (std::isnan(measured)) return std::nullopt;
  if (!upper.empty()) return Buckets::make(upper)->bucket_of(measured);
  if (measured < 0) return std::nullopt;
  return measured >= domain - 1 ? domain - 1 : static_cast<std::uint32_t>(measured);
}

std::string ReportType::key() const { return std::string(name) + "@" + std::to_string(version); }

const std::vector<ReportType>& report_types() {
  static const std::vector<ReportType> types = make_types();
  return types;
}

const ReportType* find_report_type(std::string_view name, std::uint32_t version) {
  for (const auto& t : report_types()) {
    if (t.name == name && t.version == version) return &t;
  }
  return nullptr;
}

std::string encode_report(const ReportType& type, const Response& y, RandomSource& rng) {
  std::string out = "{\"t\":";
  append_json_string(out, type.name);
  out += ",\"v\":" + std::to_string(type.version) + ",\"id\":\"";
  for (int i = 0; i < 2; ++i) {
    std::uint64_t r = rng.next_u64();
    for (int b = 0; b < 8; ++b, r >>= 8) append_hex(out, static_cast<std::uint8_t>(r & 0xff));
  }
  out += "\",\"y\":";
  if (type.mechanism == Mechanism::grr) {
    out += std::to_string(y.value);
  } else {
    out += '"';
    for (auto byte : y.bits) append_hex(out, byte);
    out += '"';
  }
  out += '}';
  return out;
}

MadeReport make_report(const ReportType& type, std::uint32_t x, const Response* memo,
                       RandomSource& rng) {
  const Oracle oracle = type.oracle();
  MadeReport out;
  out.answer = memo && well_formed(oracle, *memo) ? *memo : perturb(oracle, x, rng);
  out.json = encode_report(type, out.answer, rng);
  return out;
}

std::string report_types_json() {
  std::string out = "[";
  bool first = true;
  for (const auto& t : report_types()) {
    const Oracle o = t.oracle();
    if (!first) out += ",";
    first = false;
    out += "\n  {\"name\":";
    append_json_string(out, t.name);
    out += ",\"version\":" + std::to_string(t.version) + ",\"domain\":" + std::to_string(t.domain) +
           ",\"mechanism\":";
    append_json_string(out, mechanism_name(t.mechanism));
    out += ",\"epsilon\":" + number(t.epsilon) + ",\"p\":" + number(o.p) + ",\"q\":" + number(o.q) +
           ",\"meaning\":";
    append_json_string(out, t.meaning);
    out += ",\"labels\":[";
    for (std::size_t i = 0; i < t.labels.size(); ++i) {
      if (i) out += ",";
      append_json_string(out, t.labels[i]);
    }
    out += "]}";
  }
  out += "\n]\n";
  return out;
}

}  // namespace vitrine::privacy::ldp
