#include "vitrine/segments/segments.hpp"

#include <algorithm>
#include <cmath>
#include <map>
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
  std::vector<double> per_item(history.items().size(), 0.0);  // one map lookup per item
  for (const HistoryEntry& e : history.entries()) {
    const double w = interest_signal(e.type);
    if (w <= 0) continue;
    const double age = static_cast<double>(std::max<std::int64_t>(now_ms - e.time_ms, 0));
    per_item[e.item] += w * std::exp2(-age / static_cast<double>(defaults.half_life_ms));
  }
  std::map<std::string, double> mass;
  double total = 0;
  for (std::size_t i = 0; i < per_item.size(); ++i) {
    const ItemInfo& item = history.items()[i];
    if (per_item[i] <= 0 || item.brand.empty() || profile.is_blocked(item.category)) continue;
    mass[item.brand] += per_item[i];
    total += per_item[i];
  }
  // The strongest first, by repeated scans: limit is small, and a sort of (mass, name)
  // pairs would cost the wasm about 2 KB for nothing.
  std::vector<std::string> out;
  while (out.size() < limit) {
    const std::string* best = nullptr;
    double best_mass = 0;
    for (const auto& [brand, v] : mass) {
      if (v / total < defaults.min_weight || v <= best_mass) continue;
      if (std::find(out.begin(), out.end(), brand) != out.end()) continue;
      best = &brand;
      best_mass = v;
    }
    if (best == nullptr) break;
    out.push_back(*best);
  }
  return out;
}

// The price band: the band holding the weighted median price of the items looked at (each
// event weighted by its interest signal), found from the weight in each band, no sort.
// Needs three priced events, else one stray view would set the band.
void price_band(const History& history, const SegmentOptions& o, Segments& s) {
  double weight[3] = {0, 0, 0};
  std::size_t priced = 0;
  for (const HistoryEntry& e : history.entries()) {
    const double price = history.items()[e.item].price;
    const double w = interest_signal(e.type);
    if (price < 0 || w <= 0) continue;
    ++priced;
    weight[static_cast<int>(level_of(price, o.price_medium, o.price_high))] += w;
  }
  const double total = weight[0] + weight[1] + weight[2];
  if (priced < 3 || !(total > 0)) return;
  for (int b = 0; b < 3; ++b) s.price_shares[b] = weight[b] / total;
  s.price_band = weight[0] >= total / 2               ? Level::low
                 : weight[0] + weight[1] >= total / 2 ? Level::medium
                                                      : Level::high;
}

// Quantities per item added since the last order; a purchase empties the cart.
void fill_cart(const History& history, Segments& s) {
  std::vector<std::int64_t> cart(history.items().size(), 0);  // quantity per item
  for (const HistoryEntry& e : history.entries()) {
    if (e.type == EventType::add_to_cart) {
      cart[e.item] += e.quantity;
    } else if (e.type == EventType::remove_from_cart) {
      cart[e.item] = std::max<std::int64_t>(cart[e.item] - e.quantity, 0);
    } else if (e.type == EventType::purchase) {
      std::fill(cart.begin(), cart.end(), 0);
    } else {
      continue;
    }
    s.cart_updated_ms = e.time_ms;
  }
  for (std::size_t index = 0; index < cart.size(); ++index) {
    if (cart[index] <= 0) continue;
    const ItemInfo& info = history.items()[index];
    s.cart_count += static_cast<std::size_t>(cart[index]);
    if (info.price > 0) s.cart_value += info.price * static_cast<double>(cart[index]);
    auto& list = s.cart_categories;
    if (!info.category.empty() &&
        std::find(list.begin(), list.end(), info.category) == list.end()) {
      list.push_back(info.category);
    }
  }
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
  std::optional<std::int64_t> first_order, last_order;
  for (const HistoryEntry& e : history.entries()) {
    if (e.time_ms >= month_ago) ++s.item_events_30d;
    const double price = history.items()[e.item].price;
    const double line = price < 0 ? 0.0 : price * e.quantity;
    if (e.type == EventType::purchase) {
      // One purchase event is one order, however many items: its entries share a time.
      if (last_order != e.time_ms) ++s.orders;
      if (!first_order) first_order = e.time_ms;
      last_order = e.time_ms;
      s.order_value += line;
    } else if (e.type == EventType::refund) {
      s.order_value = std::max(0.0, s.order_value - line);
    }
  }
  if (!history.entries().empty()) {
    s.engagement = s.visits_30d >= 4 || s.item_events_30d >= 40   ? Level::high
                   : s.visits_30d >= 2 || s.item_events_30d >= 10 ? Level::medium
                                                                  : Level::low;
  }

  if (s.orders > 0) {
    const std::int64_t first = *first_order, last = *last_order;
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
    s.category_weights.push_back(i.weight);
  }
  s.brands = brand_affinities(history, profile, now_ms, o.affinity_limit);
  price_band(history, o, s);
  s.price_medium = o.price_medium;
  s.price_high = o.price_high;
  fill_cart(history, s);
  return s;
}

}  // namespace vitrine
