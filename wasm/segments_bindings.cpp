// Embind bindings for segments (free functions taking the engine). Conversion only.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "engine_handle.hpp"
#include "status_value.hpp"
#include "vitrine/engine.hpp"

namespace {

using emscripten::val;
using vitrine::Engine;
using vitrine::wasm::status_value;
using vitrine::wasm::with_engine;

template <class T, class F>
val or_null(const std::optional<T>& v, F&& f) {
  return v ? f(*v) : val::null();
}

val names(const std::vector<std::string>& list) {
  if (list.empty()) return val::null();
  val out = val::array();
  for (std::size_t i = 0; i < list.size(); ++i) out.set(i, list[i]);
  return out;
}

val level(vitrine::Level l) { return val(std::string(vitrine::level_name(l))); }
val number(double d) { return val(d); }
val time(std::int64_t t) { return val(static_cast<double>(t)); }

val segments(const Engine& engine, double now_ms) {
  auto result = engine.segments(static_cast<std::int64_t>(now_ms));
  if (!result.is_ok()) return status_value(result.status());
  const vitrine::Segments& s = result.value();
  val affinities = val::object();
  affinities.set("categories", names(s.categories));
  affinities.set("brands", names(s.brands));
  affinities.set("priceBand", or_null(s.price_band, level));
  val seg = val::object();
  seg.set("lifecycle", std::string(vitrine::lifecycle_name(s.lifecycle)));
  seg.set("recency", or_null(s.recency, [](vitrine::Recency r) {
            return val(std::string(vitrine::recency_name(r)));
          }));
  seg.set("engagement", or_null(s.engagement, level));
  seg.set("valueTier", or_null(s.value_tier, level));
  seg.set("predictedValue", or_null(s.predicted_value, number));
  seg.set("affinities", affinities);
  val evidence = val::object();
  evidence.set("visits", static_cast<double>(s.visits));
  evidence.set("visits30d", static_cast<double>(s.visits_30d));
  evidence.set("itemEvents30d", static_cast<double>(s.item_events_30d));
  evidence.set("previousVisit", or_null(s.previous_visit_ms, time));
  evidence.set("orders", static_cast<double>(s.orders));
  evidence.set("orderValue", s.order_value);
  evidence.set("lastOrder", or_null(s.last_order_ms, time));
  evidence.set("expectedOrders", or_null(s.expected_orders, number));
  val weights = val::array();
  for (std::size_t i = 0; i < s.category_weights.size(); ++i) weights.set(i, s.category_weights[i]);
  evidence.set("categoryWeights", weights);
  val shares = val::array();
  for (int b = 0; b < 3; ++b) shares.set(b, s.price_shares[b]);
  evidence.set("priceShares", shares);
  val bands = val::array();
  bands.set(0, s.price_medium);
  bands.set(1, s.price_high);
  evidence.set("priceBands", bands);
  val cart = val::object();
  cart.set("count", static_cast<double>(s.cart_count));
  cart.set("value", std::round(s.cart_value * 100) / 100);
  cart.set("categories", names(s.cart_categories));
  cart.set("updated", or_null(s.cart_updated_ms, time));
  evidence.set("cart", cart);
  val out = val::object();
  out.set("ok", true);
  out.set("segments", seg);
  out.set("evidence", evidence);
  return out;
}

val bestsellers(const Engine& engine, double limit, double now_ms) {
  auto result =
      engine.bestsellers(static_cast<std::uint32_t>(limit), static_cast<std::int64_t>(now_ms));
  if (!result.is_ok()) return status_value(result.status());
  val segment = val::object();
  segment.set("kind", result.value().segment);
  segment.set("value", result.value().value.empty() ? val::null() : val(result.value().value));
  val items = val::array();
  for (std::size_t i = 0; i < result.value().items.size(); ++i) {
    items.set(i, result.value().items[i]);
  }
  val out = val::object();
  out.set("ok", true);
  out.set("segment", segment);
  out.set("items", items);
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(vitrine_segments) {
  emscripten::function("segments", with_engine<&segments>);
  emscripten::function("bestsellers", with_engine<&bestsellers>);
}
