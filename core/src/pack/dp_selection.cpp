#include "vitrine/pack/dp_selection.hpp"

#include "vitrine/pack/dp_random.hpp"

namespace vitrine::pack {

ReleasedCounts release_counts(const BoundedCounts& counts, const DpPlan& plan,
                              privacy::ldp::RandomSource& rng) {
  ReleasedCounts out;
  out.items.resize(counts.items.size());
  for (std::size_t i = 0; i < counts.items.size(); ++i) {
    const double v = plan.scale * counts.items[i] + plan.popularity.sigma * gaussian(rng);
    out.items[i] = v > 0 ? v : 0.0;
  }
  for (std::size_t k = 0; k < counts.pairs.size(); ++k) {
    const double v = plan.scale * counts.pair_counts[k] + plan.pairs.sigma * gaussian(rng);
    if (v > plan.pairs.threshold) {
      out.pairs.push_back(counts.pairs[k]);
      out.pair_counts.push_back(v);
    }
  }
  return out;
}

}  // namespace vitrine::pack
