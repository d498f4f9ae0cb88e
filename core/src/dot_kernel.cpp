// Three versions of one loop: wasm SIMD128 intrinsics (i32x4.dot_i16x8_s), GCC/Clang
// generic 16-byte vectors for native builds (SSE2/NEON), and a scalar fallback.
// Eigen does not vectorize for wasm (toolchain.md), hence the hand-written kernel.
#include "dot_kernel.hpp"

#include <cstring>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace vitrine {
namespace detail {

std::int32_t dot_i8_scalar(const std::int8_t* a, const std::int8_t* b, std::size_t dim) {
  std::int32_t s = 0;
  for (std::size_t k = 0; k < dim; ++k) s += std::int32_t{a[k]} * std::int32_t{b[k]};
  return s;
}

#if defined(__wasm_simd128__)

void dot_i8_rows(const std::int8_t* query, const std::int8_t* rows, std::size_t count,
                 std::size_t dim, std::int32_t* out) {
  const std::size_t blocks = dim / 16;
  for (std::size_t r = 0; r < count; ++r) {
    const std::int8_t* row = rows + r * dim;
    v128_t acc = wasm_i32x4_splat(0);
    for (std::size_t b = 0; b < blocks; ++b) {
      const v128_t q = wasm_v128_load(query + 16 * b);
      const v128_t x = wasm_v128_load(row + 16 * b);
      acc = wasm_i32x4_add(acc, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(q),
                                                     wasm_i16x8_extend_low_i8x16(x)));
      acc = wasm_i32x4_add(acc, wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(q),
                                                     wasm_i16x8_extend_high_i8x16(x)));
    }
    std::int32_t s = wasm_i32x4_extract_lane(acc, 0) + wasm_i32x4_extract_lane(acc, 1) +
                     wasm_i32x4_extract_lane(acc, 2) + wasm_i32x4_extract_lane(acc, 3);
    s += dot_i8_scalar(query + 16 * blocks, row + 16 * blocks, dim - 16 * blocks);
    out[r] = s;
  }
}

#elif defined(__GNUC__)

using v8i16 = std::int16_t __attribute__((vector_size(16)));
using v8i8 = std::int8_t __attribute__((vector_size(8)));
using v4i32 = std::int32_t __attribute__((vector_size(16)));
using v4i16 = std::int16_t __attribute__((vector_size(8)));

// Eight int8 pairs: widen to int16, multiply (|product| <= 16129 fits), widen to int32.
static inline v4i32 mul8(const std::int8_t* a, const std::int8_t* b) {
  v8i8 x, y;
  std::memcpy(&x, a, 8);
  std::memcpy(&y, b, 8);
  const v8i16 p = __builtin_convertvector(x, v8i16) * __builtin_convertvector(y, v8i16);
  v4i16 lo, hi;
  std::memcpy(&lo, &p, 8);
  std::memcpy(&hi, reinterpret_cast<const char*>(&p) + 8, 8);
  return __builtin_convertvector(lo, v4i32) + __builtin_convertvector(hi, v4i32);
}

void dot_i8_rows(const std::int8_t* query, const std::int8_t* rows, std::size_t count,
                 std::size_t dim, std::int32_t* out) {
  const std::size_t blocks = dim / 16;
  for (std::size_t r = 0; r < count; ++r) {
    const std::int8_t* row = rows + r * dim;
    v4i32 acc = {0, 0, 0, 0};
    for (std::size_t b = 0; b < blocks; ++b) {
      acc += mul8(query + 16 * b, row + 16 * b);
      acc += mul8(query + 16 * b + 8, row + 16 * b + 8);
    }
    std::int32_t s = acc[0] + acc[1] + acc[2] + acc[3];
    s += dot_i8_scalar(query + 16 * blocks, row + 16 * blocks, dim - 16 * blocks);
    out[r] = s;
  }
}

#else

void dot_i8_rows(const std::int8_t* query, const std::int8_t* rows, std::size_t count,
                 std::size_t dim, std::int32_t* out) {
  for (std::size_t r = 0; r < count; ++r) out[r] = dot_i8_scalar(query, rows + r * dim, dim);
}

#endif

}  // namespace detail
}  // namespace vitrine
