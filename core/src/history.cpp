#include "vitrine/history.hpp"

#include <algorithm>

namespace vitrine {
namespace {

// Events kept in the history. List impressions and checkout stage markers restate
// other events and would flood the log, so they are validated and counted only.
bool kept(EventType t) {
  switch (t) {
    case EventType::view_item:
    case EventType::select_item:
    case EventType::add_to_cart:
    case EventType::remove_from_cart:
    case EventType::begin_checkout:
    case EventType::purchase:
    case EventType::refund:
      return true;
    default:
      return false;
  }
}

constexpr std::uint32_t kFreeSlot = UINT32_MAX;

// FNV-1a: item ids are short strings.
std::size_t hash_id(std::string_view id) {
  std::uint32_t h = 2166136261u;
  for (const char c : id) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

}  // namespace

std::size_t History::slot(std::string_view id) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash_id(id) & mask;; i = (i + 1) & mask) {
    const std::uint32_t k = slots_[i];
    if (k == kFreeSlot || items_[k].id == id) return i;
  }
}

void History::reindex(std::size_t more) {
  std::size_t size = 16;
  while (size < 2 * (items_.size() + more)) size *= 2;
  slots_.assign(size, kFreeSlot);
  for (std::uint32_t i = 0; i < items_.size(); ++i) slots_[slot(items_[i].id)] = i;
}

std::uint32_t History::intern(const ItemInfo& info) {
  if (slots_.size() < 2 * (items_.size() + 1)) reindex(1);
  std::uint32_t& k = slots_[slot(info.id)];
  if (k == kFreeSlot) {
    k = static_cast<std::uint32_t>(items_.size());
    items_.push_back(info);
    return k;
  }
  // Keep the latest details the shop gave; an event without them keeps the old ones.
  ItemInfo& known = items_[k];
  if (!info.name.empty()) known.name = info.name;
  if (!info.category.empty()) known.category = info.category;
  if (!info.brand.empty()) known.brand = info.brand;
  if (info.price >= 0) known.price = info.price;
  return k;
}

bool History::add_entry(const HistoryEntry& entry) {
  if (entry.item >= items_.size()) return false;
  if (entries_.empty() || entries_.back().time_ms <= entry.time_ms) {
    entries_.push_back(entry);
  } else {
    const auto pos =
        std::upper_bound(entries_.begin(), entries_.end(), entry.time_ms,
                         [](std::int64_t t, const HistoryEntry& e) { return t < e.time_ms; });
    entries_.insert(pos, entry);
  }
  while (entries_.size() > capacity_) entries_.pop_front();
  return true;
}

void History::add_search(SearchEntry entry) {
  searches_.push_back(std::move(entry));
  while (searches_.size() > kSearchCapacity) searches_.pop_front();
}

void History::add(const Event& event) {
  if (event.type == EventType::search) {
    add_search({event.time_ms, event.search_term});
    return;
  }
  if (!kept(event.type)) return;
  for (const EventItem& item : event.items) {
    const std::uint32_t index =
        intern({item.id, item.name, item.category, item.brand, item.price.value_or(-1)});
    add_entry({event.time_ms, event.type, index, item.quantity});
  }
  // Details of items that fell off the log are dropped now and then, not on every event.
  if (items_.size() > 2 * capacity_ + 64) compact_items();
}

std::optional<std::uint32_t> History::find(std::string_view item_id) const {
  if (slots_.empty()) return std::nullopt;
  const std::uint32_t k = slots_[slot(item_id)];
  if (k == kFreeSlot) return std::nullopt;
  return k;
}

bool History::contains(const HistoryEntry& entry) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), entry.time_ms,
                             [](const HistoryEntry& e, std::int64_t t) { return e.time_ms < t; });
  for (; it != entries_.end() && it->time_ms == entry.time_ms; ++it) {
    if (it->type == entry.type && it->item == entry.item && it->quantity == entry.quantity) {
      return true;
    }
  }
  return false;
}

std::size_t History::prune_before(std::int64_t cutoff_ms) {
  std::size_t removed = 0;
  while (!entries_.empty() && entries_.front().time_ms < cutoff_ms) {
    entries_.pop_front();
    ++removed;
  }
  while (!searches_.empty() && searches_.front().time_ms < cutoff_ms) searches_.pop_front();
  if (removed > 0) compact_items();
  return removed;
}

std::size_t History::keep_newest(std::size_t keep) {
  if (entries_.size() <= keep) return 0;
  const std::size_t removed = entries_.size() - keep;
  entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(removed));
  compact_items();
  return removed;
}

std::size_t History::remove_item(std::string_view item_id) {
  const auto index = find(item_id);
  if (!index) return 0;
  const std::size_t before = entries_.size();
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const HistoryEntry& e) { return e.item == *index; }),
                 entries_.end());
  compact_items();
  return before - entries_.size();
}

void History::clear() {
  entries_.clear();
  searches_.clear();
  items_.clear();
  slots_.clear();
}

// Drops item details no entry refers to any more, so forgotten items leave no trace.
void History::compact_items() {
  constexpr std::uint32_t kUnused = UINT32_MAX;
  std::vector<std::uint32_t> remap(items_.size(), kUnused);
  std::vector<ItemInfo> kept_items;
  for (HistoryEntry& e : entries_) {
    if (remap[e.item] == kUnused) {
      remap[e.item] = static_cast<std::uint32_t>(kept_items.size());
      kept_items.push_back(std::move(items_[e.item]));
    }
    e.item = remap[e.item];
  }
  items_ = std::move(kept_items);
  reindex(0);
}

}  // namespace vitrine
