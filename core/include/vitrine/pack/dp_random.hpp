// The noise source of a private pack: ChaCha20 (RFC 8439) as a keystream generator, the
// construction of arc4random and Linux's getrandom, keyed with 256 bits. Production builds
// key it from the operating system (vitrine-pack reads std::random_device); tests and
// evaluations pass a seed so a build can be repeated. The noise must not be predictable to
// anyone who sees the pack, which xoshiro (privacy/ldp/random.hpp, tests only) would be.
#pragma once
#include <array>
#include <cstdint>

#include "vitrine/privacy/ldp/random.hpp"

namespace vitrine::pack {

class ChaChaRandom final : public privacy::ldp::RandomSource {
 public:
  explicit ChaChaRandom(const std::array<std::uint32_t, 8>& key);
  std::uint64_t next_u64() override;

 private:
  void refill();
  std::array<std::uint32_t, 16> state_{};
  std::array<std::uint32_t, 16> block_{};
  int used_ = 16;
};

// A uniform draw in (0, 1), never 0 or 1 (53 bits).
double uniform_open(privacy::ldp::RandomSource& rng);

// A standard normal draw (Box-Muller on two 53-bit uniforms in (0, 1)).
double gaussian(privacy::ldp::RandomSource& rng);

}  // namespace vitrine::pack
