#include "vitrine/pack/dp_accounting.hpp"

#include <cmath>
#include <string>

#include "vitrine/pack/dp_gaussian.hpp"

namespace vitrine::pack {

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
  plan.pairs.cells = o.max_pairs;
  plan.pairs.sigma = std::sqrt(double(o.max_pairs)) / mu_pairs;
  plan.pairs.delta_selection = o.delta * o.selection_share;
  // A pair only the added session has counts 1: each of its <= L such pairs passes with
  // probability delta_selection / L.
  plan.pairs.threshold =
      1 + plan.pairs.sigma * normal_upper_quantile(plan.pairs.delta_selection / o.max_pairs);
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
