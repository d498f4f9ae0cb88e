// Stage 1 of the pack build: sessions (or orders) in, aggregate tables out
// (docs/pack-tables.md). The tables hold counts only: per item, the sessions and orders it
// appears in; per ordered item pair and relation, the distinct sessions behind it and, for
// the sequential relation, a summed step weight. Every session adds at most 1 to any count
// (the cap on one session's contribution) and no session survives aggregation.
//
// Stage 2 (PackBuilder) turns tables into a pack. The same tables can come from the
// Aggregator below or from the SQL of tools/sql/aggregate.sql run in a warehouse.
//
// Streaming: add_session keeps per-session pair entries in a buffer; when the buffer passes
// `memory_limit` bytes it is sorted, reduced and handed to a spill callback as one sorted
// run (the caller writes it to disk), and merge_runs combines the runs at the end. Core
// does no I/O: runs cross as vectors and RunSource callbacks.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "vitrine/status.hpp"

namespace vitrine::pack {

inline constexpr std::uint32_t kTablesVersion = 1;
// The sequential weight is a sum of 1/step, stored exactly as an integer multiple of
// 1/lcm(1..window); the window is capped so that multiple fits comfortably in 64 bits.
inline constexpr std::uint32_t kMaxWindow = 20;

enum Relation : int { kSeq = 0, kCov = 1, kBuy = 2 };
inline constexpr const char* kRelationNames[3] = {"co_view_seq", "co_view", "co_purchase"};

struct AggregateOptions {
  std::uint32_t window = 10;             // steps ahead counted by co_view_seq (1..kMaxWindow)
  std::uint32_t max_session_items = 50;  // longer sessions: co_view pairs only within window
};

// lcm(1..window): the unit of the sequential weight column.
std::uint64_t weight_scale(std::uint32_t window);

// One row of a pair table: ordered pair (a, b) of item handles.
struct PairCount {
  std::uint32_t a = 0, b = 0;
  std::uint32_t sessions = 0;  // distinct sessions (orders for co_purchase) with the pair
  std::uint64_t weight = 0;    // co_view_seq: sum of weight_scale/step; others: 0
};

struct AggregateTables {
  AggregateOptions options;
  // Pair rows under this many sessions were left out (`vitrine-pack aggregate
  // --min-sessions`): a pack of min_support >= this is unchanged, and fewer rows leave.
  std::uint32_t min_sessions = 1;
  std::uint64_t sessions = 0;  // non-empty sessions
  std::uint64_t orders = 0;    // sessions with a cart or order event
  std::uint64_t events = 0;
  std::vector<std::uint32_t> item_sessions;  // by handle: sessions containing the item
  std::vector<std::uint32_t> item_orders;    // by handle: sessions carting/ordering it
  std::vector<PairCount> pairs[3];           // by Relation, sorted by (a, b)
  // Rows of each pair table before a reader dropped rows under min_support (stats only).
  std::uint64_t pair_rows[3] = {};
};

// Handed one sorted, reduced run of one relation when the buffer is full.
using SpillRun = std::function<Status(Relation relation, const std::vector<PairCount>& run)>;

class Aggregator {
 public:
  // memory_limit: bytes of buffered pair entries before a spill (0: never spill).
  explicit Aggregator(AggregateOptions options = {}, std::size_t memory_limit = 0,
                      SpillRun spill = {});

  // One session in time order: item handles and, per event, 1 if it is a cart/checkout/
  // order event, else 0. Handles are any uint32 below 2^32 - 1.
  Status add_session(const std::uint32_t* items, const std::uint8_t* buy, std::size_t count);

  // Item counts and totals, and either the pair tables (nothing spilled: `spilled()` false)
  // or a last spill of every buffered run (the caller merges its runs with merge_runs).
  Status finish(AggregateTables& out);
  bool spilled() const { return spilled_; }
  const AggregateOptions& options() const { return options_; }

 private:
  struct Entry {
    std::uint64_t key;  // a << 32 | b
    std::uint64_t weight;
  };
  void flush_session(std::vector<Entry>& buffer);
  static std::vector<PairCount> reduce_buffer(std::vector<Entry>& buffer);
  Status spill_all();

  AggregateOptions options_;
  std::size_t memory_limit_;
  SpillRun spill_;
  bool spilled_ = false;
  std::uint64_t scale_;
  AggregateTables totals_;  // counts; pairs unused until finish
  std::vector<Entry> buffers_[3], local_;
  std::vector<std::uint32_t> uniq_, carts_;
};

// A sorted run read back: next() fills `row` and returns true, or false at the end.
using RunSource = std::function<Result<bool>(PairCount& row)>;

// k-way merge of sorted runs, summing sessions and weight of equal pairs; rows come out
// sorted by (a, b).
Status merge_runs(std::vector<RunSource>& runs,
                  const std::function<Status(const PairCount& row)>& emit);

// Sorts by (a, b) and sums duplicates (runs reduced separately, combined in memory).
void reduce_pairs(std::vector<PairCount>& pairs);

}  // namespace vitrine::pack
