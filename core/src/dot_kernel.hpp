// int8 dot products of one query against many rows: the hot loop of embedding scoring.
// Integer arithmetic, so every build (native, wasm SIMD, scalar) gives identical results.
#pragma once
#include <cstddef>
#include <cstdint>

namespace vitrine {
namespace detail {

// out[r] = sum_k query[k] * rows[r * dim + k], for r in [0, count).
void dot_i8_rows(const std::int8_t* query, const std::int8_t* rows, std::size_t count,
                 std::size_t dim, std::int32_t* out);

// out[r] = sum_k query[k] * rows[ids[r] * dim + k], for r in [0, count).
void dot_i8_gather(const std::int8_t* query, const std::int8_t* rows, std::size_t dim,
                   const std::uint32_t* ids, std::size_t count, std::int32_t* out);

// The portable reference (used for the tail and by tests).
std::int32_t dot_i8_scalar(const std::int8_t* a, const std::int8_t* b, std::size_t dim);

}  // namespace detail
}  // namespace vitrine
