// Cutting a pack into a head and relation shards. Each shard is self-contained for its
// items: their rows, the sequential rows their two-hop step reads, and the item-table
// entries of every item those rows name, so a product page needs one shard, not one per
// neighbour. Codes and quantization tables are copied, never recomputed, so weights are
// bit-identical to the unsharded pack's.
#include <algorithm>

#include "byte_writer.hpp"
#include "pack_tables.hpp"
#include "sha256.hpp"
#include "vitrine/pack/shards.hpp"

namespace vitrine {

using detail::PackTables;
using detail::put_u32;

std::uint32_t fnv1a32(std::string_view bytes) {
  std::uint32_t h = 2166136261u;
  for (char c : bytes) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 16777619u;
  }
  return h;
}

namespace {

constexpr std::uint32_t kHashFnv1a = 1;
constexpr std::uint8_t kBlockMagic[4] = {'V', 'T', 'D', 'B'};
constexpr std::uint32_t kBlockVersion = 1;

// One kept item: its dense id in the full pack and which of its rows are kept (bit r).
struct Kept {
  std::uint32_t item;
  std::uint8_t rows;
};

// Sections the splitter does not interpret that a head carries over: DPAR (the privacy
// record, about the whole pack) always; EIDX, SSTA and FUSN (indexed by the full pack's item
// order) only when the head keeps every item, as it does with its embeddings.
bool head_keeps(std::uint32_t tag, bool all_items) {
  if (tag == pack_tag("DPAR")) return true;
  return all_items &&
         (tag == pack_tag("EIDX") || tag == pack_tag("SSTA") || tag == pack_tag("FUSN"));
}

// The sub-pack of `items` (sorted by item, no duplicates). Every id a kept row names must
// be kept too. Lists and the full category table are kept for the head only. `embeddings`:
// the head keeps them, and so every item.
PackTables cut(const PackTables& f, const std::vector<Kept>& items, bool head, bool embeddings) {
  PackTables t;
  t.meta = f.meta;
  t.pop_table = f.pop_table;
  auto local = [&](std::uint32_t item) {
    const auto it = std::lower_bound(items.begin(), items.end(), item,
                                     [](const Kept& k, std::uint32_t x) { return k.item < x; });
    return static_cast<std::uint32_t>(it - items.begin());
  };
  std::vector<std::uint32_t> used;  // categories of the shard, as full-pack indices
  if (head) {
    t.categories = f.categories;
  } else {
    for (const Kept& k : items) {
      if (f.item_category[k.item] != kNoCategory) used.push_back(f.item_category[k.item]);
    }
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());
    for (std::uint32_t c : used) t.categories.push_back(f.categories[c]);
  }
  for (const Kept& k : items) {
    t.ids.push_back(f.ids[k.item]);
    std::uint32_t c = f.item_category[k.item];
    if (!head && c != kNoCategory) {
      c = static_cast<std::uint32_t>(std::lower_bound(used.begin(), used.end(), c) - used.begin());
    }
    t.item_category.push_back(c);
    t.price.push_back(f.price[k.item]);
    t.flags.push_back(f.flags[k.item]);
    t.pop_codes.push_back(f.pop_codes[k.item]);
  }
  auto remap = [&](const std::vector<std::uint32_t>& list) {
    std::vector<std::uint32_t> out;
    for (std::uint32_t j : list) out.push_back(local(j));
    return out;
  };
  if (head) {
    t.top = remap(f.top);
    for (const auto& s : f.segments) t.segments.push_back(remap(s));
    t.bands = f.bands;
    t.band_medium = f.band_medium;
    t.band_high = f.band_high;
    for (int b = 0; b < 3; ++b) t.band_lists[b] = remap(f.band_lists[b]);
  } else {
    t.segments.resize(t.categories.size());
  }
  for (int r = 0; r < kRelationCount; ++r) {
    const detail::RelationTable& fr = f.relations[r];
    if (head || !fr.present) continue;
    detail::RelationTable& rel = t.relations[r];
    rel.present = true;
    rel.table = fr.table;
    for (const Kept& k : items) {
      if (k.rows & (1u << r)) {
        for (std::uint32_t e = fr.row_ptr[k.item]; e < fr.row_ptr[k.item + 1]; ++e) {
          rel.ids.push_back(local(fr.ids[e]));
          rel.codes.push_back(fr.codes[e]);
        }
      }
      rel.row_ptr.push_back(static_cast<std::uint32_t>(rel.ids.size()));
    }
  }
  if (embeddings) {
    t.embedding_dim = f.embedding_dim;
    t.embedding_scale = f.embedding_scale;
    t.embeddings = f.embeddings;
  }
  for (const auto& section : f.extra) {
    if (head && head_keeps(section.first, embeddings && items.size() == f.item_count())) {
      t.extra.push_back(section);
    }
  }
  return t;
}

