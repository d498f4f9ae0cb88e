// "Recently viewed": one row per viewed item, most recent first.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "vitrine/history.hpp"

namespace vitrine {

struct RecentlyViewedOptions {
  static constexpr std::size_t kCap = 50;
  static constexpr std::int64_t kDefaultMaxAgeMs = 30LL * 24 * 3600 * 1000;

  std::size_t limit = kCap;  // clamped to kCap
  std::int64_t max_age_ms = kDefaultMaxAgeMs;
  bool exclude_purchased = false;
  std::string exclude_item;  // typically the product on screen
};

struct RecentlyViewedEntry {
  ItemInfo item;
  std::int64_t last_seen_ms = 0;
  std::uint32_t views = 0;
};

std::vector<RecentlyViewedEntry> recently_viewed(const History& history, std::int64_t now_ms,
                                                 const RecentlyViewedOptions& options);

}  // namespace vitrine
