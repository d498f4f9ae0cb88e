// The privacy budget of one pack and how it is spent. Neighbouring datasets differ by one
// session (or order). The pack releases two statistics, each a Gaussian mechanism on
// bounded counts: item popularity (every catalog item; the catalog is public, so no
// selection) and co-view pairs. The Gaussian noise of both statistics together is mu-GDP,
// mu^2 = mu_pop^2 + mu_pairs^2. Pairs are selected one of two ways (PairSelection):
//
//  public_domain (the default): the catalog is public, so the set of all its item pairs is
//    too. Every pair gets noise, including the (implicit) pairs no session has, and a pair
//    is published when its noisy count passes a cut; the cut is post-processing, so all of
//    delta goes to the noise. The pairs nobody viewed that pass are sampled exactly as the
//    dense noise would make them (dp_selection.hpp); the cut sets how many such spurious
//    pairs an item gets on average.
//  threshold: only pairs some session has get noise, and a pair is published only above a
//    threshold (partition selection). delta = delta_noise + delta_selection; a pair only the
//    added session has (count w) is released with probability P(w + N(0, sigma^2) >
//    threshold), over its at most L pairs at most delta_selection.
//
// Everything the builder derives from released values (cosines, top lists, embeddings) is
// post-processing.
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

// How co-view pairs are selected for release (see the top of this file; DPAR offset 12).
enum class PairSelection : std::uint32_t { threshold = 0, public_domain = 1 };

struct DpOptions {
  double epsilon = 0;  // per session, whole pack; 0: off (the exact, thresholded build)
  double delta = 1e-6;
  std::uint32_t max_pairs = 40;  // L: co-view pairs one session may add to
  std::uint32_t max_items = 10;  // M: items one session may add to popularity
  double pair_share = 0.95;      // share of mu^2 spent on pairs (the rest: popularity)
  PairWeighting pair_weighting = PairWeighting::l2;
  PairSelection selection = PairSelection::public_domain;
  double selection_share = 0.5;  // threshold selection: share of delta spent on it
  // public_domain selection: spurious pairs (no session has them) published per catalog
  // item on average; sets the cut. Fewer is cleaner, more lets weaker real pairs through.
  double spurious_pairs = 0.2;
  // Below this many released co-view pairs per catalog item (both directions, on average)
  // the pack carries no embedding: measured on DIGINETICA, an embedding of so thin a graph
  // costs HR@20 (docs/evaluation.md). Post-processing: it counts released pairs only.
  double embedding_min_pairs = 8;
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
  double delta_selection = 0;  // delta spent by the threshold (0 for public_domain)
};

struct DpPlan {
  double epsilon = 0, delta = 0;
  double mu = 0;  // of the noise of all statistics together
  double scale = 1;
  PairWeighting pair_weighting = PairWeighting::l2;
  PairSelection selection = PairSelection::public_domain;
  double spurious_rate = 0;  // public_domain: P(noise > cut) for one pair cell
  DpStatistic popularity, pairs;
};

// What a session of `distinct` distinct items adds to each of its bounded pairs, in the
// order of bound_pairs (gap 1 first): a deterministic function of the session's length.
void pair_weights(PairWeighting w, std::size_t distinct, std::uint32_t max_pairs,
                  std::vector<double>& out);

// Checks the options (clear invalid_argument errors) and computes the noise and thresholds.
// `catalog_items` (the public item count) sets the public_domain cut: each item has
// catalog_items - 1 pair cells.
Result<DpPlan> plan_dp(const DpOptions& options, std::uint64_t catalog_items = 2);

// The key of a reproducible build (tests, evaluation): 256 bits expanded from `seed`.
std::array<std::uint32_t, 8> dp_key_from_seed(std::uint64_t seed);

}  // namespace vitrine::pack
