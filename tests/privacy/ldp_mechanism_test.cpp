// The mechanisms' promises: the exact epsilon bound, the sampler drawing the declared
// distribution, and unbiased estimators with the stated variance.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

#include "vitrine/privacy/ldp/mechanism.hpp"

namespace ldp = vitrine::privacy::ldp;
using ldp::Mechanism;

namespace {

// Every response of a small domain: all values (GRR) or all bit vectors (OUE).
std::vector<ldp::Response> all_responses(const ldp::Oracle& o) {
  std::vector<ldp::Response> out;
  if (o.mechanism == Mechanism::grr) {
    for (std::uint32_t v = 0; v < o.domain; ++v) out.push_back({v, {}});
    return out;
  }
  for (std::uint32_t mask = 0; mask < (1u << o.domain); ++mask) {
    ldp::Response r;
    r.bits.assign((o.domain + 7) / 8, 0);
    for (std::uint32_t v = 0; v < o.domain; ++v)
      if (mask >> v & 1u) r.bits[v / 8] |= static_cast<std::uint8_t>(1u << (v % 8));
    out.push_back(r);
  }
  return out;
}

std::uint32_t cell_of(const ldp::Oracle& o, const ldp::Response& r) {
  if (o.mechanism == Mechanism::grr) return r.value;
  std::uint32_t mask = 0;
  for (std::uint32_t v = 0; v < o.domain; ++v) mask |= (ldp::supports(o, r, v) ? 1u : 0u) << v;
  return mask;
}

}  // namespace

TEST(LdpMechanism, ExactProbabilityRatioBoundOnASmallDomain) {
  for (auto m : {Mechanism::grr, Mechanism::oue}) {
    for (double eps : {0.25, 0.5, 1.0, 2.0, 4.0}) {
      const auto o = *ldp::Oracle::make(m, 5, eps);
      const auto ys = all_responses(o);
      double worst = 0;
      for (std::uint32_t x = 0; x < o.domain; ++x) {
        double total = 0;
        for (const auto& y : ys) total += ldp::output_probability(o, x, y);
        EXPECT_NEAR(total, 1.0, 1e-12) << ldp::mechanism_name(m) << " eps " << eps;
        for (std::uint32_t x2 = 0; x2 < o.domain; ++x2) {
          for (const auto& y : ys) {
            const double a = ldp::output_probability(o, x, y);
            const double b = ldp::output_probability(o, x2, y);
            ASSERT_GT(b, 0.0);
            worst = std::max(worst, a / b);
          }
        }
      }
      // The bound holds and is tight: these mechanisms spend exactly their epsilon.
      EXPECT_LE(worst, std::exp(eps) * (1 + 1e-12)) << ldp::mechanism_name(m) << " eps " << eps;
      EXPECT_NEAR(worst, std::exp(eps), 1e-9 * std::exp(eps));
    }
  }
}

TEST(LdpMechanism, OutputDistributionPassesChiSquare) {
  // 10^6 draws from one input; the critical values are chi-square quantiles at 0.999
  // (df 4: 18.467, df 15: 37.697).
  struct Case {
    Mechanism m;
    std::uint32_t domain;
    double critical;
  };
  for (const Case c : {Case{Mechanism::grr, 5, 18.467}, Case{Mechanism::oue, 4, 37.697}}) {
    const auto o = *ldp::Oracle::make(c.m, c.domain, 1.0);
    const std::uint32_t x = 2;
    const int n = 1000000;
    ldp::SeededRandom rng(20261129 + c.domain);
    std::map<std::uint32_t, double> observed;
    for (int i = 0; i < n; ++i) observed[cell_of(o, ldp::perturb(o, x, rng))] += 1;
    double chi2 = 0;
    for (const auto& y : all_responses(o)) {
      const double expected = n * ldp::output_probability(o, x, y);
      const double d = observed[cell_of(o, y)] - expected;
      chi2 += d * d / expected;
    }
    EXPECT_LT(chi2, c.critical) << ldp::mechanism_name(c.m);
    // And a sampler that ignored its input would fail: the input's own cell is the mode.
    if (c.m == Mechanism::grr) EXPECT_GT(observed[x], observed[(x + 1) % c.domain] * 2);
  }
}

