#include "dp_pack.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "vitrine/pack/dp_bounding.hpp"
#include "vitrine/pack/dp_random.hpp"
#include "vitrine/pack/dp_selection.hpp"

namespace vitrine::pack {
namespace {

// Public-domain selection: the share of the released pairs near each value that are real,
// estimated from released values and public numbers only (post-processing). Of the n(n-1)/2
// catalog pairs almost all have count 0, and the count of those that pass with a noisy
// value in [x, y) is known in expectation: cells * P(x < N(0, sigma^2) < y). What a bin of
// released values holds beyond that is real pairs. 1 for the threshold selection.
std::vector<double> real_share(const std::vector<double>& values, const DpPlan& plan,
                               std::size_t items) {
  std::vector<double> share(values.size(), 1.0);
  if (plan.selection != PairSelection::public_domain || values.empty()) return share;
  const double sigma = plan.pairs.sigma, cut = plan.pairs.threshold;
  const double cells = 0.5 * double(items) * double(items > 0 ? items - 1 : 0);
  const double width = 0.25 * sigma;
  constexpr int kBins = 24;  // 6 sigma above the cut: spurious pairs are gone by then
  std::vector<double> seen(kBins, 0.0), bin_share(kBins, 1.0);
  auto bin = [&](double v) { return std::min<int>(kBins - 1, int((v - cut) / width)); };
  for (double v : values) seen[bin(v)] += 1;
  double best = 0;
  for (int b = 0; b < kBins; ++b) {
    const double lo = cut + b * width, hi = b + 1 < kBins ? lo + width : HUGE_VAL;
    const double expected =
        cells * (0.5 * std::erfc(lo / sigma / std::sqrt(2.0)) -
                 (std::isinf(hi) ? 0.0 : 0.5 * std::erfc(hi / sigma / std::sqrt(2.0))));
    const double s = seen[b] > 0 ? std::max(0.0, 1 - expected / seen[b]) : 0.0;
    best = std::max(best, s);  // a higher noisy count is no less likely real
    bin_share[b] = best;
  }
  for (std::size_t k = 0; k < values.size(); ++k) share[k] = bin_share[bin(values[k])];
  return share;
}

}  // namespace

Result<PrivateTables> private_tables(const std::vector<std::uint32_t>& offsets,
                                     const std::vector<std::uint32_t>& handles,
                                     const std::vector<std::uint32_t>& dense,
                                     const DpOptions& options) {
  Result<DpPlan> plan = plan_dp(options, dense.size());
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
  const std::vector<double> real = real_share(released.pair_counts, out.plan, dense.size());
  for (std::size_t k = 0; k < released.pairs.size(); ++k) {
    const auto a = static_cast<std::uint32_t>(released.pairs[k] >> 32);
    const auto b = static_cast<std::uint32_t>(released.pairs[k] & 0xFFFFFFFFu);
    const double c = released.pair_counts[k];
    // Cosine over released counts; an item is in at least as many sessions as any of its
    // pairs, so a noisy popularity below the pair's count is raised to it.
    const double w =
        real[k] * c / std::sqrt(std::max(out.popularity[a], c) * std::max(out.popularity[b], c));
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
  // mechanism: analytic Gaussian, GDP composition; 1: unit pair weights, 2: L2-normalised
  // pair weights; then the pair selection: 0 threshold, 1 public domain (dp_accounting.hpp)
  u32(static_cast<std::uint32_t>(plan.pair_weighting));
  u32(options.max_pairs);
  u32(options.max_items);
  u32(static_cast<std::uint32_t>(plan.selection));
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
