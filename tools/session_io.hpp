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

// CSV with a header containing item_id, category, price, available (name and any other
// column ignored). RFC 4180 quoting; available is 1/0/true/false/yes/no/in_stock/out_of_stock;
// an empty price means unknown.
Status read_catalog(const std::string& path, std::vector<CatalogItem>& out);

// Splits one CSV record (no embedded newlines). False on a bad quote.
bool split_csv(std::string_view line, std::vector<std::string>& fields);

}  // namespace vitrine::tools
