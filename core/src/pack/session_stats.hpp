// The richer session statistics of a pack (section SSTA, docs/pack-format.md): per-item
// recency-weighted popularity, recent popularity and repeat rates, and four item-item
// relations (forward within 3 steps, backward, immediate, co-occurrence), each weighted by
// how recent the session is. Aggregates only; every pair kept has min_support sessions.
#pragma once
#include <cstdint>
#include <vector>

namespace vitrine::detail {

struct SessionStatsOptions {
  std::uint32_t min_support = 2;
  std::uint32_t neighbors = 20;          // strongest entries kept per row and relation
  std::uint32_t max_session_items = 50;  // co-occurrence: the first this many distinct items
  // Which parts are written: bit s for SessionStat s, bit 8 + r for SessionRelation r
  // (popularity is always written). Smaller packs leave some out; the scorer reads 0.
  std::uint32_t parts = 0xFFF;
};

// Sessions in time order (oldest first): items of session s are
// items[offsets[s] .. offsets[s+1]), as handles; dense[handle] is the pack's dense id.
std::vector<std::uint8_t> session_stats_section(const std::vector<std::uint32_t>& offsets,
                                                const std::vector<std::uint32_t>& items,
                                                const std::vector<std::uint32_t>& dense,
                                                std::uint32_t item_count,
                                                const SessionStatsOptions& options);

}  // namespace vitrine::detail
