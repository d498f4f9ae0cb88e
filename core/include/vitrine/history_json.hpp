// The history as JSON, for the shopper's export and for importing it back: readable
// (string ids, event names, times in ms), and read back with the same validation as
// events. Format: docs/formats.md#export.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "vitrine/history.hpp"
#include "vitrine/status.hpp"

namespace vitrine {

// {"items":[{"id","name","category","price"}],
//  "events":[{"time","event","itemId","quantity"}], "searches":[{"time","term"}]}
std::string history_to_json(const History& history);
Result<History> history_from_json(std::string_view json,
                                  std::size_t capacity = History::kDefaultCapacity);

}  // namespace vitrine
