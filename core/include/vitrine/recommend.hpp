// Recommendations from the shopper's own history and the model pack: session-aware
// neighbourhood scoring over the pack's relations (the recent history, with recency and
// event-type weights), optional embedding similarity, popularity for cold start, and
// business rules. Every result says which history item or which rule produced it.
// The same code runs natively (tools, tests) and in the browser (wasm).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "vitrine/byte_buffer.hpp"
#include "vitrine/event.hpp"
#include "vitrine/hot_inline.hpp"
#include "vitrine/pack.hpp"

namespace vitrine {
namespace detail {
class StatsScorer;
class EmbeddingSearch;

// A list that holds each of n items at most once, with a slot for every item: push() never
// reallocates and writes through a raw pointer. The scorer pushes once per item it reaches;
// a vector's push_back there stayed a call in the size-optimized wasm (7 % of the item
// context's time in a profile).
class ItemList {
 public:
  ItemList() = default;
  // A moved vector keeps its buffer, so the copied data_ still points into it.
  ItemList(ItemList&&) noexcept = default;
  ItemList& operator=(ItemList&&) noexcept = default;
  ItemList(const ItemList&) = delete;
  ItemList& operator=(const ItemList&) = delete;

  void reserve_all(std::size_t n) {
    slots_ = ItemArray<std::uint32_t>(n);  // not initialized: push() writes before a read
    data_ = slots_.data();
    count_ = 0;
  }
  VITRINE_HOT_INLINE void push(std::uint32_t item) { data_[count_++] = item; }
  const std::uint32_t* begin() const { return data_; }
  const std::uint32_t* end() const { return data_ + count_; }
  std::size_t size() const { return count_; }
  void clear() { count_ = 0; }

 private:
  ItemArray<std::uint32_t> slots_;
  std::uint32_t* data_ = nullptr;
  std::size_t count_ = 0;
};
}  // namespace detail

// One step of the shopper's history, oldest first, with the item as a dense pack id.
// Items outside the pack are simply left out by the caller (or ignored here).
struct Signal {
  std::uint32_t item = kNoItem;
  EventType type = EventType::view_item;
  std::int64_t time_ms = 0;
};

enum class Context : std::uint8_t {
  home,  // "for you": the whole recent history
  item,  // "similar to this": request.item first, the history after it
  cart,  // "goes well with": the cart's items, co-purchase first
};

enum class Source : std::uint8_t {
  co_view,      // viewed after / with the reason item by other shoppers
  co_purchase,  // carted or bought with the reason item
  embedding,    // close to the reason item (and the history) in the embedding space
  re_view,      // the reason item itself, seen before: shoppers come back to items
  popularity,   // popular overall (cold start, or to fill the list)
  segment,      // popular in the reason's category (cold start, or to fill the list)
};
const char* source_name(Source source);

struct Reason {
  Source source = Source::popularity;
  std::uint32_t item = kNoItem;          // the history/context item behind it, if any
  std::uint32_t category = kNoCategory;  // for Source::segment
};

struct Recommendation {
  std::uint32_t item = kNoItem;
  float score = 0;
  Reason reason;
};

// Weights of the blend. The defaults are tuned on a validation split carved from the
// DIGINETICA training sessions (docs/evaluation.md), never on its test sessions.
struct ScoringWeights {
  std::uint32_t history_items = 20;  // most recent history steps used as seeds
  float recency = 0.65f;             // seed weight = recency^(steps back)
  float co_view_seq = 0.4f;          // per source; each row normalized by its strongest weight
  float co_view = 0.4f;
  float co_purchase = 0.5f;
  float re_view = 2.0f;
  float re_view_last = 0.5f;  // re_view multiplier for the most recent step itself
  float two_hop = 0.1f;       // neighbours of the strongest neighbours of the first seeds
  std::uint32_t two_hop_seeds = 2;
  std::uint32_t two_hop_fanout = 10;
  float embedding = 0.2f;  // used when the pack has embeddings; 0 skips the dense pass
  float view = 1.0f;       // event-type weights of a seed
  float cart = 1.5f;
  float purchase = 0.5f;
  float context_item = 2.0f;     // Context::item: weight of request.item against the history
  float cart_complement = 2.0f;  // Context::cart: extra weight of co_purchase for cart items
};

// The statistics scorer (pack section SSTA): the last context_items distinct steps of the
// history, weight decay^distance, each spreading over its forward, backward and
// co-occurrence rows normalized by row_sum^row_exp; the last step adds immediate and
// two-hop transitions; items of the history get a repeat term. Defaults tuned on a
// validation split of DIGINETICA's training file (docs/evaluation.md).
struct StatsWeights {
  float context_items = 10;
  float decay = 0.6f;
  float forward = 1.0f;
  float backward = 0.3f;
  float cooccur = 1.0f;
  float immediate = 0.0f;
  float two_hop = 1.0f;
  float repeat = 4.0f;
  float repeat_base = 0.4f;  // repeat term = repeat * decay^d * (repeat_base + repeat rate)
  float immediate_repeat = 0.0f;
  float row_exp = 0.75f;      // normalizer: row sum ^ row_exp
  float cooccur_pop = 0.0f;   // co-occurrence also divided by popularity(candidate) ^ this
  float pop_boost = -0.1f;    // score times (1 + popularity) ^ pop_boost
  float two_hop_fanout = 10;  // forward neighbours of the last step walked
};
constexpr std::uint32_t kStatsWeightCount = 14;
void stats_weights_to(const StatsWeights& w, float* out);  // kStatsWeightCount floats
StatsWeights stats_weights_from(const float* in);

// Which scorer ranks Context::home: `automatic` takes the best the pack carries (fused if
// it has FUSN, statistics if SSTA, else the neighbourhood scorer of version 1).
enum class Scorer : std::uint8_t { automatic, neighbourhood, statistics, fused };

struct RecommendRequest {
  Context context = Context::home;
  std::uint32_t item = kNoItem;  // Context::item: the item on the page
  // The cart as the page knows it; when empty the cart is derived from the signals
  // (add_to_cart minus remove_from_cart and purchase).
  std::vector<std::uint32_t> cart;
  std::uint32_t limit = 10;                        // at most 1000
  std::uint32_t category = kNoCategory;            // only items of this category
  std::vector<std::uint32_t> excluded_categories;  // never items of these (removed interests)
  std::vector<std::uint32_t> excluded_items;       // never these (already on the page)
  std::uint32_t max_per_category = 0;              // diversity cap; 0 = none
  bool exclude_purchased = true;
  bool exclude_in_cart = true;
  bool exclude_unavailable = true;
  bool exclude_context_item = true;  // Context::item: never recommend the page's own item
  bool fill_with_popular = true;     // top up a short list with popular items
  ScoringWeights weights;
  Scorer scorer = Scorer::automatic;
  StatsWeights stats;  // Scorer::statistics; the fused scorer uses the pack's own
};

// The fusion's inputs for one history (what the pack builder trains on): its candidates
// and kFeatureKinds features each, computed by the code that scores them on the device.
struct FusionCapture {
  StatsWeights hand;               // in: the statistics scorer proposing candidates
  std::uint32_t candidates = 100;  // in: how many of its top
  std::uint32_t neighbours = 50;   // in: how many of the neighbourhood scorer's top
  std::vector<std::uint32_t> candidates_out;
  std::vector<float> features;  // candidates_out.size() rows
};

// Keeps scratch buffers between calls (sized to the pack), so a call allocates only its
// result. Not thread-safe: one per thread. The pack must outlive it.
class Recommender {
 public:
  explicit Recommender(const Pack& pack);
  ~Recommender();
  Recommender(Recommender&&) noexcept;
  Recommender& operator=(Recommender&&) noexcept;

