// Numbers become a histogram over fixed buckets before any mechanism sees them: the
// report carries a bucket index, never the number.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

namespace vitrine::privacy::ldp {

class Buckets {
 public:
  // Bucket i holds x <= upper[i] (and > upper[i-1]); the last bucket holds x > upper.back().
  // nullopt unless `upper` is non-empty, finite and strictly increasing.
  static std::optional<Buckets> make(std::vector<double> upper);

  std::uint32_t size() const { return static_cast<std::uint32_t>(upper_.size() + 1); }
  // nullopt for NaN.
  std::optional<std::uint32_t> bucket_of(double x) const;
  const std::vector<double>& upper() const { return upper_; }

 private:
  explicit Buckets(std::vector<double> upper) : upper_(std::move(upper)) {}
  std::vector<double> upper_;
};

}  // namespace vitrine::privacy::ldp
