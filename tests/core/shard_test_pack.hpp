// A small synthetic shop for the sharded-pack tests: power-law item popularity, sessions
// that wander within a category, prices, stock and categories with gaps.
#pragma once
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "vitrine/pack_builder.hpp"

namespace vitrine::testing {

inline std::string shard_test_id(std::uint32_t i) {
  return "sku" + std::to_string(i * 7919 % 100003);
}

// `extra` adjusts the build (session statistics, a fusion, an embedding index, privacy).
inline std::vector<std::uint8_t> small_pack(std::uint32_t embed_dim, std::uint32_t items = 400,
                                            void (*extra)(PackBuildOptions&) = nullptr) {
  PackBuildOptions o;
  o.min_support = 2;
  o.max_neighbors = 20;
  o.embedding_dim = embed_dim;
  o.top_items = 50;
  o.top_per_segment = 10;
  if (extra != nullptr) extra(o);
  PackBuilder b(o);
  std::mt19937 rng(7);
  for (std::uint32_t i = 0; i < items; ++i) {
    CatalogItem c;
    c.id = shard_test_id(i);
    if (i % 13 != 0) c.category = "cat" + std::to_string(i % 17);
    if (i % 11 != 0) c.price = 5.0f + static_cast<float>(i % 97);
    c.available = i % 19 != 0;
    b.add_catalog_item(c);
  }
  std::uniform_real_distribution<double> u(0, 1);
  auto pick = [&] {  // Zipf-like: item index ~ items^u^2
    return static_cast<std::uint32_t>(std::pow(double(items), u(rng) * u(rng))) - 1;
  };
  for (int s = 0; s < 6000; ++s) {
    std::vector<SessionEvent> ev;
    std::uint32_t it = pick();
    const int len = 2 + static_cast<int>(rng() % 6);
    for (int k = 0; k < len; ++k) {
      const std::string id = shard_test_id(it);
      ev.push_back({b.intern(id).value(),
                    k == len - 1 && s % 5 == 0 ? EventType::add_to_cart : EventType::view_item});
      it = (rng() % 3 == 0) ? pick() : (it + 17 * (1 + rng() % 3)) % items;
    }
    b.add_session(ev);
  }
  return b.build().value();
}

}  // namespace vitrine::testing
