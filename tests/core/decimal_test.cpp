// The engine's own decimal reader and writer against libc (strtod, printf) on random and
// edge values: exactly rounded reading, shortest round-trip writing for every price.
#include "../../core/src/decimal.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

namespace vitrine::detail {
namespace {

double libc(const std::string& s) { return std::strtod(s.c_str(), nullptr); }

std::string shortest(double v) {
  std::string out;
  append_shortest(v, out);
  return out;
}

// How many significant digits libc's %.{p}g needs to round-trip v (the shortest length).
int libc_shortest_digits(double v) {
  char buf[64];
  for (int p = 1; p <= 17; ++p) {
    std::snprintf(buf, sizeof buf, "%.*g", p, v);
    if (std::strtod(buf, nullptr) == v) return p;
  }
  return 17;
}

int significant_digits(const std::string& s) {
  std::string digits;
  for (char c : s) {
    if (c == 'e' || c == 'E') break;
    if (c >= '0' && c <= '9') digits += c;
  }
  const auto first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 1;
  const auto last = digits.find_last_not_of('0');
  return static_cast<int>(last - first + 1);
}

TEST(Decimal, ReadsLikeStrtodOnEdgeCases) {
  for (const char* s : {"0",
                        "-0",
                        "1",
                        "19.99",
                        "0.1",
                        "0.3",
                        "0.30000000000000004",
                        "1e5",
                        "1E+5",
                        "123456789012345678",
                        "1234567890123456789",
                        "9007199254740993",
                        "2.2250738585072014e-308",
                        "1.7976931348623157e308",
                        "5e-324",
                        "1e-22",
                        "0.000001",
                        "1000000000",
                        "1e23",
                        "8.589973e9",
                        "-12.5e-3",
                        "0.00000000000000000000012345",
                        "1e400",
                        "1e-400",
                        "4.35",
                        "2.675"}) {
    const double got = parse_decimal(s), want = libc(s);
    if (std::isinf(want)) {
      EXPECT_TRUE(std::isinf(got)) << s;
    } else {
      EXPECT_EQ(got, want) << s;
    }
  }
}

TEST(Decimal, ReadsRandomLiteralsOfUpTo19DigitsExactly) {
  std::mt19937_64 rng(42);
  for (int k = 0; k < 300000; ++k) {
    const int digits = 1 + static_cast<int>(rng() % 19);
    std::string s;
    for (int i = 0; i < digits; ++i) s += static_cast<char>('0' + rng() % 10);
    const int point = static_cast<int>(rng() % (digits + 1));
    if (point < digits) s.insert(static_cast<std::size_t>(point), ".");
    if (s.front() == '.') s.insert(0, "0");
    if (s.back() == '.') s.pop_back();
    // Exponents inside the exact range: the integer of the digits times 10^(-31 .. 27).
    const int e = static_cast<int>(rng() % 40) - 12;
    if (rng() % 2) s += "e" + std::to_string(e);
    ASSERT_EQ(parse_decimal(s), libc(s)) << s;
  }
}

TEST(Decimal, WritesTheShortestRoundTripForEveryKindOfPrice) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> log_scale(-6.0, 9.0);
  for (int k = 0; k < 200000; ++k) {
    double v;
    switch (k % 3) {
      case 0:  // any double in range
        v = std::pow(10.0, log_scale(rng));
        break;
      case 1:  // cents
        v = static_cast<double>(rng() % 10000000) / 100.0;
        break;
      default:  // neighbours of round numbers
        v = std::nextafter(static_cast<double>(rng() % 100000) / 1000.0, 1e9);
        break;
    }
    if (v < 1e-6 || v > 1e9) continue;
    const std::string s = shortest(v);
    ASSERT_EQ(libc(s), v) << s;           // reads back, by libc too
    ASSERT_EQ(parse_decimal(s), v) << s;  // and by our reader
    ASSERT_EQ(significant_digits(s), libc_shortest_digits(v)) << s << " for " << v;
  }
  EXPECT_EQ(shortest(0), "0");
  EXPECT_EQ(shortest(19.99), "19.99");
  EXPECT_EQ(shortest(0.1), "0.1");
  EXPECT_EQ(shortest(1e9), "1000000000");
  EXPECT_EQ(shortest(1e-6), "0.000001");
  EXPECT_EQ(shortest(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(shortest(1.5e-6), "0.0000015");
}

}  // namespace
}  // namespace vitrine::detail
