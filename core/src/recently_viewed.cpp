#include "vitrine/recently_viewed.hpp"

#include <algorithm>

namespace vitrine {

std::vector<RecentlyViewedEntry> recently_viewed(const History& history, std::int64_t now_ms,
                                                 const RecentlyViewedOptions& options) {
  const std::size_t limit = std::min(options.limit, RecentlyViewedOptions::kCap);
  const std::int64_t oldest = now_ms - options.max_age_ms;
  const auto excluded = options.exclude_item.empty() ? std::optional<std::uint32_t>()
                                                     : history.find(options.exclude_item);

  std::vector<std::uint8_t> purchased(options.exclude_purchased ? history.items().size() : 0);
  if (options.exclude_purchased) {
    for (const HistoryEntry& e : history.entries()) {
      if (e.type == EventType::purchase) purchased[e.item] = 1;
    }
  }

  // Walk newest to oldest: the first view of an item is its last-seen time.
  std::vector<RecentlyViewedEntry> rows;
  std::vector<std::int64_t> row_of(history.items().size(), -1);
  const auto& entries = history.entries();
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (it->time_ms < oldest) break;
    if (it->type != EventType::view_item) continue;
    if (excluded && it->item == *excluded) continue;
    if (options.exclude_purchased && purchased[it->item]) continue;
    std::int64_t& row = row_of[it->item];
    if (row < 0) {
      row = static_cast<std::int64_t>(rows.size());
      rows.push_back({history.items()[it->item], it->time_ms, 0});
    }
    ++rows[static_cast<std::size_t>(row)].views;
  }
  if (rows.size() > limit) rows.resize(limit);
  return rows;
}

}  // namespace vitrine
