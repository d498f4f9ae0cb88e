// The analytic Gaussian mechanism (Balle and Wang, ICML 2018) and its exact composition.
//
// A Gaussian mechanism with L2 sensitivity D and noise sigma is mu-GDP with mu = D / sigma
// (Gaussian differential privacy, Dong, Roth and Su 2019), and it is (epsilon, delta)-DP for
// exactly the pairs with delta >= gaussian_delta(epsilon, mu) (Balle and Wang, Theorem 8).
// Gaussian mechanisms run on the same data compose exactly: mu^2 = sum of (D_i / sigma_i)^2.
// So a pack's statistics share one mu^2 budget, split by shares, with no slack from naive
// epsilon splitting.
#pragma once

namespace vitrine::pack {

// Standard normal CDF and its upper-tail inverse: upper_quantile(p) = x with P(Z > x) = p,
// for 0 < p < 1.
double normal_cdf(double x);
double normal_upper_quantile(double p);

// Smallest delta for which mu-GDP (a Gaussian mechanism with D / sigma = mu) is
// (epsilon, delta)-DP: Phi(-epsilon/mu + mu/2) - e^epsilon Phi(-epsilon/mu - mu/2).
double gaussian_delta(double epsilon, double mu);

// Largest mu (to 1e-12 relative) with gaussian_delta(epsilon, mu) <= delta: the analytic
// Gaussian calibration. epsilon in (0, 100], delta in (0, 1). The noise for sensitivity D
// is then sigma = D / mu.
double gaussian_mu(double epsilon, double delta);

// Smallest epsilon with gaussian_delta(epsilon, mu) <= delta (for reporting a composed mu).
double gaussian_epsilon(double mu, double delta);

}  // namespace vitrine::pack