std::vector<Kept> head_items(const PackTables& f, bool all) {
  std::vector<std::uint8_t> mark(f.item_count(), all ? 1 : 0);
  for (std::uint32_t j : f.top) mark[j] = 1;
  for (const auto& s : f.segments) {
    for (std::uint32_t j : s) mark[j] = 1;
  }
  for (const auto& b : f.band_lists) {
    for (std::uint32_t j : b) mark[j] = 1;
  }
  std::vector<Kept> items;
  for (std::uint32_t j = 0; j < f.item_count(); ++j) {
    if (mark[j]) items.push_back({j, 0});
  }
  return items;
}

// A shard's own items with all their rows, the sequential rows of their first `fanout`
// sequential neighbours, and every item those rows name.
std::vector<Kept> shard_items(const PackTables& f, const std::vector<std::uint32_t>& own,
                              std::uint32_t fanout) {
  std::vector<Kept> items;
  for (std::uint32_t i : own) items.push_back({i, 0b111});
  const detail::RelationTable& seq = f.relations[static_cast<int>(Relation::co_view_seq)];
  if (seq.present) {
    for (std::uint32_t i : own) {
      const std::uint32_t a = seq.row_ptr[i], b = std::min(seq.row_ptr[i + 1], a + fanout);
      for (std::uint32_t e = a; e < b; ++e) items.push_back({seq.ids[e], 0b001});
    }
  }
  const std::size_t with_rows = items.size();
  for (std::size_t k = 0; k < with_rows; ++k) {
    for (int r = 0; r < kRelationCount; ++r) {
      const detail::RelationTable& rel = f.relations[r];
      if (!rel.present || !(items[k].rows & (1u << r))) continue;
      const std::uint32_t i = items[k].item;
      for (std::uint32_t e = rel.row_ptr[i]; e < rel.row_ptr[i + 1]; ++e) {
        items.push_back({rel.ids[e], 0});
      }
    }
  }
  std::sort(items.begin(), items.end(), [](const Kept& a, const Kept& b) {
    return a.item != b.item ? a.item < b.item : a.rows > b.rows;
  });
  std::vector<Kept> out;
  for (const Kept& k : items) {
    if (!out.empty() && out.back().item == k.item) {
      out.back().rows |= k.rows;
    } else {
      out.push_back(k);
    }
  }
  return out;
}

}  // namespace

