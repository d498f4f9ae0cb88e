#include "vitrine/pack/dp_selection.hpp"

#include <algorithm>
#include <cmath>

#include "vitrine/pack/dp_gaussian.hpp"
#include "vitrine/pack/dp_random.hpp"

namespace vitrine::pack {
namespace {

// k ~ Binomial(n, p) by inversion; p is small here (n p is about spurious_pairs), so the
// walk takes a few steps.
std::uint64_t binomial(std::uint64_t n, double p, privacy::ldp::RandomSource& rng) {
  if (n == 0 || !(p > 0)) return 0;
  const double u = uniform_open(rng);
  double pmf = std::exp(double(n) * std::log1p(-p));
  double cdf = pmf;
  std::uint64_t k = 0;
  const double odds = p / (1 - p);
  while (u > cdf && k < n) {
    pmf *= double(n - k) / double(k + 1) * odds;
    ++k;
    cdf += pmf;
    if (pmf < 1e-300 && double(k) > double(n) * p) break;  // the rest of the mass rounds away
  }
  return k;
}

// The noisy pairs with count 0 that pass the cut, as the dense Gaussian release would give
// them: each of row a's cells (a, b), b > a, not in `taken`, passes independently with
// probability `rate`; where it passes, its value is N(0, sigma^2) conditioned above the cut.
void spurious_row(std::uint32_t a, std::uint32_t n, const std::uint64_t* taken,
                  std::size_t taken_count, const DpPlan& plan, privacy::ldp::RandomSource& rng,
                  ReleasedCounts& out) {
  const std::uint64_t cells = n - 1 - a;
  const std::uint64_t zero = cells - taken_count;
  std::uint64_t k = binomial(zero, plan.spurious_rate, rng);
  const std::size_t first = out.pairs.size();
  while (k > 0) {
    // Uniform over the row's zero cells not drawn yet: rejection (zero >> k in practice).
    const std::uint64_t key =
        std::uint64_t{a} << 32 | (a + 1 + privacy::ldp::uniform_below(rng, cells));
    if (std::binary_search(taken, taken + taken_count, key)) continue;
    if (std::find(out.pairs.begin() + static_cast<std::ptrdiff_t>(first), out.pairs.end(), key) !=
        out.pairs.end()) {
      continue;
    }
    out.pairs.push_back(key);
    out.pair_counts.push_back(plan.pairs.sigma *
                              normal_upper_quantile(uniform_open(rng) * plan.spurious_rate));
    --k;
  }
}

}  // namespace

ReleasedCounts release_counts(const BoundedCounts& counts, const DpPlan& plan,
                              privacy::ldp::RandomSource& rng) {
  ReleasedCounts out;
  out.items.resize(counts.items.size());
  for (std::size_t i = 0; i < counts.items.size(); ++i) {
    const double v = plan.scale * counts.items[i] + plan.popularity.sigma * gaussian(rng);
    out.items[i] = v > 0 ? v : 0.0;
  }
  auto noisy = [&](std::size_t k) {
    const double v = plan.scale * counts.pair_counts[k] + plan.pairs.sigma * gaussian(rng);
    if (v > plan.pairs.threshold) {
      out.pairs.push_back(counts.pairs[k]);
      out.pair_counts.push_back(v);
    }
  };
  if (plan.selection == PairSelection::threshold) {
    for (std::size_t k = 0; k < counts.pairs.size(); ++k) noisy(k);
    return out;
  }
  // Public domain: row by row (keys are sorted by their smaller item), the pairs some
  // session has, then the row's spurious ones.
  const auto n = static_cast<std::uint32_t>(counts.items.size());
  std::size_t k = 0;
  for (std::uint32_t a = 0; a + 1 < n; ++a) {
    const std::size_t begin = k;
    while (k < counts.pairs.size() && (counts.pairs[k] >> 32) == a) noisy(k++);
    spurious_row(a, n, counts.pairs.data() + begin, k - begin, plan, rng, out);
  }
  return out;
}

}  // namespace vitrine::pack
