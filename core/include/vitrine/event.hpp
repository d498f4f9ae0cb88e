// The GA4 ecommerce event vocabulary, and the validation every incoming event passes.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vitrine/status.hpp"

namespace vitrine {

enum class EventType : std::uint8_t {
  view_item,
  view_item_list,
  select_item,
  add_to_cart,
  remove_from_cart,
  view_cart,
  begin_checkout,
  add_shipping_info,
  add_payment_info,
  purchase,
  refund,
  search,
};
constexpr int kEventTypeCount = 12;

std::string_view event_name(EventType type);
// GA4 names, plus Shopify Web Pixels names mapped onto them (product_viewed -> view_item).
std::optional<EventType> event_type_from_name(std::string_view name);

// Bounds on outside data; anything longer is refused, not truncated.
struct EventLimits {
  static constexpr std::size_t max_json_bytes = 64 * 1024;
  static constexpr std::size_t max_items = 200;
  static constexpr std::size_t max_id = 128;
  static constexpr std::size_t max_text = 256;
  static constexpr double max_price = 1e9;
  static constexpr double min_price = 1e-6;  // below a millionth of a unit is not a price
  static constexpr std::int64_t max_quantity = 100000;
};

struct EventItem {
  std::string id;
  std::string name;
  std::string brand;
  std::string category;  // item_category (top level of the hierarchy)
  std::string variant;
  std::optional<double> price;
  std::int32_t quantity = 1;
};

struct Event {
  EventType type = EventType::view_item;
  std::int64_t time_ms = 0;
  std::vector<EventItem> items;
  std::string search_term;
};

// A price the engine keeps: 0, or from min_price to max_price.
inline bool valid_price(double p) {
  return p == 0 || (p >= EventLimits::min_price && p <= EventLimits::max_price);
}

// Parses one event given as JSON: either { event, items, search_term } or the GA4
// dataLayer shape { event, ecommerce: { items } }. time_ms is the engine's clock.
Result<Event> parse_event(std::string_view json, std::int64_t time_ms);

// Checks an event built in code against the same rules as parse_event.
Status validate_event(const Event& event);

}  // namespace vitrine
