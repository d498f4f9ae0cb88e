#include "dp_pack.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "vitrine/pack/dp_bounding.hpp"
#include "vitrine/pack/dp_random.hpp"
#include "vitrine/pack/dp_selection.hpp"

namespace vitrine::pack {

Result<PrivateTables> private_tables(const std::vector<std::uint32_t>& offsets,
                                     const std::vector<std::uint32_t>& handles,
                                     const std::vector<std::uint32_t>& dense,
                                     const DpOptions& options) {
  Result<DpPlan> plan = plan_dp(options);
  if (!plan.is_ok()) return plan.status();
  std::vector<std::uint32_t> items(handles.size());
  for (std::size_t k = 0; k < handles.size(); ++k) items[k] = dense[handles[k]];
  const BoundedCounts counts =
      count_bounded(offsets, items, static_cast<std::uint32_t>(dense.size()), options.max_items,
                    options.max_pairs, options.pair_weighting);
  ChaChaRandom rng(options.key);
  ReleasedCounts released = release_counts(counts, plan.value(), rng);
  PrivateTables out;
  out.plan = plan.value();
  out.candidates = counts.pairs.size();
  out.popularity = std::move(released.items);
  out.pairs.reserve(2 * released.pairs.size());
  for (std::size_t k = 0; k < released.pairs.size(); ++k) {
    const auto a = static_cast<std::uint32_t>(released.pairs[k] >> 32);
    const auto b = static_cast<std::uint32_t>(released.pairs[k] & 0xFFFFFFFFu);
    const double c = released.pair_counts[k];
    // Cosine over released counts; an item is in at least as many sessions as any of its
    // pairs, so a noisy popularity below the pair's count is raised to it.
    const double w = c / std::sqrt(std::max(out.popularity[a], c) * std::max(out.popularity[b], c));
    out.pairs.push_back({a, b, c, w});
    out.pairs.push_back({b, a, c, w});
  }
  return out;
}

std::vector<std::uint8_t> dp_section(const DpOptions& options, const DpPlan& plan) {
  std::vector<std::uint8_t> out;
  auto u32 = [&](std::uint32_t v) {
    for (int k = 0; k < 4; ++k) out.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
  };
  auto f64 = [&](double v) {
    std::uint64_t u;
    std::memcpy(&u, &v, 8);
    u32(static_cast<std::uint32_t>(u));
    u32(static_cast<std::uint32_t>(u >> 32));
  };
  // mechanism: analytic Gaussian, GDP composition, Gaussian-threshold selection; 1: unit
  // pair weights, 2: L2-normalised pair weights (dp_accounting.hpp)
  u32(static_cast<std::uint32_t>(plan.pair_weighting));
  u32(options.max_pairs);
  u32(options.max_items);
  u32(0);
  f64(plan.epsilon);
  f64(plan.delta);
  f64(plan.mu);
  f64(plan.scale);
  f64(plan.popularity.sigma);
  f64(plan.pairs.sigma);
  f64(plan.pairs.threshold);
  f64(plan.pairs.delta_selection);
  return out;
}

}  // namespace vitrine::pack
