// Category of each simulated device for vitrine-ldp-sim. The DIGINETICA split in
// ../shared/data has item ids only (its category file was dropped when the items were
// renumbered), so without a catalog the tool groups items into proxy categories: label
// propagation over the co-view graph (consecutive items of a session), with clusters capped
// in size so that no single one swallows the catalogue. With a catalog CSV the real
// categories are used instead.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "session_io.hpp"

namespace vitrine::tools {

// item id -> category name.
using CategoryMap = std::unordered_map<std::string, std::string>;

CategoryMap proxy_categories(const std::vector<RawSession>& sessions, std::uint32_t max_size,
                             int rounds);

// Each session's most viewed category (ties: the one seen first); sessions with no known
// category get "". Returned as indices into `names`, ordered by sessions, largest first.
std::vector<std::uint32_t> top_category_per_session(const std::vector<RawSession>& sessions,
                                                    const CategoryMap& categories,
                                                    std::vector<std::string>& names);

}  // namespace vitrine::tools
