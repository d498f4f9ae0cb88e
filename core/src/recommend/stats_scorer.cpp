// Statistics scorer and fusion. Every float operation is +, -, *, / or the det_* functions
// in a fixed order, so the native and the wasm builds give the same bits.
#include "stats_scorer.hpp"

#include <algorithm>

#include "../detmath.hpp"

namespace vitrine {

void stats_weights_to(const StatsWeights& w, float* o) {
  const float v[kStatsWeightCount] = {
      w.context_items, w.decay,       w.forward,   w.backward,      w.cooccur,
      w.immediate,     w.two_hop,     w.repeat,    w.repeat_base,   w.immediate_repeat,
      w.row_exp,       w.cooccur_pop, w.pop_boost, w.two_hop_fanout};
  std::copy(v, v + kStatsWeightCount, o);
}

StatsWeights stats_weights_from(const float* in) {
  StatsWeights w;
  float* f[kStatsWeightCount] = {
      &w.context_items, &w.decay,       &w.forward,   &w.backward,      &w.cooccur,
      &w.immediate,     &w.two_hop,     &w.repeat,    &w.repeat_base,   &w.immediate_repeat,
      &w.row_exp,       &w.cooccur_pop, &w.pop_boost, &w.two_hop_fanout};
  for (std::uint32_t k = 0; k < kStatsWeightCount; ++k) *f[k] = in[k];
  return w;
}

namespace detail {
StatsScorer::StatsScorer(const Pack& pack, PendingFills& fills)
    : pack_(&pack), slot_(fills.array<std::uint32_t>(pack.item_count(), 0)) {
  const FusionParams& f = pack.fusion();
  if (!pack.has_fusion() || f.hand_count != kStatsWeightCount) return;
  for (std::uint32_t k = 0; k < f.features; ++k) {
    feature_ids_.push_back(load_u32(f.feature_ids + 4 * k));
    if (feature_ids_.back() >= kFeatureKinds) return;  // a feature this engine cannot compute
  }
  auto floats = [](const std::uint8_t* p, std::size_t n, std::vector<float>& out) {
    out.resize(n);
    for (std::size_t k = 0; k < n; ++k) out[k] = load_f32(p + 4 * k);
    return p + 4 * n;
  };
  const std::size_t nf = f.features, nh = f.hidden;
  const std::uint8_t* p = f.mean;
  p = floats(p, nf, mean_);
  p = floats(p, nf, scale_);
  p = floats(p, nf, u_);
  std::vector<float> w;  // hidden-major in the pack
  p = floats(p, nh * nf, w);
  wt_.resize(nh * nf);
  for (std::size_t m = 0; m < nh; ++m) {
    for (std::size_t k = 0; k < nf; ++k) wt_[k * nh + m] = w[m * nf + k];
  }
  p = floats(p, nh, b_);
  floats(p, nh, v_);
  fusion_ok_ = true;
}

StatsWeights StatsScorer::fusion_hand_weights() const {
  std::vector<float> h(kStatsWeightCount);
  for (std::uint32_t k = 0; k < kStatsWeightCount; ++k) {
    h[k] = load_f32(pack_->fusion().hand + 4 * k);
  }
  return stats_weights_from(h.data());
}

VITRINE_HOT_INLINE StatsScorer::Candidate& StatsScorer::at(std::uint32_t j) {
  if (slot_[j] == 0) {
    cands_.emplace_back().item = j;
    slot_[j] = static_cast<std::uint32_t>(cands_.size());
  }
  return cands_[slot_[j] - 1];
}

VITRINE_HOT_INLINE void StatsScorer::add(std::uint32_t j, int part, float value,
                                         std::uint32_t reason) {
  if (!(value > 0)) return;
  Candidate& c = at(j);
  if (c.score == 0 && c.best == 0) touched_.push_back(j);
  c.parts[part] += value;
  c.score += value;
  if (value > c.best) {
    c.best = value;
    c.best_item = reason;
    c.best_part = static_cast<std::uint8_t>(part);
  }
}

Source StatsScorer::source_of(std::uint32_t j) const {
  return at(j).best_part == kRepeat ? Source::re_view : Source::co_view;
}

void StatsScorer::score(const std::uint32_t* items, std::size_t count, const StatsWeights& w) {
  const Pack& pack = *pack_;
  const std::uint32_t n = pack.item_count();
  for (const Candidate& c : cands_) slot_[c.item] = 0;
  cands_.clear();
  touched_.clear();
  history_.clear();
  length_ = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const std::uint32_t j = items[k];
    if (j >= n) continue;
    Candidate& c = at(j);
    if (c.occ == 0) history_.push_back(j);
    ++c.occ;
    c.dist = length_++;  // position for now; made a distance below
  }
  for (std::uint32_t j : history_) at(j).dist = length_ - 1 - at(j).dist;

