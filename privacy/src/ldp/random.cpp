#include "vitrine/privacy/ldp/random.hpp"

namespace vitrine::privacy::ldp {

std::uint64_t uniform_below(RandomSource& rng, std::uint64_t n) {
  if (n <= 1) return 0;
  // Values at or above the largest multiple of n are redrawn (at most half of them for n
  // just above 2^63, almost none for the small domains used here).
  const std::uint64_t limit = UINT64_MAX - (UINT64_MAX % n);
  std::uint64_t x = rng.next_u64();
  while (x >= limit) x = rng.next_u64();
  return x % n;
}

bool bernoulli(RandomSource& rng, double p) {
  if (!(p > 0.0)) return false;
  if (p >= 1.0) return true;
  constexpr double kTwo53 = 9007199254740992.0;
  const auto threshold = static_cast<std::uint64_t>(p * kTwo53);
  return (rng.next_u64() >> 11) < threshold;
}

namespace {
std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

SeededRandom::SeededRandom(std::uint64_t seed) {
  for (auto& s : s_) s = splitmix64(seed);
}

std::uint64_t SeededRandom::next_u64() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

}  // namespace vitrine::privacy::ldp
