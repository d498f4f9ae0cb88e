// Joining a head and the shards loaded so far into one pack. Items are the union (by
// string id, so dense-id order stays string order, as in the unsharded pack, and ties
// break the same way); an item's rows come from its own shard when loaded, else from a
// shard that carries them for its two-hop step (the same bytes either way).
#include <algorithm>
#include <map>
#include <string>

#include "pack_tables.hpp"
#include "sha256.hpp"
#include "vitrine/pack/shards.hpp"

namespace vitrine {

using detail::PackTables;

struct ShardSet::State {
  ShardDirectory dir;
  PackTables head;
  std::map<std::uint32_t, PackTables> shards;  // by shard index
};

ShardSet::ShardSet() : state_(std::make_unique<State>()) {}
ShardSet::~ShardSet() = default;
ShardSet::ShardSet(ShardSet&&) noexcept = default;
ShardSet& ShardSet::operator=(ShardSet&&) noexcept = default;

const ShardDirectory& ShardSet::directory() const { return state_->dir; }
bool ShardSet::loaded(std::uint32_t shard) const { return state_->shards.count(shard) != 0; }
std::uint32_t ShardSet::loaded_count() const {
  return static_cast<std::uint32_t>(state_->shards.size());
}

Result<ShardSet> ShardSet::open(const std::uint8_t* data, std::size_t size) {
  auto tables = detail::read_tables(data, size);
  if (!tables.is_ok()) return tables.status();
  auto dir = read_shard_directory(data, size);
  if (!dir.is_ok()) return dir.status();
  if (dir.value().count == 0) {
    return Status(Code::failed_precondition, "model pack: not a shard head (no SHRD section)");
  }
  ShardSet set;
  set.state_->dir = std::move(dir).value();
  set.state_->head = std::move(tables).value();
  // The directory stays here; what else the head carries (shard_split.cpp: DPAR, and with
  // every item EIDX, SSTA, FUSN) goes into the joined pack.
  auto& extra = set.state_->head.extra;
  extra.erase(std::remove_if(extra.begin(), extra.end(),
                             [](const auto& s) {
                               return s.first == pack_tag("SHRD") || s.first == pack_tag("SHRB");
                             }),
              extra.end());
  return set;
}

Status ShardSet::add(const std::uint8_t* data, std::size_t size) {
  const ShardDirectory& dir = state_->dir;
  auto bad = [](const std::string& what) { return Status(Code::data_loss, "pack shard: " + what); };
  std::size_t len = 0;
  const std::uint8_t* id =
      size >= 32 ? detail::find_section(data, size, pack_tag("SHID"), &len) : nullptr;
  // The digest first: it alone proves the bytes are the shard the head names.
  if (id == nullptr || len != 16 || id + 16 > data + size) {
    auto opened = Pack::open(data, size);
    return opened.is_ok() ? bad("not a shard (no SHID section)") : opened.status();
  }
  const std::uint32_t index = load_u32(id), count = load_u32(id + 4);
  if (count != dir.count || index >= count) {
    return bad("shard " + std::to_string(index) + " of " + std::to_string(count) +
               " does not belong to this pack (" + std::to_string(dir.count) + " shards)");
  }
  if (!dir.known[index]) {
    return Status(Code::failed_precondition,
                  "pack shard " + std::to_string(index) + ": its directory block " +
                      std::to_string(dir.block_of(index)) + " is not loaded");
  }
  if (size != dir.sizes[index] || detail::sha256(data, size) != dir.digests[index]) {
    return bad("shard " + std::to_string(index) + " does not match its SHA-256 in the pack");
  }
  if (loaded(index)) return Status();
  auto tables = detail::read_tables(data, size);
  if (!tables.is_ok()) return tables.status();
  PackTables t = std::move(tables).value();
  for (const std::string& c : t.categories) {
    if (!std::binary_search(state_->head.categories.begin(), state_->head.categories.end(), c)) {
      return bad("category '" + c + "' is not in the pack");
    }
  }
  t.extra.clear();
  state_->shards.emplace(index, std::move(t));
  return Status();
}

// A block added again writes the same digests: no special case.
Status ShardSet::add_block(const std::uint8_t* data, std::size_t size) {
  return add_directory_block(state_->dir, data, size);
}

bool ShardSet::block_loaded(std::uint32_t block) const {
  const ShardDirectory& dir = state_->dir;
  if (dir.block_size == 0) return true;
  const std::uint64_t first = std::uint64_t{block} * dir.block_size;
  return first < dir.count && dir.known[static_cast<std::size_t>(first)];
}

std::vector<std::uint8_t> ShardSet::joined() const {
  const PackTables& head = state_->head;
  std::vector<const PackTables*> parts{&head};
  std::vector<std::uint32_t> part_shard{kMaxShards};  // the head is no shard
  for (const auto& [k, t] : state_->shards) {
    parts.push_back(&t);
    part_shard.push_back(k);
  }
  // Union of the items by string id; for each, where it is (part, local id).
  struct At {
    std::string_view id;
    std::uint32_t part, local;
  };
  std::vector<At> all;
  for (std::uint32_t p = 0; p < parts.size(); ++p) {
    for (std::uint32_t i = 0; i < parts[p]->item_count(); ++i)
      all.push_back({parts[p]->ids[i], p, i});
  }
  std::sort(all.begin(), all.end(),
            [](const At& a, const At& b) { return a.id != b.id ? a.id < b.id : a.part < b.part; });
  std::vector<std::vector<std::uint32_t>> to_new(parts.size());
  for (std::uint32_t p = 0; p < parts.size(); ++p) to_new[p].resize(parts[p]->item_count());
  PackTables t;
  t.meta = head.meta;
  t.pop_table = head.pop_table;
  t.categories = head.categories;
  std::vector<At> first;  // one entry per joined item
  for (const At& a : all) {
    if (first.empty() || first.back().id != a.id) first.push_back(a);
    to_new[a.part][a.local] = static_cast<std::uint32_t>(first.size() - 1);
  }
  for (const At& a : first) {
    const PackTables& p = *parts[a.part];
    t.ids.emplace_back(a.id);
    std::uint32_t c = p.item_category[a.local];
    if (c != kNoCategory && a.part != 0) {
      const auto& cs = head.categories;
      c = static_cast<std::uint32_t>(std::lower_bound(cs.begin(), cs.end(), p.categories[c]) -
                                     cs.begin());
    }
    t.item_category.push_back(c);
    t.price.push_back(p.price[a.local]);
    t.flags.push_back(p.flags[a.local]);
    t.pop_codes.push_back(p.pop_codes[a.local]);
  }
  auto remap = [&](const std::vector<std::uint32_t>& list) {
    std::vector<std::uint32_t> out;
    for (std::uint32_t j : list) out.push_back(to_new[0][j]);
    return out;
  };
  t.top = remap(head.top);
  for (const auto& s : head.segments) t.segments.push_back(remap(s));
  t.bands = head.bands;
  t.band_medium = head.band_medium;
  t.band_high = head.band_high;
  for (int b = 0; b < 3; ++b) t.band_lists[b] = remap(head.band_lists[b]);
  // The head's item order is the joined one when it holds every item (no shard adds one).
  const bool head_order = t.item_count() == head.item_count();
  if (head.embedding_dim > 0 && head_order) {
    t.embedding_dim = head.embedding_dim;
    t.embedding_scale = head.embedding_scale;
    t.embeddings = head.embeddings;
  }
  for (const auto& section : head.extra) {
    if (head_order || section.first == pack_tag("DPAR")) t.extra.push_back(section);
  }

  const std::uint32_t count = state_->dir.count;
  for (int r = 0; r < kRelationCount; ++r) {
    // Which part gives each joined item's row: its own shard first, else any non-empty row.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> from(t.item_count(), {0, kNoItem});
    bool present = false;
    for (std::uint32_t p = 1; p < parts.size(); ++p) {
      const detail::RelationTable& rel = parts[p]->relations[r];
      if (!rel.present) continue;
      if (!present) t.relations[r].table = rel.table;
      present = true;
      for (std::uint32_t i = 0; i < parts[p]->item_count(); ++i) {
        if (rel.row_ptr[i] == rel.row_ptr[i + 1]) continue;
        const std::uint32_t j = to_new[p][i];
        const bool own = shard_of(t.ids[j], count) == part_shard[p];
        if (from[j].second == kNoItem || own) from[j] = {p, i};
      }
    }
    if (!present) continue;
    detail::RelationTable& out = t.relations[r];
    out.present = true;
    for (std::uint32_t j = 0; j < t.item_count(); ++j) {
      const auto [p, i] = from[j];
      if (i != kNoItem) {
        const detail::RelationTable& rel = parts[p]->relations[r];
        for (std::uint32_t e = rel.row_ptr[i]; e < rel.row_ptr[i + 1]; ++e) {
          out.ids.push_back(to_new[p][rel.ids[e]]);
          out.codes.push_back(rel.codes[e]);
        }
      }
      out.row_ptr.push_back(static_cast<std::uint32_t>(out.ids.size()));
    }
  }
  return detail::write_pack(t);
}

}  // namespace vitrine
