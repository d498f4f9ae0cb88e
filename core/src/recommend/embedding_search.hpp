// The strongest embedding neighbours of a query: the items with the largest positive int8
// dot products, ranked by (dot descending, item ascending). With the pack's clusters
// (section EIDX) it visits clusters by an upper bound on their members' dots and stops when
// no remaining member can enter: the same list as the dense pass over every item, found
// by scanning a few clusters instead of the whole table.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "vitrine/byte_buffer.hpp"
#include "vitrine/pack.hpp"

namespace vitrine::detail {

class EmbeddingSearch {
 public:
  using Hit = std::pair<std::int32_t, std::uint32_t>;  // dot, item

  // The top `k` (fewer when fewer items have a positive dot), best first. `query` has the
  // pack's embedding dimension. Uses the clusters when the pack has them, unless `dense`.
  const std::vector<Hit>& top(const Pack& pack, const std::int8_t* query, std::size_t k,
                              bool dense = false);

  // Rows whose dot the last top() computed (for benchmarks and tests).
  std::size_t rows_scanned() const { return scanned_; }

 private:
  void dense_pass(const Pack& pack, const std::int8_t* query, std::size_t k);
  void cluster_pass(const Pack& pack, const std::int8_t* query, std::size_t k);
  void offer(std::int32_t dot, std::uint32_t item, std::size_t k);

  std::vector<Hit> heap_;
  ItemArray<std::int32_t> dots_;  // each one written by a pass before it is read
  std::vector<std::uint32_t> ids_;
  std::vector<Hit> order_;  // bound on the members' dots, cluster
  std::size_t scanned_ = 0;
};

}  // namespace vitrine::detail
