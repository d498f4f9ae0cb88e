// Embind bindings for the model pack and recommendations (free functions taking the
// engine, so this feature's bindings live apart from the core ones). Conversion only.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine_handle.hpp"
#include "status_value.hpp"
#include "vitrine/engine.hpp"

namespace {

using emscripten::val;
using vitrine::Engine;
using vitrine::wasm::status_value;
using vitrine::wasm::with_engine;
using StringArray = val;

// A view on wasm memory for JS to copy the pack into: valid until the next allocation,
// so JS fills it at once and then calls openPack.
val pack_buffer(Engine& engine, double size) {
  if (!(size > 0) || size > 512.0 * 1024 * 1024) {
    return status_value({vitrine::Code::invalid_argument, "pack size must be 1 byte to 512 MB"});
  }
  const auto n = static_cast<std::size_t>(size);
  val out = val::object();
  out.set("ok", true);
  out.set("view", val(emscripten::typed_memory_view(n, engine.pack_buffer(n))));
  return out;
}

// A view on the buffer pack_buffer() returned, again.
val staged_pack_view(Engine& engine) {
  return val(emscripten::typed_memory_view(engine.staged_pack_size(), engine.staged_pack()));
}

// { ok, done }: checks up to `bytes` more of the staged pack's checksums.
val verify_pack(Engine& engine, double bytes) {
  if (!(bytes >= 1) || bytes > 512.0 * 1024 * 1024) {
    return status_value({vitrine::Code::invalid_argument, "verifyPack: 1 byte to 512 MB a step"});
  }
  auto done = engine.verify_pack(static_cast<std::size_t>(bytes));
  if (!done.is_ok()) return status_value(done.status());
  val out = val::object();
  out.set("ok", true);
  out.set("done", done.value());
  return out;
}

val open_pack(Engine& engine) {
  auto summary = engine.open_pack();
  if (!summary.is_ok()) return status_value(summary.status());
  val out = val::object();
  out.set("ok", true);
  out.set("items", summary.value().items);
  out.set("categories", summary.value().categories);
  out.set("embeddingDim", summary.value().embedding_dim);
  out.set("bytes", static_cast<double>(summary.value().bytes));
  out.set("shards", summary.value().shards);
  return out;
}

bool prepare_recommender(Engine& engine, double max_bytes) {
  const double bytes = max_bytes >= 1 ? std::min(max_bytes, 4294967295.0) : 1;  // a size_t
  return engine.prepare_recommender(static_cast<std::size_t>(bytes));
}

// The query from recommend()'s arguments (options.js recommendArgs), or an error status.
vitrine::Result<vitrine::RecommendQuery> make_query(
    const std::string& context, const std::string& item, const StringArray& cart,
    const StringArray& exclude, double limit, const std::string& category, double max_per_category,
    bool exclude_purchased, bool exclude_in_cart, bool exclude_unavailable) {
  vitrine::RecommendQuery q;
  if (context == "home") {
    q.context = vitrine::Context::home;
  } else if (context == "item") {
    q.context = vitrine::Context::item;
  } else if (context == "cart") {
    q.context = vitrine::Context::cart;
  } else {
    return vitrine::Status(vitrine::Code::invalid_argument,
                           "context must be 'home', 'item' or 'cart', not '" + context + "'");
  }
  q.item = item;
  q.cart = emscripten::vecFromJSArray<std::string>(cart);
  q.exclude = emscripten::vecFromJSArray<std::string>(exclude);
  q.limit = static_cast<std::uint32_t>(limit);
  q.category = category;
  q.max_per_category = static_cast<std::uint32_t>(max_per_category);
  q.exclude_purchased = exclude_purchased;
  q.exclude_in_cart = exclude_in_cart;
  q.exclude_unavailable = exclude_unavailable;
  return q;
}

// Sharded packs: JS writes a fetched shard here, then calls addShard.
val shard_buffer(Engine& engine, double size) {
  if (!(size > 0) || size > 512.0 * 1024 * 1024) {
    return status_value({vitrine::Code::invalid_argument, "shard size must be 1 byte to 512 MB"});
  }
  const auto n = static_cast<std::size_t>(size);
  val out = val::object();
  out.set("ok", true);
  out.set("view", val(emscripten::typed_memory_view(n, engine.shard_buffer(n))));
  return out;
}

val add_shard(Engine& engine) { return status_value(engine.add_shard()); }

val add_shard_block(Engine& engine) { return status_value(engine.add_shard_block()); }

// The shard's SHA-256 in hex (its file name) and size, or, while its directory block is not
// loaded, that block's index, SHA-256 and size; an error for a bad index.
val shard_file(Engine& engine, double shard) {
  const vitrine::ShardDirectory* dir = engine.shard_directory();
  if (dir == nullptr || !(shard >= 0) || shard >= dir->count) {
    return status_value({vitrine::Code::invalid_argument, "no such shard"});
  }
  const auto k = static_cast<std::uint32_t>(shard);
  val out = val::object();
  out.set("ok", true);
  out.set("loaded", engine.shard_loaded(k));
  if (!dir->known[k]) {
    const std::uint32_t b = dir->block_of(k);
    out.set("block", b);
    out.set("blockDigest", vitrine::block_digest_hex(*dir, b));
    out.set("blockBytes", dir->block_sizes[b]);
    return out;
  }
  out.set("digest", vitrine::shard_digest_hex(*dir, k));
  out.set("bytes", dir->sizes[k]);
  return out;
}

val recommend(Engine& engine, const std::string& context, const std::string& item,
              const StringArray& cart, const StringArray& exclude, double limit,
              const std::string& category, double max_per_category, bool exclude_purchased,
              bool exclude_in_cart, bool exclude_unavailable) {
  auto query = make_query(context, item, cart, exclude, limit, category, max_per_category,
                          exclude_purchased, exclude_in_cart, exclude_unavailable);
  if (!query.is_ok()) return status_value(query.status());
  const vitrine::RecommendQuery& q = query.value();
  auto result = engine.recommend(q);
  if (!result.is_ok()) return status_value(result.status());
  val items = val::array();
  const auto& rows = result.value();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    val reason = val::object();
    reason.set("source", std::string(vitrine::source_name(rows[i].source)));
    if (!rows[i].reason_item.empty()) reason.set("itemId", rows[i].reason_item);
    if (!rows[i].reason_category.empty()) reason.set("category", rows[i].reason_category);
    val row = val::object();
    row.set("itemId", rows[i].item_id);
    row.set("score", rows[i].score);
    row.set("reason", reason);
    items.set(i, row);
  }
  val out = val::object();
  out.set("ok", true);
  out.set("items", items);
  val missing = val::array();
  const auto shards = engine.missing_shards(q);
  for (std::size_t i = 0; i < shards.size(); ++i) missing.set(i, shards[i]);
  out.set("missingShards", missing);
  return out;
}

// The pack's index of an item's category, or -1 (measurement's top_category).
int category_index(const Engine& engine, const std::string& item_id, const std::string& category) {
  const auto index = engine.category_index(item_id, category);
  return index ? static_cast<int>(*index) : -1;
}

}  // namespace

EMSCRIPTEN_BINDINGS(vitrine_recommend) {
  emscripten::function("categoryIndex", with_engine<&category_index>);
  emscripten::function("packBuffer", with_engine<&pack_buffer>);
  emscripten::function("stagedPackView", with_engine<&staged_pack_view>);
  emscripten::function("verifyPack", with_engine<&verify_pack>);
  emscripten::function("openPack", with_engine<&open_pack>);
  emscripten::function("prepareRecommender", with_engine<&prepare_recommender>);
  emscripten::function("recommend", with_engine<&recommend>);
  emscripten::function("shardBuffer", with_engine<&shard_buffer>);
  emscripten::function("addShard", with_engine<&add_shard>);
  emscripten::function("addShardBlock", with_engine<&add_shard_block>);
  emscripten::function("shardFile", with_engine<&shard_file>);
}
