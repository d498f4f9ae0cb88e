// Builds a model pack from the sessions and orders a shop already holds, plus its catalog.
// build() is stage 2 of docs/pack-tables.md: it reads aggregate tables, either given by
// set_tables or aggregated in memory from the added sessions (stage 1, pack::Aggregator).
// Only aggregates reach the pack: counts, item-item weights supported by at least
// `min_support` distinct sessions, popularity. No session and no user is stored.
// The output is deterministic: the same inputs, in the same order, give the same bytes.
#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vitrine/event.hpp"
#include "vitrine/pack/aggregate.hpp"
#include "vitrine/pack/dp_accounting.hpp"
#include "vitrine/recommend.hpp"
#include "vitrine/status.hpp"

namespace vitrine {

struct CatalogItem {
  std::string id;
  std::string category;  // empty: unknown
  float price = std::numeric_limits<float>::quiet_NaN();
  bool available = true;
};

// One event of a session; `item` is a handle from PackBuilder::intern. view_item and
// select_item count as views; add_to_cart, begin_checkout and purchase as cart/order events.
struct SessionEvent {
  std::uint32_t item = 0;
  EventType type = EventType::view_item;
};

enum class EmbeddingIndex { automatic, always, never };
constexpr std::uint64_t kEmbeddingIndexAutoBytes = std::uint64_t{1} << 20;

struct PackBuildOptions {
  std::uint32_t min_support = 1;      // distinct sessions (or orders) behind every relation
  std::uint32_t window = 10;          // steps ahead counted by co_view_seq (1..20)
  std::uint32_t max_neighbors = 100;  // strongest neighbours kept per item and relation
  std::uint32_t top_items = 1000;     // length of the global popularity list
  std::uint32_t top_per_segment = 100;
  std::uint32_t max_session_items = 50;  // longer sessions: co_view pairs only within window
  // int8 item embeddings of this many dimensions (0: none), computed from the co_view
  // relation after min_support (a truncated eigendecomposition); set_embeddings overrides.
  std::uint32_t embedding_dim = 0;
  // Section EIDX: the embeddings in clusters, so the device finds the strongest embedding
  // neighbours without a dot product per item (the same list, found faster). automatic:
  // when the table is at least kEmbeddingIndexAutoBytes (items * dim), where the dense pass
  // starts to cost; clusters 0: about sqrt(items).
  EmbeddingIndex embedding_index = EmbeddingIndex::automatic;
  std::uint32_t embedding_clusters = 0;
  // Central differential privacy per session (docs/pack-format.md DPAR, privacy/pack-privacy.md):
  // when dp.epsilon > 0, popularity and co-view come from bounded, noised, selected counts,
  // min_support is not used, co_purchase is not released, every item must have a catalog
  // row (the item table is published) and the session counts in META are 0.
  pack::DpOptions dp;
  // Section SSTA (docs/pack-format.md): recency-weighted session statistics for the
  // statistics scorer, rows of stats_neighbors entries with min_support sessions each.
  // One-step builds only (they need the sessions in time order); left out of private packs.
  bool session_stats = false;
  std::uint32_t stats_neighbors = 20;
  // Bit s: SessionStat s; bit 8 + r: SessionRelation r. The default (popularity, recent,
  // repeat) is the compact pack: forward and co-occurrence come from RSEQ and RCOV, +3.5 %
  // bytes on DIGINETICA; 0xFFF (all) is +86 % for +0.05 HR@20 (docs/evaluation.md).
  std::uint32_t stats_parts = 0x7;
  // Section FUSN: the learned fusion, fitted on the latest fusion_holdout share of the
  // sessions with statistics of the earlier ones (needs session_stats). With fusion_folds
  // F > 1, also on each of the F - 1 slices of that share before it, each with statistics
  // of the sessions before that slice (F packs built: more points, longer build).
  bool fusion = false;
  double fusion_holdout = 0.1;
  std::uint32_t fusion_folds = 1;
  std::uint32_t fusion_hidden = 32;
  std::uint32_t fusion_epochs = 6;
  std::uint32_t fusion_batch = 16;
  std::uint32_t fusion_candidates = 100;
  std::uint32_t fusion_neighbours = 50;
  std::uint32_t fusion_features = 0;  // inputs: the first this many feature kinds (0: all)
  float fusion_learning_rate = 0.003f;
  float fusion_final_rate = 0.1f;  // the rate falls linearly to this share of it
  std::uint32_t fusion_seed = 1;   // initialization and shuffling (deterministic)
  StatsWeights stats_weights;      // the statistics scorer that proposes the fusion's candidates
};

struct PackBuildStats {
  std::uint64_t items = 0;
  std::uint64_t categories = 0;
  std::uint64_t sessions = 0;
  std::uint64_t orders = 0;
  std::uint64_t events = 0;
  std::uint64_t pairs_seen[3] = {};  // distinct pairs per relation before min_support
  std::uint64_t pairs_kept[3] = {};  // after min_support and max_neighbors
  std::uint64_t bytes = 0;
  pack::DpPlan dp;  // the noise and thresholds used, when options.dp.enabled()
  std::uint64_t stats_bytes = 0, fusion_bytes = 0;
  std::uint64_t fusion_points = 0, fusion_trainable = 0;
  std::vector<double> fusion_loss;  // mean cross-entropy per epoch
};

// PackBuildOptions::stats_parts from a comma-separated list of names: popularity recent
// repeat immediate_repeat forward_sum backward_sum cooccur_sum immediate_sum (values),
// forward backward immediate cooccur (relations), or "all". invalid_argument on a bad name.
Result<std::uint32_t> parse_stats_parts(std::string_view list);

// Sets one fusion_* field of `options` from "NAME=VALUE": folds, hidden, epochs, batch,
// candidates, neighbours, features, seed (whole numbers; folds 1..4), lr, final_rate, holdout.
// invalid_argument on an unknown name or a value out of range.
Status set_fusion_option(PackBuildOptions& options, std::string_view name_value);

// Called now and then during build with a stage name and a fraction done (0..1).
using BuildProgress = std::function<void(std::string_view stage, double fraction)>;

class PackBuilder {
 public:
  explicit PackBuilder(PackBuildOptions options = {});

