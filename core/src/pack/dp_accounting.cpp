#include "vitrine/pack/dp_accounting.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "vitrine/pack/dp_gaussian.hpp"

namespace vitrine::pack {

double pair_weight(PairWeighting w, std::size_t k) {
  return w == PairWeighting::unit ? 1.0 : 1.0 / std::sqrt(double(k));
}

Result<DpPlan> plan_dp(const DpOptions& o) {
  auto bad = [](const std::string& m) { return Status(Code::invalid_argument, "dp: " + m); };
  if (!(o.epsilon > 0) || o.epsilon > 100) return bad("epsilon must be in (0, 100]");
  if (!(o.delta > 0) || !(o.delta < 0.5)) return bad("delta must be in (0, 0.5)");
  if (o.max_pairs < 1 || o.max_pairs > 100000) return bad("max pairs must be 1..100000");
  if (o.max_items < 1 || o.max_items > 100000) return bad("max items must be 1..100000");
  if (!(o.pair_share > 0) || !(o.pair_share < 1)) return bad("pair share must be in (0, 1)");
  if (!(o.selection_share > 0) || !(o.selection_share < 1)) {
    return bad("selection share must be in (0, 1)");
  }
  if (o.pair_weighting != PairWeighting::unit && o.pair_weighting != PairWeighting::l2 &&
      o.pair_weighting != PairWeighting::adaptive) {
    return bad("unknown pair weighting");
  }
  if (o.pair_weighting == PairWeighting::adaptive) {
    if (!(o.cutoff >= 1) || o.cutoff > 1000) return bad("cutoff must be in [1, 1000]");
    if (o.scale != std::floor(o.scale)) return bad("adaptive weights need a whole scale");
  }
  if (!(o.scale >= 1) || o.scale > 1e6) return bad("scale must be in [1, 1e6]");
  DpPlan plan;
  plan.epsilon = o.epsilon;
  plan.delta = o.delta;
  plan.scale = o.scale;
  const double delta_noise = o.delta * (1 - o.selection_share);
  plan.mu = gaussian_mu(o.epsilon, delta_noise);
  const double mu_pairs = plan.mu * std::sqrt(o.pair_share);
  const double mu_pop = plan.mu * std::sqrt(1 - o.pair_share);
  plan.popularity.cells = o.max_items;
  plan.popularity.sigma = std::sqrt(double(o.max_items)) / mu_pop;
  plan.popularity.sensitivity = std::sqrt(double(o.max_items));
  plan.pair_weighting = o.pair_weighting;
  plan.pairs.cells = o.max_pairs;
  plan.pairs.sensitivity =
      o.pair_weighting == PairWeighting::unit ? std::sqrt(double(o.max_pairs)) : 1.0;
  plan.pairs.sigma = plan.pairs.sensitivity / mu_pairs;
  plan.pairs.delta_selection = o.delta * o.selection_share;
  // The added session's pairs that no one else has count w = pair_weight(k) each (k of
  // them, k <= L); one of them passes with probability at most k P(w + noise > tau). tau
  // is the least value that keeps this at most delta_selection for every k (with unit
  // weights the bound grows with k, so k = L decides).
  double tau = 0;
  for (std::uint32_t k = 1; k <= o.max_pairs; ++k) {
    if (o.pair_weighting == PairWeighting::unit && k < o.max_pairs) continue;
    const double t = pair_weight(o.pair_weighting, k) +
                     plan.pairs.sigma * normal_upper_quantile(plan.pairs.delta_selection / k);
    tau = std::max(tau, t);
  }
  plan.pairs.threshold = tau;
  if (o.pair_weighting == PairWeighting::adaptive) plan.cutoff = o.cutoff * tau;
  return plan;
}

std::array<std::uint32_t, 8> dp_key_from_seed(std::uint64_t seed) {
  std::array<std::uint32_t, 8> key{};
  for (int k = 0; k < 4; ++k) {
    std::uint64_t z = (seed += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    key[2 * k] = static_cast<std::uint32_t>(z);
    key[2 * k + 1] = static_cast<std::uint32_t>(z >> 32);
  }
  return key;
}

}  // namespace vitrine::pack
