// log and exp from +, -, *, / and exact bit operations only. The C libraries of the native
// build (glibc) and of the wasm build (musl) round log/exp differently in the last bit, and
// the scorers that use them must rank identically in both (tests/wasm_native_parity.sh).
// Relative error below 1e-9 on the ranges the scorers use; not a general libm.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace vitrine::detail {

// x = m * 2^e with m in [0.5, 1), as std::frexp, from the bits of a normal double (the
// library call stayed a call in the size-optimized wasm: 2 % of the fused scorer's time).
// Zero, subnormals, infinities and NaN go to std::frexp.
inline double det_frexp(double x, int* e) {
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const int biased = static_cast<int>((bits >> 52) & 0x7ff);
  if (biased == 0 || biased == 0x7ff) return std::frexp(x, e);
  *e = biased - 1022;
  bits = (bits & ~(std::uint64_t{0x7ff} << 52)) | (std::uint64_t{1022} << 52);
  double m;
  std::memcpy(&m, &bits, sizeof m);
  return m;
}

// 2^k for k in [-1022, 1023] (a normal double), built from its bits.
inline double det_pow2(int k) {
  const std::uint64_t bits = static_cast<std::uint64_t>(k + 1023) << 52;
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

// Natural log of x > 0 (x <= 0 gives -1e30, a "minus infinity" that stays finite).
inline double det_log(double x) {
  if (!(x > 0)) return -1e30;
  int e = 0;
  double m = det_frexp(x, &e);  // exact: x = m * 2^e, m in [0.5, 1)
  if (m < 0.70710678118654752) {
    m *= 2;
    --e;
  }
  // log(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172.
  const double s = (m - 1) / (m + 1), s2 = s * s;
  double p = 1.0 / 15;
  p = p * s2 + 1.0 / 13;
  p = p * s2 + 1.0 / 11;
  p = p * s2 + 1.0 / 9;
  p = p * s2 + 1.0 / 7;
  p = p * s2 + 1.0 / 5;
  p = p * s2 + 1.0 / 3;
  p = p * s2 + 1.0;
  return 2 * s * p + e * 0.69314718055994531;
}

// e^x, with x clamped to [-700, 700].
inline double det_exp(double x) {
  if (x < -700) x = -700;
  if (x > 700) x = 700;
  const double k = std::floor(x * 1.4426950408889634 + 0.5);
  const double r = x - k * 0.69314718055994531;  // |r| <= 0.35
  double p = 1.0 / 479001600;                    // Taylor to r^12
  const double inv[] = {1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880, 1.0 / 40320,
                        1.0 / 5040,     1.0 / 720,     1.0 / 120,    1.0 / 24,
                        1.0 / 6,        1.0 / 2,       1.0,          1.0};
  for (double c : inv) p = p * r + c;
  // Exact scaling, as std::ldexp: |k| <= 1010 and p in [0.7, 1.5], so p * 2^k stays normal.
  return p * det_pow2(static_cast<int>(k));
}

inline double det_pow(double x, double a) { return x > 0 ? det_exp(a * det_log(x)) : 0.0; }

// out[k] = det_log(in[k]), bit for bit, for k < n (det_log_batch.cpp: two at a time in wasm).
void det_log_n(const double* in, double* out, std::size_t n);

}  // namespace vitrine::detail
