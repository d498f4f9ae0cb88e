#include "decimal.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace vitrine::detail {
namespace {

using u64 = std::uint64_t;
__extension__ typedef unsigned __int128 u128;  // GCC and Clang, also in wasm

constexpr int kMaxDigits = 19;      // significant digits kept in a u64
constexpr int kExactMultiply = 27;  // 5^27 < 2^64: w * 5^e fits in 128 bits
constexpr int kExactDivide = 31;    // 5^31 < 2^73: (w << 64) / 5^k keeps 54 bits

u128 power(unsigned base, int k) {
  u128 r = 1;
  for (int i = 0; i < k; ++i) r *= base;
  return r;
}
u128 pow10(int k) { return power(10, k); }

int bit_length(u128 x) {
  const u64 hi = static_cast<u64>(x >> 64), lo = static_cast<u64>(x);
  if (hi) return 128 - __builtin_clzll(hi);
  return lo ? 64 - __builtin_clzll(lo) : 0;
}

// x * 2^e2, rounded to nearest even; `sticky`: the true value is a little above x * 2^e2.
// When sticky is set x must have more than 53 bits, so that it decides only ties.
double round_to_double(u128 x, int e2, bool sticky) {
  if (x == 0) return 0.0;
  int drop = std::max(bit_length(x) - 53, 0);
  u128 mantissa = x >> drop;
  if (drop > 0) {
    const u128 rest = x & ((u128{1} << drop) - 1);
    const u128 half = u128{1} << (drop - 1);
    if (rest > half || (rest == half && (sticky || (mantissa & 1)))) {
      ++mantissa;
      if (mantissa >> 53) {
        mantissa >>= 1;
        ++drop;
      }
    }
  }
  return std::ldexp(static_cast<double>(static_cast<u64>(mantissa)), e2 + drop);
}

// Keeps the top 64 bits of x, folding what goes into sticky; returns the shift.
int keep_64_bits(u128& x, bool& sticky) {
  const int shift = std::max(bit_length(x) - 64, 0);
  if (shift > 0) {
    if (x & ((u128{1} << shift) - 1)) sticky = true;
    x >>= shift;
  }
  return shift;
}

// m * 2^e2 * 10^s rounded to the nearest integer (ties to even); m < 2^53. Exact for the
// ranges append_shortest uses (|s| <= 22, |e2| <= 80).
u128 scaled(u64 m, int e2, int s) {
  u128 num = m, den = 1;
  if (s >= 0) {
    num *= pow10(s);
  } else {
    den = pow10(-s);
  }
  if (e2 >= 0) {
    num <<= e2;
  } else if (-e2 >= 128 || bit_length(den) + -e2 > 127) {
    return 0;  // far below one unit: out of the exact range
  } else {
    den <<= -e2;
  }
  const u128 q = num / den, r = num % den;
  const u128 twice = r * 2;
  return (twice > den || (twice == den && (q & 1))) ? q + 1 : q;
}

void append_u128(u128 v, std::string& out) {
  char buf[40];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v);
  while (n) out += buf[--n];
}

// digits * 10^exp10 in plain or scientific notation, as JSON allows.
void append_decimal(u128 digits, int exp10, std::string& out) {
  while (digits != 0 && digits % 10 == 0) {
    digits /= 10;
    ++exp10;
  }
  std::string d;
  append_u128(digits, d);
  const int len = static_cast<int>(d.size());
  if (exp10 >= 0 && len + exp10 <= 17) {
    out += d;
    out.append(static_cast<std::size_t>(exp10), '0');
  } else if (exp10 < 0 && -exp10 < len) {
    out.append(d, 0, static_cast<std::size_t>(len + exp10));
    out += '.';
    out.append(d, static_cast<std::size_t>(len + exp10), std::string::npos);
  } else if (exp10 < 0 && -exp10 - len < 6) {
    out += "0.";
    out.append(static_cast<std::size_t>(-exp10 - len), '0');
    out += d;
  } else {
    out += d[0];
    if (len > 1) {
      out += '.';
      out.append(d, 1, std::string::npos);
    }
    out += 'e';
    out += std::to_string(exp10 + len - 1);
  }
}

}  // namespace

