// Contribution bounding for a private pack: what one session may add to each statistic.
// Every released count is then a sum of per-session contributions of at most 1 per cell
// over at most `limit` cells, so one session changes a statistic by at most sqrt(limit) in
// L2 norm: the sensitivity the Gaussian noise is calibrated to.
#pragma once
#include <cstdint>
#include <vector>

#include "vitrine/pack/dp_accounting.hpp"

namespace vitrine::pack {

// The first `max_items` distinct items, in first-seen order (popularity).
void bound_items(const std::vector<std::uint32_t>& distinct, std::uint32_t max_items,
                 std::vector<std::uint32_t>& out);

// At most `max_pairs` unordered pairs of distinct items, as keys (min << 32 | max): the
// pairs nearest in the session first (gap 1, then gap 2, ...; earlier first within a gap),
// since neighbours in a session are the most telling co-views. A deterministic function of
// the one session, as bounding must be.
void bound_pairs(const std::vector<std::uint32_t>& distinct, std::uint32_t max_pairs,
                 std::vector<std::uint64_t>& out);

}  // namespace vitrine::pack

namespace vitrine::pack {

// Bounded counts, before any noise: a plain count table per statistic.
struct BoundedCounts {
  std::vector<double> items;         // by dense id: sessions counting the item
  std::vector<std::uint64_t> pairs;  // sorted keys (min << 32 | max)
  std::vector<double> pair_counts;   // sum of the sessions' weights (pair_weights), same order
};

// Sessions as offsets into a list of dense item ids (session s is [offsets[s],
// offsets[s+1])); repeated items count once per session. A session adds pair_weights()
// to its bounded pairs.
BoundedCounts count_bounded(const std::vector<std::uint32_t>& offsets,
                            const std::vector<std::uint32_t>& items, std::uint32_t item_count,
                            std::uint32_t max_items, std::uint32_t max_pairs,
                            PairWeighting weighting = PairWeighting::unit);

}  // namespace vitrine::pack