Result<ShardedPackBytes> shard_pack(const std::uint8_t* data, std::size_t size,
                                    const ShardOptions& options) {
  if (options.shards < 1 || options.shards > kMaxShards) {
    return Status(Code::invalid_argument, "shard count must be from 1 to 65536");
  }
  if (options.block_size > kMaxShards) {
    return Status(Code::invalid_argument, "shards per directory block must be at most 65536");
  }
  auto read = detail::read_tables(data, size);
  if (!read.is_ok()) return read.status();
  const PackTables& f = read.value();
  for (const auto& [tag, bytes] : f.extra) {
    if (tag == pack_tag("SHRD") || tag == pack_tag("SHRB") || tag == pack_tag("SHID")) {
      return Status(Code::invalid_argument, "the pack is already a shard head or a shard");
    }
  }
  const std::uint32_t k_count = options.shards;
  std::vector<std::vector<std::uint32_t>> own(k_count);
  for (std::uint32_t i = 0; i < f.item_count(); ++i) own[shard_of(f.ids[i], k_count)].push_back(i);

  ShardedPackBytes out;
  ShardDirectory dir;
  for (std::uint32_t k = 0; k < k_count; ++k) {
    PackTables t = cut(f, shard_items(f, own[k], options.two_hop_fanout), false, false);
    std::vector<std::uint8_t> id;
    put_u32(id, k);
    put_u32(id, k_count);
    put_u32(id, f.item_count());
    put_u32(id, 0);
    t.extra.push_back({pack_tag("SHID"), std::move(id)});
    out.shards.push_back(detail::write_pack(t));
    dir.digests.push_back(detail::sha256(out.shards.back().data(), out.shards.back().size()));
  }
  const bool embeddings = options.keep_embeddings && f.embedding_dim > 0;
  PackTables head = cut(f, head_items(f, embeddings), true, embeddings);
  std::vector<std::uint8_t> dir_section;
  put_u32(dir_section, k_count);
  put_u32(dir_section, options.two_hop_fanout);
  put_u32(dir_section, f.item_count());
  put_u32(dir_section, kHashFnv1a);
  if (options.block_size == 0) {
    for (const auto& d : dir.digests) dir_section.insert(dir_section.end(), d.begin(), d.end());
    for (const auto& s : out.shards) put_u32(dir_section, static_cast<std::uint32_t>(s.size()));
    head.extra.push_back({pack_tag("SHRD"), std::move(dir_section)});
  } else {
    const std::uint32_t per = options.block_size;
    const std::uint32_t blocks = (k_count + per - 1) / per;
    put_u32(dir_section, per);
    put_u32(dir_section, blocks);
    std::vector<std::uint32_t> block_sizes;
    for (std::uint32_t b = 0; b < blocks; ++b) {
      const std::uint32_t first = b * per, n = std::min(per, k_count - first);
      std::vector<std::uint8_t> block(kBlockMagic, kBlockMagic + 4);
      for (std::uint32_t v : {kBlockVersion, b, k_count, per, n}) put_u32(block, v);
      for (std::uint32_t k = first; k < first + n; ++k) {
        block.insert(block.end(), dir.digests[k].begin(), dir.digests[k].end());
      }
      for (std::uint32_t k = first; k < first + n; ++k) {
        put_u32(block, static_cast<std::uint32_t>(out.shards[k].size()));
      }
      const Digest d = detail::sha256(block.data(), block.size());
      dir_section.insert(dir_section.end(), d.begin(), d.end());
      block_sizes.push_back(static_cast<std::uint32_t>(block.size()));
      out.blocks.push_back(std::move(block));
    }
    for (std::uint32_t bytes : block_sizes) put_u32(dir_section, bytes);
    head.extra.push_back({pack_tag("SHRB"), std::move(dir_section)});
  }
  out.head = detail::write_pack(head);
  return out;
}

