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

// Row r of a contiguous table, or of a list of ids into it.
struct Dense {
  const std::int8_t* rows;
  std::size_t dim;
  VITRINE_HOT_INLINE const std::int8_t* operator()(std::size_t r) const { return rows + r * dim; }
};
struct Gathered {
  const std::int8_t* rows;
  std::size_t dim;
  const std::uint32_t* ids;
  VITRINE_HOT_INLINE const std::int8_t* operator()(std::size_t r) const {
    return rows + std::size_t{ids[r]} * dim;
  }
};

template <typename RowOf>
void dots(const std::int8_t* query, RowOf row_of, std::size_t count, std::size_t dim,
          std::int32_t* out) {
  constexpr std::size_t kMaxBlocks = 64;  // dim <= 1024 (the pack reader's limit)
  const std::size_t blocks = std::min(dim / 16, kMaxBlocks);
  const std::size_t tail = dim - 16 * blocks;
  v128_t qlo[kMaxBlocks], qhi[kMaxBlocks];
  for (std::size_t b = 0; b < blocks; ++b) {
    const v128_t q = wasm_v128_load(query + 16 * b);
    qlo[b] = wasm_i16x8_extend_low_i8x16(q);
    qhi[b] = wasm_i16x8_extend_high_i8x16(q);
  }
  std::size_t r = 0;
  // Four rows at a time: their horizontal sums share two rounds of shuffles.
  for (; r + 4 <= count; r += 4) {
    const v128_t a = row_acc(qlo, qhi, row_of(r), blocks);
    const v128_t b = row_acc(qlo, qhi, row_of(r + 1), blocks);
    const v128_t c = row_acc(qlo, qhi, row_of(r + 2), blocks);
    const v128_t d = row_acc(qlo, qhi, row_of(r + 3), blocks);
    const v128_t ab =
        wasm_i32x4_add(wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), wasm_i32x4_shuffle(a, b, 2, 6, 3, 7));
    const v128_t cd =
        wasm_i32x4_add(wasm_i32x4_shuffle(c, d, 0, 4, 1, 5), wasm_i32x4_shuffle(c, d, 2, 6, 3, 7));
    const v128_t sum = wasm_i32x4_add(wasm_i32x4_shuffle(ab, cd, 0, 1, 4, 5),
                                      wasm_i32x4_shuffle(ab, cd, 2, 3, 6, 7));
    wasm_v128_store(out + r, sum);
    if (tail) {
      for (std::size_t k = 0; k < 4; ++k) {
        out[r + k] += dot_i8_scalar(query + 16 * blocks, row_of(r + k) + 16 * blocks, tail);
      }
    }
  }
  for (; r < count; ++r) {
    const v128_t acc = row_acc(qlo, qhi, row_of(r), blocks);
    out[r] = wasm_i32x4_extract_lane(acc, 0) + wasm_i32x4_extract_lane(acc, 1) +
             wasm_i32x4_extract_lane(acc, 2) + wasm_i32x4_extract_lane(acc, 3) +
             dot_i8_scalar(query + 16 * blocks, row_of(r) + 16 * blocks, tail);
  }
}
}  // namespace

void dot_i8_rows(const std::int8_t* query, const std::int8_t* rows, std::size_t count,
                 std::size_t dim, std::int32_t* out) {
  dots(query, Dense{rows, dim}, count, dim, out);
}

void dot_i8_gather(const std::int8_t* query, const std::int8_t* rows, std::size_t dim,
                   const std::uint32_t* ids, std::size_t count, std::int32_t* out) {
  dots(query, Gathered{rows, dim, ids}, count, dim, out);
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
