// Fusion training with Eigen: features of every prediction point are computed once with the
// device's own code (Recommender::fusion_inputs), so training and scoring see the same
// numbers; then mini-batch Adam over the points whose target is among the candidates (the
// others carry no gradient under a softmax over the candidates).
#include "fusion_train.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <cstring>
#include <random>

#include "../recommend/stats_scorer.hpp"
#include "byte_writer.hpp"
#include "vitrine/event.hpp"

namespace vitrine::detail {
namespace {

using Mat = Eigen::MatrixXf;
using Vec = Eigen::VectorXf;

struct Adam {
  Mat m, v;
  int t = 0;
  explicit Adam(Eigen::Index r, Eigen::Index c) : m(Mat::Zero(r, c)), v(Mat::Zero(r, c)) {}
  void step(Mat& w, const Mat& g, float lr, int t_now) {
    constexpr float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g.cwiseProduct(g);
    const float c1 = 1 - std::pow(b1, float(t_now)), c2 = 1 - std::pow(b2, float(t_now));
    w.array() -= lr * (m.array() / c1) / ((v.array() / c2).sqrt() + eps);
  }
};

}  // namespace

Result<std::vector<std::uint8_t>> train_fusion(
    const std::vector<FusionFold>& folds, const StatsWeights& hand, const FusionTrainOptions& o,
    FusionTrainReport* report, const std::function<void(std::string_view, double)>& progress) {
  const std::uint32_t nf = o.features, nh = o.hidden, nc = o.candidates;
  if (nh == 0 || nh > 256 || nc < 2 || nc > 1000 || o.batch == 0 || o.epochs == 0 || nf == 0 ||
      nf > kFeatureKinds || o.neighbours == 0 || o.neighbours > 1000 || !(o.learning_rate > 0) ||
      !(o.final_rate >= 0 && o.final_rate <= 1)) {
    return Status(Code::invalid_argument,
                  "fusion: hidden must be 1..256, candidates 2..1000, neighbours 1..1000, "
                  "features 1..kinds, batch and epochs >= 1, learning rate > 0, final rate 0..1");
  }
  // Features of every trainable point, candidate rows one after another: offsets[p] is the
  // first row of point p, targets[p] the target's row within it.
  RecommendRequest request;
  request.limit = 20;
  request.exclude_purchased = request.exclude_in_cart = request.exclude_unavailable = false;
  FusionCapture cap;
  cap.hand = hand;
  cap.candidates = nc;
  cap.neighbours = o.neighbours;
  std::vector<float> feats;
  std::vector<std::size_t> offsets{0};
  std::vector<std::uint32_t> targets;
  std::vector<Signal> signals;
  FusionTrainReport rep;
  for (const FusionFold& fold : folds) {
    if (fold.early == nullptr || !fold.early->has_session_stats()) {
      return Status(Code::failed_precondition, "fusion: the pack has no session statistics");
    }
    Recommender rec(*fold.early);
    const std::uint32_t n = fold.early->item_count();
    const auto& sessions = fold.sessions;
    for (std::size_t s = 0; s < sessions.size(); ++s) {
      if (progress && s % 2000 == 0)
        progress("fusion features", double(s) / double(sessions.size()));
      const auto& x = sessions[s];
      signals.clear();
      for (std::size_t t = 1; t < x.size(); ++t) {
        signals.push_back({x[t - 1], EventType::view_item, static_cast<std::int64_t>(t)});
        if (x[t] >= n) continue;
        ++rep.points;
        rec.fusion_inputs(signals.data(), signals.size(), request, cap);
        const auto& c = cap.candidates_out;
        const auto it = std::find(c.begin(), c.end(), x[t]);
        if (it == c.end() || c.size() < 2) continue;
        ++rep.trainable;
        targets.push_back(static_cast<std::uint32_t>(it - c.begin()));
        for (std::size_t r = 0; r < c.size(); ++r) {
          const float* f = &cap.features[r * kFeatureKinds];
          feats.insert(feats.end(), f, f + nf);
        }
        offsets.push_back(offsets.back() + c.size());
      }
    }
  }
  const std::size_t points = targets.size();
  if (points < 10) return Status(Code::failed_precondition, "fusion: too few training points");
  const std::size_t total_rows = offsets.back();
  // Standardization over all candidate rows.
  std::vector<double> mean(nf, 0), sq(nf, 0);
  for (std::size_t r = 0; r < total_rows; ++r) {
    const float* f = &feats[r * nf];
    for (std::uint32_t k = 0; k < nf; ++k) {
      mean[k] += f[k];
      sq[k] += double(f[k]) * f[k];
    }
  }
  Vec mu(nf), scale(nf);
  for (std::uint32_t k = 0; k < nf; ++k) {
    const double m = mean[k] / double(total_rows), var = sq[k] / double(total_rows) - m * m;
    mu[k] = float(m);
    scale[k] = var > 1e-12 ? float(1.0 / std::sqrt(var)) : 0.0f;
  }
  for (std::size_t r = 0; r < total_rows; ++r) {
    float* f = &feats[r * nf];
    for (std::uint32_t k = 0; k < nf; ++k) f[k] = (f[k] - mu[k]) * scale[k];
  }

  // Parameters: u starts on the hand score's log (feature 0), so training starts from the
  // hand-weighted ranking.
  std::mt19937_64 rng(o.seed);
  std::normal_distribution<float> normal(0.0f, 1.0f / std::sqrt(float(nf)));
  Mat u = Mat::Zero(nf, 1), w(nh, nf), b = Mat::Zero(nh, 1), v(nh, 1);
  u(0, 0) = 1.0f;
  for (Eigen::Index k = 0; k < w.size(); ++k) w.data()[k] = normal(rng);
  for (Eigen::Index k = 0; k < v.size(); ++k) v.data()[k] = 0.1f * normal(rng);
  Adam au(nf, 1), aw(nh, nf), ab(nh, 1), av(nh, 1);
  std::vector<std::size_t> order(points);
  for (std::size_t p = 0; p < points; ++p) order[p] = p;
  int t_step = 0;
  const double total_steps = double(o.epochs) * double((points + o.batch - 1) / o.batch);
  for (std::uint32_t epoch = 0; epoch < o.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    double loss = 0;
    for (std::size_t at = 0; at < points; at += o.batch) {
      Mat gu = Mat::Zero(nf, 1), gw = Mat::Zero(nh, nf), gb = Mat::Zero(nh, 1),
          gv = Mat::Zero(nh, 1);
      const std::size_t end = std::min(points, at + o.batch);
      for (std::size_t q = at; q < end; ++q) {
        const std::size_t p = order[q];
        const auto c = static_cast<Eigen::Index>(offsets[p + 1] - offsets[p]);
        const Eigen::Map<
            const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>
            z(&feats[offsets[p] * nf], c, nf);
        const Mat a = (z * w.transpose()).rowwise() + b.col(0).transpose();
        const Mat h = a.cwiseMax(0.0f);
        Vec s = z * u.col(0) + h * v.col(0);
        const float mx = s.maxCoeff();
        Vec e = (s.array() - mx).exp();
        const float sum = e.sum();
        loss += -(s[targets[p]] - mx - std::log(sum));
        Vec g = e / sum;  // dL/ds = softmax - onehot
        g[targets[p]] -= 1.0f;
        gu.col(0) += z.transpose() * g;
        gv.col(0) += h.transpose() * g;
        const Mat gh =
            (g * v.col(0).transpose()).cwiseProduct((a.array() > 0).cast<float>().matrix());
        gw += gh.transpose() * z;
        gb.col(0) += gh.colwise().sum().transpose();
      }
      const float inv = 1.0f / float(end - at);
      const float lr = o.learning_rate *
                       float(1.0 - (1.0 - double(o.final_rate)) * double(t_step) / total_steps);
      ++t_step;
      au.step(u, gu * inv, lr, t_step);
      aw.step(w, gw * inv, lr, t_step);
      ab.step(b, gb * inv, lr, t_step);
      av.step(v, gv * inv, lr, t_step);
    }
    rep.epoch_loss.push_back(loss / double(points));
    if (progress) progress("fusion epoch", double(epoch + 1) / double(o.epochs));
  }

  std::vector<std::uint8_t> out;
  put_u32(out, 1);
  put_u32(out, nf);
  put_u32(out, nh);
  put_u32(out, nc);
  put_u32(out, kStatsWeightCount);
  put_u32(out, o.neighbours);
  for (std::uint32_t k = 0; k < nf; ++k) put_u32(out, k);
  float hw[kStatsWeightCount];
  stats_weights_to(hand, hw);
  for (float x : hw) put_f32(out, x);
  for (std::uint32_t k = 0; k < nf; ++k) put_f32(out, mu[k]);
  for (std::uint32_t k = 0; k < nf; ++k) put_f32(out, scale[k]);
  for (std::uint32_t k = 0; k < nf; ++k) put_f32(out, u(k, 0));
  for (std::uint32_t m = 0; m < nh; ++m) {
    for (std::uint32_t k = 0; k < nf; ++k) put_f32(out, w(m, k));
  }
  for (std::uint32_t m = 0; m < nh; ++m) put_f32(out, b(m, 0));
  for (std::uint32_t m = 0; m < nh; ++m) put_f32(out, v(m, 0));
  if (report != nullptr) *report = rep;
  return out;
}

}  // namespace vitrine::detail
