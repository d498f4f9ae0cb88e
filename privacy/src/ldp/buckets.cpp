#include "vitrine/privacy/ldp/buckets.hpp"

#include <algorithm>
#include <cmath>

namespace vitrine::privacy::ldp {

std::optional<Buckets> Buckets::make(std::vector<double> upper) {
  if (upper.empty()) return std::nullopt;
  for (std::size_t i = 0; i < upper.size(); ++i) {
    if (!std::isfinite(upper[i])) return std::nullopt;
    if (i > 0 && !(upper[i] > upper[i - 1])) return std::nullopt;
  }
  return Buckets(std::move(upper));
}

std::optional<std::uint32_t> Buckets::bucket_of(double x) const {
  if (std::isnan(x)) return std::nullopt;
  const auto it = std::lower_bound(upper_.begin(), upper_.end(), x);
  return static_cast<std::uint32_t>(it - upper_.begin());
}

}  // namespace vitrine::privacy::ldp
