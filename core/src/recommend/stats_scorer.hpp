// The statistics scorer over pack section SSTA, its candidate features and the learned
// fusion of section FUSN. Used on the device (Recommender) and by the pack builder, which
// trains the fusion on exactly these features (pack/fusion_train.cpp).
#pragma once
#include <cstdint>
#include <vector>

#include "vitrine/pack.hpp"
#include "vitrine/recommend.hpp"

namespace vitrine::detail {

// Parts of a candidate's score, one per statistic (the reason is the strongest).
enum Part : int { kForward, kBackward, kCooccur, kImmediate, kTwoHop, kRepeat, kParts };

// Feature definitions, by the code stored in FUSN: a pack names its inputs with these
// codes, so a later engine can refuse (or keep computing) each one. Never renumber.
// 0..25, 29 and 30 come from the statistics (StatsScorer::features), 26..28 from the
// neighbourhood scorer (neighbourhood_features), 31 from the embeddings.
constexpr std::uint32_t kFeatureKinds = 32;
// The neighbourhood scorer's top this many join the fusion's candidates, unless FUSN says.
constexpr std::size_t kClassicCandidates = 50;

// Features 26..28: the neighbourhood score (log, and over the best one), and its rank there
// (`classic`, the number of its candidates, when outside its top).
void neighbourhood_features(float score, float best, std::uint32_t rank, float* x);
// Feature 31: cosine of the candidate's embedding to the session's query (int8 dot
// products; 0 without embeddings).
void embedding_feature(std::int32_t dot, std::int32_t query_norm2, std::int32_t item_norm2,
                       float* x);

class StatsScorer {
 public:
  // Its per-item slots are set by `fills` (the Recommender's prepare()) before first use.
  StatsScorer(const Pack& pack, PendingFills& fills);

  // Scores every item the session's statistics reach. items: the history, oldest first
  // (dense ids < item_count).
  void score(const std::uint32_t* items, std::size_t count, const StatsWeights& w);
  // The `limit` best candidates: score, then popularity, then dense id.
  void top(std::size_t limit, std::vector<std::uint32_t>& out) const;
  float score_of(std::uint32_t j) const { return at(j).score; }
  Source source_of(std::uint32_t j) const;
  std::uint32_t reason_of(std::uint32_t j) const { return at(j).best_item; }
  const std::vector<std::uint32_t>& touched() const { return touched_; }

  // The kFeatureKinds features of candidate j at `rank` (0-based) in the top list.
  void features(std::uint32_t j, std::uint32_t rank, float* x) const;

  // Fused score of a candidate (FUSN), from its features. Plain loops in a fixed order:
  // Eigen's vectorized reductions sum in an order that differs between SSE and wasm SIMD.
  bool fusion_usable() const { return fusion_ok_; }
  StatsWeights fusion_hand_weights() const;
  std::uint32_t fusion_candidates() const { return pack_->fusion().candidates; }
  std::uint32_t fusion_neighbours() const {
    const std::uint32_t k = pack_->fusion().neighbours;
    return k != 0 ? k : static_cast<std::uint32_t>(kClassicCandidates);
  }
  float fused(const float* x, float* hidden_scratch) const;

 private:
  // What the scorer knows of an item it reached or found in the history. Only those items
  // have one: per item of the pack there is just a slot number (a 200k-item pack: 0.8 MB
  // to allocate and zero when a pack opens, instead of 9.2 MB).
  struct Candidate {
    std::uint32_t item = kNoItem;
    float score = 0, best = 0;
    float parts[kParts] = {};
    float last_forward = 0, last_cooccur = 0;  // the parts from the last context item
    std::uint32_t best_item = kNoItem;
    std::uint32_t occ = 0, dist = 0;  // history items: occurrences, steps since the last
    std::uint8_t best_part = 0, links = 0;
  };
  VITRINE_HOT_INLINE const Candidate& at(std::uint32_t j) const {
    static const Candidate none;
    return slot_[j] != 0 ? cands_[slot_[j] - 1] : none;
  }
  Candidate& at(std::uint32_t j);  // made when missing
  void add(std::uint32_t j, int part, float value, std::uint32_t reason);

  const Pack* pack_;
  ItemArray<std::uint32_t> slot_;  // per item: 1 + its index in cands_, 0 when none
  std::vector<Candidate> cands_;
  std::vector<std::uint32_t> touched_, history_;
  std::uint32_t context_count_ = 0, length_ = 0;
  // FUSN as floats: ids, mean, scale, u, W, b, v.
  bool fusion_ok_ = false;
  std::vector<std::uint32_t> feature_ids_;
  // wt_: the hidden layer's weights feature-major (nf x nh), so the hidden units add up in
  // lanes (SIMD in wasm) while each one keeps its own order of terms.
  std::vector<float> mean_, scale_, u_, wt_, b_, v_;
};

}  // namespace vitrine::detail
