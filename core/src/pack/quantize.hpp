// Log-spaced 8-bit quantization of non-negative values (docs/pack-format.md, Quantization):
// code 0 is 0, codes 1..255 span [lo, hi] geometrically. Shared by every pack section that
// stores weights as codes plus a 256-entry table.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace vitrine::detail {

struct Quantizer {
  float table[256] = {};
  double lo = 1, hi = 1;
  explicit Quantizer(const std::vector<double>& values) {
    double mn = 0, mx = 0;
    for (double v : values) {
      if (v <= 0) continue;
      if (mn == 0 || v < mn) mn = v;
      if (v > mx) mx = v;
    }
    if (mx == 0) return;
    lo = mn;
    hi = mx;
    for (int c = 1; c < 256; ++c) {
      table[c] = hi > lo ? static_cast<float>(lo * std::pow(hi / lo, (c - 1) / 254.0))
                         : static_cast<float>(lo);
    }
  }
  std::uint8_t code(double v) const {
    if (v <= 0) return 0;
    if (hi <= lo) return 1;
    const double t = std::log(v / lo) / std::log(hi / lo);
    const long c = 1 + std::lround(254.0 * std::clamp(t, 0.0, 1.0));
    return static_cast<std::uint8_t>(c);
  }
};

}  // namespace vitrine::detail
