#include "vitrine/event.hpp"

#include <array>
#include <cmath>
#include <utility>

#include "card_data.hpp"
#include "vitrine/json.hpp"

namespace vitrine {
namespace {

constexpr std::array<std::string_view, kEventTypeCount> kNames = {
    "view_item",        "view_item_list", "select_item",    "add_to_cart",
    "remove_from_cart", "view_cart",      "begin_checkout", "add_shipping_info",
    "add_payment_info", "purchase",       "refund",         "search",
};

// Shopify Web Pixels standard events, mapped onto GA4 names.
constexpr std::array<std::pair<std::string_view, EventType>, 10> kShopify = {{
    {"product_viewed", EventType::view_item},
    {"collection_viewed", EventType::view_item_list},
    {"product_added_to_cart", EventType::add_to_cart},
    {"product_removed_from_cart", EventType::remove_from_cart},
    {"cart_viewed", EventType::view_cart},
    {"checkout_started", EventType::begin_checkout},
    {"checkout_shipping_info_submitted", EventType::add_shipping_info},
    {"payment_info_submitted", EventType::add_payment_info},
    {"checkout_completed", EventType::purchase},
    {"search_submitted", EventType::search},
}};

bool needs_items(EventType t) {
  switch (t) {
    case EventType::view_item:
    case EventType::view_item_list:
    case EventType::select_item:
    case EventType::add_to_cart:
    case EventType::remove_from_cart:
    case EventType::purchase:
      return true;
    default:
      return false;
  }
}

Status invalid(std::string message) { return Status(Code::invalid_argument, std::move(message)); }

Status card_number(const std::string& field) {
  return invalid(field + " looks like a payment card number: the event is not recorded");
}

// Reads an optional string member; an absent or null member leaves out untouched.
Status read_text(const Json& obj, std::string_view key, std::size_t max, std::string& out,
                 const std::string& where) {
  const Json* v = obj.find(key);
  if (v == nullptr || v->is_null()) return Status::ok();
  if (!v->is_string()) return invalid(where + std::string(key) + " must be a string");
  if (v->as_string().size() > max) {
    return invalid(where + std::string(key) + " is longer than " + std::to_string(max) + " bytes");
  }
  out = v->as_string();
  return Status::ok();
}

Status read_item(const Json& j, std::size_t index, EventItem& item) {
  const std::string where = "items[" + std::to_string(index) + "].";
  if (!j.is_object()) return invalid("items[" + std::to_string(index) + "] must be an object");
  const Json* id = j.find("item_id");
  if (id == nullptr || id->is_null()) return invalid(where + "item_id is missing");
  if (id->is_number()) {
    // Some themes push numeric ids; accept whole numbers and keep them as text.
    const double n = id->as_number();
    if (n != std::floor(n) || std::fabs(n) > 9007199254740991.0) {
      return invalid(where + "item_id must be a string or a whole number");
    }
    item.id = std::to_string(static_cast<long long>(n));
  } else if (id->is_string()) {
    item.id = id->as_string();
  } else {
    return invalid(where + "item_id must be a string");
  }
  Status s;
  if (!(s = read_text(j, "item_name", EventLimits::max_text, item.name, where)).is_ok()) return s;
  if (!(s = read_text(j, "item_brand", EventLimits::max_text, item.brand, where)).is_ok()) return s;
  if (!(s = read_text(j, "item_category", EventLimits::max_text, item.category, where)).is_ok()) {
    return s;
  }
  if (!(s = read_text(j, "item_variant", EventLimits::max_text, item.variant, where)).is_ok()) {
    return s;
  }
  if (const Json* p = j.find("price"); p != nullptr && !p->is_null()) {
    if (!p->is_number()) return invalid(where + "price must be a number");
    item.price = p->as_number();
  }
  if (const Json* q = j.find("quantity"); q != nullptr && !q->is_null()) {
    if (!q->is_number()) return invalid(where + "quantity must be a number");
    const double n = q->as_number();
    if (n != std::floor(n) || n < 1 || n > static_cast<double>(EventLimits::max_quantity)) {
      return invalid(where + "quantity must be a whole number from 1 to " +
                     std::to_string(EventLimits::max_quantity));
    }
    item.quantity = static_cast<std::int32_t>(n);
  }
  return Status::ok();
}

}  // namespace

std::string_view event_name(EventType type) { return kNames[static_cast<std::size_t>(type)]; }

std::optional<EventType> event_type_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<EventType>(i);
  }
  for (const auto& [shopify, type] : kShopify) {
    if (shopify == name) return type;
  }
  return std::nullopt;
}

