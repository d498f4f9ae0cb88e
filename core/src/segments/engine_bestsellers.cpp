// Engine::bestsellers: the pack's popularity list for the shopper's own segment.
#include "vitrine/engine.hpp"

namespace vitrine {

Result<Bestsellers> Engine::bestsellers(std::uint32_t limit, std::int64_t now_ms) const {
  if (!has_pack()) return Status(Code::failed_precondition, "no model pack is loaded");
  if (limit < 1 || limit > 100)
    return Status(Code::invalid_argument, "limit must be from 1 to 100");
  Bestsellers out{"all", "", {}};
  IdList list = pack_.top_items();
  if (consent_.allows(privacy::Purpose::personalization)) {
    const auto s = segments(now_ms);
    const auto category = s.is_ok() && !s.value().categories.empty()
                              ? pack_.find_category(s.value().categories[0])
                              : std::nullopt;
    if (category && !pack_.top_items_in(*category).empty()) {
      out = {"category", s.value().categories[0], {}};
      list = pack_.top_items_in(*category);
    } else if (s.is_ok() && s.value().price_band && pack_.has_price_bands()) {
      const Level band = *s.value().price_band;
      out = {"priceBand", level_name(band), {}};
      list = pack_.top_items_in_band(static_cast<int>(band));
    }
  }
  for (std::uint32_t k = 0; k < list.size() && out.items.size() < limit; ++k) {
    const std::uint32_t item = list[k];
    const std::uint32_t c = pack_.category(item);
    if (!pack_.available(item)) continue;
    if (c != kNoCategory && profile_.is_blocked(std::string(pack_.category_name(c)))) continue;
    out.items.emplace_back(pack_.item_id(item));
  }
  return out;
}

}  // namespace vitrine
