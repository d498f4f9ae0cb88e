#include "spectral_embedding.hpp"

#include <Eigen/Dense>
#include <Eigen/Sparse>
#include <algorithm>
#include <cmath>

namespace vitrine {
namespace detail {

std::vector<float> spectral_embedding(std::uint32_t n, const std::vector<WeightedPair>& pairs,
                                      std::uint32_t dim, int iterations) {
  std::vector<float> out(std::size_t{n} * dim, 0.0f);
  if (n == 0 || dim == 0 || pairs.empty()) return out;
  using Sparse = Eigen::SparseMatrix<double, Eigen::ColMajor, int>;
  std::vector<Eigen::Triplet<double, int>> t;
  t.reserve(pairs.size());
  for (const WeightedPair& p : pairs) {
    t.emplace_back(static_cast<std::int64_t>(p.a), static_cast<std::int64_t>(p.b),
                   double{p.weight});
  }
  Sparse A(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  A.setFromTriplets(t.begin(), t.end());

  // Subspace of dim + 8 columns, started from a fixed pseudo-random matrix.
  const auto nn = static_cast<Eigen::Index>(n);
  const Eigen::Index k = std::min<Eigen::Index>(static_cast<Eigen::Index>(dim) + 8, nn);
  Eigen::MatrixXd Y(nn, k);
  std::uint64_t s = 0x9E3779B97F4A7C15ull;
  for (Eigen::Index j = 0; j < k; ++j) {
    for (Eigen::Index i = 0; i < nn; ++i) {
      s ^= s >> 12;
      s ^= s << 25;
      s ^= s >> 27;
      Y(i, j) = double((s * 2685821657736338717ull) >> 11) / double(1ull << 53) - 0.5;
    }
  }
  Eigen::MatrixXd Q;
  for (int it = 0; it < iterations; ++it) {
    Q = Eigen::HouseholderQR<Eigen::MatrixXd>(Y).householderQ() * Eigen::MatrixXd::Identity(nn, k);
    Y = A * Q;
  }
  Q = Eigen::HouseholderQR<Eigen::MatrixXd>(Y).householderQ() * Eigen::MatrixXd::Identity(nn, k);
  // Rayleigh-Ritz: A ~ Q T Q^T with T = Q^T A Q (k x k, symmetric).
  const Eigen::MatrixXd AQ = A * Q;
  Eigen::MatrixXd T = Q.transpose() * AQ;
  T = 0.5 * (T + T.transpose());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(T);
  // Largest eigenvalues first; only positive ones carry similarity.
  std::vector<Eigen::Index> order(static_cast<std::size_t>(k));
  for (Eigen::Index j = 0; j < k; ++j) order[static_cast<std::size_t>(j)] = j;
  std::sort(order.begin(), order.end(), [&](Eigen::Index x, Eigen::Index y) {
    return eig.eigenvalues()(x) > eig.eigenvalues()(y);
  });
  const Eigen::MatrixXd V = Q * eig.eigenvectors();
  for (std::uint32_t d = 0; d < dim && d < static_cast<std::uint32_t>(k); ++d) {
    const Eigen::Index j = order[d];
    const auto col = j;
    const double lambda = eig.eigenvalues()(j);
    if (!(lambda > 0)) break;
    const double f = std::sqrt(lambda);
    for (std::uint32_t i = 0; i < n; ++i) {
      out[std::size_t{i} * dim + d] = static_cast<float>(V(static_cast<Eigen::Index>(i), col) * f);
    }
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    double norm = 0;
    for (std::uint32_t d = 0; d < dim; ++d) {
      norm += double(out[std::size_t{i} * dim + d]) * out[std::size_t{i} * dim + d];
    }
    if (norm > 0) {
      const double inv = 1.0 / std::sqrt(norm);
      for (std::uint32_t d = 0; d < dim; ++d) {
        out[std::size_t{i} * dim + d] = static_cast<float>(out[std::size_t{i} * dim + d] * inv);
      }
    }
  }
  return out;
}

}  // namespace detail
}  // namespace vitrine
