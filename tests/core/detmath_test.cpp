// The deterministic log/exp helpers: det_frexp and det_pow2 give exactly what std::frexp and
// std::ldexp give (the scorers' bits, and so the wasm/native parity, depend on it).
#include "../../core/src/detmath.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

namespace {

using vitrine::detail::det_exp;
using vitrine::detail::det_frexp;
using vitrine::detail::det_log;
using vitrine::detail::det_log_n;
using vitrine::detail::det_pow;
using vitrine::detail::det_pow2;

std::uint64_t bits_of(double x) {
  std::uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

TEST(DetMath, FrexpMatchesTheLibraryBitForBit) {
  std::vector<double> xs = {1.0,
                            0.5,
                            0.7071067811865476,
                            3.0,
                            1e-300,
                            1e300,
                            6.02e23,
                            -2.5,
                            0.0,
                            -0.0,
                            std::numeric_limits<double>::denorm_min(),
                            std::numeric_limits<double>::min() / 3,
                            std::numeric_limits<double>::max(),
                            std::numeric_limits<double>::infinity()};
  // Plus a sweep over many magnitudes and mantissas.
  for (int k = -1074; k <= 1023; k += 7) {
    xs.push_back(std::ldexp(1.0, k));
    xs.push_back(std::ldexp(1.37, k));
  }
  for (double x : xs) {
    int e1 = 0, e2 = 0;
    const double m1 = std::frexp(x, &e1);
    const double m2 = det_frexp(x, &e2);
    EXPECT_EQ(bits_of(m1), bits_of(m2)) << x;
    if (std::isfinite(x)) EXPECT_EQ(e1, e2) << x;
  }
}

TEST(DetMath, Pow2MatchesLdexp) {
  for (int k = -1022; k <= 1023; ++k) EXPECT_EQ(det_pow2(k), std::ldexp(1.0, k)) << k;
}

// Moved here from session_stats_test.cpp, with the ends of det_exp's range (where det_pow2
// scales by 2^-1010 and 2^1010) and its clamp added.
TEST(DetMath, CloseToTheLibrary) {
  for (double x : {1e-30, 1e-6, 0.01, 0.5, 0.7071, 1.0, 1.5, 2.0, 3.14159, 1e3, 1e9, 1e30}) {
    EXPECT_NEAR(det_log(x), std::log(x), 1e-12 * std::fabs(std::log(x)) + 1e-14) << x;
  }
  for (double x : {-700.0, -50.0, -10.0, -1.0, -1e-3, 0.0, 0.3, 1.0, 5.0, 40.0, 700.0}) {
    EXPECT_NEAR(det_exp(x) / std::exp(x), 1.0, 1e-12) << x;
  }
  EXPECT_NEAR(det_pow(8.0, 1.0 / 3), 2.0, 1e-12);
  EXPECT_EQ(det_log(0.0), -1e30);
  EXPECT_EQ(det_exp(-1e6), det_exp(-700.0));  // clamped
}

// The batch gives det_log's bits: in the wasm build two lanes at a time (the SIMD path), with
// pairs that hold a zero, a subnormal, a negative, an infinity or NaN going one at a time.
TEST(DetMath, LogOfABatchIsDetLogBitForBit) {
  std::vector<double> xs;
  for (int k = -1074; k <= 1023; k += 3) {
    xs.push_back(std::ldexp(1.0, k));
    xs.push_back(std::ldexp(1.4142135623730951, k));
    xs.push_back(std::ldexp(0.70710678118654746, k));
  }
  for (double x = 1e-4; x < 1e7; x = x * 1.37 + 0.11) xs.push_back(x);
  for (double x : {0.0, -0.0, -2.5, std::numeric_limits<double>::denorm_min(),
                   std::numeric_limits<double>::min(), std::numeric_limits<double>::max(),
                   std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::quiet_NaN(), 1.0, 1.0 + 1e-6, 3.0}) {
    xs.push_back(x);
  }
  std::vector<double> out(xs.size());
  det_log_n(xs.data(), out.data(), xs.size());  // an odd count: the last one alone
  ASSERT_EQ(xs.size() % 2, 1u);
  for (std::size_t k = 0; k < xs.size(); ++k) {
    EXPECT_EQ(bits_of(out[k]), bits_of(det_log(xs[k]))) << xs[k];
  }
}

}  // namespace
