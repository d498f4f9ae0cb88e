#include "vitrine/engine.hpp"

#include "vitrine/snapshot.hpp"

namespace vitrine {

using privacy::Purpose;

namespace {
Status denied(Purpose p) {
  return Status(Code::permission_denied,
                "the \"" + std::string(privacy::purpose_name(p)) + "\" purpose is not granted");
}
}  // namespace

Engine::Engine(std::size_t history_capacity) : history_(history_capacity) {}

Status Engine::track_json(std::string_view json, std::int64_t now_ms) {
  auto event = parse_event(json, now_ms);
  if (!event.is_ok()) {
    ++stats_.rejected;
    return event.status();
  }
  history_.add(event.value());
  ++stats_.accepted;
  return Status::ok();
}

Status Engine::track(const Event& event) {
  if (Status s = validate_event(event); !s.is_ok()) {
    ++stats_.rejected;
    return s;
  }
  history_.add(event);
  ++stats_.accepted;
  return Status::ok();
}

std::vector<RecentlyViewedEntry> Engine::recently_viewed(const RecentlyViewedOptions& options,
                                                         std::int64_t now_ms) const {
  return vitrine::recently_viewed(history_, now_ms, options);
}

void Engine::set_consent(privacy::ConsentState consent) {
  if (consent_.allows(Purpose::history) && !consent.allows(Purpose::history)) history_.clear();
  consent_ = consent;
}

Result<std::vector<std::uint8_t>> Engine::snapshot() const {
  if (!consent_.allows(Purpose::history)) return denied(Purpose::history);
  return encode_snapshot(history_);
}

Status Engine::restore(const std::uint8_t* data, std::size_t size) {
  if (!consent_.allows(Purpose::history)) return denied(Purpose::history);
  auto decoded = decode_snapshot(data, size, history_.capacity());
  if (!decoded.is_ok()) return decoded.status();
  // What this page recorded before the stored history arrived is kept, in time order.
  History merged = std::move(decoded).value();
  for (const HistoryEntry& e : history_.entries()) {
    const std::uint32_t index = merged.intern(history_.items()[e.item]);
    merged.add_entry({e.time_ms, e.type, index, e.quantity});
  }
  for (const SearchEntry& s : history_.searches()) merged.add_search(s);
  history_ = std::move(merged);
  return Status::ok();
}

std::size_t Engine::enforce_retention(std::int64_t now_ms) {
  return history_.prune_before(now_ms - kHistoryRetentionMs);
}

}  // namespace vitrine
