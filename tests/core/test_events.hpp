// Small builders for events in tests.
#pragma once
#include <optional>
#include <string>

#include "vitrine/event.hpp"

namespace vitrine::testing {

inline Event item_event(EventType type, const std::string& id, std::int64_t time_ms,
                        const std::string& name = "", std::optional<double> price = std::nullopt) {
  Event e;
  e.type = type;
  e.time_ms = time_ms;
  e.items.push_back({id, name, "", "Cat", "", price, 1});
  return e;
}

inline Event view(const std::string& id, std::int64_t time_ms, const std::string& name = "") {
  return item_event(EventType::view_item, id, time_ms, name);
}

}  // namespace vitrine::testing
