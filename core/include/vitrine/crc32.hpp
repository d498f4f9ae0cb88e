// CRC-32 (IEEE 802.3, reflected), as used by zip and PNG: the checksum of snapshots and of
// every pack section.
#pragma once
#include <cstddef>
#include <cstdint>

namespace vitrine {

std::uint32_t crc32(const std::uint8_t* data, std::size_t size);

// Continues a checksum over more bytes: crc32_update(crc32(a), b) == crc32(a followed by b),
// and crc32_update(0, ...) starts one. Lets a large buffer be checked a slice at a time.
std::uint32_t crc32_update(std::uint32_t crc, const std::uint8_t* data, std::size_t size);

}  // namespace vitrine
