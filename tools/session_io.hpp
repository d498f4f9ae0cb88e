// Readers for the session and catalog files the tools take (the formats of ../shared/data
// and a catalog CSV). Errors name the file and line.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vitrine/event.hpp"
#include "vitrine/pack_builder.hpp"
#include "vitrine/status.hpp"

namespace vitrine::tools {

enum class Format { lines, sessionrec, otto };
bool parse_format(std::string_view name, Format& out);

struct RawEvent {
  std::string item;
  EventType type = EventType::view_item;
  std::int64_t time_ms = 0;
};
using RawSession = std::vector<RawEvent>;

// Called with bytes read so far and the file size, every few MB.
using ReadProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

// lines:      one session per line, item ids separated by spaces/tabs, in time order.
// sessionrec: TSV with a header naming SessionId, ItemId, Time (epoch seconds); rows grouped
//             into sessions by SessionId (in order of first appearance), sorted by time.
// otto:       JSON lines {"session": N, "events": [{"aid": N, "ts": ms, "type":
//             "clicks"|"carts"|"orders"}]}.
Status read_sessions(const std::string& path, Format format, std::vector<RawSession>& out,
                     const ReadProgress& progress = {});

// The same, one session at a time: lines and otto are streamed (one session per line, memory
// bounded by the longest session); sessionrec is read whole first (its rows are grouped by
// SessionId across the file). The sink may move from the session; an error stops the read.
using SessionSink = std::function<Status(RawSession& session)>;
Status stream_sessions(const std::string& path, Format format, const SessionSink& each,
                       const ReadProgress& progress = {});

// A published test set as (prefix, target) prediction points, one per line:
// "i1 i2 ... it<TAB>target" (prefix items separated by spaces, in time order).
struct RawPair {
  std::vector<std::string> prefix;
  std::string target;
};
Status read_pairs(const std::string& path, std::vector<RawPair>& out);

// CSV with a header containing item_id, category, price, available (name and any other
// column ignored). RFC 4180 quoting; available is 1/0/true/false/yes/no/in_stock/out_of_stock;
// an empty price means unknown.
Status read_catalog(const std::string& path, std::vector<CatalogItem>& out);

// Splits one CSV record (no embedded newlines). False on a bad quote.
bool split_csv(std::string_view line, std::vector<std::string>& fields);

}  // namespace vitrine::tools
