// The privacy budget of one pack and how it is spent. Neighbouring datasets differ by one
// session (or order). The pack releases two statistics, each a Gaussian mechanism on
// bounded counts: item popularity (every catalog item; the catalog is public, so no
// selection) and co-view pairs (released only above a threshold: partition selection).
//
// delta = delta_noise + delta_selection. The Gaussian noise of both statistics together is
// mu-GDP, mu^2 = mu_pop^2 + mu_pairs^2, calibrated exactly to (epsilon, delta_noise). A pair
// only the added session has (count 1) is released with probability P(1 + N(0, sigma^2) >
// threshold); over the at most L such pairs that is at most delta_selection. Everything the
// builder derives from released values (cosines, top lists, embeddings) is post-processing.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "vitrine/status.hpp"

namespace vitrine::pack {

// How one session's co-view pairs are weighted (docs/pack-format.md, DPAR mechanism).
//  unit: 1 per pair, at most L pairs: L2 sensitivity sqrt(L) (mechanism 1).
//  l2:   a session with k <= L pairs adds 1 / sqrt(k) to each: L2 sensitivity 1 whatever
//        k is, so a short session (most are) spends its whole budget on its few pairs
//        instead of a sqrt(k / L) share of it (mechanism 2).
// (Measured on a validation split, docs/evaluation.md: l2 beats unit; weights in
// proportion to 1 / gap, scaled to L2 norm 1, and Gopi et al.'s adaptive policy Gaussian
// both measured below l2, so they are not kept.)
enum class PairWeighting : std::uint32_t { unit = 1, l2 = 2 };

struct DpOptions {
  double epsilon = 0;  // per session, whole pack; 0: off (the exact, thresholded build)
  double delta = 1e-6;
  std::uint32_t max_pairs = 20;  // L: co-view pairs one session may add to
  std::uint32_t max_items = 10;  // M: items one session may add to popularity
  double pair_share = 0.95;      // share of mu^2 spent on pairs (the rest: popularity)
  PairWeighting pair_weighting = PairWeighting::l2;
  double selection_share = 0.5;        // share of delta spent on partition selection
  std::array<std::uint32_t, 8> key{};  // ChaCha20 key of the noise (see dp_random.hpp)
  // EVALUATION ONLY: bounded counts are multiplied by `scale` before the noise, to
  // simulate a shop `scale` times larger. Any value but 1 voids the guarantee.
  double scale = 1;
  bool enabled() const { return epsilon > 0; }
};

struct DpStatistic {
  std::uint32_t cells = 0;     // per session at most this many cells, each by at most 1
  double sensitivity = 0;      // L2 norm of one session's contribution, at most
  double sigma = 0;            // Gaussian noise standard deviation
  double threshold = 0;        // release only above this noisy count (0: all cells public)
  double delta_selection = 0;  // delta spent by the threshold
};

struct DpPlan {
  double epsilon = 0, delta = 0;
  double mu = 0;  // of the noise of all statistics together
  double scale = 1;
  PairWeighting pair_weighting = PairWeighting::l2;
  DpStatistic popularity, pairs;
};

// What a session of `distinct` distinct items adds to each of its bounded pairs, in the
// order of bound_pairs (gap 1 first): a deterministic function of the session's length.
void pair_weights(PairWeighting w, std::size_t distinct, std::uint32_t max_pairs,
                  std::vector<double>& out);

// Checks the options (clear invalid_argument errors) and computes the noise and thresholds.
Result<DpPlan> plan_dp(const DpOptions& options);

// The key of a reproducible build (tests, evaluation): 256 bits expanded from `seed`.
std::array<std::uint32_t, 8> dp_key_from_seed(std::uint64_t seed);

}  // namespace vitrine::pack
