// The engine facade: the one object the bindings and tools talk to. It owns the
// history and the consent state, and gates every operation by its purpose.
// Time is passed in by the caller (no clock inside the core).
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "vitrine/event.hpp"
#include "vitrine/history.hpp"
#include "vitrine/privacy/consent.hpp"
#include "vitrine/recently_viewed.hpp"
#include "vitrine/status.hpp"

namespace vitrine {

struct EngineStats {
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
};

class Engine {
 public:
  explicit Engine(std::size_t history_capacity = History::kDefaultCapacity);

  // Validates and records one event (JSON text, see parse_event). Works before consent:
  // the history then lives in memory only, for the current page.
  Status track_json(std::string_view json, std::int64_t now_ms);
  Status track(const Event& event);

  std::vector<RecentlyViewedEntry> recently_viewed(const RecentlyViewedOptions& options,
                                                   std::int64_t now_ms) const;

  // Withdrawing `history` erases the history at once.
  void set_consent(privacy::ConsentState consent);
  privacy::ConsentState consent() const { return consent_; }

  // The history as bytes to keep on the device; needs the `history` purpose.
  Result<std::vector<std::uint8_t>> snapshot() const;
  // Merges a stored snapshot into the history (a union: entries of this page stay, none is
  // added twice); needs `history`. On error the engine is unchanged.
  Status restore(const std::uint8_t* data, std::size_t size);

  // Retention: drops history older than the maximum age. Returns entries removed.
  std::size_t enforce_retention(std::int64_t now_ms);
  static constexpr std::int64_t kHistoryRetentionMs = 90LL * 24 * 3600 * 1000;

  const History& history() const { return history_; }
  const EngineStats& stats() const { return stats_; }

 private:
  History history_;
  privacy::ConsentState consent_;
  EngineStats stats_;
};

}  // namespace vitrine
