// Two versions of one loop: wasm SIMD128 intrinsics (i32x4.dot_i16x8_s), and a plain loop
// for native builds. Eigen does not vectorize for wasm (toolchain.md), hence the hand-written
// kernel there. Natively, g++ -O3 vectorizes the plain loop (SSE2) and it measured faster
// than a hand-written GCC `vector_size(16)` version: 0.72 ms against 1.0 to 1.8 ms for
// 200,000 x 32 int8 dots, which are bound by memory bandwidth (6.4 MB read per query).
#include "dot_kernel.hpp"

#include <algorithm>
#include <cstring>

#include "vitrine/hot_inline.hpp"

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

namespace {
// One row: the query is widened to int16 once per call (qlo/qhi), each row per block.
// Forced inline: a call per row was a third of recommend() at 200k items in the package
// (its -Oz link keeps it a call; vitrine/hot_inline.hpp).
VITRINE_HOT_INLINE v128_t row_acc(const v128_t* qlo, const v128_t* qhi, const std::int8_t* row,
                                  std::size_t blocks) {
  v128_t acc = wasm_i32x4_splat(0);
  for (std::size_t b = 0; b < blocks; ++b) {
    const v128_t x = wasm_v128_load(row + 16 * b);
    acc = wasm_i32x4_add(acc, wasm_i32x4_dot_i16x8(qlo[b], wasm_i16x8_extend_low_i8x16(x)));
    acc = wasm_i32x4_add(acc, wasm_i32x4_dot_i16x8(qhi[b], wasm_i16x8_extend_high_i8x16(x)));
  }
  return acc;
}

constexpr std::size_t kMaxBlocks = 64;  // dim <= 1024 (the pack reader's limit)

// The query widened to int16 once per call; returns the number of whole blocks.
std::size_t widen(const std::int8_t* query, std::size_t dim, v128_t* qlo, v128_t* qhi) {
  const std::size_t blocks = std::min(dim / 16, kMaxBlocks);
  for (std::size_t b = 0; b < blocks; ++b) {
    const v128_t q = wasm_v128_load(query + 16 * b);
    qlo[b] = wasm_i16x8_extend_low_i8x16(q);
    qhi[b] = wasm_i16x8_extend_high_i8x16(q);
  }
  return blocks;
}

VITRINE_HOT_INLINE v128_t row16(v128_t lo, v128_t hi, const std::int8_t* row) {
  const v128_t x = wasm_v128_load(row);
  return wasm_i32x4_add(wasm_i32x4_dot_i16x8(lo, wasm_i16x8_extend_low_i8x16(x)),
                        wasm_i32x4_dot_i16x8(hi, wasm_i16x8_extend_high_i8x16(x)));
}

// out[0..3] = the lane sums of a, b, c, d.
VITRINE_HOT_INLINE void store4(v128_t a, v128_t b, v128_t c, v128_t d, std::int32_t* out) {
  const v128_t ab =
      wasm_i32x4_add(wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), wasm_i32x4_shuffle(a, b, 2, 6, 3, 7));
  const v128_t cd =
      wasm_i32x4_add(wasm_i32x4_shuffle(c, d, 0, 4, 1, 5), wasm_i32x4_shuffle(c, d, 2, 6, 3, 7));
  wasm_v128_store(out, wasm_i32x4_add(wasm_i32x4_shuffle(ab, cd, 0, 1, 4, 5),
                                      wasm_i32x4_shuffle(ab, cd, 2, 3, 6, 7)));
}

VITRINE_HOT_INLINE std::int32_t lane_sum(v128_t acc) {
  return wasm_i32x4_extract_lane(acc, 0) + wasm_i32x4_extract_lane(acc, 1) +
         wasm_i32x4_extract_lane(acc, 2) + wasm_i32x4_extract_lane(acc, 3);
}
}  // namespace

void dot_i8_rows(const std::int8_t* query, const std::int8_t* rows, std::size_t count,
                 std::size_t dim, std::int32_t* out) {
  v128_t qlo[kMaxBlocks], qhi[kMaxBlocks];
  const std::size_t blocks = widen(query, dim, qlo, qhi);
  const std::size_t tail = dim - 16 * blocks;
  std::size_t r = 0;
  // Four rows at a time: their horizontal sums share two rounds of shuffles. 16 dimensions
  // (vitrine-pack's default) keep the query in two locals instead of a loop per row (with
  // the selection's local threshold, DIGINETICA item lists went 0.87 -> 0.58 ms p50 in node).
  if (dim == 16) {
    const v128_t lo = qlo[0], hi = qhi[0];
    for (; r + 4 <= count; r += 4) {
      const std::int8_t* p = rows + r * 16;
      store4(row16(lo, hi, p), row16(lo, hi, p + 16), row16(lo, hi, p + 32), row16(lo, hi, p + 48),
             out + r);
    }
  }
  for (; r + 4 <= count; r += 4) {
    store4(row_acc(qlo, qhi, rows + r * dim, blocks),
           row_acc(qlo, qhi, rows + (r + 1) * dim, blocks),
           row_acc(qlo, qhi, rows + (r + 2) * dim, blocks),
           row_acc(qlo, qhi, rows + (r + 3) * dim, blocks), out + r);
    if (tail) {
      for (std::size_t k = 0; k < 4; ++k) {
        out[r + k] += dot_i8_scalar(query + 16 * blocks, rows + (r + k) * dim + 16 * blocks, tail);
      }
    }
  }
  for (; r < count; ++r) {
    out[r] = lane_sum(row_acc(qlo, qhi, rows + r * dim, blocks)) +
             dot_i8_scalar(query + 16 * blocks, rows + r * dim + 16 * blocks, tail);
  }
}

// A few hundred rows a query: one row at a time is enough here.
void dot_i8_gather(const std::int8_t* query, const std::int8_t* rows, std::size_t dim,
                   const std::uint32_t* ids, std::size_t count, std::int32_t* out) {
  v128_t qlo[kMaxBlocks], qhi[kMaxBlocks];
  const std::size_t blocks = widen(query, dim, qlo, qhi);
  for (std::size_t r = 0; r < count; ++r) {
    const std::int8_t* row = rows + std::size_t{ids[r]} * dim;
    out[r] = lane_sum(row_acc(qlo, qhi, row, blocks)) +
             dot_i8_scalar(query + 16 * blocks, row + 16 * blocks, dim - 16 * blocks);
  }
}

#else

// Rows are independent; the inner loop is what g++/clang vectorize.
void dot_i8_rows(const std::int8_t* query, const std::int8_t* rows, std::size_t count,
                 std::size_t dim, std::int32_t* out) {
  for (std::size_t r = 0; r < count; ++r) out[r] = dot_i8_scalar(query, rows + r * dim, dim);
}

void dot_i8_gather(const std::int8_t* query, const std::int8_t* rows, std::size_t dim,
                   const std::uint32_t* ids, std::size_t count, std::int32_t* out) {
  for (std::size_t r = 0; r < count; ++r) {
    out[r] = dot_i8_scalar(query, rows + std::size_t{ids[r]} * dim, dim);
  }
}

#endif

}  // namespace detail
}  // namespace vitrine
