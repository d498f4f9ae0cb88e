#include "vitrine/engine.hpp"

#include <algorithm>
#include <iterator>

#include "vitrine/history_json.hpp"
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
  // Withdrawing a purpose erases its data at once.
  if (consent_.allows(Purpose::history) && !consent.allows(Purpose::history)) {
    history_.clear();
    shed_before_ms_ = INT64_MIN;
  }
  if (!consent.allows(Purpose::personalization)) profile_.clear();
  consent_ = consent;
}

void Engine::erase() {
  history_.clear();
  shed_before_ms_ = INT64_MIN;
  profile_.clear();
  consent_ = privacy::ConsentState{};
}

Result<std::vector<Interest>> Engine::interests(std::int64_t now_ms) const {
  if (!consent_.allows(Purpose::personalization)) return denied(Purpose::personalization);
  return profile_.interests(history_, now_ms);
}

Result<Segments> Engine::segments(std::int64_t now_ms) const {
  if (!consent_.allows(Purpose::personalization)) return denied(Purpose::personalization);
  SegmentOptions options = segment_options_;
  if (has_pack() && pack_.has_price_bands()) {  // the shop's own price bands
    options.price_medium = pack_.band_medium();
    options.price_high = pack_.band_high();
  }
  return compute_segments(history_, profile_, now_ms, options);
}

Status Engine::block_interest(const std::string& category) {
  if (!consent_.allows(Purpose::personalization)) return denied(Purpose::personalization);
  if (!profile_.block(category)) {
    return Status(Code::invalid_argument,
                  "an interest is a category name of 1 to 256 bytes (at most " +
                      std::to_string(Profile::kMaxBlocked) + " removed)");
  }
  return Status::ok();
}

Status Engine::unblock_interest(const std::string& category) {
  if (!consent_.allows(Purpose::personalization)) return denied(Purpose::personalization);
  profile_.unblock(category);
  return Status::ok();
}

std::vector<std::string> Engine::blocked_interests() const {
  return {profile_.blocked().begin(), profile_.blocked().end()};
}

Status Engine::set_blocked_interests(const std::vector<std::string>& categories) {
  if (!consent_.allows(Purpose::personalization)) return denied(Purpose::personalization);
  Profile next;
  for (const std::string& c : categories) {
    if (!next.block(c)) return Status(Code::invalid_argument, "bad removed-interest list");
  }
  profile_ = std::move(next);
  return Status::ok();
}

std::string Engine::export_history_json() const { return history_to_json(history_); }

Status Engine::import_history_json(std::string_view json) {
  if (!consent_.allows(Purpose::history)) return denied(Purpose::history);
  auto imported = history_from_json(json, history_.capacity());
  if (!imported.is_ok()) return imported.status();
  history_ = std::move(imported).value();
  return Status::ok();
}

Result<std::vector<std::uint8_t>> Engine::snapshot() const {
  if (!consent_.allows(Purpose::history)) return denied(Purpose::history);
  return encode_snapshot(history_);
}

Result<std::vector<std::uint8_t>> Engine::snapshot_since(std::int64_t since_ms) const {
  if (!consent_.allows(Purpose::history)) return denied(Purpose::history);
  History recent(history_.capacity());
  // The entries are in time order: the recent ones are a tail, found from the end (this
  // runs on every event).
  const auto& entries = history_.entries();
  auto first = entries.end();
  while (first != entries.begin() && std::prev(first)->time_ms >= since_ms) --first;
  for (auto e = first; e != entries.end(); ++e) {
    recent.add_entry({e->time_ms, e->type, recent.intern(history_.items()[e->item]), e->quantity});
  }
  for (const SearchEntry& s : history_.searches()) {
    if (s.time_ms >= since_ms) recent.add_search(s);
  }
  return encode_snapshot(recent);
}

Status Engine::restore(const std::uint8_t* data, std::size_t size) {
  if (!consent_.allows(Purpose::history)) return denied(Purpose::history);
  auto decoded = decode_snapshot(data, size, history_.capacity());
  if (!decoded.is_ok()) return decoded.status();
  // A union: what this page recorded is kept in time order, and entries already in the
  // stored history are not added twice, so merging the same snapshot again changes nothing
  // (tabs merge each other's writes this way).
  History merged = std::move(decoded).value();
  for (const HistoryEntry& e : history_.entries()) {
    const std::uint32_t index = merged.intern(history_.items()[e.item]);
    const HistoryEntry entry{e.time_ms, e.type, index, e.quantity};
    if (!merged.contains(entry)) merged.add_entry(entry);
  }
  for (const SearchEntry& s : history_.searches()) {
    const auto& known = merged.searches();
    const bool seen = std::any_of(known.begin(), known.end(), [&](const SearchEntry& k) {
      return k.time_ms == s.time_ms && k.term == s.term;
    });
    if (!seen) merged.add_search(s);
  }
  history_ = std::move(merged);
  history_.prune_before(shed_before_ms_);
  return Status::ok();
}

std::size_t Engine::shed_history(std::size_t keep) {
  const std::size_t gone = history_.keep_newest(keep);
  if (gone > 0 && !history_.entries().empty()) {
    shed_before_ms_ = std::max(shed_before_ms_, history_.entries().front().time_ms);
  }
  return gone;
}

std::size_t Engine::enforce_retention(std::int64_t now_ms) {
  return history_.prune_before(now_ms - kHistoryRetentionMs);
}

}  // namespace vitrine
