// Session-aware neighbourhood scoring. Seeds are the most recent history steps (or the
// page's item, or the cart), each weighted by recency and event type; every seed spreads
// its weight over its relation rows, each row normalized by its strongest entry. Scores
// only use +, * and sqrt in a fixed order, so native and wasm builds rank identically.
#include "vitrine/recommend.hpp"

#include <algorithm>
#include <cmath>

#include "detmath.hpp"
#include "dot_kernel.hpp"
#include "recommend/embedding_search.hpp"
#include "recommend/stats_scorer.hpp"

namespace vitrine {

const char* source_name(Source source) {
  switch (source) {
    case Source::co_view:
      return "co_view";
    case Source::co_purchase:
      return "co_purchase";
    case Source::embedding:
      return "embedding";
    case Source::re_view:
      return "re_view";
    case Source::popularity:
      return "popularity";
    case Source::segment:
      return "segment";
  }
  return "unknown";
}

namespace {
constexpr std::uint8_t kTouched = 1, kExcluded = 2, kChosen = 4;

bool is_cart_add(EventType t) { return t == EventType::add_to_cart; }

float type_weight(const ScoringWeights& w, EventType t) {
  switch (t) {
    case EventType::add_to_cart:
    case EventType::begin_checkout:
    case EventType::add_shipping_info:
    case EventType::add_payment_info:
      return w.cart;
    case EventType::purchase:
      return w.purchase;
    case EventType::view_item:
    case EventType::select_item:
      return w.view;
    default:
      return 0.0f;  // lists, searches, removals, refunds: not a sign of interest in the item
  }
}
}  // namespace

Recommender::Recommender(const Pack& pack)
    : pack_(&pack),
      score_(fills_.array<float>(pack.item_count(), 0)),
      best_(fills_.array<float>(pack.item_count(), 0)),
      best_item_(fills_.array<std::uint32_t>(pack.item_count(), 0xFF)),
      best_source_(fills_.array<std::uint8_t>(pack.item_count(), 0)),
      flags_(fills_.array<std::uint8_t>(pack.item_count(), 0)),
      search_(std::make_unique<detail::EmbeddingSearch>()) {
  static_assert(kNoItem == 0xFFFFFFFFu, "best_item_ is filled with 0xFF bytes");
  touched_.reserve_all(pack.item_count());
  if (pack.has_session_stats()) stats_ = std::make_unique<detail::StatsScorer>(pack, fills_);
}
Recommender::~Recommender() = default;
Recommender::Recommender(Recommender&&) noexcept = default;
Recommender& Recommender::operator=(Recommender&&) noexcept = default;

// Context::home from the statistics (SSTA). Fused (FUSN): the candidates are the
// statistics' top and the neighbourhood scorer's top (already in score_), each described
// by the statistics features and its neighbourhood score; the fused scores become
// exp(s - max s), positive and in the fusion's order.
void Recommender::stats_pass(const Signal* signals, std::size_t count,
                             const RecommendRequest& request, bool fused) {
  detail::StatsScorer& sc = *stats_;
  std::vector<std::uint32_t>& items = marked_stats_;
  items.clear();
  for (std::size_t k = 0; k < count; ++k) {
    if (signals[k].item < pack_->item_count() && type_weight(request.weights, signals[k].type) > 0)
      items.push_back(signals[k].item);
  }
  const StatsWeights hand = capture_ != nullptr ? capture_->hand
                            : fused             ? sc.fusion_hand_weights()
                                                : request.stats;
  sc.score(items.data(), items.size(), hand);
  if (!fused) {
    for (std::uint32_t j : sc.touched()) add(j, sc.score_of(j), sc.source_of(j), sc.reason_of(j));
    return;
  }
  // The neighbourhood scorer's best, by its own order.
  std::vector<std::uint32_t>& classic = classic_;
  classic.clear();
  for (std::uint32_t j : touched_) {
    if (score_[j] > 0) classic.push_back(j);
  }
  auto better = [&](std::uint32_t a, std::uint32_t b) VITRINE_HOT_LAMBDA {
    if (score_[a] != score_[b]) return score_[a] > score_[b];
    const float pa = pack_->popularity(a), pb = pack_->popularity(b);
    if (pa != pb) return pa > pb;
    return a < b;
  };
  const std::uint32_t nn = capture_ != nullptr ? capture_->neighbours : sc.fusion_neighbours();
  const std::size_t nk = std::min<std::size_t>(classic.size(), nn);
  std::partial_sort(classic.data(), classic.data() + nk, classic.data() + classic.size(), better);
  classic.resize(nk);
  const float cmax = nk > 0 ? score_[classic[0]] : 0.0f;
  const std::uint32_t nc = capture_ != nullptr ? capture_->candidates : sc.fusion_candidates();
  sc.top(nc, items);
  const std::size_t from_stats = items.size();
  // Searches over raw pointers: a vector iterator's arithmetic stayed a call in the wasm.
  for (std::uint32_t j : classic) {
    const std::uint32_t* head = items.data();
    if (std::find(head, head + from_stats, j) == head + from_stats) items.push_back(j);
  }
  float x[detail::kFeatureKinds], h[256];
  auto features = [&](std::size_t r) {
    const std::uint32_t j = items[r];
    sc.features(j, static_cast<std::uint32_t>(std::min<std::size_t>(r, from_stats)), x);
    const std::uint32_t* c0 = classic.data();
    const auto c = static_cast<std::size_t>(std::find(c0, c0 + classic.size(), j) - c0);
    detail::neighbourhood_features(score_[j], cmax, static_cast<std::uint32_t>(c), x);
    const std::uint32_t dim = pack_->embedding_dim();
    if (query_norm2_ > 0) {  // the query of this call's embedding pass
      const std::int8_t* e = pack_->embedding(j);
      detail::embedding_feature(detail::dot_i8_scalar(query_i8_.data(), e, dim), query_norm2_,
                                detail::dot_i8_scalar(e, e, dim), x);
    } else {
      x[31] = 0.0f;
    }
  };
  if (capture_ != nullptr) {
    capture_->candidates_out = items;
    capture_->features.resize(items.size() * detail::kFeatureKinds);
    for (std::size_t r = 0; r < items.size(); ++r) {
      features(r);
      std::copy(x, x + detail::kFeatureKinds, &capture_->features[r * detail::kFeatureKinds]);
    }
    return;
  }
  fused_.resize(items.size());
  float mx = -1e30f;
  for (std::size_t r = 0; r < items.size(); ++r) {
    features(r);
    fused_[r] = sc.fused(x, h);
    mx = std::max(mx, fused_[r]);
  }
  // Reasons: the statistics' strongest part, or, for a candidate only the neighbourhood
  // scorer reached, its reason there.
  reasons_.resize(items.size());
  for (std::size_t r = 0; r < items.size(); ++r) {
    const std::uint32_t j = items[r];
    reasons_[r] = sc.reason_of(j) != kNoItem
                      ? Reason{sc.source_of(j), sc.reason_of(j), kNoCategory}
                      : Reason{static_cast<Source>(best_source_[j]), best_item_[j], kNoCategory};
  }
  // Only the fused candidates keep a score (exclusion flags stay as they are).
  for (std::uint32_t j : touched_) {
    score_[j] = 0;
    best_[j] = 0;
    best_item_[j] = kNoItem;
  }
  for (std::size_t r = 0; r < items.size(); ++r) {
    const float v = std::max(1e-30f, static_cast<float>(detail::det_exp(double(fused_[r]) - mx)));
    add(items[r], v, reasons_[r].source, reasons_[r].item);
  }
}

void Recommender::fusion_inputs(const Signal* signals, std::size_t count,
                                const RecommendRequest& request, FusionCapture& capture) {
  prepare(SIZE_MAX);
  capture.candidates_out.clear();
  capture.features.clear();
  if (stats_ == nullptr) return;
  RecommendRequest r = request;
  r.context = Context::home;
  capture_ = &capture;
  recommend(signals, count, r);
  capture_ = nullptr;
}

VITRINE_HOT_INLINE void Recommender::add(std::uint32_t item, float value, Source source,
                                         std::uint32_t reason_item) {
  if (!(flags_[item] & kTouched)) {
    flags_[item] |= kTouched;
    touched_.push(item);
  }
  score_[item] += value;
  if (value > best_[item]) {
    best_[item] = value;
    best_item_[item] = reason_item;
    best_source_[item] = static_cast<std::uint8_t>(source);
  }
}

void Recommender::add_row(Relation relation, std::uint32_t seed, float weight, Source source,
                          std::uint32_t reason) {
  const RelationRow row = pack_->row(relation, seed);
  if (row.empty() || weight <= 0) return;
  const float top = row.weight(0);
  if (!(top > 0)) return;
  const float unit = weight / top;
  if (reason == kNoItem) reason = seed;
  for (std::uint32_t k = 0; k < row.size(); ++k) {
    add(row.item(k), unit * row.weight(k), source, reason);
  }
}

void Recommender::embedding_pass(const std::vector<std::pair<std::uint32_t, float>>& seeds,
                                 float weight) {
  const std::uint32_t dim = pack_->embedding_dim();
  if (dim == 0 || weight <= 0 || seeds.empty()) return;
  // Query: the weighted sum of the seeds' vectors, requantized to int8.
  std::vector<float>& q = query_;
  q.assign(dim, 0.0f);
  for (const auto& [item, w] : seeds) {
    const std::int8_t* e = pack_->embedding(item);
    for (std::uint32_t k = 0; k < dim; ++k) q[k] += w * static_cast<float>(e[k]);
  }
  float mx = 0;
  for (float v : q) mx = std::max(mx, std::fabs(v));
  if (!(mx > 0)) return;
  std::vector<std::int8_t>& qi = query_i8_;
  qi.resize(dim);
  for (std::uint32_t k = 0; k < dim; ++k) {
    qi[k] = static_cast<std::int8_t>(std::lrint(q[k] * (127.0f / mx)));
  }
  const std::int32_t qq = detail::dot_i8_scalar(qi.data(), qi.data(), dim);
  query_norm2_ = qq;
  // Only the strongest dots become candidates (exactly the same with or without the pack's
  // clusters: recommend/embedding_search.hpp).
  constexpr std::size_t kEmbeddingCandidates = 200;
  const auto& hits = search_->top(*pack_, qi.data(), kEmbeddingCandidates);
  // Rows are L2-normalized by the builder, so dot / |q| is a cosine (times the row scale).
  const float inv = weight / (std::sqrt(static_cast<float>(qq)) * 127.0f);
  const std::uint32_t reason = seeds.front().first;
  for (const auto& [d, j] : hits) add(j, static_cast<float>(d) * inv, Source::embedding, reason);
}

bool Recommender::prepare(std::size_t max_bytes) {
  if (!prepared_) prepared_ = fills_.set(max_bytes);
  return prepared_;
}

std::vector<Recommendation> Recommender::recommend(const Signal* signals, std::size_t count,
                                                   const RecommendRequest& request) {
  prepare(SIZE_MAX);
  const Pack& pack = *pack_;
  const std::uint32_t n = pack.item_count();
  const ScoringWeights& w = request.weights;
  std::vector<Recommendation> out;
  const std::uint32_t limit = std::min<std::uint32_t>(request.limit, 1000);
  if (n == 0 || limit == 0) return out;

  // Reset the scratch of the previous call.
  for (std::uint32_t j : touched_) {
    score_[j] = 0;
    best_[j] = 0;
    best_item_[j] = kNoItem;
    flags_[j] = 0;
  }
  touched_.clear();
  std::vector<std::uint32_t>& marked = marked_;  // flagged items without a score
  marked.clear();

  auto exclude = [&](std::uint32_t j) {
    if (j >= n) return;
    if (!flags_[j]) marked.push_back(j);
    flags_[j] |= kExcluded;
  };

  // Cart state and purchases from the history (oldest first).
  std::vector<std::uint32_t>& cart = cart_;
  cart.clear();
  for (std::size_t k = 0; k < count; ++k) {
    const Signal& s = signals[k];
    if (s.item >= n) continue;
    if (is_cart_add(s.type)) {
      if (std::find(cart.begin(), cart.end(), s.item) == cart.end()) cart.push_back(s.item);
    } else if (s.type == EventType::remove_from_cart || s.type == EventType::purchase) {
      cart.erase(std::remove(cart.begin(), cart.end(), s.item), cart.end());
    }
    if (s.type == EventType::purchase && request.exclude_purchased) exclude(s.item);
  }
  if (!request.cart.empty()) {
    cart.clear();
    for (std::uint32_t j : request.cart) {
      if (j < n && std::find(cart.begin(), cart.end(), j) == cart.end()) cart.push_back(j);
    }
  }
  if (request.exclude_in_cart) {
    for (std::uint32_t j : cart) exclude(j);
  }
  if (request.context == Context::item && request.exclude_context_item) exclude(request.item);
  for (std::uint32_t j : request.excluded_items) exclude(j);

  // Seeds: (item, weight), strongest context first.
  std::vector<std::pair<std::uint32_t, float>>& seeds = seeds_;
  seeds.clear();
  float history_scale = 1.0f;
  if (request.context == Context::item && request.item < n) {
    seeds.push_back({request.item, w.context_item});
  }
  if (request.context == Context::cart) {
    // Newest cart item first; complements come from co_purchase, boosted.
    float r = 1.0f;
    for (auto it = cart.rbegin(); it != cart.rend(); ++it) {
      add_row(Relation::co_purchase, *it, r * w.cart_complement * w.co_purchase,
              Source::co_purchase);
      seeds.push_back({*it, r * w.cart});
      r *= w.recency;
    }
  }
  const std::size_t context_seeds = seeds.size();
  {
    float r = history_scale;
    std::uint32_t used = 0;
    for (std::size_t k = count; k-- > 0 && used < w.history_items;) {
      const Signal& s = signals[k];
      if (s.item >= n) continue;
      const float tw = type_weight(w, s.type);
      if (tw <= 0) continue;
      seeds.push_back({s.item, r * tw});
      r *= w.recency;
      ++used;
    }
  }

  const bool use_stats =
      stats_ != nullptr && request.context == Context::home &&
      (capture_ != nullptr || (request.scorer != Scorer::neighbourhood &&
                               (request.scorer != Scorer::fused || stats_->fusion_usable())));
  const bool fused =
      use_stats &&
      (capture_ != nullptr || (request.scorer != Scorer::statistics && stats_->fusion_usable()));
  const bool classic = !use_stats || fused;  // the fusion reads the neighbourhood scores
  for (std::size_t k = 0; k < seeds.size() && classic; ++k) {
    const auto [item, sw] = seeds[k];
    add_row(Relation::co_view_seq, item, sw * w.co_view_seq, Source::co_view);
    add_row(Relation::co_view, item, sw * w.co_view, Source::co_view);
    add_row(Relation::co_purchase, item, sw * w.co_purchase, Source::co_purchase);
    // Two steps along the sequential relation from the first seeds: reaches items whose
    // direct link to the seed was too rare to be kept (min_support).
    if (k < w.two_hop_seeds && w.two_hop > 0) {
      const RelationRow row = pack.row(Relation::co_view_seq, item);
      const std::uint32_t fan = std::min(row.size(), w.two_hop_fanout);
      for (std::uint32_t m = 0; m < fan; ++m) {
        add_row(Relation::co_view_seq, row.item(m), sw * w.two_hop * row.weight(m) / row.weight(0),
                Source::co_view, item);
      }
    }
    // Shoppers come back to what they saw; not for the page's own item or the cart.
    if (k >= context_seeds) {
      const float rv = k == context_seeds ? w.re_view * w.re_view_last : w.re_view;
      add(item, sw * rv, Source::re_view, item);
    }
  }
  query_norm2_ = 0;
  if (classic && w.embedding > 0 && pack.embedding_dim() > 0) embedding_pass(seeds, w.embedding);
  if (use_stats) stats_pass(signals, count, request, fused);
  if (capture_ != nullptr) {  // fusion_inputs: no list, the scratch left as a call leaves it
    for (std::uint32_t j : marked) {
      if (!(flags_[j] & kTouched)) flags_[j] = 0;
    }
    for (std::uint32_t j : touched_) flags_[j] &= kTouched;
    return out;
  }

  // Filters.
  auto allowed = [&](std::uint32_t j) VITRINE_HOT_LAMBDA {
    if (flags_[j] & (kExcluded | kChosen)) return false;
    if (request.exclude_unavailable && !pack.available(j)) return false;
    if (request.category != kNoCategory && pack.category(j) != request.category) return false;
    if (!request.excluded_categories.empty()) {
      const auto& ex = request.excluded_categories;
      if (std::find(ex.begin(), ex.end(), pack.category(j)) != ex.end()) return false;
    }
    return true;
  };
  std::vector<std::uint32_t>& cand = cand_;
  cand.clear();
  cand.reserve(touched_.size());
  for (std::uint32_t j : touched_) {
    if (score_[j] > 0 && allowed(j)) cand.push_back(j);
  }
  // Ranking: score, then popularity, then dense id: a total, deterministic order. Forced
  // inline into one heap-based selection (partial_sort over raw pointers, below): in the
  // -Os wasm the comparator stayed a call per comparison, and introsort's many call sites
  // would have cost about 2 KB gzip inlined.
  auto better = [&](std::uint32_t a, std::uint32_t b) VITRINE_HOT_LAMBDA {
    if (score_[a] != score_[b]) return score_[a] > score_[b];
    const float pa = pack.popularity(a), pb = pack.popularity(b);
    if (pa != pb) return pa > pb;
    return a < b;
  };
  const bool capped = request.max_per_category != 0 && pack.category_count() != 0;
  // Counts per category for the diversity cap (categories seen in this call only).
  std::vector<std::uint32_t>& per_cat = per_cat_;
  per_cat.clear();
  auto cap_ok = [&](std::uint32_t j) VITRINE_HOT_LAMBDA {
    if (!capped) return true;
    const std::uint32_t c = pack.category(j);
    if (c == kNoCategory) return true;
    if (per_cat.size() <= c) per_cat.resize(std::size_t{c} + 1, 0);
    if (per_cat[c] >= request.max_per_category) return false;
    ++per_cat[c];
    return true;
  };
  auto choose = [&](std::uint32_t j, float score, Reason reason) {
    if (!flags_[j]) marked.push_back(j);
    flags_[j] |= kChosen;
    out.push_back({j, score, reason});
  };

  // Rank only what can be used: the top `limit` without a diversity cap, a margin with
  // one; the rest is sorted only if the cap rejects too many.
  const std::size_t head = capped ? std::size_t{limit} * 2 + 8 : limit;
  std::size_t sorted = std::min(cand.size(), head);
  std::uint32_t* const c0 = cand.data();
  std::uint32_t* const c1 = c0 + cand.size();
  std::partial_sort(c0, c0 + sorted, c1, better);
  for (std::size_t k = 0; k < cand.size() && out.size() < limit; ++k) {
    if (k == sorted) {
      std::partial_sort(c0 + sorted, c1, c1, better);  // the rest, whole
      sorted = cand.size();
    }
    const std::uint32_t j = cand[k];
    if (!cap_ok(j)) continue;
    choose(j, score_[j], {static_cast<Source>(best_source_[j]), best_item_[j], kNoCategory});
  }

  // Top up with popular items: the requested category, the context item's segment,
  // then the whole shop.
  if (request.fill_with_popular && out.size() < limit) {
    auto fill = [&](IdList list, Source source, std::uint32_t category) {
      for (std::uint32_t k = 0; k < list.size() && out.size() < limit; ++k) {
        const std::uint32_t j = list[k];
        if (!allowed(j) || !cap_ok(j)) continue;
        choose(j, 0.0f, {source, kNoItem, category});
      }
    };
    if (request.category != kNoCategory) {
      fill(pack.top_items_in(request.category), Source::segment, request.category);
    } else {
      const std::uint32_t anchor = !seeds.empty() ? seeds.front().first : kNoItem;
      const std::uint32_t c = anchor < n ? pack.category(anchor) : kNoCategory;
      if (c != kNoCategory) fill(pack.top_items_in(c), Source::segment, c);
      fill(pack.top_items(), Source::popularity, kNoCategory);
    }
  }

  for (std::uint32_t j : marked) {
    if (!(flags_[j] & kTouched)) flags_[j] = 0;
  }
  for (std::uint32_t j : touched_) flags_[j] &= kTouched;
  return out;
}

std::vector<Recommendation> recommend(const Pack& pack, const std::vector<Signal>& signals,
                                      const RecommendRequest& request) {
  Recommender r(pack);
  return r.recommend(signals, request);
}

}  // namespace vitrine
