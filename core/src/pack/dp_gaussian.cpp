// Analytic Gaussian calibration by bisection on the exact privacy profile (monotone in mu
// and in epsilon), so the noise is the least that meets (epsilon, delta), not the classical
// sqrt(2 ln(1.25/delta)) / epsilon bound, which is loose and only valid for epsilon < 1.
#include "vitrine/pack/dp_gaussian.hpp"

#include <cmath>

namespace vitrine::pack {

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double normal_upper_quantile(double p) {
  if (!(p > 0.0) || !(p < 1.0)) return std::nan("");
  // P(Z > x) = 0.5 erfc(x / sqrt 2) falls with x; erfc keeps full relative precision in the
  // far tail (p down to 1e-300), which the thresholds at delta / L need.
  double lo = -40, hi = 40;
  for (int k = 0; k < 200 && hi - lo > 1e-13; ++k) {
    const double mid = 0.5 * (lo + hi);
    if (0.5 * std::erfc(mid / std::sqrt(2.0)) > p) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

double gaussian_delta(double epsilon, double mu) {
  if (!(mu > 0)) return 0.0;
  const double a = normal_cdf(-epsilon / mu + mu / 2);
  const double b = normal_cdf(-epsilon / mu - mu / 2);
  // b underflows to 0 long before e^epsilon overflows for epsilon <= 100.
  const double d = a - std::exp(epsilon) * b;
  return d > 0 ? d : 0.0;
}

double gaussian_mu(double epsilon, double delta) {
  if (!(epsilon > 0) || epsilon > 100 || !(delta > 0) || !(delta < 1)) return std::nan("");
  double lo = 0, hi = 1;
  while (gaussian_delta(epsilon, hi) <= delta && hi < 1e6) hi *= 2;
  for (int k = 0; k < 300 && hi - lo > 1e-12 * hi; ++k) {
    const double mid = 0.5 * (lo + hi);
    if (gaussian_delta(epsilon, mid) <= delta) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo;
}

double gaussian_epsilon(double mu, double delta) {
  if (!(mu > 0) || !(delta > 0) || !(delta < 1)) return std::nan("");
  double lo = 0, hi = 1;
  while (gaussian_delta(hi, mu) > delta && hi < 1e6) hi *= 2;
  for (int k = 0; k < 300 && hi - lo > 1e-12 * hi; ++k) {
    const double mid = 0.5 * (lo + hi);
    if (gaussian_delta(mid, mu) > delta) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return hi;
}

}  // namespace vitrine::pack
