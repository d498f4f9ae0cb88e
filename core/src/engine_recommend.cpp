// The engine's model pack and recommendations: string ids in, string ids out, with the
// consent gate deciding whether the shopper's history may be used at all.
#include <algorithm>

#include "vitrine/engine.hpp"

namespace vitrine {

using privacy::Purpose;

std::uint8_t* Engine::pack_buffer(std::size_t size) {
  staged_bytes_.clear();
  staged_bytes_.shrink_to_fit();  // the old staged bytes go before the new ones come
  staged_bytes_.resize(size);     // not zero-filled: JS writes every byte next
  staged_checks_.reset();
  staged_verified_ = false;
  return staged_bytes_.data();
}

Result<bool> Engine::verify_pack(std::size_t max_bytes) {
  if (staged_verified_) return true;
  if (!staged_checks_) {
    auto started = PackChecks::start(staged_bytes_.data(), staged_bytes_.size());
    if (!started.is_ok()) return started.status();
    staged_checks_ = std::move(started).value();
  }
  auto done = staged_checks_->step(max_bytes);
  if (!done.is_ok()) {
    staged_checks_.reset();  // the next call starts over (and fails the same way)
    return done.status();
  }
  staged_verified_ = done.value();
  return staged_verified_;
}

Result<PackSummary> Engine::open_pack() {
  ByteBuffer bytes = std::move(staged_bytes_);
  staged_bytes_ = {};
  const bool verified = staged_verified_;
  staged_checks_.reset();
  staged_verified_ = false;
  auto opened = Pack::open(bytes.data(), bytes.size(),
                           verified ? PackOpenOptions::checked() : PackOpenOptions{});
  if (!opened.is_ok()) return opened.status();
  auto directory = read_shard_directory(bytes.data(), bytes.size());
  if (!directory.is_ok()) return directory.status();
  std::unique_ptr<ShardSet> shards;
  if (directory.value().count != 0) {
    // A shard head: the engine reads the head joined with the shards loaded so far.
    auto set = ShardSet::open(bytes.data(), bytes.size());
    if (!set.is_ok()) return set.status();
    shards = std::make_unique<ShardSet>(std::move(set).value());
    const auto joined = shards->joined();
    Status used = use_pack(ByteBuffer(joined.begin(), joined.end()));
    if (!used.is_ok()) return used;
  } else {
    adopt(std::move(bytes), std::move(opened).value());
  }
  shards_ = std::move(shards);
  PackSummary summary;
  summary.items = pack_.item_count();
  summary.categories = pack_.category_count();
  summary.embedding_dim = pack_.embedding_dim();
  summary.bytes = pack_.byte_size();
  summary.shards = shards_ ? shards_->directory().count : 0;
  return summary;
}

// `bytes` were checked already: a pack open_pack() just opened, or a head joined with
// shards that were each checked (so their checksums are not computed a second time).
Status Engine::use_pack(ByteBuffer bytes) {
  PackOpenOptions options = PackOpenOptions::checked();
  options.check_ids = true;  // a joined pack's ids come from several shards: no id twice
  auto opened = Pack::open(bytes.data(), bytes.size(), options);
  if (!opened.is_ok()) return opened.status();
  adopt(std::move(bytes), std::move(opened).value());
  return Status::ok();
}

// `pack` reads `bytes`. The recommender points into pack_, which points into pack_bytes_:
// replace all three (the recommender when first needed: prepare_recommender()).
void Engine::adopt(ByteBuffer bytes, Pack pack) {
  recommender_.reset();
  pack_bytes_ = std::move(bytes);  // the heap buffer moves, so the pack's pointers stay valid
  pack_ = std::move(pack);
}

bool Engine::prepare_recommender(std::size_t max_bytes) {
  if (!has_pack()) return true;
  if (!recommender_) recommender_ = std::make_unique<Recommender>(pack_);
  return recommender_->prepare(max_bytes);
}

std::vector<Signal> Engine::personal_signals() const {
  std::vector<Signal> signals;
  const auto& items = history_.items();
  std::vector<std::uint32_t> dense(items.size(), kNoItem);
  // Bytes, not vector<bool>: its assign and fill were 2 KB of wasm code.
  std::vector<std::uint8_t> looked_up(items.size(), 0);
  signals.reserve(history_.entries().size());
  for (const HistoryEntry& e : history_.entries()) {
    if (!looked_up[e.item]) {
      looked_up[e.item] = 1;
      if (auto id = pack_.find(items[e.item].id)) dense[e.item] = *id;
    }
    if (dense[e.item] != kNoItem) signals.push_back({dense[e.item], e.type, e.time_ms});
  }
  return signals;
}

Result<std::vector<RecommendedItem>> Engine::recommend(const RecommendQuery& query) {
  if (!has_pack()) return Status(Code::failed_precondition, "no model pack is loaded");
  if (query.limit < 1 || query.limit > 100) {
    return Status(Code::invalid_argument, "limit must be from 1 to 100");
  }
  RecommendRequest request;
  request.context = query.context;
  request.limit = query.limit;
  request.max_per_category = query.max_per_category;
  request.exclude_purchased = query.exclude_purchased;
  request.exclude_in_cart = query.exclude_in_cart;
  request.exclude_unavailable = query.exclude_unavailable;
  if (query.context == Context::item) {
    if (query.item.empty()) return Status(Code::invalid_argument, "context 'item' needs an itemId");
    // An item the pack does not know (new in the catalog) still gets popular fillers.
    request.item = pack_.find(query.item).value_or(kNoItem);
  }
  for (const std::string& id : query.cart) {
    if (auto dense = pack_.find(id)) request.cart.push_back(*dense);
  }
  for (const std::string& id : query.exclude) {
    if (auto dense = pack_.find(id)) request.excluded_items.push_back(*dense);
  }
  if (!query.category.empty()) {
    auto category = pack_.find_category(query.category);
    if (!category) return std::vector<RecommendedItem>{};  // no item of that category
    request.category = *category;
  }

  for (const std::string& name : profile_.blocked()) {
    if (auto c = pack_.find_category(name)) request.excluded_categories.push_back(*c);
  }
  const bool personal = consent_.allows(Purpose::personalization);
  std::vector<Signal> signals = personal ? personal_signals() : std::vector<Signal>{};
  if (!request.excluded_categories.empty()) {
    // A removed interest must not steer recommendations either.
    const auto& ex = request.excluded_categories;
    signals.erase(std::remove_if(signals.begin(), signals.end(),
                                 [&](const Signal& s) {
                                   return std::find(ex.begin(), ex.end(), pack_.category(s.item)) !=
                                          ex.end();
                                 }),
                  signals.end());
  }
  prepare_recommender();
  const auto ranked = recommender_->recommend(signals, request);

  std::vector<RecommendedItem> out;
  out.reserve(ranked.size());
  for (const Recommendation& r : ranked) {
    RecommendedItem item;
    item.item_id = std::string(pack_.item_id(r.item));
    item.score = r.score;
    item.source = r.reason.source;
    if (r.reason.item != kNoItem) item.reason_item = std::string(pack_.item_id(r.reason.item));
    if (r.reason.category != kNoCategory) {
      item.reason_category = std::string(pack_.category_name(r.reason.category));
    }
    out.push_back(std::move(item));
  }
  return out;
}

std::optional<std::uint32_t> Engine::category_index(std::string_view item_id,
                                                    std::string_view category) const {
  if (const auto item = pack_.find(item_id)) {
    const std::uint32_t own = pack_.category(*item);
    if (own != kNoCategory) return own;
  }
  if (category.empty()) return std::nullopt;
  return pack_.find_category(category);
}

}  // namespace vitrine
