// Item embeddings from the pack's own aggregates: a truncated eigendecomposition of the
// symmetric co-occurrence (cosine) matrix by randomized subspace iteration (Eigen).
#pragma once
#include <cstdint>
#include <vector>

namespace vitrine {
namespace detail {

struct WeightedPair {
  std::uint32_t a, b;
  float weight;
};

// n x dim floats, row-major; rows L2-normalized (all-zero for items without pairs).
// Deterministic: a fixed xorshift start and single-threaded Eigen.
std::vector<float> spectral_embedding(std::uint32_t n, const std::vector<WeightedPair>& pairs,
                                      std::uint32_t dim, int iterations = 4);

}  // namespace detail
}  // namespace vitrine
