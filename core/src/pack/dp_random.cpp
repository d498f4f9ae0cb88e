#include "vitrine/pack/dp_random.hpp"

#include <cmath>

namespace vitrine::pack {
namespace {

std::uint32_t rotl(std::uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

void quarter(std::array<std::uint32_t, 16>& s, int a, int b, int c, int d) {
  s[a] += s[b];
  s[d] = rotl(s[d] ^ s[a], 16);
  s[c] += s[d];
  s[b] = rotl(s[b] ^ s[c], 12);
  s[a] += s[b];
  s[d] = rotl(s[d] ^ s[a], 8);
  s[c] += s[d];
  s[b] = rotl(s[b] ^ s[c], 7);
}

}  // namespace

ChaChaRandom::ChaChaRandom(const std::array<std::uint32_t, 8>& key) {
  state_[0] = 0x61707865u;  // "expand 32-byte k"
  state_[1] = 0x3320646eu;
  state_[2] = 0x79622d32u;
  state_[3] = 0x6b206574u;
  for (int k = 0; k < 8; ++k) state_[4 + k] = key[k];
  // 12..15: block counter (64 bits here: a pack never needs 2^64 blocks) and a zero nonce.
}

void ChaChaRandom::refill() {
  block_ = state_;
  for (int round = 0; round < 10; ++round) {
    quarter(block_, 0, 4, 8, 12);
    quarter(block_, 1, 5, 9, 13);
    quarter(block_, 2, 6, 10, 14);
    quarter(block_, 3, 7, 11, 15);
    quarter(block_, 0, 5, 10, 15);
    quarter(block_, 1, 6, 11, 12);
    quarter(block_, 2, 7, 8, 13);
    quarter(block_, 3, 4, 9, 14);
  }
  for (int k = 0; k < 16; ++k) block_[k] += state_[k];
  if (++state_[12] == 0) ++state_[13];
  used_ = 0;
}

std::uint64_t ChaChaRandom::next_u64() {
  if (used_ + 2 > 16) refill();
  const std::uint64_t v = block_[used_] | std::uint64_t{block_[used_ + 1]} << 32;
  used_ += 2;
  return v;
}

double uniform_open(privacy::ldp::RandomSource& rng) {
  // (k + 0.5) / 2^53 is never 0 or 1, so a log of it is finite.
  return (static_cast<double>(rng.next_u64() >> 11) + 0.5) / 9007199254740992.0;
}

double gaussian(privacy::ldp::RandomSource& rng) {
  const double u1 = uniform_open(rng);
  const double u2 = uniform_open(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace vitrine::pack
