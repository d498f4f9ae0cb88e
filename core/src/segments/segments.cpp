#include "vitrine/segments/segments.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "vitrine/segments/customer_value.hpp"

namespace vitrine {
namespace {

constexpr double kWeekMs = 7.0 * SegmentOptions::kDayMs;

Recency recency_of(std::int64_t elapsed_ms) {
  const double days = static_cast<double>(elapsed_ms) / SegmentOptions::kDayMs;
  if (days < 1) return Recency::today;
  if (days < 2) return Recency::d2;
  if (days < 7) return Recency::d7;
  if (days < 14) return Recency::d14;
  if (days < 30) return Recency::d30;
  return Recency::older;
}

Level level_of(double value, double medium, double high) {
  return value >= high ? Level::high : value >= medium ? Level::medium : Level::low;
}

// Brands by decayed interest mass, as Profile::interests does for categories.
std::vector<std::string> brand_affinities(const History& history, const Profile& profile,
                                          std::int64_t now_ms, std::size_t limit) {
  const InterestOptions defaults;
  std::map<std::string, double> mass;
  double total = 0;
  for (const HistoryEntry& e : history.entries()) {
    const ItemInfo& item = history.items()[e.item];
    const double w = interest_signal(e.type);
    if (item.brand.empty() || w <= 0 || profile.is_blocked(item.category)) continue;
    const double age = static_cast<double>(std::max<std::int64_t>(now_ms - e.time_ms, 0));
    const double v = w * std::exp2(-age / static_cast<double>(defaults.half_life_ms));
    mass[item.brand] += v;
    total += v;
  }
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [brand, v] : mass) {
    if (v / total >= defaults.min_weight) ranked.emplace_back(-v, brand);
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < ranked.size() && i < limit; ++i) out.push_back(ranked[i].second);
  return out;
}

// The price the shopper looks at: the median of item prices, weighted by interest signal.
// Needs three priced events, else one stray view would set the band.
std::optional<double> typical_price(const History& history) {
  std::vector<std::pair<double, double>> prices;  // price, weight
  double total = 0;
  for (const HistoryEntry& e : history.entries()) {
    const double price = history.items()[e.item].price;
    const double w = interest_signal(e.type);
    if (price < 0 || w <= 0) continue;
    prices.emplace_back(price, w);
    total += w;
  }
  if (prices.size() < 3) return std::nullopt;
  std::sort(prices.begin(), prices.end());
  double seen = 0;
  for (const auto& [price, w] : prices) {
    seen += w;
    if (seen >= total / 2) return price;
  }
  return prices.back().first;
}

// Quantities per item added since the last order; a purchase empties the cart.
void fill_cart(const History& history, Segments& s) {
  std::map<std::uint32_t, std::int64_t> cart;
  for (const HistoryEntry& e : history.entries()) {
    if (e.type == EventType::add_to_cart) {
      cart[e.item] += e.quantity;
    } else if (e.type == EventType::remove_from_cart) {
      cart[e.item] = std::max<std::int64_t>(cart[e.item] - e.quantity, 0);
    } else if (e.type == EventType::purchase) {
      cart.clear();
    } else {
      continue;
    }
    s.cart_updated_ms = e.time_ms;
  }
  std::set<std::string> categories;
  for (const auto& [index, quantity] : cart) {
    if (quantity <= 0) continue;
    const ItemInfo& info = history.items()[index];
    s.cart_count += static_cast<std::size_t>(quantity);
    if (info.price > 0) s.cart_value += info.price * static_cast<double>(quantity);
    if (!info.category.empty()) categories.insert(info.category);
  }
  s.cart_categories.assign(categories.begin(), categories.end());
  if (s.cart_count == 0) s.cart_updated_ms.reset();
}

}  // namespace

const char* lifecycle_name(Lifecycle l) {
  switch (l) {
    case Lifecycle::new_visitor:
      return "new";
    case Lifecycle::returning:
      return "returning";
    case Lifecycle::customer:
      return "customer";
    case Lifecycle::repeat:
      return "repeat";
    case Lifecycle::lapsed:
      return "lapsed";
  }
  return "";
}

