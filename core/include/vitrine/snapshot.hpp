// The history as bytes for local storage: versioned and checksummed, so a corrupt or
// hostile stored record is refused with a clear error instead of reaching the engine.
// Format: docs/formats.md#snapshot.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "vitrine/crc32.hpp"  // the checksum snapshots carry
#include "vitrine/history.hpp"
#include "vitrine/status.hpp"

namespace vitrine {

// Version 2 added each item's brand. Version 1 snapshots are still read (brands empty).
constexpr std::uint16_t kSnapshotVersion = 2;

std::vector<std::uint8_t> encode_snapshot(const History& history);
Result<History> decode_snapshot(const std::uint8_t* data, std::size_t size,
                                std::size_t capacity = History::kDefaultCapacity);

}  // namespace vitrine