  const float row_exp = w.row_exp;
  // A relation's row and its sum: SSTA's own, or, in a compact pack without that SSTA
  // relation, the version-1 relation standing in for it (forward: RSEQ, co-occurrence:
  // RCOV), summed over its kept entries.
  auto row_of = [&](SessionRelation rel, std::uint32_t i, float& sum) {
    if (pack.has_session_relation(rel)) {
      const SessionStat stat = rel == SessionRelation::forward    ? SessionStat::forward_sum
                               : rel == SessionRelation::backward ? SessionStat::backward_sum
                               : rel == SessionRelation::cooccur  ? SessionStat::cooccur_sum
                                                                  : SessionStat::immediate_sum;
      sum = pack.session_stat(stat, i);
      return pack.session_row(rel, i);
    }
    RelationRow row;
    if (rel == SessionRelation::forward) row = pack.row(Relation::co_view_seq, i);
    if (rel == SessionRelation::cooccur) row = pack.row(Relation::co_view, i);
    sum = 0;
    for (std::uint32_t m = 0; m < row.size(); ++m) sum += row.weight(m);
    return row;
  };
  // Context: the most recent steps, an item only at its latest occurrence.
  const auto max_ctx = static_cast<std::uint32_t>(std::max(0.0f, w.context_items));
  context_count_ = 0;
  float wd = 1.0f;
  std::uint32_t from_end = 0;  // steps (items in the pack) after position k
  for (std::size_t k = count; k-- > 0 && context_count_ < max_ctx;) {
    const std::uint32_t i = items[k];
    if (i >= n) continue;
    // An item recurring later is context only at its latest occurrence.
    if (at(i).dist != from_end++) continue;
    const bool last = context_count_ == 0;
    auto spread = [&](SessionRelation rel, int part, float weight, bool by_pop) {
      if (!(weight > 0)) return;
      float sum = 0;
      const RelationRow row = row_of(rel, i, sum);
      if (!(sum > 0)) return;
      const float unit = wd * weight * static_cast<float>(1.0 / det_pow(sum, row_exp));
      for (std::uint32_t m = 0; m < row.size(); ++m) {
        const std::uint32_t j = row.item(m);
        float v = unit * row.weight(m);
        if (by_pop) {
          v = v / static_cast<float>(
                      det_pow(1.0 + pack.session_stat(SessionStat::popularity, j), w.cooccur_pop));
        }
        add(j, part, v, i);
        if (part <= kCooccur) {
          Candidate& c = at(j);
          if (c.links < 255) ++c.links;
          if (last && part == kForward && v > 0) c.last_forward += v;
          if (last && part == kCooccur && v > 0) c.last_cooccur += v;
        }
      }
    };
    spread(SessionRelation::forward, kForward, w.forward, false);
    spread(SessionRelation::backward, kBackward, w.backward, false);
    spread(SessionRelation::cooccur, kCooccur, w.cooccur, true);
    if (last) {
      spread(SessionRelation::immediate, kImmediate, w.immediate, false);
      // Two hops along forward: P(k | i) P(j | k), over the first fanout neighbours k.
      if (w.two_hop > 0) {
        // Probabilities (row sums to the power 1), whatever row_exp is.
        float si = 0;
        const RelationRow row = row_of(SessionRelation::forward, i, si);
        const float ni = si > 0 ? 1.0f / si : 0.0f;
        const auto fan = std::min<std::uint32_t>(
            row.size(), static_cast<std::uint32_t>(std::max(0.0f, w.two_hop_fanout)));
        for (std::uint32_t m = 0; m < fan; ++m) {
          const std::uint32_t k2 = row.item(m);
          const float pk = row.weight(m) * ni;
          float s2 = 0;
          const RelationRow r2 = row_of(SessionRelation::forward, k2, s2);
          const float unit = s2 > 0 ? wd * w.two_hop * pk / s2 : 0.0f;
          for (std::uint32_t q = 0; q < r2.size(); ++q) {
            if (r2.item(q) != i) add(r2.item(q), kTwoHop, unit * r2.weight(q), i);
          }
        }
      }
    }
    wd *= w.decay;
    ++context_count_;
  }
  // Items of the history: shoppers come back to them, some items more than others.
  for (std::uint32_t j : history_) {
    const std::uint32_t dist = at(j).dist;
    float d = 1.0f;
    for (std::uint32_t s = 0; s < dist && s < 64; ++s) d *= w.decay;
    float v = w.repeat * d * (w.repeat_base + pack.session_stat(SessionStat::repeat, j));
    if (dist == 0) v += w.immediate_repeat * pack.session_stat(SessionStat::immediate_repeat, j);
    add(j, kRepeat, v, j);
  }
  if (w.pop_boost != 0) {
    for (std::uint32_t j : touched_) {
      at(j).score *= static_cast<float>(
          det_pow(1.0 + pack.session_stat(SessionStat::popularity, j), w.pop_boost));
    }
  }
}

void StatsScorer::top(std::size_t limit, std::vector<std::uint32_t>& out) const {
  out.assign(touched_.begin(), touched_.end());
  // One heap-based selection with the comparator inlined (as Recommender's final ranking):
  // in the -Os wasm a comparator stays a call per comparison otherwise.
  auto better = [&](std::uint32_t a, std::uint32_t b) VITRINE_HOT_LAMBDA {
    const float sa = at(a).score, sb = at(b).score;
    if (sa != sb) return sa > sb;
    const float pa = pack_->popularity(a), pb = pack_->popularity(b);
    if (pa != pb) return pa > pb;
    return a < b;
  };
  const std::size_t k = std::min(limit, out.size());
  std::partial_sort(out.data(), out.data() + k, out.data() + out.size(), better);
  out.resize(k);
}

void StatsScorer::features(std::uint32_t j, std::uint32_t rank, float* x) const {
  const Pack& p = *pack_;
  const Candidate& c = at(j);
  const float* part = c.parts;
  const float eps = 1e-4f;
  const bool in = c.occ > 0;
  const bool last = in && c.dist == 0;
  const float pop = p.session_stat(SessionStat::popularity, j);
  const float rec = p.session_stat(SessionStat::recent, j);
  const float rep = p.session_stat(SessionStat::repeat, j);
  const float irep = p.session_stat(SessionStat::immediate_repeat, j);
  // The logarithms in one batch (det_log_n); L[i] is the log of the i-th argument.
  const double a[18] = {c.score + 1e-6,
                        double(std::max<std::uint32_t>(1, length_)),
                        1.0 + rank,
                        double(part[0]) + eps,
                        double(part[1]) + eps,
                        double(part[2]) + eps,
                        double(part[3]) + eps,
                        double(part[4]) + eps,
                        double(part[5]) + eps,
                        1.0 + c.dist,
                        1.0 + c.occ,
                        1.0 + pop,
                        1.0 + rec,
                        double(c.best) + eps,
                        1.0 + p.session_stat(SessionStat::backward_sum, j),
                        double(part[kForward]) + double(part[kImmediate]) + eps,
                        double(c.last_forward) + eps,
                        double(c.last_cooccur) + eps};
  static_assert(kParts == 6, "one log argument per part above");
  double L[18];
  det_log_n(a, L, 18);
  const float ls = static_cast<float>(L[0]);
  const float len = static_cast<float>(L[1]);
  x[0] = ls;
  x[1] = static_cast<float>(L[2]);
  for (int k = 0; k < kParts; ++k) x[2 + k] = static_cast<float>(L[3 + k]);
  x[8] = context_count_ ? float(c.links) / float(context_count_) : 0.0f;
  x[9] = in ? 1.0f : 0.0f;
  x[10] = last ? 1.0f : 0.0f;
  x[11] = in ? static_cast<float>(L[9]) : 0.0f;
  x[12] = static_cast<float>(L[10]);
  x[13] = static_cast<float>(L[11]);
  x[14] = static_cast<float>(L[12]);
  x[15] = x[14] - x[13];
  x[16] = rep;
  x[17] = irep;
  x[18] = len;
  x[19] = in ? rep : 0.0f;
  x[20] = last ? irep : 0.0f;
  x[21] = ls * len;
  x[22] = static_cast<float>(L[13]);
  x[23] = static_cast<float>(L[14]);
  x[24] = 1.0f / (1.0f + float(rank));
  x[25] = static_cast<float>(L[15]);
  x[29] = static_cast<float>(L[16]);
  x[30] = static_cast<float>(L[17]);
}

void neighbourhood_features(float score, float best, std::uint32_t rank, float* x) {
  const double a[2] = {double(score) + 1e-4, 1.0 + rank};
  double L[2];
  det_log_n(a, L, 2);
  x[26] = static_cast<float>(L[0]);
  x[27] = best > 0 ? score / best : 0.0f;
  x[28] = static_cast<float>(L[1]);
}

void embedding_feature(std::int32_t dot, std::int32_t query_norm2, std::int32_t item_norm2,
                       float* x) {
  const double nn = double(query_norm2) * double(item_norm2);
  x[31] = nn > 0 ? static_cast<float>(double(dot) * det_exp(-0.5 * det_log(nn))) : 0.0f;
}

float StatsScorer::fused(const float* x, float* h) const {
  const std::size_t nf = feature_ids_.size(), nh = b_.size();
  float z[256];  // F <= 256 (checked at open)
  for (std::size_t k = 0; k < nf; ++k) z[k] = (x[feature_ids_[k]] - mean_[k]) * scale_[k];
  float s = 0;
  for (std::size_t k = 0; k < nf; ++k) s += u_[k] * z[k];
  // h[m] = b[m] + w[m][0] z[0] + w[m][1] z[1] + ...: the same terms in the same order as
  // one unit at a time, so every build gives the same bits.
  for (std::size_t m = 0; m < nh; ++m) h[m] = b_[m];
  for (std::size_t k = 0; k < nf; ++k) {
    const float zk = z[k];
    const float* col = &wt_[k * nh];
    for (std::size_t m = 0; m < nh; ++m) h[m] += col[m] * zk;
  }
  for (std::size_t m = 0; m < nh; ++m) h[m] = h[m] > 0 ? h[m] : 0.0f;
  for (std::size_t m = 0; m < nh; ++m) s += v_[m] * h[m];
  return s;
}

}  // namespace detail
}  // namespace vitrine
