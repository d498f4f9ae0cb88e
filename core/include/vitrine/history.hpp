// The shopper's browsing history on this device: a bounded, time-ordered log of item
// events, with the latest known details of each item it mentions.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vitrine/event.hpp"

namespace vitrine {

struct ItemInfo {
  std::string id;
  std::string name;
  std::string category;
  std::string brand;  // item_brand; "" when the shop gave none (snapshots before v2)
  double price = -1;  // -1: the shop never gave one
};

struct HistoryEntry {
  std::int64_t time_ms = 0;
  EventType type = EventType::view_item;
  std::uint32_t item = 0;  // index into History::items()
  std::int32_t quantity = 1;
};

struct SearchEntry {
  std::int64_t time_ms = 0;
  std::string term;
};

class History {
 public:
  static constexpr std::size_t kDefaultCapacity = 2000;
  static constexpr std::size_t kSearchCapacity = 50;

  explicit History(std::size_t capacity = kDefaultCapacity) : capacity_(capacity) {}

  // Records one entry per item (or the search term). Events older than the newest
  // entry are placed in time order; the oldest entries go when the log is full.
  void add(const Event& event);
  // Adds a single entry; used by decoders (item indices stay stable). Returns false when
  // item is out of range.
  bool add_entry(const HistoryEntry& entry);
  std::uint32_t intern(const ItemInfo& info);
  void add_search(SearchEntry entry);

  const std::deque<HistoryEntry>& entries() const { return entries_; }
  const std::vector<ItemInfo>& items() const { return items_; }
  const std::deque<SearchEntry>& searches() const { return searches_; }
  std::optional<std::uint32_t> find(std::string_view item_id) const;
  bool contains(const HistoryEntry& entry) const;
  std::size_t capacity() const { return capacity_; }

  // Drops entries older than cutoff_ms; returns how many went.
  std::size_t prune_before(std::int64_t cutoff_ms);
  // Keeps the newest `keep` entries; returns how many went.
  std::size_t keep_newest(std::size_t keep);
  // Forgets every trace of one item (the shopper removed it).
  std::size_t remove_item(std::string_view item_id);
  void clear();

 private:
  void compact_items();
  // Where id is in slots_, or the free slot it would take (slots_ not empty).
  std::size_t slot(std::string_view id) const;
  // Rebuilds slots_ for items_ plus room for `more` new items.
  void reindex(std::size_t more);

  std::size_t capacity_;
  std::deque<HistoryEntry> entries_;
  std::deque<SearchEntry> searches_;
  std::vector<ItemInfo> items_;
  // Item id -> index in items_, by open addressing: a power-of-two table of indices, at most
  // half full. std::unordered_map's rehashing and prime sizes weighed 2.5 KB of wasm.
  std::vector<std::uint32_t> slots_;
};

}  // namespace vitrine
