#include "vitrine/pack/dp_accounting.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "vitrine/pack/dp_gaussian.hpp"

namespace vitrine::pack {

void pair_weights(PairWeighting w, std::size_t distinct, std::uint32_t max_pairs,
                  std::vector<double>& out) {
  const std::size_t all = distinct < 2 ? 0 : distinct * (distinct - 1) / 2;
  const std::size_t k = std::min<std::size_t>(all, max_pairs);  // as bound_pairs
  out.assign(k, w == PairWeighting::unit ? 1.0 : 1.0 / std::sqrt(double(k ? k : 1)));
}

Result<DpPlan> plan_dp(const DpOptions& o, std::uint64_t catalog_items) {
  auto bad = [](const std::string& m) { return Status(Code::invalid_argument, "dp: " + m); };
  if (!(o.epsilon > 0) || o.epsilon > 100) return bad("epsilon must be in (0, 100]");
  if (!(o.delta > 0) || !(o.delta < 0.5)) return bad("delta must be in (0, 0.5)");
  if (o.max_pairs < 1 || o.max_pairs > 100000) return bad("max pairs must be 1..100000");
  if (o.max_items < 1 || o.max_items > 100000) return bad("max items must be 1..100000");
  if (!(o.pair_share > 0) || !(o.pair_share < 1)) return bad("pair share must be in (0, 1)");
  if (!(o.selection_share > 0) || !(o.selection_share < 1)) {
    return bad("selection share must be in (0, 1)");
  }
  if (o.pair_weighting != PairWeighting::unit && o.pair_weighting != PairWeighting::l2) {
    return bad("unknown pair weighting");
  }
  if (o.selection != PairSelection::threshold && o.selection != PairSelection::public_domain) {
    return bad("unknown pair selection");
  }
  if (!(o.spurious_pairs > 0) || o.spurious_pairs > 100) {
    return bad("spurious pairs per item must be in (0, 100]");
  }
  if (!(o.embedding_min_pairs >= 0) || o.embedding_min_pairs > 1e6) {
    return bad("embedding min pairs must be in [0, 1e6]");
  }
  if (!(o.scale >= 1) || o.scale > 1e6) return bad("scale must be in [1, 1e6]");
  const bool public_domain = o.selection == PairSelection::public_domain;
  DpPlan plan;
  plan.epsilon = o.epsilon;
  plan.delta = o.delta;
  plan.scale = o.scale;
  plan.selection = o.selection;
  const double delta_noise = public_domain ? o.delta : o.delta * (1 - o.selection_share);
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
  if (public_domain) {
    // The cut: each item's catalog_items - 1 cells with count 0 pass it spurious_pairs
    // times on average.
    const double cells = double(catalog_items > 2 ? catalog_items - 1 : 1);
    plan.spurious_rate = std::min(0.5, o.spurious_pairs / cells);
    plan.pairs.threshold = plan.pairs.sigma * normal_upper_quantile(plan.spurious_rate);
    return plan;
  }
  plan.pairs.delta_selection = o.delta * o.selection_share;
  // The pairs that only the added session has count w = its weight each (k of them, all
  // the same weight); one of them passes the threshold with probability at most
  // k P(w + N(0, sigma^2) > tau). tau is the least value that keeps this at most
  // delta_selection for every k the bounding allows (k = n(n-1)/2 for a session of n
  // distinct items, at most L).
  double tau = 0;
  std::vector<double> w;
  for (std::size_t n = 2;; ++n) {
    pair_weights(o.pair_weighting, n, o.max_pairs, w);
    const double k = double(w.size());
    tau = std::max(tau,
                   w[0] + plan.pairs.sigma * normal_upper_quantile(plan.pairs.delta_selection / k));
    if (w.size() >= o.max_pairs) break;
  }
  plan.pairs.threshold = tau;
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