const char* recency_name(Recency r) {
  static const char* const names[] = {"today", "2d", "7d", "14d", "30d", "older"};
  return names[static_cast<int>(r)];
}

const char* level_name(Level l) {
  static const char* const names[] = {"low", "medium", "high"};
  return names[static_cast<int>(l)];
}

std::vector<Visit> visits(const History& history, std::int64_t gap_ms) {
  std::vector<Visit> out;
  for (const HistoryEntry& e : history.entries()) {
    if (!out.empty() && e.time_ms - out.back().end_ms <= gap_ms) {
      out.back().end_ms = e.time_ms;
    } else {
      out.push_back({e.time_ms, e.time_ms});
    }
  }
  return out;
}

Segments compute_segments(const History& history, const Profile& profile, std::int64_t now_ms,
                          const SegmentOptions& o) {
  Segments s;
  const std::vector<Visit> all = visits(history, o.visit_gap_ms);
  s.visits = all.size();

  // The visit under way (its last event within the timeout) is not the previous one.
  std::optional<Visit> previous;
  if (!all.empty()) {
    const bool current = now_ms - all.back().end_ms <= o.visit_gap_ms;
    if (!current) {
      previous = all.back();
    } else if (all.size() >= 2) {
      previous = all[all.size() - 2];
    }
  }
  if (previous) {
    s.previous_visit_ms = previous->end_ms;
    s.recency = recency_of(std::max<std::int64_t>(now_ms - previous->end_ms, 0));
  }

  const std::int64_t month_ago = now_ms - 30 * SegmentOptions::kDayMs;
  for (const Visit& v : all) s.visits_30d += v.end_ms >= month_ago;
  std::set<std::int64_t> order_times;
  for (const HistoryEntry& e : history.entries()) {
    if (e.time_ms >= month_ago) ++s.item_events_30d;
    const double price = history.items()[e.item].price;
    const double line = price < 0 ? 0.0 : price * e.quantity;
    if (e.type == EventType::purchase) {
      order_times.insert(e.time_ms);  // one purchase event, one order, however many items
      s.order_value += line;
    } else if (e.type == EventType::refund) {
      s.order_value = std::max(0.0, s.order_value - line);
    }
  }
  s.orders = order_times.size();
  if (!history.entries().empty()) {
    s.engagement = s.visits_30d >= 4 || s.item_events_30d >= 40   ? Level::high
                   : s.visits_30d >= 2 || s.item_events_30d >= 10 ? Level::medium
                                                                  : Level::low;
  }

  if (s.orders > 0) {
    const std::int64_t first = *order_times.begin(), last = *order_times.rbegin();
    s.last_order_ms = last;
    s.lifecycle = now_ms - last > o.lapsed_after_ms ? Lifecycle::lapsed
                  : s.orders >= 2                   ? Lifecycle::repeat
                                                    : Lifecycle::customer;
    s.value_tier = level_of(s.order_value, o.value_medium, o.value_high);
    const double T = static_cast<double>(std::max<std::int64_t>(now_ms - first, 0)) / kWeekMs;
    const double t_x = static_cast<double>(last - first) / kWeekMs;
    const double expected =
        bgnbd_expected_orders(static_cast<double>(s.orders - 1), t_x, T, o.horizon_days / 7);
    if (std::isfinite(expected) && expected >= 0) {
      s.expected_orders = expected;
      if (s.order_value > 0) {
        const double value = expected * s.order_value / static_cast<double>(s.orders);
        s.predicted_value = std::round(value * 100) / 100;
      }
    }
  } else {
    s.lifecycle = previous ? Lifecycle::returning : Lifecycle::new_visitor;
  }

  for (const Interest& i : profile.interests(history, now_ms)) {
    if (s.categories.size() == o.affinity_limit) break;
    s.categories.push_back(i.category);
  }
  s.brands = brand_affinities(history, profile, now_ms, o.affinity_limit);
  s.typical_price = typical_price(history);
  s.price_medium = o.price_medium;
  s.price_high = o.price_high;
  fill_cart(history, s);
  if (s.typical_price) s.price_band = level_of(*s.typical_price, o.price_medium, o.price_high);
  return s;
}

}  // namespace vitrine