  // Handle for an item id (the same id always gives the same handle). Ids are 1..256 bytes;
  // returns invalid_argument otherwise.
  Result<std::uint32_t> intern(std::string_view item_id);

  // Catalog rows: category, price, availability. A second row for the same id is an error.
  Status add_catalog_item(const CatalogItem& item);

  // One session (or order), events in time order. Handles must come from intern().
  Status add_session(const std::vector<SessionEvent>& events);

  // Optional item embeddings, row-major by handle (handles() rows of `dim` floats). Stored
  // as int8 with one scale; a missing row is zeros.
  Status set_embeddings(std::vector<float> values, std::uint32_t dim);

  // Stage 2 input: aggregate tables (pack/aggregate.hpp) in this builder's handles, instead
  // of sessions. build() then reads only the tables; add_session is refused after this.
  Status set_tables(pack::AggregateTables tables);

  std::size_t handles() const { return ids_.size(); }
  std::size_t sessions() const { return session_offsets_.size() - 1; }
  const PackBuildOptions& options() const { return options_; }

  // Dense pack id of every handle in the pack build() returns (ids sorted bytewise).
  std::vector<std::uint32_t> dense_ids() const;

  Result<std::vector<std::uint8_t>> build(PackBuildStats* stats = nullptr,
                                          const BuildProgress& progress = {}) const;

 private:
  Result<std::vector<std::uint8_t>> fusion_section(const std::vector<std::uint32_t>& dense,
                                                   PackBuildStats& stats,
                                                   const BuildProgress& progress) const;

  PackBuildOptions options_;
  std::vector<std::string> ids_;
  std::unordered_map<std::string, std::uint32_t> handle_of_;
  std::vector<CatalogItem> catalog_;       // by handle (valid when has_catalog_)
  std::vector<std::uint8_t> has_catalog_;  // by handle
  std::vector<std::uint32_t> session_offsets_{0};
  std::vector<std::uint32_t> session_items_;
  std::vector<std::uint8_t> session_kinds_;  // 0 view, 1 cart/order
  bool has_tables_ = false;
  pack::AggregateTables tables_;
  std::vector<float> embeddings_;
  std::uint32_t embedding_dim_ = 0;
};

}  // namespace vitrine
