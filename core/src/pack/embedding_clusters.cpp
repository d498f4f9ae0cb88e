// k-means over the quantized rows (what the device scores), fitted on an evenly spaced
// sample and then applied to every item. The clustering only decides how fast the device's
// search is, never what it finds: the stored centre is the mean of the members and the
// radius their largest distance to it, rounded up, so the search's bounds hold exactly.
#include "embedding_clusters.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "byte_writer.hpp"

namespace vitrine::detail {
namespace {

using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr std::uint32_t kIterations = 10;
constexpr std::uint32_t kSamplePerCluster = 64;
constexpr Eigen::Index kChunk = 4096;

// Nearest centre of each row of x (ties: the lower centre), by the largest x.c - |c|^2 / 2.
void assign(const RowMat& x, const RowMat& centres, std::vector<std::uint32_t>& out) {
  const Eigen::VectorXf half = 0.5f * centres.rowwise().squaredNorm();
  out.resize(static_cast<std::size_t>(x.rows()));
  for (Eigen::Index a = 0; a < x.rows(); a += kChunk) {
    const Eigen::Index m = std::min(kChunk, x.rows() - a);
    const Eigen::MatrixXf d = x.middleRows(a, m) * centres.transpose();
    for (Eigen::Index r = 0; r < m; ++r) {
      Eigen::Index best = 0;
      float top = d(r, 0) - half(0);
      for (Eigen::Index c = 1; c < d.cols(); ++c) {
        const float v = d(r, c) - half(c);
        if (v > top) top = v, best = c;
      }
      out[static_cast<std::size_t>(a + r)] = static_cast<std::uint32_t>(best);
    }
  }
}

}  // namespace

std::vector<std::uint8_t> embedding_index_section(const std::int8_t* rows, std::uint32_t items,
                                                  std::uint32_t dim, std::uint32_t clusters) {
  if (items == 0 || dim == 0) return {};
  std::uint32_t k =
      clusters != 0 ? clusters : static_cast<std::uint32_t>(std::lround(std::sqrt(double(items))));
  k = std::clamp<std::uint32_t>(k, 1, std::min<std::uint32_t>(items, 65536));

  RowMat all(items, dim);
  for (std::uint32_t i = 0; i < items; ++i) {
    for (std::uint32_t j = 0; j < dim; ++j) all(i, j) = rows[std::size_t{i} * dim + j];
  }
  const std::uint32_t ns = std::min<std::uint32_t>(items, k * kSamplePerCluster);
  RowMat sample(ns, dim);
  for (std::uint32_t s = 0; s < ns; ++s) {
    sample.row(s) = all.row(static_cast<Eigen::Index>(std::uint64_t{s} * items / ns));
  }
  RowMat centres(k, dim);
  for (std::uint32_t c = 0; c < k; ++c) {
    centres.row(c) = sample.row(static_cast<Eigen::Index>((std::uint64_t{c} * ns + ns / 2) / k));
  }
  std::vector<std::uint32_t> of;
  for (std::uint32_t it = 0; it < kIterations; ++it) {
    assign(sample, centres, of);
    RowMat sum = RowMat::Zero(k, dim);
    std::vector<std::uint32_t> count(k, 0);
    for (std::uint32_t s = 0; s < ns; ++s) sum.row(of[s]) += sample.row(s), ++count[of[s]];
    for (std::uint32_t c = 0; c < k; ++c) {
      if (count[c] > 0) centres.row(c) = sum.row(c) / float(count[c]);  // else kept
    }
  }
  assign(all, centres, of);

  // Members per cluster (ascending item), empty clusters dropped.
  std::vector<std::uint32_t> count(k, 0);
  for (std::uint32_t i = 0; i < items; ++i) ++count[of[i]];
  std::vector<std::uint32_t> slot(k, 0), kept;
  for (std::uint32_t c = 0; c < k; ++c) {
    if (count[c] > 0) slot[c] = static_cast<std::uint32_t>(kept.size()), kept.push_back(c);
  }
  const auto nk = static_cast<std::uint32_t>(kept.size());
  std::vector<std::uint32_t> offsets(nk + 1, 0);
  for (std::uint32_t c = 0; c < nk; ++c) offsets[c + 1] = offsets[c] + count[kept[c]];
  std::vector<std::uint32_t> members(items), fill(offsets.begin(), offsets.end() - 1);
  for (std::uint32_t i = 0; i < items; ++i) members[fill[slot[of[i]]]++] = i;

  // Centre = mean of the members (double, then float); radius = largest distance to that
  // float centre, computed in double and rounded up to the next float.
  std::vector<float> centre(std::size_t{nk} * dim), radius(nk);
  for (std::uint32_t c = 0; c < nk; ++c) {
    std::vector<double> mean(dim, 0.0);
    for (std::uint32_t m = offsets[c]; m < offsets[c + 1]; ++m) {
      const std::int8_t* r = rows + std::size_t{members[m]} * dim;
      for (std::uint32_t j = 0; j < dim; ++j) mean[j] += r[j];
    }
    const double inv = 1.0 / double(offsets[c + 1] - offsets[c]);
    float* cf = centre.data() + std::size_t{c} * dim;
    for (std::uint32_t j = 0; j < dim; ++j) cf[j] = static_cast<float>(mean[j] * inv);
    double far = 0;
    for (std::uint32_t m = offsets[c]; m < offsets[c + 1]; ++m) {
      const std::int8_t* r = rows + std::size_t{members[m]} * dim;
      double d2 = 0;
      for (std::uint32_t j = 0; j < dim; ++j) d2 += (r[j] - double(cf[j])) * (r[j] - double(cf[j]));
      far = std::max(far, d2);
    }
    radius[c] = std::nextafter(static_cast<float>(std::sqrt(far)), 1e30f);
  }

  ByteWriter w;
  w.u32(1);  // layout version
  w.u32(nk);
  w.u32(dim);
  w.u32(0);
  for (float v : centre) w.f32(v);
  for (float v : radius) w.f32(v);
  for (std::uint32_t v : offsets) w.u32(v);
  for (std::uint32_t v : members) w.u32(v);
  return std::move(w.bytes);
}

}  // namespace vitrine::detail
