// SHA-256 (FIPS 180-4): shard digests, so a shard is verified against the head that names
// it, like the pack is verified by its CRCs, and can be served immutable under its digest.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace vitrine::detail {

std::array<std::uint8_t, 32> sha256(const std::uint8_t* data, std::size_t size);
std::string hex(const std::uint8_t* data, std::size_t size);

}  // namespace vitrine::detail