TEST(LdpMechanism, EstimatorsAreUnbiasedOnAMillionReports) {
  for (auto m : {Mechanism::grr, Mechanism::oue}) {
    const std::uint32_t d = m == Mechanism::grr ? 8 : 64;
    const auto o = *ldp::Oracle::make(m, d, 1.0);
    ldp::SeededRandom rng(7 + d);
    // A skewed truth: value v has weight 1/(v+1); value d-1 never occurs.
    std::vector<double> weight(d);
    double total = 0;
    for (std::uint32_t v = 0; v + 1 < d; ++v) total += weight[v] = 1.0 / (v + 1);
    const int n = 1000000;
    std::vector<std::uint64_t> truth(d, 0);
    ldp::Aggregator agg(o);
    for (int i = 0; i < n; ++i) {
      double u = static_cast<double>(rng.next_u64() >> 11) / 9007199254740992.0 * total;
      std::uint32_t x = 0;
      while (x + 2 < d && u >= weight[x]) u -= weight[x++];
      ++truth[x];
      agg.add(ldp::perturb(o, x, rng));
    }
    for (std::uint32_t v = 0; v < d; ++v) {
      const auto e = agg.estimate(v);
      const double sd = std::sqrt(e.variance);
      // Within 4.5 standard deviations for every value (all d pass together with
      // probability > 0.999 if the estimator is unbiased).
      EXPECT_NEAR(e.count, static_cast<double>(truth[v]), 4.5 * sd)
          << ldp::mechanism_name(m) << " v " << v;
    }
  }
}

TEST(LdpMechanism, VarianceFormulaMatchesRepeatedTrials) {
  for (auto m : {Mechanism::grr, Mechanism::oue}) {
    const auto o = *ldp::Oracle::make(m, 8, 1.0);
    ldp::SeededRandom rng(99);
    const int trials = 400, n = 2000;
    const std::uint32_t x_of_half = 3;  // half the reports have value 3, the rest 5
    double sum = 0, sum2 = 0;
    for (int t = 0; t < trials; ++t) {
      ldp::Aggregator agg(o);
      for (int i = 0; i < n; ++i) agg.add(ldp::perturb(o, i % 2 ? x_of_half : 5, rng));
      const double c = agg.estimate(x_of_half).count;
      sum += c;
      sum2 += c * c;
    }
    const double mean = sum / trials;
    const double var = sum2 / trials - mean * mean;
    const double predicted = ldp::count_variance(o, n, n / 2.0);
    // The sample variance of 400 trials is within 20% of the truth with probability > 0.99.
    EXPECT_NEAR(var / predicted, 1.0, 0.2) << ldp::mechanism_name(m);
    EXPECT_NEAR(mean, n / 2.0, 4 * std::sqrt(predicted / trials));
  }
}

TEST(LdpMechanism, ChoiceFollowsWangEtAl) {
  // GRR exactly when d - 2 < 3 e^eps.
  EXPECT_EQ(ldp::choose_mechanism(8, 1.0), Mechanism::grr);   // 6 < 8.15
  EXPECT_EQ(ldp::choose_mechanism(11, 1.0), Mechanism::oue);  // 9 > 8.15
  EXPECT_EQ(ldp::choose_mechanism(10, 1.0), Mechanism::grr);  // 8 < 8.15
  EXPECT_EQ(ldp::choose_mechanism(1024, 4.0), Mechanism::oue);
  EXPECT_EQ(ldp::choose_mechanism(100, 4.0), Mechanism::grr);  // 98 < 163.8
  // And the rule picks the smaller variance (Wang et al., eqs. for Var* of GRR and OUE).
  for (std::uint32_t d : {3u, 8u, 20u, 64u, 1024u}) {
    for (double eps : {0.5, 1.0, 2.0, 4.0}) {
      const auto g = *ldp::Oracle::make(Mechanism::grr, d, eps);
      const auto u = *ldp::Oracle::make(Mechanism::oue, d, eps);
      const bool grr_smaller = ldp::count_variance(g, 1000, 0) < ldp::count_variance(u, 1000, 0);
      EXPECT_EQ(ldp::choose_mechanism(d, eps) == Mechanism::grr, grr_smaller) << d << " " << eps;
    }
  }
}

TEST(LdpMechanism, RejectsBadParametersAndResponses) {
  EXPECT_FALSE(ldp::Oracle::make(Mechanism::grr, 1, 1.0));
  EXPECT_FALSE(ldp::Oracle::make(Mechanism::grr, 8, 0.0));
  EXPECT_FALSE(ldp::Oracle::make(Mechanism::grr, 8, std::nan("")));
  EXPECT_FALSE(ldp::Oracle::make(Mechanism::oue, ldp::kMaxDomain + 1, 1.0));
  const auto g = *ldp::Oracle::make(Mechanism::grr, 8, 1.0);
  EXPECT_FALSE(ldp::well_formed(g, {8, {}}));
  EXPECT_TRUE(ldp::well_formed(g, {7, {}}));
  const auto u = *ldp::Oracle::make(Mechanism::oue, 10, 1.0);
  EXPECT_TRUE(ldp::well_formed(u, {0, {0xff, 0x03}}));
  EXPECT_FALSE(ldp::well_formed(u, {0, {0xff, 0x04}}));  // a padding bit set
  EXPECT_FALSE(ldp::well_formed(u, {0, {0xff}}));
  EXPECT_EQ(ldp::output_probability(u, 0, {0, {0xff}}), 0.0);
}
