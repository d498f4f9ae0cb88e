// Fits the fusion of section FUSN: `u.z + v.ReLU(W z + b)` over the standardized features
// z of the statistics scorer's top candidates, softmax cross-entropy against the next item,
// Adam. The pack given holds statistics of earlier sessions only; the sessions given are
// later ones, so the fusion learns to rank on sessions its statistics have not seen.
#pragma once
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "../recommend/stats_scorer.hpp"
#include "vitrine/pack.hpp"
#include "vitrine/recommend.hpp"
#include "vitrine/status.hpp"

namespace vitrine::detail {

struct FusionTrainOptions {
  std::uint32_t hidden = 32;
  std::uint32_t candidates = 100;
  std::uint32_t neighbours = 50;           // from the neighbourhood scorer's top
  std::uint32_t features = kFeatureKinds;  // the first this many feature kinds are inputs
  std::uint32_t epochs = 6;
  std::uint32_t batch = 16;  // prediction points per Adam step
  float learning_rate = 0.003f;
  // The learning rate falls linearly to learning_rate * final_rate over the training.
  float final_rate = 0.1f;
  std::uint64_t seed = 1;  // weight initialization (deterministic)
};

// One slice of later sessions with a pack of statistics built from the sessions before it.
struct FusionFold {
  const Pack* early = nullptr;
  std::vector<std::vector<std::uint32_t>> sessions;  // dense ids, time order
};

struct FusionTrainReport {
  std::uint64_t points = 0;        // prediction points in the later sessions
  std::uint64_t trainable = 0;     // of them, target among the candidates
  std::vector<double> epoch_loss;  // mean cross-entropy per epoch
};

// Points of every fold train one fusion. Returns the FUSN section bytes.
Result<std::vector<std::uint8_t>> train_fusion(
    const std::vector<FusionFold>& folds, const StatsWeights& hand,
    const FusionTrainOptions& options, FusionTrainReport* report,
    const std::function<void(std::string_view, double)>& progress);

}  // namespace vitrine::detail
