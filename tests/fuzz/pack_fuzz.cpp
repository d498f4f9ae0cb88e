// libFuzzer target for the pack reader: any bytes must give a status, never a crash (and
// the sliced PackChecks the same verdict as a whole open); an
// accepted pack must survive every accessor and a recommendation, a shard head its
// directory and the join, and the same bytes as a shard directory block its parser (against
// a directory that names exactly these bytes, so the fuzzer gets past the SHA-256).
#include <cstddef>
#include <cstdint>

#include "../../core/src/pack/sha256.hpp"
#include "vitrine/pack.hpp"
#include "vitrine/pack/shards.hpp"
#include "vitrine/recommend.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vitrine;
  // Checksums off as well, so the fuzzer reaches the structural checks behind them.
  for (bool verify : {true, false}) {
    PackOpenOptions options;
    options.verify_checksums = verify;
    Result<Pack> r = Pack::open(data, size, options);
    if (!r.is_ok()) continue;
    const Pack& p = r.value();
    const std::uint32_t n = p.item_count();
    for (std::uint32_t i = 0; i < n && i < 64; ++i) {
      (void)p.find(p.item_id(i));
      (void)p.category_name(p.category(i));
      (void)p.price(i);
      (void)p.available(i);
      (void)p.popularity(i);
      for (Relation rel : {Relation::co_view_seq, Relation::co_view, Relation::co_purchase}) {
        const RelationRow row = p.row(rel, i);
        for (std::uint32_t k = 0; k < row.size(); ++k) (void)(row.item(k) + row.weight(k));
      }
    }
    for (std::uint32_t c = 0; c < p.category_count() && c < 64; ++c) (void)p.top_items_in(c);
    std::vector<Signal> history;
    for (std::uint32_t i = 0; i < n && i < 5; ++i) history.push_back({i, EventType::view_item, 0});
    RecommendRequest req;
    req.weights.embedding = 1.0f;
    req.max_per_category = 1;
    (void)recommend(p, history, req);
    req.context = Context::item;
    req.item = 0;
    (void)recommend(p, history, req);
    // A shard head: its directory, and the pack joined from the head alone must open.
    auto dir = read_shard_directory(data, size);
    if (verify && dir.is_ok() && dir.value().count != 0) {
      auto set = ShardSet::open(data, size);
      if (set.is_ok()) {
        const std::vector<std::uint8_t> joined = set.value().joined();
        if (!Pack::open(joined.data(), joined.size()).is_ok()) __builtin_trap();
      }
    }
  }
  // The sliced checks and the checked() open accept exactly what the whole open accepts.
  {
    bool sliced_ok = false;
    if (auto checks = PackChecks::start(data, size); checks.is_ok()) {
      Result<bool> done = false;
      while ((done = checks.value().step(97)).is_ok() && !done.value()) {
      }
      sliced_ok = done.is_ok() && Pack::open(data, size, PackOpenOptions::checked()).is_ok();
    }
    if (sliced_ok != Pack::open(data, size).is_ok()) __builtin_trap();
  }
  if (size >= 24) {
    auto u32 = [&](std::size_t at) {
      return std::uint32_t{data[at]} | std::uint32_t{data[at + 1]} << 8 |
             std::uint32_t{data[at + 2]} << 16 | std::uint32_t{data[at + 3]} << 24;
    };
    auto clamp = [](std::uint32_t v) { return v >= 1 && v <= kMaxShards ? v : 1 + v % kMaxShards; };
    ShardDirectory dir;
    dir.count = clamp(u32(12));
    dir.block_size = clamp(u32(16));
    const std::uint32_t blocks = (dir.count + dir.block_size - 1) / dir.block_size;
    dir.block_digests.assign(blocks, detail::sha256(data, size));
    dir.block_sizes.assign(blocks, static_cast<std::uint32_t>(size));
    dir.digests.assign(dir.count, Digest{});
    dir.sizes.assign(dir.count, 0);
    dir.known.assign(dir.count, false);
    if (add_directory_block(dir, data, size).is_ok()) {
      for (std::uint32_t k = 0; k < dir.count; ++k) {
        if (dir.known[k] && shard_digest_hex(dir, k).size() != 64) __builtin_trap();
      }
    }
  }
  return 0;
}
