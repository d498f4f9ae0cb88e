// The shopper's segments, computed on demand from the history on this device (never
// stored): lifecycle, recency of the previous visit, engagement, value tier, predicted
// customer value and affinities. Each field is empty where the history says too little.
// Definitions and thresholds: docs/segments.md.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vitrine/history.hpp"
#include "vitrine/profile.hpp"

namespace vitrine {

enum class Lifecycle : std::uint8_t { new_visitor, returning, customer, repeat, lapsed };
enum class Recency : std::uint8_t { today, d2, d7, d14, d30, older };
enum class Level : std::uint8_t { low, medium, high };  // engagement, value tier, price band

const char* lifecycle_name(Lifecycle l);
const char* recency_name(Recency r);
const char* level_name(Level l);

// A visit: history entries with no gap longer than the session timeout between them.
struct Visit {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
};

struct SegmentOptions {
  static constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
  // 30 minutes of inactivity end a visit (the common web-analytics session timeout).
  std::int64_t visit_gap_ms = 30LL * 60 * 1000;
  // A customer whose last order is older than this is lapsed.
  std::int64_t lapsed_after_ms = 60 * kDayMs;
  // Order value (shop currency) from which the value tier is medium, then high.
  double value_medium = 50, value_high = 200;
  // Typical item price from which the price band is medium, then high.
  double price_medium = 30, price_high = 100;
  // Horizon of the predicted customer value.
  double horizon_days = 90;
  std::size_t affinity_limit = 3;
};

struct Segments {
  Lifecycle lifecycle = Lifecycle::new_visitor;
  std::optional<Recency> recency;
  std::optional<Level> engagement;
  std::optional<Level> value_tier;
  std::optional<double> predicted_value;
  std::vector<std::string> categories, brands;  // strongest first
  std::vector<double> category_weights;         // of `categories`: interest shares, 0..1
  std::optional<Level> price_band;

  // The evidence, for explanations.
  std::size_t visits = 0, visits_30d = 0, item_events_30d = 0;
  std::optional<std::int64_t> previous_visit_ms;
  std::size_t orders = 0;
  double order_value = 0;
  std::optional<std::int64_t> last_order_ms;
  std::optional<double> expected_orders;    // BG/NBD, over the horizon
  double price_shares[3] = {0, 0, 0};       // weight of the looked-at items per price band
  double price_medium = 0, price_high = 0;  // the band bounds used
  // The cart as the history tells it: items added since the last order, minus removals.
  std::size_t cart_count = 0;
  double cart_value = 0;
  std::vector<std::string> cart_categories;
  std::optional<std::int64_t> cart_updated_ms;
};

// Visits in time order. Only events the history keeps mark a visit.
std::vector<Visit> visits(const History& history, std::int64_t gap_ms);

// Blocked categories (removed interests) steer neither category nor brand affinities.
Segments compute_segments(const History& history, const Profile& profile, std::int64_t now_ms,
                          const SegmentOptions& options = {});

}  // namespace vitrine
