// det_log over an array, two values at a time with wasm SIMD128: the fused scorer takes 18
// logarithms per candidate, and one at a time they were a quarter of its wasm time
// (docs/benchmarks.md). Each lane runs det_log's operations in det_log's order (no fused
// multiply-add exists in either build), so the bits are det_log's; native builds loop.
#include "detmath.hpp"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace vitrine::detail {

#if defined(__wasm_simd128__)

namespace {

// Positive, finite and normal: the lanes whose exponent the bit path reads.
bool normal_positive(double x) {
  return x >= 2.2250738585072014e-308 && x <= 1.7976931348623157e308;
}

v128_t log2_lanes(v128_t x) {
  // x = m * 2^e, m in [0.5, 1): det_frexp's bits, per lane (the sign bit is 0).
  const v128_t biased = wasm_u64x2_shr(x, 52);
  v128_t e = wasm_i64x2_sub(biased, wasm_i64x2_splat(1022));
  const v128_t mantissa = wasm_v128_and(x, wasm_i64x2_splat(0x000fffffffffffffLL));
  v128_t m = wasm_v128_or(mantissa, wasm_i64x2_splat(0x3fe0000000000000LL));
  const v128_t low = wasm_f64x2_lt(m, wasm_f64x2_splat(0.70710678118654752));
  m = wasm_v128_bitselect(wasm_f64x2_mul(m, wasm_f64x2_splat(2.0)), m, low);
  e = wasm_i64x2_add(e, low);  // a true lane is -1
  const v128_t ef = wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(e, e, 0, 2, 0, 2));
  const v128_t one = wasm_f64x2_splat(1.0);
  const v128_t s = wasm_f64x2_div(wasm_f64x2_sub(m, one), wasm_f64x2_add(m, one));
  const v128_t s2 = wasm_f64x2_mul(s, s);
  static constexpr double kTerms[] = {1.0 / 13, 1.0 / 11, 1.0 / 9, 1.0 / 7, 1.0 / 5, 1.0 / 3, 1.0};
  v128_t p = wasm_f64x2_splat(1.0 / 15);
  for (const double c : kTerms) p = wasm_f64x2_add(wasm_f64x2_mul(p, s2), wasm_f64x2_splat(c));
  const v128_t twice = wasm_f64x2_mul(wasm_f64x2_mul(wasm_f64x2_splat(2.0), s), p);
  return wasm_f64x2_add(twice, wasm_f64x2_mul(ef, wasm_f64x2_splat(0.69314718055994531)));
}

}  // namespace

void det_log_n(const double* in, double* out, std::size_t n) {
  for (std::size_t k = 0; k < n; k += 2) {
    if (k + 2 <= n && normal_positive(in[k]) && normal_positive(in[k + 1])) {
      wasm_v128_store(out + k, log2_lanes(wasm_v128_load(in + k)));
      continue;
    }
    // The rare lanes (and an odd last value) one at a time, in one copy of det_log.
    for (std::size_t i = k; i < k + 2 && i < n; ++i) out[i] = det_log(in[i]);
  }
}

#else

void det_log_n(const double* in, double* out, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) out[k] = det_log(in[k]);
}

#endif

}  // namespace vitrine::detail
