// The engine's model pack and recommendations: string ids in, string ids out, with the
// consent gate deciding whether the shopper's history may be used at all.
#include <algorithm>

#include "vitrine/engine.hpp"

namespace vitrine {

using privacy::Purpose;

std::uint8_t* Engine::pack_buffer(std::size_t size) {
  staged_bytes_.assign(size, 0);
  return staged_bytes_.data();
}

Result<PackSummary> Engine::open_pack() {
  std::vector<std::uint8_t> bytes = std::move(staged_bytes_);
  staged_bytes_ = {};
  auto opened = Pack::open(bytes.data(), bytes.size());
  if (!opened.is_ok()) return opened.status();
  auto directory = read_shard_directory(bytes.data(), bytes.size());
  if (!directory.is_ok()) return directory.status();
  std::unique_ptr<ShardSet> shards;
  if (directory.value().count != 0) {
    // A shard head: the engine reads the head joined with the shards loaded so far.
    auto set = ShardSet::open(bytes.data(), bytes.size());
    if (!set.is_ok()) return set.status();
    shards = std::make_unique<ShardSet>(std::move(set).value());
    bytes = shards->joined();
  }
  Status used = use_pack(std::move(bytes));
  if (!used.is_ok()) return used;
  shards_ = std::move(shards);
  PackSummary summary;
  summary.items = pack_.item_count();
  summary.categories = pack_.category_count();
  summary.embedding_dim = pack_.embedding_dim();
  summary.bytes = pack_.byte_size();
  summary.shards = shards_ ? shards_->directory().count : 0;
  return summary;
}

Status Engine::use_pack(std::vector<std::uint8_t> bytes) {
  auto opened = Pack::open(bytes.data(), bytes.size());
  if (!opened.is_ok()) return opened.status();
  // The recommender points into pack_, which points into pack_bytes_: replace all three.
  recommender_.reset();
  pack_bytes_ = std::move(bytes);  // the heap buffer moves, so the pack's pointers stay valid
  pack_ = std::move(opened).value();
  recommender_ = std::make_unique<Recommender>(pack_);
  return Status::ok();
}

std::vector<Signal> Engine::personal_signals() const {
  std::vector<Signal> signals;
  const auto& items = history_.items();
  std::vector<std::uint32_t> dense(items.size(), kNoItem);
  std::vector<bool> looked_up(items.size(), false);
  signals.reserve(history_.entries().size());
  for (const HistoryEntry& e : history_.entries()) {
    if (!looked_up[e.item]) {
      looked_up[e.item] = true;
      if (auto id = pack_.find(items[e.item].id)) dense[e.item] = *id;
    }
    if (dense[e.item] != kNoItem) signals.push_back({dense[e.item], e.type, e.time_ms});
  }
  return signals;
}

Result<std::vector<RecommendedItem>> Engine::recommend(const RecommendQuery& query) {
  if (!recommender_) return Status(Code::failed_precondition, "no model pack is loaded");
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
