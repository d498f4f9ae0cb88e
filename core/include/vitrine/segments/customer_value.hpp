// Expected number of orders in a coming period, from the BG/NBD model: Fader, Hardie and
// Lee (2005), "'Counting Your Customers' the Easy Way: An Alternative to the Pareto/NBD
// Model", Marketing Science 24(2):275-284, equation 10. The device knows one shopper only,
// so the population parameters cannot be fitted here: by default they are the paper's
// published fit on the CDNOW data set (time in weeks), which a shop may replace.
#pragma once

namespace vitrine {

struct BgNbdParams {
  double r = 0.243, alpha = 4.414, a = 0.793, b = 2.426;  // CDNOW fit, weeks
};

// x: repeat orders (orders after the first); t_x: time of the last order after the
// first; T: time since the first order; t: horizon; all in weeks.
double bgnbd_expected_orders(double x, double t_x, double T, double t, const BgNbdParams& p = {});

// Gauss hypergeometric 2F1(a, b; c; z) by its series, for 0 <= z < 1.
double hyp2f1(double a, double b, double c, double z);

}  // namespace vitrine
