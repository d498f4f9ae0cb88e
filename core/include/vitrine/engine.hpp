// The engine facade: the one object the bindings and tools talk to. It owns the
// history and the consent state, and gates every operation by its purpose.
// Time is passed in by the caller (no clock inside the core).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vitrine/byte_buffer.hpp"
#include "vitrine/event.hpp"
#include "vitrine/history.hpp"
#include "vitrine/pack.hpp"
#include "vitrine/pack/shards.hpp"
#include "vitrine/privacy/consent.hpp"
#include "vitrine/profile.hpp"
#include "vitrine/recently_viewed.hpp"
#include "vitrine/recommend.hpp"
#include "vitrine/segments/segments.hpp"
#include "vitrine/status.hpp"

namespace vitrine {

// A recommendation request in the shop's terms (string ids), see Engine::recommend.
struct RecommendQuery {
  Context context = Context::home;
  std::string item;                  // Context::item: the product on the page
  std::vector<std::string> cart;     // Context::cart: the cart as the page knows it (optional)
  std::vector<std::string> exclude;  // never these items (e.g. already shown on the page)
  std::uint32_t limit = 8;
  std::string category;  // only items of this category ("" = any)
  std::uint32_t max_per_category = 0;
  bool exclude_purchased = true;
  bool exclude_in_cart = true;
  bool exclude_unavailable = true;
};

struct RecommendedItem {
  std::string item_id;
  float score = 0;
  Source source = Source::popularity;
  std::string reason_item;      // the history or context item behind it ("" = none)
  std::string reason_category;  // Source::segment: the category it is popular in
};

// Bestsellers of one segment of the pack: `segment` is "category", "priceBand" or "all".
struct Bestsellers {
  std::string segment;
  std::string value;  // the category name or band level; "" for "all"
  std::vector<std::string> items;
};

struct PackSummary {
  std::uint32_t items = 0;
  std::uint32_t categories = 0;
  std::uint32_t embedding_dim = 0;
  std::size_t bytes = 0;
  std::uint32_t shards = 0;  // a shard head: its shard count (0: a whole pack)
};

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
  // Only what was recorded at or after since_ms, in the same format: the small record a
  // page writes at once after an event, so that the event outlives a navigation that cuts
  // the full write short. restore() merges it without adding anything twice.
  Result<std::vector<std::uint8_t>> snapshot_since(std::int64_t since_ms) const;
  // Merges a stored snapshot into the history (a union: entries of this page stay, none is
  // added twice); needs `history`. On error the engine is unchanged.
  Status restore(const std::uint8_t* data, std::size_t size);

  // Model pack: fill the buffer returned by pack_buffer(size) (in the browser: JS writes the
  // downloaded bytes straight into wasm memory), then open_pack() checks and uses it in
  // place. On error the previous pack stays in use.
  std::uint8_t* pack_buffer(std::size_t size);
  // That buffer again (the same address until open_pack() or the next pack_buffer()): a
  // page copies a large pack in slices, and its view of wasm memory may go stale between them.
  std::uint8_t* staged_pack() { return staged_bytes_.data(); }
  std::size_t staged_pack_size() const { return staged_bytes_.size(); }
  // Optional, between the two: checks up to `max_bytes` more of the staged pack's section
  // checksums (true once all are checked, data_loss at a mismatch), so that a page can
  // check a large pack in slices between frames; open_pack() then does not check them again.
  Result<bool> verify_pack(std::size_t max_bytes);
  Result<PackSummary> open_pack();
  // Builds the recommender for the pack in use and sets up to `max_bytes` more of its
  // per-item state (18 bytes an item): true once all is set. recommend() finishes it
  // when needed; a page calls this in tasks of their own after open_pack(), so that no task
  // is long.
  bool prepare_recommender(std::size_t max_bytes = SIZE_MAX);
  bool has_pack() const { return !pack_bytes_.empty(); }
  const Pack& pack() const { return pack_; }
  // The index in the pack's category table of the item's category (the pack's own, else
  // `category` by name): what the `top_category` report counts. nullopt: neither known.
  std::optional<std::uint32_t> category_index(std::string_view item_id,
                                              std::string_view category) const;