Result<ShardDirectory> read_shard_directory(const std::uint8_t* data, std::size_t size) {
  ShardDirectory dir;
  if (size < 32) return dir;
  std::size_t len = 0;
  const std::uint8_t* p = detail::find_section(data, size, pack_tag("SHRD"), &len);
  const bool blocks = p == nullptr;
  if (blocks) p = detail::find_section(data, size, pack_tag("SHRB"), &len);
  if (p == nullptr) return dir;
  const char* name = blocks ? "SHRB" : "SHRD";
  auto bad = [&](const char* what) {
    return Status(Code::data_loss, std::string("model pack: ") + name + " " + what);
  };
  if (len < (blocks ? 24u : 16u)) return bad("too short");
  const std::uint32_t count = load_u32(p);
  if (count < 1 || count > kMaxShards) return bad("has a bad shard count");
  if (load_u32(p + 12) != kHashFnv1a) {
    return Status(Code::unsupported, std::string("model pack: unknown shard hash in ") + name);
  }
  dir.count = count;
  dir.two_hop_fanout = load_u32(p + 4);
  dir.full_item_count = load_u32(p + 8);
  dir.digests.assign(count, Digest{});
  dir.sizes.assign(count, 0);
  // Per entry: 32 bytes of digest, then (after all digests) a u32 size.
  auto read_entries = [](const std::uint8_t* at, std::uint32_t n, std::vector<Digest>& digests,
                         std::vector<std::uint32_t>& sizes, std::uint32_t first) {
    for (std::uint32_t k = 0; k < n; ++k) {
      std::copy(at + 32 * std::size_t{k}, at + 32 * std::size_t{k} + 32,
                digests[first + k].begin());
      sizes[first + k] = load_u32(at + 32 * std::size_t{n} + 4 * std::size_t{k});
    }
  };
  if (!blocks) {
    if (len != 16 + 36 * std::size_t{count}) return bad("length does not match the shard count");
    read_entries(p + 16, count, dir.digests, dir.sizes, 0);
    dir.known.assign(count, 1);
    return dir;
  }
  const std::uint32_t per = load_u32(p + 16), n = load_u32(p + 20);
  if (per < 1 || per > kMaxShards || n != (count + per - 1) / per ||
      len != 24 + 36 * std::size_t{n}) {
    return bad("has a bad block size, block count or length");
  }
  dir.block_size = per;
  dir.block_digests.assign(n, Digest{});
  dir.block_sizes.assign(n, 0);
  read_entries(p + 24, n, dir.block_digests, dir.block_sizes, 0);
  dir.known.assign(count, 0);
  return dir;
}

Status add_directory_block(ShardDirectory& dir, const std::uint8_t* data, std::size_t size) {
  auto bad = [](const std::string& what) {
    return Status(Code::data_loss, "shard directory block: " + what);
  };
  if (dir.block_size == 0) {
    return Status(Code::failed_precondition, "the pack's head lists every shard: no blocks");
  }
  if (data == nullptr || size < 24 || !std::equal(kBlockMagic, kBlockMagic + 4, data)) {
    return bad("not a directory block (no VTDB magic)");
  }
  if (load_u32(data + 4) != kBlockVersion) {
    return Status(Code::unsupported, "shard directory block: unknown version");
  }
  const std::uint32_t b = load_u32(data + 8);
  if (b >= dir.block_digests.size() || load_u32(data + 12) != dir.count ||
      load_u32(data + 16) != dir.block_size) {
    return bad("block " + std::to_string(b) + " does not belong to this pack");
  }
  // The digest first: it alone proves the bytes are the block the head names.
  if (size != dir.block_sizes[b] || detail::sha256(data, size) != dir.block_digests[b]) {
    return bad("block " + std::to_string(b) + " does not match its SHA-256 in the pack");
  }
  const std::uint32_t first = b * dir.block_size;
  const std::uint32_t n = std::min(dir.block_size, dir.count - first);
  if (load_u32(data + 20) != n || size != 24 + 36 * std::size_t{n}) {
    return bad("block " + std::to_string(b) + " has a bad entry count");
  }
  for (std::uint32_t k = 0; k < n; ++k) {
    std::copy(data + 24 + 32 * std::size_t{k}, data + 56 + 32 * std::size_t{k},
              dir.digests[first + k].begin());
    dir.sizes[first + k] = load_u32(data + 24 + 32 * std::size_t{n} + 4 * std::size_t{k});
    dir.known[first + k] = 1;
  }
  return Status();
}

std::string shard_digest_hex(const ShardDirectory& directory, std::uint32_t shard) {
  if (shard >= directory.count || !directory.known[shard]) return {};
  return detail::hex(directory.digests[shard].data(), 32);
}

std::string block_digest_hex(const ShardDirectory& directory, std::uint32_t block) {
  if (block >= directory.block_digests.size()) return {};
  return detail::hex(directory.block_digests[block].data(), 32);
}

}  // namespace vitrine
