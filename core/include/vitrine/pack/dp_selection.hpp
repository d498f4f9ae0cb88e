// Noise and partition selection on bounded count tables (dp_bounding.hpp), as planned by
// plan_dp (dp_accounting.hpp). Only the released values leave this function.
#pragma once
#include <cstdint>
#include <vector>

#include "vitrine/pack/dp_accounting.hpp"
#include "vitrine/pack/dp_bounding.hpp"
#include "vitrine/privacy/ldp/random.hpp"

namespace vitrine::pack {

struct ReleasedCounts {
  std::vector<double> items;         // by dense id, noisy, clamped at 0 (post-processing)
  std::vector<std::uint64_t> pairs;  // the pairs whose noisy count passed the threshold
  std::vector<double> pair_counts;   // their noisy counts
};

// Adds N(0, sigma^2) to every item count (scale * count, see DpOptions::scale) and to every
// pair count, and keeps a pair only when its noisy count exceeds the plan's threshold.
// threshold selection: pairs with count 0 are never candidates (that is what the threshold
// pays for). public_domain: every pair of the catalog (counts.items.size() items) is a
// cell; the count-0 cells that pass the cut are drawn directly (binomial count, uniform
// positions, values from the Gaussian tail), which gives the released pairs exactly the
// distribution of noising all n(n-1)/2 cells, in O(released) work per item.
ReleasedCounts release_counts(const BoundedCounts& counts, const DpPlan& plan,
                              privacy::ldp::RandomSource& rng);

}  // namespace vitrine::pack