  // Sharded packs (docs/pack-format.md#sharded-packs). open_pack() of a shard head keeps
  // its directory; each shard is then written to shard_buffer(size) and add_shard() checks
  // it (SHA-256 named by the head, then as a pack) and joins its items and relations to
  // the pack in use. On error nothing changes. failed_precondition without a shard head.
  std::uint8_t* shard_buffer(std::size_t size);
  Status add_shard();
  // A head with directory blocks (SHRB) names a shard's digest in its block: the block is
  // written to shard_buffer(size) and add_shard_block() checks it against the head.
  Status add_shard_block();
  // nullptr when the pack in use is a whole pack.
  const ShardDirectory* shard_directory() const;
  bool shard_loaded(std::uint32_t shard) const;
  // The shards `recommend(query)` would read and that are not loaded yet, ascending: the
  // page's item, the cart and the history steps used as seeds. recommend() works without
  // them, but then those items add nothing (only popularity fills for them).
  std::vector<std::uint32_t> missing_shards(const RecommendQuery& query) const;

  // Recommendations for the page. The shopper's history is used only with the
  // `personalization` purpose; without it only the query's own item or cart count, so the
  // result is the same for every shopper on that page. No pack: failed_precondition.
  Result<std::vector<RecommendedItem>> recommend(const RecommendQuery& query);

  // Inferred interests (category affinities); need `personalization`. Removing one keeps
  // its category out of interests and recommendations until it is restored.
  Result<std::vector<Interest>> interests(std::int64_t now_ms) const;
  Status block_interest(const std::string& category);
  Status unblock_interest(const std::string& category);
  std::vector<std::string> blocked_interests() const;
  // Restores the stored list (replacing the current one); needs `personalization`.
  Status set_blocked_interests(const std::vector<std::string>& categories);

  // Segments computed from the history (docs/segments.md); need `personalization`.
  Result<Segments> segments(std::int64_t now_ms) const;
  void set_segment_options(const SegmentOptions& options) { segment_options_ = options; }
  // The pack's bestsellers for the shopper's own segment, chosen here: the strongest
  // category affinity, else the price band (packs with POPB), else everyone's. Without
  // `personalization` always everyone's. No pack: failed_precondition.
  Result<Bestsellers> bestsellers(std::uint32_t limit, std::int64_t now_ms) const;

  // The shopper's rights. Export shows whatever this page holds (consent or not);
  // import replaces the history and needs `history`, since the result is kept.
  std::string export_history_json() const;
  Status import_history_json(std::string_view json);
  // Forgets one product everywhere in the history; returns entries removed.
  std::size_t remove_item(std::string_view item_id) { return history_.remove_item(item_id); }

  // Forgets everything: history, profile, consent (the shopper erased their data).
  void erase();
  // Keeps only the newest `keep` history entries (local storage is full); returns how
  // many went. What went stays out: a later restore() of an older stored copy does not
  // bring it back (until erase or a withdrawal of `history`).
  std::size_t shed_history(std::size_t keep);

  // Retention: drops history older than the maximum age. Returns entries removed.
  std::size_t enforce_retention(std::int64_t now_ms);
  static constexpr std::int64_t kHistoryRetentionMs = 90LL * 24 * 3600 * 1000;

  const History& history() const { return history_; }
  const EngineStats& stats() const { return stats_; }

 private:
  std::vector<Signal> personal_signals() const;

  History history_;
  Profile profile_;
  SegmentOptions segment_options_;
  privacy::ConsentState consent_;
  EngineStats stats_;
  std::int64_t shed_before_ms_ = INT64_MIN;  // entries older than this were shed
  // The pack in use and the bytes it reads in place; staged bytes wait for open_pack().
  ByteBuffer pack_bytes_, staged_bytes_, staged_shard_;
  std::optional<PackChecks> staged_checks_;  // verify_pack() in progress on staged_bytes_
  bool staged_verified_ = false;             // ... and done
  Pack pack_;
  std::unique_ptr<ShardSet> shards_;  // set when pack_ is a head joined with its shards
  Status use_pack(ByteBuffer bytes);  // bytes already checked (see engine_recommend.cpp)
  void adopt(ByteBuffer bytes, Pack pack);
  std::unique_ptr<Recommender> recommender_;
};

}  // namespace vitrine
