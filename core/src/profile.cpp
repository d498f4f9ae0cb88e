#include "vitrine/profile.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "vitrine/event.hpp"

namespace vitrine {

double interest_signal(EventType t) {
  switch (t) {
    case EventType::view_item:
    case EventType::select_item:
      return 1.0;
    case EventType::add_to_cart:
    case EventType::begin_checkout:
      return 3.0;
    case EventType::purchase:
      return 5.0;
    default:
      return 0.0;
  }
}

std::vector<Interest> Profile::interests(const History& history, std::int64_t now_ms,
                                         const InterestOptions& options) const {
  // Summed per item first, then per category: one map lookup per item, not per event
  // (segments call this on every rule evaluation).
  std::vector<double> per_item(history.items().size(), 0.0);
  const double half_life = static_cast<double>(std::max<std::int64_t>(options.half_life_ms, 1));
  for (const HistoryEntry& e : history.entries()) {
    const double w = interest_signal(e.type);
    if (w <= 0) continue;
    const double age = static_cast<double>(std::max<std::int64_t>(now_ms - e.time_ms, 0));
    per_item[e.item] += w * std::exp2(-age / half_life);
  }
  std::map<std::string, double> mass;
  double total = 0;
  for (std::size_t i = 0; i < per_item.size(); ++i) {
    const std::string& category = history.items()[i].category;
    if (per_item[i] <= 0 || category.empty() || is_blocked(category)) continue;
    mass[category] += per_item[i];
    total += per_item[i];
  }
  std::vector<Interest> out;
  if (!(total > 0)) return out;
  for (const auto& [category, v] : mass) {
    if (v / total >= options.min_weight) out.push_back({category, v / total});
  }
  // Heavier first, then by name: a total order (names differ), so a heap sort gives what any
  // sort would, with less wasm than an introsort (a few categories: speed does not matter).
  auto before = [](const Interest& a, const Interest& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.category < b.category;
  };
  std::make_heap(out.begin(), out.end(), before);
  std::sort_heap(out.begin(), out.end(), before);
  if (out.size() > options.limit) out.resize(options.limit);
  return out;
}

bool Profile::block(const std::string& category) {
  if (category.empty() || category.size() > EventLimits::max_text) return false;
  if (blocked_.size() >= kMaxBlocked && !is_blocked(category)) return false;
  blocked_.insert(category);
  return true;
}

}  // namespace vitrine