Status validate_event(const Event& e) {
  if (static_cast<int>(e.type) >= kEventTypeCount) return invalid("unknown event type");
  if (e.items.size() > EventLimits::max_items) {
    return invalid("more than " + std::to_string(EventLimits::max_items) + " items");
  }
  if (needs_items(e.type) && e.items.empty()) {
    return invalid(std::string(event_name(e.type)) + " needs at least one item");
  }
  if (e.type == EventType::search) {
    if (e.search_term.empty()) return invalid("search needs a search_term");
    if (e.search_term.size() > EventLimits::max_text) {
      return invalid("search_term is longer than " + std::to_string(EventLimits::max_text) +
                     " bytes");
    }
  }
  // A card number typed into a search box or pushed by a theme is never kept (privacy.md
  // #13); the message names the field, never the value.
  if (contains_card_number(e.search_term)) return card_number("search_term");
  for (std::size_t i = 0; i < e.items.size(); ++i) {
    const EventItem& it = e.items[i];
    const std::string where = "items[" + std::to_string(i) + "].";
    if (it.id.empty()) return invalid(where + "item_id is empty");
    if (it.id.size() > EventLimits::max_id) {
      return invalid(where + "item_id is longer than " + std::to_string(EventLimits::max_id) +
                     " bytes");
    }
    for (const std::string* text : {&it.name, &it.brand, &it.category, &it.variant}) {
      if (text->size() > EventLimits::max_text) return invalid(where + "a text field is too long");
      if (contains_card_number(*text)) return card_number(where + "a text field");
    }
    if (it.price && !std::isfinite(*it.price))
      return invalid(where + "price must be a finite number");
    if (it.price && !valid_price(*it.price)) {
      return invalid(where + "price must be 0 or a number from 0.000001 to 1e9");
    }
    if (it.quantity < 1 || it.quantity > EventLimits::max_quantity) {
      return invalid(where + "quantity is out of range");
    }
  }
  return Status::ok();
}

Result<Event> parse_event(std::string_view json, std::int64_t time_ms) {
  if (json.size() > EventLimits::max_json_bytes) {
    return invalid("event is larger than " + std::to_string(EventLimits::max_json_bytes) +
                   " bytes");
  }
  JsonLimits limits;
  limits.max_bytes = EventLimits::max_json_bytes;
  limits.max_depth = 8;
  auto parsed = Json::parse(json, limits);
  if (!parsed.is_ok()) return invalid("event is not valid JSON: " + parsed.status().message());
  const Json& root = parsed.value();
  if (!root.is_object()) return invalid("event must be an object");

  const Json* name = root.find("event");
  if (name == nullptr || !name->is_string()) return invalid("event name is missing");
  const auto type = event_type_from_name(name->as_string());
  if (!type) {
    const std::string shown = name->as_string().substr(0, 40);
    if (contains_card_number(name->as_string())) return card_number("the event name");
    return invalid("unknown event \"" + shown + "\"");
  }

  Event event;
  event.type = *type;
  event.time_ms = time_ms;

  // GA4 dataLayer pushes nest items under "ecommerce"; gtag() calls put them at the top.
  const Json* holder = &root;
  if (const Json* ecommerce = root.find("ecommerce");
      ecommerce != nullptr && !ecommerce->is_null()) {
    if (!ecommerce->is_object()) return invalid("ecommerce must be an object");
    holder = ecommerce;
  }
  if (const Json* items = holder->find("items"); items != nullptr && !items->is_null()) {
    if (!items->is_array()) return invalid("items must be an array");
    if (items->as_array().size() > EventLimits::max_items) {
      return invalid("more than " + std::to_string(EventLimits::max_items) + " items");
    }
    event.items.resize(items->as_array().size());
    for (std::size_t i = 0; i < event.items.size(); ++i) {
      if (Status s = read_item(items->as_array()[i], i, event.items[i]); !s.is_ok()) return s;
    }
  }
  if (Status s = read_text(*holder, "search_term", EventLimits::max_text, event.search_term, "");
      !s.is_ok()) {
    return s;
  }
  if (event.search_term.empty() && holder != &root) {
    if (Status s = read_text(root, "search_term", EventLimits::max_text, event.search_term, "");
        !s.is_ok()) {
      return s;
    }
  }
  if (Status s = validate_event(event); !s.is_ok()) return s;
  return event;
}

}  // namespace vitrine
