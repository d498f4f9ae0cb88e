// The engine's shard loading and the shards a recommendation needs. Which shards: exactly
// the items Recommender::recommend reads rows of (the page's item, the cart, the newest
// history steps used as seeds), so that once they are loaded the list equals the
// unsharded pack's (tests/core/pack_shards_test.cpp, engine_shards_test.cpp).
#include <algorithm>
#include <set>

#include "vitrine/engine.hpp"

namespace vitrine {

using privacy::Purpose;

std::uint8_t* Engine::shard_buffer(std::size_t size) {
  staged_shard_.clear();
  staged_shard_.resize(size);  // not zero-filled: JS writes every byte next
  return staged_shard_.data();
}

Status Engine::add_shard() {
  ByteBuffer bytes = std::move(staged_shard_);
  staged_shard_ = {};
  if (!shards_) return Status(Code::failed_precondition, "the pack in use has no shards");
  Status st = shards_->add(bytes.data(), bytes.size());  // changes nothing on error
  if (!st.is_ok()) return st;
  const auto joined = shards_->joined();
  return use_pack(ByteBuffer(joined.begin(), joined.end()));
}

Status Engine::add_shard_block() {
  ByteBuffer bytes = std::move(staged_shard_);
  staged_shard_ = {};
  if (!shards_) return Status(Code::failed_precondition, "the pack in use has no shards");
  return shards_->add_block(bytes.data(), bytes.size());
}

const ShardDirectory* Engine::shard_directory() const {
  return shards_ ? &shards_->directory() : nullptr;
}

bool Engine::shard_loaded(std::uint32_t shard) const { return shards_ && shards_->loaded(shard); }

std::vector<std::uint32_t> Engine::missing_shards(const RecommendQuery& query) const {
  if (!shards_) return {};
  const std::uint32_t count = shards_->directory().count;
  std::set<std::uint32_t> missing;
  // Returns whether the item's rows are (or will be) in the joined pack.
  auto need = [&](std::string_view id) {
    const std::uint32_t k = shard_of(id, count);
    if (shards_->loaded(k)) return pack_.find(id).has_value();
    missing.insert(k);
    return true;
  };
  if (query.context == Context::item && !query.item.empty()) need(query.item);
  for (const std::string& id : query.cart) need(id);
  if (consent_.allows(Purpose::personalization)) {
    std::vector<std::uint32_t> blocked;
    for (const std::string& name : profile_.blocked()) {
      if (auto c = pack_.find_category(name)) blocked.push_back(*c);
    }
    const auto& items = history_.items();
    const auto& entries = history_.entries();
    const std::uint32_t seeds = ScoringWeights{}.history_items;
    std::uint32_t used = 0;
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
      const std::string& id = items[it->item].id;
      const bool cart_add = it->type == EventType::add_to_cart;
      // The cart context seeds from every item still in the cart, however old.
      if (query.context == Context::cart && query.cart.empty() && cart_add) need(id);
      if (used >= seeds) continue;
      switch (it->type) {
        case EventType::view_item:
        case EventType::select_item:
        case EventType::add_to_cart:
        case EventType::begin_checkout:
        case EventType::add_shipping_info:
        case EventType::add_payment_info:
        case EventType::purchase:
          break;
        default:
          continue;  // no weight as a seed (recommend.cpp type_weight)
      }
      if (auto dense = pack_.find(id)) {
        const std::uint32_t c = pack_.category(*dense);
        if (std::find(blocked.begin(), blocked.end(), c) != blocked.end()) continue;
      }
      if (need(id)) ++used;
    }
  }
  return {missing.begin(), missing.end()};
}

}  // namespace vitrine
