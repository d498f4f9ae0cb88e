// Frequency oracles for local differential privacy over a small domain {0..d-1}, with the
// unbiased server-side estimator and its variance.
//
// Reference: T. Wang, J. Blocki, N. Li, S. Jha, "Locally Differentially Private Protocols
// for Frequency Estimation", USENIX Security 2017. Notation as there: a report "supports"
// value v with probability p when the true value is v and q otherwise; the count estimate
// is (C(v) - n q) / (p - q).
// - GRR (generalized randomized response, "direct encoding"): report the true value with
//   p = e^eps / (e^eps + d - 1), any other one with q = 1 / (e^eps + d - 1).
// - OUE (optimized unary encoding): one bit per value; the true value's bit is 1 with
//   p = 1/2, every other bit is 1 with q = 1 / (e^eps + 1).
// OUE's variance does not grow with d; GRR's does. The paper's rule (Section 5): GRR is
// better exactly when d - 2 < 3 e^eps. Its other optimal protocol, OLH, has OUE's variance
// with fewer bits sent; our domains are at most 1,024 values (128 bytes of OUE bits), and
// OUE's aggregation is one bit test per value, which the collector does in SQL.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "vitrine/privacy/ldp/random.hpp"

namespace vitrine::privacy::ldp {

enum class Mechanism : std::uint8_t { grr = 0, oue = 1 };

std::string_view mechanism_name(Mechanism m);
std::optional<Mechanism> mechanism_from_name(std::string_view name);

// Wang et al.'s choice: GRR when d - 2 < 3 e^eps, else OUE.
Mechanism choose_mechanism(std::uint32_t domain, double epsilon);

constexpr std::uint32_t kMaxDomain = 4096;

struct Oracle {
  Mechanism mechanism;
  std::uint32_t domain;
  double epsilon;
  double p;  // P(a report supports v | true value v)
  double q;  // P(a report supports v | true value != v)

  // nullopt unless 2 <= domain <= kMaxDomain and 0 < epsilon <= 16.
  static std::optional<Oracle> make(Mechanism m, std::uint32_t domain, double epsilon);
};

// One privatized answer: GRR fills `value`, OUE fills `bits` (bit v at byte v/8, bit v%8,
// least significant first: PostgreSQL's get_bit order).
struct Response {
  std::uint32_t value = 0;
  std::vector<std::uint8_t> bits;
  bool operator==(const Response& o) const { return value == o.value && bits == o.bits; }
};

// Draws a response for the true value x < oracle.domain.
Response perturb(const Oracle& oracle, std::uint32_t x, RandomSource& rng);

// The exact probability that perturb(x) returns y (the mechanism's definition, checked
// against the sampler by a chi-square test).
double output_probability(const Oracle& oracle, std::uint32_t x, const Response& y);

// True when y is a well-formed response for this oracle.
bool well_formed(const Oracle& oracle, const Response& y);

bool supports(const Oracle& oracle, const Response& y, std::uint32_t v);

struct Estimate {
  double count;     // unbiased estimate of how many reports had the true value v
  double variance;  // of `count`, plug-in: the estimate (clamped to [0, n]) stands in for the truth
};

// The estimator from the n reports of which `support` support v.
Estimate estimate_count(const Oracle& oracle, std::uint64_t n, std::uint64_t support);

// Var[count estimate] when the true count is n_v (exact for independent reports).
double count_variance(const Oracle& oracle, std::uint64_t n, double n_v);

// Sums supports over many responses, for tests and the simulation; the collector does the
// same sum in SQL.
class Aggregator {
 public:
  explicit Aggregator(const Oracle& oracle);
  void add(const Response& y);
  std::uint64_t reports() const { return n_; }
  std::uint64_t support(std::uint32_t v) const { return support_[v]; }
  Estimate estimate(std::uint32_t v) const;

 private:
  Oracle oracle_;
  std::uint64_t n_ = 0;
  std::vector<std::uint64_t> support_;
};

}  // namespace vitrine::privacy::ldp