double parse_decimal(std::string_view text) {
  std::size_t i = 0;
  const bool negative = i < text.size() && text[i] == '-';
  if (negative) ++i;
  u64 w = 0;
  int digits = 0, exp10 = 0;
  bool sticky = false, fraction = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      fraction = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    const int d = c - '0';
    if (digits == 0 && d == 0) {
      if (fraction) --exp10;  // a leading zero after the point
    } else if (digits < kMaxDigits) {
      w = w * 10 + static_cast<u64>(d);
      ++digits;
      if (fraction) --exp10;
    } else {
      if (d != 0) sticky = true;
      if (!fraction) ++exp10;
    }
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    const bool minus = i < text.size() && text[i] == '-';
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    int e = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      e = std::min(e * 10 + (text[i] - '0'), 100000);  // saturate: 1e100000 is infinite anyway
    }
    exp10 += minus ? -e : e;
  }
  double v;
  if (w == 0) {
    v = 0.0;
  } else if (exp10 >= 0) {
    // w * 10^e = w * 5^e * 2^e: one exact product while 5^e fits in 64 bits.
    u128 x = w;
    int e2 = 0;
    if (exp10 <= kExactMultiply) {
      x *= power(5, exp10);
      e2 = exp10 + keep_64_bits(x, sticky);
    } else {
      for (int left = exp10; left > 0 && e2 < 2000;) {
        const int step = std::min(left, kMaxDigits);
        x *= pow10(step);
        left -= step;
        e2 += keep_64_bits(x, sticky);
      }
    }
    v = round_to_double(x, e2, sticky);
  } else {
    // w / 10^k = (w / 5^k) * 2^-k, with w shifted to the top of 128 bits first, so that one
    // division leaves more than 53 bits and its remainder says whether it was exact.
    const int z = __builtin_clzll(w);
    u128 x = static_cast<u128>(w << z);
    int e2 = -z, left = -exp10;
    if (left <= kExactDivide) {
      const u128 num = x << 64, den = power(5, left);
      x = num / den;
      if (num % den != 0) sticky = true;
      e2 -= 64 + left;
    } else {
      while (left > 0 && e2 > -2000) {
        const int step = std::min(left, kMaxDigits);
        const u128 num = x << 64, den = pow10(step);
        x = num / den;
        if (num % den != 0) sticky = true;
        e2 -= 64;
        left -= step;
        e2 += keep_64_bits(x, sticky);
      }
    }
    v = round_to_double(x, e2, sticky);
  }
  return negative ? -v : v;
}

void append_shortest(double v, std::string& out) {
  if (!(v > 0) || !std::isfinite(v)) {
    out += '0';
    return;
  }
  int b = 0;
  const double fr = std::frexp(v, &b);  // v = fr * 2^b, fr in [0.5, 1)
  const u64 m = static_cast<u64>(std::ldexp(fr, 53));
  const int e2 = b - 53;
  // The decimal exponent of the leading digit: an estimate from the binary one, corrected
  // by how many digits 17 significant ones really take.
  int d = static_cast<int>(std::floor((b - 1) * 0.30102999566398120));
  for (int guard = 0; guard < 4; ++guard) {
    const u128 n = scaled(m, e2, 16 - d);
    if (n >= pow10(17)) {
      ++d;
    } else if (n < pow10(16)) {
      --d;
    } else {
      break;
    }
  }
  std::string candidate;
  for (int p = 1; p <= 17; ++p) {
    const u128 n = scaled(m, e2, p - 1 - d);
    candidate.clear();
    append_decimal(n, d - (p - 1), candidate);
    if (parse_decimal(candidate) == v || p == 17) break;
  }
  out += candidate;
}

}  // namespace vitrine::detail
