#include "vitrine/segments/customer_value.hpp"

#include <cmath>

namespace vitrine {

namespace {
// x^y for x > 0 with exp2/log2 (exp2 is in the module anyway; pow alone is 1.4 KB of wasm).
double power(double x, double y) { return std::exp2(y * std::log2(x)); }
}  // namespace

double hyp2f1(double a, double b, double c, double z) {
  double term = 1, sum = 1;
  // z < 1 here (t / (alpha + T + t)), so the terms shrink geometrically.
  for (int n = 0; n < 2000; ++n) {
    term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
    sum += term;
    if (std::fabs(term) < 1e-12 * std::fabs(sum)) break;
  }
  return sum;
}

double bgnbd_expected_orders(double x, double t_x, double T, double t, const BgNbdParams& p) {
  const double rx = p.r + x;
  const double z = t / (p.alpha + T + t);
  const double numerator = (p.a + p.b + x - 1) / (p.a - 1) *
                           (1 - power((p.alpha + T) / (p.alpha + T + t), rx) *
                                    hyp2f1(rx, p.b + x, p.a + p.b + x - 1, z));
  const double denominator =
      1 + (x > 0 ? p.a / (p.b + x - 1) * power((p.alpha + T) / (p.alpha + t_x), rx) : 0.0);
  return numerator / denominator;
}

}  // namespace vitrine