  std::vector<Recommendation> recommend(const Signal* signals, std::size_t count,
                                        const RecommendRequest& request);
  std::vector<Recommendation> recommend(const std::vector<Signal>& signals,
                                        const RecommendRequest& request) {
    return recommend(signals.data(), signals.size(), request);
  }
  // Sets up to `max_bytes` more of the per-item state (18 bytes an item), fresh
  // memory: true once all is set. A page spreads it over several tasks; recommend() sets
  // what is left.
  bool prepare(std::size_t max_bytes);
  // For the pack builder (pack/fusion_train.cpp): Context::home's fusion inputs. Empty
  // when the pack has no session statistics.
  void fusion_inputs(const Signal* signals, std::size_t count, const RecommendRequest& request,
                     FusionCapture& capture);

 private:
  void add(std::uint32_t item, float value, Source source, std::uint32_t reason_item);
  void add_row(Relation relation, std::uint32_t seed, float weight, Source source,
               std::uint32_t reason = kNoItem);
  void embedding_pass(const std::vector<std::pair<std::uint32_t, float>>& seeds, float weight);

  void stats_pass(const Signal* signals, std::size_t count, const RecommendRequest& request,
                  bool fused);

  const Pack* pack_;
  PendingFills fills_;  // the per-item arrays' bytes, set by prepare()
  bool prepared_ = false;
  std::unique_ptr<detail::StatsScorer> stats_;  // when the pack has SSTA
  // Per-item scratch as separate arrays: measured faster than one 16-byte slot per item.
  ItemArray<float> score_;
  ItemArray<float> best_;  // largest single contribution: gives the reason
  ItemArray<std::uint32_t> best_item_;
  ItemArray<std::uint8_t> best_source_;
  ItemArray<std::uint8_t> flags_;  // 1 touched, 2 excluded, 4 chosen
  detail::ItemList touched_;       // the items this call reached, in order
  std::unique_ptr<detail::EmbeddingSearch> search_;
  std::int32_t query_norm2_ = 0;  // of this call's embedding pass, 0 when none ran
  // Per-call buffers, kept to spare the allocator (measurable in wasm).
  std::vector<std::pair<std::uint32_t, float>> seeds_;
  std::vector<std::uint32_t> cart_, marked_, cand_, per_cat_;
  std::vector<std::uint32_t> marked_stats_, classic_;
  FusionCapture* capture_ = nullptr;
  std::vector<float> query_, fused_;
  std::vector<Reason> reasons_;
  std::vector<std::int8_t> query_i8_;
};

// One-shot form: builds a Recommender for the call.
std::vector<Recommendation> recommend(const Pack& pack, const std::vector<Signal>& signals,
                                      const RecommendRequest& request);

}  // namespace vitrine
