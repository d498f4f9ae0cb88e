#include "vitrine/privacy/ldp/mechanism.hpp"

#include <algorithm>
#include <cmath>

namespace vitrine::privacy::ldp {

std::string_view mechanism_name(Mechanism m) { return m == Mechanism::grr ? "grr" : "oue"; }

std::optional<Mechanism> mechanism_from_name(std::string_view name) {
  if (name == "grr") return Mechanism::grr;
  if (name == "oue") return Mechanism::oue;
  return std::nullopt;
}

Mechanism choose_mechanism(std::uint32_t domain, double epsilon) {
  return static_cast<double>(domain) - 2.0 < 3.0 * std::exp(epsilon) ? Mechanism::grr
                                                                     : Mechanism::oue;
}

std::optional<Oracle> Oracle::make(Mechanism m, std::uint32_t domain, double epsilon) {
  if (domain < 2 || domain > kMaxDomain || !(epsilon > 0.0) || epsilon > 16.0) return std::nullopt;
  const double e = std::exp(epsilon);
  if (m == Mechanism::grr) {
    const double denom = e + static_cast<double>(domain) - 1.0;
    return Oracle{m, domain, epsilon, e / denom, 1.0 / denom};
  }
  return Oracle{m, domain, epsilon, 0.5, 1.0 / (e + 1.0)};
}

namespace {
std::size_t byte_count(std::uint32_t domain) { return (domain + 7) / 8; }
bool bit(const std::vector<std::uint8_t>& bits, std::uint32_t v) {
  return (bits[v / 8] >> (v % 8)) & 1u;
}
}  // namespace

Response perturb(const Oracle& o, std::uint32_t x, RandomSource& rng) {
  Response r;
  if (o.mechanism == Mechanism::grr) {
    // Keep x with probability p; otherwise one of the d - 1 other values, uniformly.
    if (bernoulli(rng, o.p)) {
      r.value = x;
    } else {
      auto other = static_cast<std::uint32_t>(uniform_below(rng, o.domain - 1));
      r.value = other >= x ? other + 1 : other;
    }
    return r;
  }
  r.bits.assign(byte_count(o.domain), 0);
  for (std::uint32_t v = 0; v < o.domain; ++v) {
    if (bernoulli(rng, v == x ? o.p : o.q))
      r.bits[v / 8] |= static_cast<std::uint8_t>(1u << (v % 8));
  }
  return r;
}

bool well_formed(const Oracle& o, const Response& y) {
  if (o.mechanism == Mechanism::grr) return y.bits.empty() && y.value < o.domain;
  if (y.value != 0 || y.bits.size() != byte_count(o.domain)) return false;
  // Padding bits past the domain are always zero.
  const std::uint32_t used = o.domain % 8;
  return used == 0 || (y.bits.back() >> used) == 0;
}

double output_probability(const Oracle& o, std::uint32_t x, const Response& y) {
  if (!well_formed(o, y) || x >= o.domain) return 0.0;
  if (o.mechanism == Mechanism::grr) return y.value == x ? o.p : o.q;
  double prob = 1.0;
  for (std::uint32_t v = 0; v < o.domain; ++v) {
    const double one = v == x ? o.p : o.q;
    prob *= bit(y.bits, v) ? one : 1.0 - one;
  }
  return prob;
}

bool supports(const Oracle& o, const Response& y, std::uint32_t v) {
  if (o.mechanism == Mechanism::grr) return y.value == v;
  return v < o.domain && v / 8 < y.bits.size() && bit(y.bits, v);
}

double count_variance(const Oracle& o, std::uint64_t n, double n_v) {
  const double pq = o.p - o.q;
  const double others = static_cast<double>(n) - n_v;
  return (n_v * o.p * (1.0 - o.p) + others * o.q * (1.0 - o.q)) / (pq * pq);
}

Estimate estimate_count(const Oracle& o, std::uint64_t n, std::uint64_t support) {
  const double count = (static_cast<double>(support) - static_cast<double>(n) * o.q) / (o.p - o.q);
  const double clamped = std::clamp(count, 0.0, static_cast<double>(n));
  return {count, count_variance(o, n, clamped)};
}

Aggregator::Aggregator(const Oracle& oracle) : oracle_(oracle), support_(oracle.domain, 0) {}

void Aggregator::add(const Response& y) {
  ++n_;
  if (oracle_.mechanism == Mechanism::grr) {
    if (y.value < oracle_.domain) ++support_[y.value];
    return;
  }
  for (std::uint32_t v = 0; v < oracle_.domain; ++v) support_[v] += supports(oracle_, y, v);
}

Estimate Aggregator::estimate(std::uint32_t v) const {
  return estimate_count(oracle_, n_, support_[v]);
}

}  // namespace vitrine::privacy::ldp
