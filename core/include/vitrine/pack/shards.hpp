// Sharded packs (docs/pack-format.md, "Sharded packs"): a built pack is cut into a small
// head (the items the popularity lists name, the popularity lists, embeddings when asked)
// and K relation shards. An item's shard is fnv1a32(item id) % K, so the head needs no id
// table to find it. Every part is itself a version-1 pack; the head lists each shard's
// SHA-256. A ShardSet joins the head and the shards loaded so far into one pack that
// recommends exactly like the unsharded pack for every item whose shard is loaded.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vitrine/status.hpp"

namespace vitrine {

constexpr std::uint32_t kMaxShards = 65536;

std::uint32_t fnv1a32(std::string_view bytes);
inline std::uint32_t shard_of(std::string_view item_id, std::uint32_t shard_count) {
  return shard_count == 0 ? 0 : fnv1a32(item_id) % shard_count;
}

struct ShardOptions {
  std::uint32_t shards = 64;  // K, 1..kMaxShards
  // Each shard also carries the sequential rows of the first `two_hop_fanout` neighbours
  // of its items: the recommender's two-hop step reads them (ScoringWeights::two_hop_fanout).
  std::uint32_t two_hop_fanout = 10;
  // Keep the whole item table and the embeddings in the head: the dense embedding pass
  // scores every item, so it needs them all. Without them the head is small but lists
  // lose their embedding scores (they differ from the whole pack's).
  bool keep_embeddings = true;
  // Shards per directory block, 0 for none. With blocks the head lists the SHA-256 of each
  // block, and each block those of its shards: a head with thousands of shards stays small
  // (32 bytes of digest per shard do not compress), a page fetches a 2 KB block with its
  // first shard of that block.
  std::uint32_t block_size = 0;
};

struct ShardedPackBytes {
  std::vector<std::uint8_t> head;
  std::vector<std::vector<std::uint8_t>> shards;  // shard k at index k
  std::vector<std::vector<std::uint8_t>> blocks;  // directory block b at index b (if any)
};

// Cuts a pack (checked here) into a head and options.shards shards.
Result<ShardedPackBytes> shard_pack(const std::uint8_t* data, std::size_t size,
                                    const ShardOptions& options);

using Digest = std::array<std::uint8_t, 32>;

// The head's shard directory: section SHRD (every shard's digest and size) or SHRB (those
// of its directory blocks; a shard's own become known when its block is added).
struct ShardDirectory {
  std::uint32_t count = 0;  // 0: not a sharded head
  std::uint32_t two_hop_fanout = 0;
  std::uint32_t full_item_count = 0;  // items of the pack that was cut
  std::vector<Digest> digests;        // per shard, zero until known
  std::vector<std::uint32_t> sizes;   // per shard, 0 until known
  std::vector<std::uint8_t> known;    // per shard, 0 or 1 (not vector<bool>: less wasm)
  std::uint32_t block_size = 0;       // shards per block; 0: SHRD, every shard known
  std::vector<Digest> block_digests;
  std::vector<std::uint32_t> block_sizes;

  std::uint32_t block_of(std::uint32_t shard) const {
    return block_size == 0 ? 0 : shard / block_size;
  }
};

// The directory of a pack already opened (Pack::open), count 0 when it has none; data_loss
// when SHRD is malformed.
Result<ShardDirectory> read_shard_directory(const std::uint8_t* data, std::size_t size);
// Checks a directory block against `directory` (SHA-256, fields) and fills in its shards'
// digests and sizes. On error `directory` is unchanged.
Status add_directory_block(ShardDirectory& directory, const std::uint8_t* data, std::size_t size);
// Lowercase hex SHA-256 of a shard, as the shop names its file ("" while unknown).
std::string shard_digest_hex(const ShardDirectory& directory, std::uint32_t shard);
// Lowercase hex SHA-256 of a directory block, as the shop names its file.
std::string block_digest_hex(const ShardDirectory& directory, std::uint32_t block);

class ShardSet {
 public:
  ShardSet();
  ~ShardSet();
  ShardSet(ShardSet&&) noexcept;
  ShardSet& operator=(ShardSet&&) noexcept;

  // The head's bytes (checked). failed_precondition if it has no shard directory.
  static Result<ShardSet> open(const std::uint8_t* data, std::size_t size);
  const ShardDirectory& directory() const;
  // Checks a shard (SHA-256 against the directory, then as a pack) and keeps it. On error
  // nothing changes. Adding a shard already loaded is a no-op; a shard whose directory
  // block is not added yet is failed_precondition.
  Status add(const std::uint8_t* data, std::size_t size);
  // Checks a directory block (SHA-256 against the head, then its fields) and learns its
  // shards' digests and sizes. On error nothing changes; adding one twice is a no-op.
  Status add_block(const std::uint8_t* data, std::size_t size);
  bool loaded(std::uint32_t shard) const;
  bool block_loaded(std::uint32_t block) const;
  std::uint32_t loaded_count() const;
  // One pack: the head's items and lists, plus every loaded shard's items and rows.
  std::vector<std::uint8_t> joined() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace vitrine
