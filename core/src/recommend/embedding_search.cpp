// Why the cluster pass finds exactly the dense pass's list: for a member x of a cluster
// with centre c and radius r (no member farther from c), q.x = q.c + q.(x - c) <= q.c +
// |q| r (Cauchy-Schwarz). Clusters are visited by that bound, best first; once the bound
// is below the worst kept dot, no unvisited item can enter (a tie could, with a lower id,
// so equality keeps scanning). The bound is computed in double with a margin for its own
// rounding; dots are integers, so the lists are identical, ties included.
#include "embedding_search.hpp"

#include <algorithm>
#include <cmath>

#include "../dot_kernel.hpp"
#include "vitrine/hot_inline.hpp"

namespace vitrine::detail {
namespace {

using Hit = EmbeddingSearch::Hit;

// a ranks before b: the larger dot, then the lower item. The heap keeps its worst at front.
// A strict total order (items differ), so any correct sort gives the same list: the heap is
// finished with sort_heap and the cluster order is a heap too, which reuses the heap code
// instead of instantiating an introsort (about 1 KB less wasm).
struct Better {
  VITRINE_HOT_INLINE bool operator()(const Hit& a, const Hit& b) const {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  }
};
constexpr Better better;

}  // namespace

const std::vector<Hit>& EmbeddingSearch::top(const Pack& pack, const std::int8_t* query,
                                             std::size_t k, bool dense) {
  heap_.clear();
  scanned_ = 0;
  if (k == 0 || pack.embedding_dim() == 0 || pack.item_count() == 0) return heap_;
  if (dense || pack.embedding_clusters().count == 0) {
    dense_pass(pack, query, k);
  } else {
    cluster_pass(pack, query, k);
  }
  std::sort_heap(heap_.data(), heap_.data() + heap_.size(), better);
  return heap_;
}

// The heap is worked through raw pointers: a vector iterator's arithmetic stayed a call in
// the size-optimized wasm (8 % of the home context's time with embeddings in a profile).
void EmbeddingSearch::offer(std::int32_t dot, std::uint32_t item, std::size_t k) {
  if (heap_.size() == k) {
    Hit* h = heap_.data();
    if (!better({dot, item}, h[0])) return;
    std::pop_heap(h, h + k, better);
    h[k - 1] = {dot, item};
  } else {
    heap_.push_back({dot, item});
  }
  std::push_heap(heap_.data(), heap_.data() + heap_.size(), better);
}

void EmbeddingSearch::dense_pass(const Pack& pack, const std::int8_t* query, std::size_t k) {
  const std::uint32_t n = pack.item_count();
  if (dots_.size() < n) dots_ = ItemArray<std::int32_t>(n);
  dot_i8_rows(query, pack.embedding(0), n, pack.embedding_dim(), dots_.data());
  scanned_ = n;
  // Items come in ascending order, so a dot equal to the worst kept one never enters: one
  // compare with a local rejects the common case.
  std::int32_t worst = 0;  // 0 until the heap is full: only positive dots enter
  for (std::uint32_t j = 0; j < n; ++j) {
    const std::int32_t d = dots_[j];
    if (d <= worst) continue;
    offer(d, j, k);
    if (heap_.size() == k) worst = heap_.front().first;
  }
}

void EmbeddingSearch::cluster_pass(const Pack& pack, const std::int8_t* query, std::size_t k) {
  const Pack::EmbeddingClusters& cl = pack.embedding_clusters();
  const std::uint32_t dim = pack.embedding_dim();
  double qq = 0;
  for (std::uint32_t j = 0; j < dim; ++j) qq += double(query[j]) * query[j];
  const double qn = std::sqrt(qq);
  order_.clear();
  for (std::uint32_t c = 0; c < cl.count; ++c) {
    const std::uint8_t* centre = cl.centres + 4 * std::size_t{c} * dim;
    double qc = 0;
    for (std::uint32_t j = 0; j < dim; ++j) qc += double(query[j]) * load_f32(centre + 4 * j);
    const double spread = qn * load_f32(cl.radius + 4 * std::size_t{c});
    // Dots are integers (|dot| < 2^24): the bound rounded up, with a margin for its own
    // rounding, is still a bound.
    const double bound = std::ceil(qc + spread + 1e-6 * (std::fabs(qc) + spread) + 1e-6);
    if (bound >= 1) order_.push_back({static_cast<std::int32_t>(std::min(bound, 2e9)), c});
  }
  std::make_heap(order_.data(), order_.data() + order_.size(), better);
  std::sort_heap(order_.data(), order_.data() + order_.size(), better);  // highest bound first
  const std::int8_t* rows = pack.embedding(0);
  for (const auto& [bound, c] : order_) {
    if (heap_.size() == k && bound < heap_.front().first) break;
    const std::uint32_t a = load_u32(cl.offsets + 4 * std::size_t{c});
    const std::uint32_t m = load_u32(cl.offsets + 4 * (std::size_t{c} + 1)) - a;
    ids_.resize(m);
    if (dots_.size() < m) dots_ = ItemArray<std::int32_t>(m);
    for (std::uint32_t t = 0; t < m; ++t) ids_[t] = load_u32(cl.members + 4 * (std::size_t{a} + t));
    dot_i8_gather(query, rows, dim, ids_.data(), m, dots_.data());
    scanned_ += m;
    for (std::uint32_t t = 0; t < m; ++t) {
      if (dots_[t] > 0) offer(dots_[t], ids_[t], k);
    }
  }
}

}  // namespace vitrine::detail
