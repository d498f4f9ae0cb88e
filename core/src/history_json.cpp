#include "vitrine/history_json.hpp"

#include <cmath>

#include "card_data.hpp"
#include "decimal.hpp"
#include "vitrine/event.hpp"
#include "vitrine/json.hpp"

namespace vitrine {
namespace {

// Times are ms since the epoch; anything past year 33658 is not a time.
constexpr double kMaxTimeMs = 1e15;

void append_time(std::int64_t t, std::string& out) { out += std::to_string(t); }

Status invalid(const std::string& where, const std::string& what) {
  return Status(Code::invalid_argument, "history JSON: " + where + ": " + what);
}

// A string member: required or optional, with a length cap.
Status read_string(const Json& obj, const char* key, std::size_t max, bool required,
                   const std::string& where, std::string& out) {
  const Json* v = obj.find(key);
  if (v == nullptr || v->is_null()) {
    return required ? invalid(where, std::string(key) + " is missing") : Status::ok();
  }
  if (!v->is_string()) return invalid(where, std::string(key) + " must be a string");
  if (v->as_string().size() > max) {
    return invalid(where, std::string(key) + " is longer than " + std::to_string(max) + " bytes");
  }
  if (required && v->as_string().empty()) return invalid(where, std::string(key) + " is empty");
  out = v->as_string();
  return Status::ok();
}

Status read_time(const Json& obj, const std::string& where, std::int64_t& out) {
  const Json* t = obj.find("time");
  if (t == nullptr || !t->is_number()) return invalid(where, "time must be a number");
  const double v = t->as_number();
  if (!(v >= 0 && v <= kMaxTimeMs) || v != std::floor(v)) {
    return invalid(where, "time must be whole milliseconds since 1970");
  }
  out = static_cast<std::int64_t>(v);
  return Status::ok();
}

const std::vector<Json>* array_member(const Json& root, const char* key) {
  const Json* v = root.find(key);
  return v != nullptr && v->is_array() ? &v->as_array() : nullptr;
}

// The items in the order the shopper first met them (then any without an event), whatever
// order merges between tabs and pages left in the table: the same history always exports
// the same document.
std::vector<std::uint32_t> items_in_first_seen_order(const History& history) {
  std::vector<std::uint32_t> order;
  std::vector<std::uint8_t> listed(history.items().size(), 0);
  for (const HistoryEntry& e : history.entries()) {
    if (!listed[e.item]) order.push_back(e.item);
    listed[e.item] = 1;
  }
  for (std::uint32_t i = 0; i < listed.size(); ++i) {
    if (!listed[i]) order.push_back(i);
  }
  return order;
}

}  // namespace

std::string history_to_json(const History& history) {
  std::string out = "{\"items\":[";
  const auto& items = history.items();
  const auto order = items_in_first_seen_order(history);
  for (std::size_t n = 0; n < order.size(); ++n) {
    const std::uint32_t i = order[n];
    if (n) out += ',';
    out += "{\"id\":";
    json_quote(items[i].id, out);
    out += ",\"name\":";
    json_quote(items[i].name, out);
    out += ",\"category\":";
    json_quote(items[i].category, out);
    if (!items[i].brand.empty()) {  // optional: exports before brands were kept have none
      out += ",\"brand\":";
      json_quote(items[i].brand, out);
    }
    out += ",\"price\":";
    if (items[i].price < 0) {
      out += "null";
    } else {
      detail::append_shortest(items[i].price, out);
    }
    out += '}';
  }
  out += "],\"events\":[";
  bool first = true;
  for (const HistoryEntry& e : history.entries()) {
    if (!first) out += ',';
    first = false;
    out += "{\"time\":";
    append_time(e.time_ms, out);
    out += ",\"event\":";
    json_quote(event_name(e.type), out);
    out += ",\"itemId\":";
    json_quote(items[e.item].id, out);
    out += ",\"quantity\":" + std::to_string(e.quantity) + '}';
  }
  out += "],\"searches\":[";
  first = true;
  for (const SearchEntry& s : history.searches()) {
    if (!first) out += ',';
    first = false;
    out += "{\"time\":";
    append_time(s.time_ms, out);
    out += ",\"term\":";
    json_quote(s.term, out);
    out += '}';
  }
  out += "]}";
  return out;
}

Result<History> history_from_json(std::string_view json, std::size_t capacity) {
  JsonLimits limits;
  limits.max_bytes = 8u << 20;
  limits.max_depth = 4;
  limits.max_elements = 200000;
  auto parsed = Json::parse(json, limits);
  if (!parsed.is_ok())
    return Status(Code::invalid_argument, "history JSON: " + parsed.status().message());
  const Json& root = parsed.value();
  const auto* items = array_member(root, "items");
  const auto* events = array_member(root, "events");
  const auto* searches = array_member(root, "searches");
  if (!root.is_object() || items == nullptr || events == nullptr || searches == nullptr) {
    return invalid("top level", "needs the arrays items, events and searches");
  }
  if (events->size() > capacity) {
    return invalid("events", "more than " + std::to_string(capacity) + " entries");
  }
  History history(capacity);
  for (std::size_t i = 0; i < items->size(); ++i) {
    const Json& it = (*items)[i];
    const std::string where = "items[" + std::to_string(i) + "]";
    if (!it.is_object()) return invalid(where, "must be an object");
    ItemInfo info;
    if (Status s = read_string(it, "id", EventLimits::max_id, true, where, info.id); !s.is_ok())
      return s;
    if (Status s = read_string(it, "name", EventLimits::max_text, false, where, info.name);
        !s.is_ok())
      return s;
    if (Status s = read_string(it, "category", EventLimits::max_text, false, where, info.category);
        !s.is_ok()) {
      return s;
    }
    // Optional: exports made before brands were kept have none.
    if (Status s = read_string(it, "brand", EventLimits::max_text, false, where, info.brand);
        !s.is_ok()) {
      return s;
    }
    if (const Json* p = it.find("price"); p != nullptr && !p->is_null()) {
      if (!p->is_number() || !valid_price(p->as_number())) {
        return invalid(where, "price must be 0 or a number from 0.000001 to 1e9, or null");
      }
      info.price = p->as_number();
    }
    if (contains_card_number(info.name) || contains_card_number(info.category)) {
      return invalid(where, "a text field looks like a payment card number");
    }
    if (history.find(info.id)) return invalid(where, "item \"" + info.id + "\" is listed twice");
    history.intern(info);
  }
  for (std::size_t i = 0; i < events->size(); ++i) {
    const Json& ev = (*events)[i];
    const std::string where = "events[" + std::to_string(i) + "]";
    if (!ev.is_object()) return invalid(where, "must be an object");
    HistoryEntry entry;
    if (Status s = read_time(ev, where, entry.time_ms); !s.is_ok()) return s;
    std::string name, item_id;
    if (Status s = read_string(ev, "event", 64, true, where, name); !s.is_ok()) return s;
    const auto type = event_type_from_name(name);
    if (!type || *type == EventType::search) {
      return invalid(where, contains_card_number(name) ? std::string("unknown event")
                                                       : "unknown event \"" + name + "\"");
    }
    entry.type = *type;
    if (Status s = read_string(ev, "itemId", EventLimits::max_id, true, where, item_id); !s.is_ok())
      return s;
    const auto index = history.find(item_id);
    if (!index) return invalid(where, "itemId \"" + item_id + "\" is not in items");
    entry.item = *index;
    const Json* q = ev.find("quantity");
    if (q == nullptr || !q->is_number() || q->as_number() != std::floor(q->as_number()) ||
        q->as_number() < 1 || q->as_number() > static_cast<double>(EventLimits::max_quantity)) {
      return invalid(where, "quantity must be a whole number from 1 to " +
                                std::to_string(EventLimits::max_quantity));
    }
    entry.quantity = static_cast<std::int32_t>(q->as_number());
    history.add_entry(entry);
  }
  if (searches->size() > History::kSearchCapacity) {
    return invalid("searches",
                   "more than " + std::to_string(History::kSearchCapacity) + " entries");
  }
  for (std::size_t i = 0; i < searches->size(); ++i) {
    const Json& se = (*searches)[i];
    const std::string where = "searches[" + std::to_string(i) + "]";
    if (!se.is_object()) return invalid(where, "must be an object");
    SearchEntry entry;
    if (Status s = read_time(se, where, entry.time_ms); !s.is_ok()) return s;
    if (Status s = read_string(se, "term", EventLimits::max_text, true, where, entry.term);
        !s.is_ok()) {
      return s;
    }
    if (contains_card_number(entry.term)) {
      return invalid(where, "term looks like a payment card number");
    }
    history.add_search(std::move(entry));
  }
  return history;
}

}  // namespace vitrine
