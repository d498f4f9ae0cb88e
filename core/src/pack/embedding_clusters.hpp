// Section EIDX (docs/pack-format.md): the pack's int8 embeddings grouped into clusters, each
// with a centre and a radius, so the device can find the strongest embedding neighbours
// without a dot product per item and with exactly the dense pass's result
// (core/src/recommend/embedding_search.cpp). Builder side: k-means with Eigen.
#pragma once
#include <cstdint>
#include <vector>

namespace vitrine::detail {

// Clusters: 0 picks about the square root of the item count (the centre pass and the
// member scans then cost about the same). Deterministic for the same rows.
std::vector<std::uint8_t> embedding_index_section(const std::int8_t* rows, std::uint32_t items,
                                                  std::uint32_t dim, std::uint32_t clusters = 0);

}  // namespace vitrine::detail
