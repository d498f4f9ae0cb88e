// The random source of the local differential privacy mechanisms, injected: the browser
// passes crypto.getRandomValues through the bindings, tests and the simulation pass a
// seeded generator so that runs are reproducible.
#pragma once
#include <cstdint>

namespace vitrine::privacy::ldp {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual std::uint64_t next_u64() = 0;
};

// Uniform in [0, n), n >= 1, without modulo bias (rejection of the short last block).
std::uint64_t uniform_below(RandomSource& rng, std::uint64_t n);

// True with probability p: compares 53 random bits with p * 2^53 (p is exact to 2^-53).
bool bernoulli(RandomSource& rng, double p);

// xoshiro256** (Blackman and Vigna), seeded through splitmix64. Deterministic and fast, for
// tests and simulation only: it is not a cryptographic source and the browser never uses it.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(std::uint64_t seed);
  std::uint64_t next_u64() override;

 private:
  std::uint64_t s_[4];
};

}  // namespace vitrine::privacy::ldp
