// The closed, versioned catalogue of report types a device may send, and the report's wire
// format. A report is exactly
//   {"t":"<type>","v":<version>,"id":"<32 hex digits>","y":<answer>}
// where the answer is an integer (GRR) or the OUE bits as hex (byte v/8, bit v%8 least
// significant first). The id is 128 fresh random bits per report (deduplication of
// retries only, never reused: not a device identifier). No time is sent: the collector
// files a report under the day it arrives. Mechanism and epsilon follow from (type, version).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vitrine/privacy/ldp/mechanism.hpp"

namespace vitrine::privacy::ldp {

struct ReportType {
  std::string_view name;
  std::uint32_t version;
  std::uint32_t domain;
  Mechanism mechanism;
  double epsilon;
  std::string_view meaning;              // what the true value is, for the docs
  std::vector<std::string_view> labels;  // one per value, or empty: "#<index>"
  // Numeric types: the upper bucket edges (Buckets) that turn the measured number into the
  // value reported; empty for a type whose value is an index already.
  std::vector<double> upper;

  // The value reported for a measured number: its bucket for a numeric type, the number
  // itself (clamped to the last value) for an index type. nullopt: NaN, negative index.
  std::optional<std::uint32_t> value_of(double measured) const;

  Oracle oracle() const;
  std::string key() const;  // "name@version", the permanent-response key prefix
};

const std::vector<ReportType>& report_types();
const ReportType* find_report_type(std::string_view name, std::uint32_t version);

// The report's JSON (see above). `y` must be well formed for the type.
std::string encode_report(const ReportType& type, const Response& y, RandomSource& rng);

// One report of `type` for the true value x (< type.domain), with permanent randomized
// response: `memo` is the answer drawn earlier for (type, x), used again when well formed,
// else a fresh answer is drawn. The caller persists `answer` for the next time.
struct MadeReport {
  Response answer;
  std::string json;
};
MadeReport make_report(const ReportType& type, std::uint32_t x, const Response* memo,
                       RandomSource& rng);

// The catalogue as JSON, for the collector (collector/report-types.json is this output,
// checked by a test).
std::string report_types_json();

}  // namespace vitrine::privacy::ldp
