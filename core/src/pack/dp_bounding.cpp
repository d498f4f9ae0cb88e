#include "vitrine/pack/dp_bounding.hpp"

#include <algorithm>

namespace vitrine::pack {

void bound_items(const std::vector<std::uint32_t>& distinct, std::uint32_t max_items,
                 std::vector<std::uint32_t>& out) {
  out.assign(distinct.begin(), distinct.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(
                                                      distinct.size(), max_items)));
}

void bound_pairs(const std::vector<std::uint32_t>& distinct, std::uint32_t max_pairs,
                 std::vector<std::uint64_t>& out) {
  out.clear();
  const std::size_t n = distinct.size();
  for (std::size_t gap = 1; gap < n && out.size() < max_pairs; ++gap) {
    for (std::size_t p = 0; p + gap < n && out.size() < max_pairs; ++p) {
      const std::uint32_t a = distinct[p], b = distinct[p + gap];
      out.push_back(a < b ? std::uint64_t{a} << 32 | b : std::uint64_t{b} << 32 | a);
    }
  }
}

}  // namespace vitrine::pack

namespace vitrine::pack {

BoundedCounts count_bounded(const std::vector<std::uint32_t>& offsets,
                            const std::vector<std::uint32_t>& items, std::uint32_t item_count,
                            std::uint32_t max_items, std::uint32_t max_pairs,
                            PairWeighting weighting) {
  BoundedCounts out;
  out.items.assign(item_count, 0.0);
  std::vector<std::pair<std::uint64_t, double>> keys;
  std::vector<std::uint64_t> local;
  std::vector<double> weights;
  std::vector<std::uint32_t> distinct, kept;
  for (std::size_t s = 0; s + 1 < offsets.size(); ++s) {
    distinct.clear();
    for (std::uint32_t k = offsets[s]; k < offsets[s + 1]; ++k) {
      if (std::find(distinct.begin(), distinct.end(), items[k]) == distinct.end()) {
        distinct.push_back(items[k]);
      }
    }
    bound_items(distinct, max_items, kept);
    for (std::uint32_t x : kept) out.items[x] += 1;
    bound_pairs(distinct, max_pairs, local);
    // A pair may come up twice only if the session repeats it, which distinct items rule out.
    pair_weights(weighting, distinct.size(), max_pairs, weights);
    for (std::size_t k = 0; k < local.size(); ++k) keys.emplace_back(local[k], weights[k]);
  }
  std::sort(keys.begin(), keys.end());
  for (std::size_t i = 0; i < keys.size();) {
    std::size_t j = i;
    double sum = 0;
    for (; j < keys.size() && keys[j].first == keys[i].first; ++j) sum += keys[j].second;
    out.pairs.push_back(keys[i].first);
    out.pair_counts.push_back(sum);
    i = j;
  }
  return out;
}

}  // namespace vitrine::pack
