// vitrine-eval: next-item evaluation with the protocol of ../shared/data/README.md.
// For every test session (i1..in) and t = 1..n-1, the recommender sees (i1..it) and ranks
// all training items; the target is i(t+1). Items of the prefix are not removed; ties are
// broken deterministically. The engine is the real one: a pack built from the training
// sessions with PackBuilder, read with Pack::open, scored with Recommender, exactly as in
// the browser. Baselines (popularity, item-kNN on the last item, sequential rules) are
// computed from the raw training sessions in the same run.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#if !defined(__EMSCRIPTEN__)
#include <thread>
#endif

#include "session_io.hpp"
#include "vitrine/pack.hpp"
#include "vitrine/pack/shards.hpp"
#include "vitrine/pack_builder.hpp"
#include "vitrine/recommend.hpp"

using namespace vitrine;
using vitrine::tools::Format;
using vitrine::tools::RawSession;

namespace {

constexpr int kKs[3] = {5, 10, 20};

struct Options {
  std::string train, test, dataset;
  Format format = Format::lines;
  bool pairs = false;  // --format pairs: the test file is (prefix, target) points
  int k = 20;
  bool json = false;
  double validate = 0;  // carve the last share of train sessions as the test set
  bool tune = false;
  // Defaults as vitrine-pack's: the engine evaluated is the pack a shop would publish.
  std::uint32_t min_support = 2;
  std::uint32_t max_neighbors = 35;
  std::uint32_t window = 10;
  std::uint32_t embedding_dim = 16;
  pack::DpOptions dp;  // --dp-*: a private pack (dp.scale: --dp-scale, evaluation only)
  std::uint64_t dp_seed = 1;
  std::string pack;    // score with this pack instead of building one from --train
  std::string shards;  // --pack is a shard head: its shards are DIR/<sha256>.vpk
  long dump_top = 0;   // print the top-k of every dump_every-th point, this many points
  long dump_every = 1;
  std::string only;  // run only this model
  int threads = 2;
  ScoringWeights weights;
  StatsWeights stats;
  bool session_stats = true, fusion = true;  // as vitrine-pack
  std::uint32_t stats_neighbors = 20;
  std::uint32_t stats_parts = PackBuildOptions{}.stats_parts;
  bool tune_stats = false;
  bool engine_only = false;           // --engine-only: not the pack's other scorers
  PackBuildOptions fusion_options;    // --fusion NAME=VALUE: the fusion_* fields only
  Scorer scorer = Scorer::automatic;  // --dump-top and --tune only
};

[[noreturn]] void usage(const char* msg) {
  if (msg) std::fprintf(stderr, "vitrine-eval: %s\n", msg);
  std::fprintf(
      stderr,
      "usage: vitrine-eval --train FILE --test FILE [--format lines|sessionrec|otto|pairs]\n"
      "         [--k 20] [--json] [--min-support K] [--max-neighbors N] [--window W]\n"
      "         [--embed-dim D] [--pack FILE [--shards DIR]]\n"
      "         [--dp-epsilon E [--dp-delta D] [--dp-max-pairs L] [--dp-max-items M]\n"
      "          [--dp-seed N] [--dp-scale S] [--dp-pair-weights unit|l2]\n"
      "          [--dp-selection public|threshold] [--dp-spurious-pairs R]\n"
      "          [--dp-embedding-min-pairs P]]\n"
      "         [--validate SHARE] [--tune] [--dump-top N [--dump-every M]]\n"
      "         [--model engine|pop|iknn|sr] [--threads T] [--w NAME=VALUE]...\n"
      "         [--no-session-stats] [--no-fusion] [--stats-neighbors N] [--stats-parts L]\n"
      "         [--sw NAME=VALUE]... [--fusion NAME=VALUE]... [--engine-only]\n"
      "         [--scorer auto|neighbourhood|statistics|fused] [--tune-stats]\n"
      "  --format pairs    the test file holds published (prefix, target) points, one a\n"
      "                    line: 'i1 i2 ... it<TAB>target'; the training file is lines.\n"
      "                    Targets unknown to training count as misses.\n"
      "  --validate SHARE  use the last SHARE of the training sessions as test\n"
      "                    (weights are tuned there, never on the test file)\n"
      "  --pack FILE       score with this pack; else one is built from --train with\n"
      "                    vitrine-pack's defaults: --min-support 2 --max-neighbors 35\n"
      "                    --window 10 --embed-dim 16\n"
      "  --shards DIR      --pack is a shard head (vitrine-pack shard): score it joined\n"
      "                    with its shards, DIR/<sha256>.vpk, each checked by digest\n"
      "  --w NAME=VALUE    scoring weight: history_items recency co_view_seq co_view\n"
      "                    co_purchase re_view re_view_last two_hop two_hop_seeds\n"
      "                    two_hop_fanout embedding view cart purchase\n"
      "  --sw NAME=VALUE   statistics scorer weight (StatsWeights): context_items decay\n"
      "                    forward backward cooccur immediate two_hop repeat repeat_base\n"
      "                    immediate_repeat row_exp cooccur_pop pop_boost two_hop_fanout\n"
      "  --fusion NAME=VALUE  fusion training, as vitrine-pack's: folds hidden epochs batch\n"
      "                    candidates neighbours features seed lr final_rate holdout\n"
      "  --engine-only     report the engine as the browser runs it, not its other scorers\n"
      "  The engine is reported per scorer its pack carries: neighbourhood (version-1\n"
      "  relations), statistics (SSTA, hand-weighted) and fused (FUSN); --scorer picks one\n"
      "  for --dump-top and --tune.\n");
  std::exit(2);
}

bool read_all(const std::string& path, std::vector<std::uint8_t>& out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  std::uint8_t buf[1 << 16];
  for (std::size_t got; (got = std::fread(buf, 1, sizeof buf, f)) > 0;) {
    out.insert(out.end(), buf, buf + got);
  }
  std::fclose(f);
  return true;
}

// A shard head: every shard is checked against its digest and joined, as the engine joins
// the shards a page loads. Once a query's shards are loaded the engine ranks as the whole
// pack does (tests/core/engine_shards_test.cpp), so the joined pack scores the sharded one.
bool join_shards(const std::string& pack, const std::string& dir,
                 std::vector<std::uint8_t>& bytes) {
  auto head = read_shard_directory(bytes.data(), bytes.size());
  if (!head.is_ok() || head.value().count == 0) {
    if (!dir.empty()) std::fprintf(stderr, "vitrine-eval: %s: not a shard head\n", pack.c_str());
    return dir.empty();
  }
  if (dir.empty()) {
    std::fprintf(stderr, "vitrine-eval: %s is a shard head: give --shards DIR\n", pack.c_str());
    return false;
  }
  auto set = ShardSet::open(bytes.data(), bytes.size());
  if (!set.is_ok()) {
    std::fprintf(stderr, "vitrine-eval: %s: %s\n", pack.c_str(), set.status().message().c_str());
    return false;
  }
  // A two-level directory: each block first (DIR/<sha256>.vdb), then its shards.
  for (std::uint32_t b = 0; b < head.value().block_digests.size(); ++b) {
    const std::string path = dir + "/" + block_digest_hex(head.value(), b) + ".vdb";
    std::vector<std::uint8_t> block;
    Status st = read_all(path, block) ? set.value().add_block(block.data(), block.size())
                                      : Status(Code::invalid_argument, "cannot open");
    if (!st.is_ok()) {
      std::fprintf(stderr, "vitrine-eval: %s: %s\n", path.c_str(), st.message().c_str());
      return false;
    }
  }
  for (std::uint32_t k = 0; k < head.value().count; ++k) {
    const std::string path = dir + "/" + shard_digest_hex(set.value().directory(), k) + ".vpk";
    std::vector<std::uint8_t> shard;
    if (!read_all(path, shard)) {
      std::fprintf(stderr, "vitrine-eval: %s: cannot open\n", path.c_str());
      return false;
    }
    const Status st = set.value().add(shard.data(), shard.size());
    if (!st.is_ok()) {
      std::fprintf(stderr, "vitrine-eval: %s: %s\n", path.c_str(), st.message().c_str());
      return false;
    }
  }
  bytes = set.value().joined();
  return true;
}

bool set_weight(ScoringWeights& w, const std::string& name, double v) {
  const auto f = static_cast<float>(v);
  const std::pair<const char*, float*> table[] = {{"recency", &w.recency},
                                                  {"co_view_seq", &w.co_view_seq},
                                                  {"co_view", &w.co_view},
                                                  {"co_purchase", &w.co_purchase},
                                                  {"re_view", &w.re_view},
                                                  {"two_hop", &w.two_hop},
                                                  {"re_view_last", &w.re_view_last},
                                                  {"embedding", &w.embedding},
                                                  {"view", &w.view},
                                                  {"cart", &w.cart},
                                                  {"purchase", &w.purchase}};
  if (name == "history_items" || name == "two_hop_seeds" || name == "two_hop_fanout") {
    (name == "history_items"   ? w.history_items
     : name == "two_hop_seeds" ? w.two_hop_seeds
                               : w.two_hop_fanout) = static_cast<std::uint32_t>(v);
    return true;
  }
  for (const auto& [key, field] : table) {
    if (name == key) {
      *field = f;
      return true;
    }
  }
  return false;
}

const char* const kStatsNames[kStatsWeightCount] = {
    "context_items", "decay",       "forward",   "backward",      "cooccur",
    "immediate",     "two_hop",     "repeat",    "repeat_base",   "immediate_repeat",
    "row_exp",       "cooccur_pop", "pop_boost", "two_hop_fanout"};

bool set_stats_weight(StatsWeights& w, const std::string& name, double v) {
  float f[kStatsWeightCount];
  stats_weights_to(w, f);
  for (std::uint32_t k = 0; k < kStatsWeightCount; ++k) {
    if (name == kStatsNames[k]) {
      f[k] = static_cast<float>(v);
      w = stats_weights_from(f);
      return true;
    }
  }
  return false;
}

// Items as dense training ids (0..n-1 in order of first appearance in train).
// With `pairs`, every test "session" is one point: the prefix, then the target (kUnknown
// when training never saw it: a miss, as the published protocols count it).
constexpr std::uint32_t kUnknown = 0xFFFFFFFFu;
struct Data {
  bool pairs = false;
  std::vector<std::string> names;
  std::vector<std::vector<std::uint32_t>> train, test;
  std::vector<std::vector<EventType>> train_types;
  std::vector<std::vector<EventType>> test_types;
};

struct Metrics {
  double hr[3] = {}, mrr[3] = {};
  std::vector<std::uint8_t> covered;
  double pop_sum = 0;
  std::uint64_t lists = 0;
  void merge(const Metrics& o) {
    for (int k = 0; k < 3; ++k) {
      hr[k] += o.hr[k];
      mrr[k] += o.mrr[k];
    }
    for (std::size_t j = 0; j < covered.size(); ++j) covered[j] |= o.covered[j];
    pop_sum += o.pop_sum;
    lists += o.lists;
  }
};

// A model: fills `top` (at most 20 training ids) for a prefix.
struct Model {
  std::string name;
  virtual ~Model() = default;
  virtual void top(const std::vector<std::uint32_t>& prefix, const std::vector<EventType>& types,
                   std::vector<std::uint32_t>& out) = 0;
  virtual std::unique_ptr<Model> clone() const = 0;
};

// Ranked neighbour lists per item, plus the popularity order for filling.
struct Neighbours {
  std::vector<std::vector<std::pair<std::uint32_t, float>>> rows;
};

void fill_popular(const std::vector<std::uint32_t>& by_pop, std::size_t k,
                  std::vector<std::uint32_t>& out) {
  for (std::uint32_t j : by_pop) {
    if (out.size() >= k) break;
    if (std::find(out.begin(), out.end(), j) == out.end()) out.push_back(j);
  }
}

struct PopModel : Model {
  const std::vector<std::uint32_t>* by_pop;
  explicit PopModel(const std::vector<std::uint32_t>* p) : by_pop(p) { name = "pop"; }
  void top(const std::vector<std::uint32_t>&, const std::vector<EventType>&,
           std::vector<std::uint32_t>& out) override {
    out.clear();
    fill_popular(*by_pop, 20, out);
  }
  std::unique_ptr<Model> clone() const override { return std::make_unique<PopModel>(*this); }
};

// Last item's neighbour list (item-kNN: session co-occurrence cosine; SR: sequential rules).
struct LastItemModel : Model {
  const Neighbours* nb;
  const std::vector<std::uint32_t>* by_pop;
  LastItemModel(std::string n, const Neighbours* x, const std::vector<std::uint32_t>* p)
      : nb(x), by_pop(p) {
    name = std::move(n);
  }
  void top(const std::vector<std::uint32_t>& prefix, const std::vector<EventType>&,
           std::vector<std::uint32_t>& out) override {
    out.clear();
    if (prefix.empty()) {  // a published prefix of items unknown to training
      fill_popular(*by_pop, 20, out);
      return;
    }
    const auto& row = nb->rows[prefix.back()];
    for (std::size_t k = 0; k < row.size() && out.size() < 20; ++k) out.push_back(row[k].first);
    fill_popular(*by_pop, 20, out);
  }
  std::unique_ptr<Model> clone() const override { return std::make_unique<LastItemModel>(*this); }
};

struct EngineModel : Model {
  const Pack* pack;
  const std::vector<std::uint32_t>* to_dense;    // training id -> pack id
  const std::vector<std::uint32_t>* from_dense;  // pack id -> training id
  RecommendRequest request;
  std::unique_ptr<Recommender> rec;
  std::vector<Signal> signals;
  EngineModel(const Pack* p, const std::vector<std::uint32_t>* t,
              const std::vector<std::uint32_t>* f, const ScoringWeights& w,
              Scorer scorer = Scorer::automatic, const StatsWeights& sw = {})
      : pack(p), to_dense(t), from_dense(f), rec(std::make_unique<Recommender>(*p)) {
    name = "engine";
    request.scorer = scorer;
    request.stats = sw;
    request.context = Context::home;
    request.limit = 20;
    request.exclude_purchased = false;
    request.exclude_in_cart = false;
    request.exclude_unavailable = false;
    request.weights = w;
  }
  std::vector<Recommendation> run(const std::vector<std::uint32_t>& prefix,
                                  const std::vector<EventType>& types) {
    signals.clear();
    for (std::size_t k = 0; k < prefix.size(); ++k) {
      signals.push_back({(*to_dense)[prefix[k]], types[k], static_cast<std::int64_t>(k)});
    }
    return rec->recommend(signals, request);
  }
  void top(const std::vector<std::uint32_t>& prefix, const std::vector<EventType>& types,
           std::vector<std::uint32_t>& out) override {
    out.clear();
    for (const Recommendation& r : run(prefix, types)) {
      const std::uint32_t j = (*from_dense)[r.item];
      if (j != kNoItem) out.push_back(j);  // kNoItem: a pack item unknown to training
    }
  }
  std::unique_ptr<Model> clone() const override {
    return std::make_unique<EngineModel>(pack, to_dense, from_dense, request.weights,
                                         request.scorer, request.stats);
  }
};

Metrics evaluate(Model& model, const Data& d, const std::vector<double>& pop_norm, int threads) {
  const std::size_t n = d.names.size();
#if defined(__EMSCRIPTEN__)
  threads = 1;  // no threads in the wasm build of the tools
#endif
  std::vector<Metrics> parts(static_cast<std::size_t>(std::max(1, threads)));
  auto work = [&](std::size_t part, Model& m) {
    Metrics& mt = parts[part];
    mt.covered.assign(n, 0);
    std::vector<std::uint32_t> prefix, out;
    std::vector<EventType> types;
    auto point = [&](std::uint32_t target) {
      m.top(prefix, types, out);
      for (std::size_t r = 0; r < out.size() && r < 20; ++r) {
        mt.covered[out[r]] = 1;
        mt.pop_sum += pop_norm[out[r]] / double(std::min<std::size_t>(out.size(), 20));
        if (out[r] == target) {
          for (int k = 0; k < 3; ++k) {
            if (static_cast<int>(r) < kKs[k]) {
              mt.hr[k] += 1;
              mt.mrr[k] += 1.0 / double(r + 1);
            }
          }
        }
      }
      ++mt.lists;
    };
    for (std::size_t s = part; s < d.test.size(); s += parts.size()) {
      const auto& sess = d.test[s];
      const auto& sess_types = d.test_types[s];
      if (d.pairs) {
        // One point: the whole prefix (possibly empty) against the last entry.
        prefix.assign(sess.begin(), sess.end() - 1);
        types.assign(sess_types.begin(), sess_types.end() - 1);
        point(sess.back());
        continue;
      }
      prefix.clear();
      types.clear();
      for (std::size_t t = 0; t + 1 < sess.size(); ++t) {
        prefix.push_back(sess[t]);
        types.push_back(sess_types[t]);
        point(sess[t + 1]);
      }
    }
  };
#if defined(__EMSCRIPTEN__)
  work(0, model);
#else
  std::vector<std::unique_ptr<Model>> clones;
  std::vector<std::thread> pool;
  for (std::size_t p = 1; p < parts.size(); ++p) clones.push_back(model.clone());
  for (std::size_t p = 1; p < parts.size(); ++p) {
    pool.emplace_back(work, p, std::ref(*clones[p - 1]));
  }
  work(0, model);
  for (auto& t : pool) t.join();
#endif
  Metrics total = parts[0];
  for (std::size_t p = 1; p < parts.size(); ++p) total.merge(parts[p]);
  return total;
}

struct Row {
  std::string model;
  double hr[3], mrr[3], coverage, popularity, seconds;
};

Row summarize(const std::string& name, const Metrics& m, std::size_t n_items, double seconds) {
  Row r;
  r.model = name;
  const double pts = m.lists ? double(m.lists) : 1.0;
  for (int k = 0; k < 3; ++k) {
    r.hr[k] = 100.0 * m.hr[k] / pts;
    r.mrr[k] = 100.0 * m.mrr[k] / pts;
  }
  std::size_t c = 0;
  for (auto v : m.covered) c += v;
  r.coverage = n_items ? double(c) / double(n_items) : 0;
  r.popularity = m.pop_sum / pts;
  r.seconds = seconds;
  return r;
}

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void progress_line(const char* what, std::uint64_t done, std::uint64_t total) {
  std::fprintf(stderr, "\r%s: %.0f%%", what, total ? 100.0 * double(done) / double(total) : 100.0);
  if (done >= total) std::fprintf(stderr, "\n");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + a).c_str());
      return argv[++i];
    };
    if (a == "--train")
      o.train = next();
    else if (a == "--test")
      o.test = next();
    else if (a == "--format") {
      const std::string f = next();
      o.pairs = f == "pairs";
      if (!o.pairs && !tools::parse_format(f, o.format)) usage("unknown --format");
    } else if (a == "--k")
      o.k = std::atoi(next().c_str());
    else if (a == "--json")
      o.json = true;
    else if (a == "--validate")
      o.validate = std::atof(next().c_str());
    else if (a == "--tune")
      o.tune = true;
    else if (a == "--min-support")
      o.min_support = static_cast<std::uint32_t>(std::atoi(next().c_str()));
    else if (a == "--max-neighbors")
      o.max_neighbors = static_cast<std::uint32_t>(std::atoi(next().c_str()));
    else if (a == "--window")
      o.window = static_cast<std::uint32_t>(std::atoi(next().c_str()));
    else if (a == "--dp-epsilon")
      o.dp.epsilon = std::atof(next().c_str());
    else if (a == "--dp-delta")
      o.dp.delta = std::atof(next().c_str());
    else if (a == "--dp-max-pairs")
      o.dp.max_pairs = static_cast<std::uint32_t>(std::atoi(next().c_str()));
    else if (a == "--dp-max-items")
      o.dp.max_items = static_cast<std::uint32_t>(std::atoi(next().c_str()));
    else if (a == "--dp-seed")
      o.dp_seed = std::strtoull(next().c_str(), nullptr, 10);
    else if (a == "--dp-pair-share")  // tuning: share of mu^2 spent on pairs (0.95)
      o.dp.pair_share = std::atof(next().c_str());
    else if (a == "--dp-pair-weights") {  // unit or l2 (DPAR mechanism 1 or 2, the default)
      const std::string v = next();
      if (v != "unit" && v != "l2") usage("--dp-pair-weights must be unit or l2");
      o.dp.pair_weighting = v == "unit" ? pack::PairWeighting::unit : pack::PairWeighting::l2;
    } else if (a == "--dp-selection") {  // public (DPAR selection 1, the default) or threshold
      const std::string v = next();
      if (v != "public" && v != "threshold") usage("--dp-selection must be public or threshold");
      o.dp.selection =
          v == "public" ? pack::PairSelection::public_domain : pack::PairSelection::threshold;
    } else if (a == "--dp-spurious-pairs")  // public selection: spurious pairs per item (0.2)
      o.dp.spurious_pairs = std::atof(next().c_str());
    else if (a == "--dp-embedding-min-pairs")  // released pairs per item for an embedding (8)
      o.dp.embedding_min_pairs = std::atof(next().c_str());
    else if (a == "--dp-scale")  // evaluation only: simulates a shop S times larger
      o.dp.scale = std::atof(next().c_str());
    else if (a == "--pack")
      o.pack = next();
    else if (a == "--shards")
      o.shards = next();
    else if (a == "--embed-dim")
      o.embedding_dim = static_cast<std::uint32_t>(std::atoi(next().c_str()));
    else if (a == "--dump-top")
      o.dump_top = std::atol(next().c_str());
    else if (a == "--dump-every")
      o.dump_every = std::max(1L, std::atol(next().c_str()));
    else if (a == "--model")
      o.only = next();
    else if (a == "--threads")
      o.threads = std::max(1, std::atoi(next().c_str()));
    else if (a == "--dataset")
      o.dataset = next();
    else if (a == "--no-session-stats")
      o.session_stats = o.fusion = false;
    else if (a == "--no-fusion")
      o.fusion = false;
    else if (a == "--stats-neighbors")
      o.stats_neighbors = static_cast<std::uint32_t>(std::max(1, std::atoi(next().c_str())));
    else if (a == "--stats-parts") {
      const Result<std::uint32_t> m = parse_stats_parts(next());
      if (!m.is_ok()) usage(m.status().message().c_str());
      o.stats_parts = m.value();
    } else if (a == "--engine-only")
      o.engine_only = true;
    else if (a == "--tune-stats")
      o.tune_stats = true;
    else if (a == "--scorer") {
      const std::string v = next();
      if (v == "auto")
        o.scorer = Scorer::automatic;
      else if (v == "neighbourhood")
        o.scorer = Scorer::neighbourhood;
      else if (v == "statistics")
        o.scorer = Scorer::statistics;
      else if (v == "fused")
        o.scorer = Scorer::fused;
      else
        usage("unknown --scorer");
    } else if (a == "--sw") {
      const std::string kv = next();
      const auto eq = kv.find('=');
      if (eq == std::string::npos ||
          !set_stats_weight(o.stats, kv.substr(0, eq), std::atof(kv.c_str() + eq + 1))) {
        usage(("bad --sw " + kv).c_str());
      }
    } else if (a == "--fusion") {
      const Status st = set_fusion_option(o.fusion_options, next());
      if (!st.is_ok()) usage(st.message().c_str());
    } else if (a == "--w") {
      const std::string kv = next();
      const auto eq = kv.find('=');
      if (eq == std::string::npos ||
          !set_weight(o.weights, kv.substr(0, eq), std::atof(kv.c_str() + eq + 1))) {
        usage(("bad --w " + kv).c_str());
      }
    } else if (a == "-h" || a == "--help")
      usage(nullptr);
    else
      usage(("unknown argument " + a).c_str());
  }
  if (o.train.empty() || (o.test.empty() && o.validate <= 0))
    usage("--train and --test are required");
  if (o.k < 1 || o.k > 20) usage("--k must be 1..20");
  if (o.pairs && (o.validate > 0 || o.dump_top > 0)) {
    usage("--format pairs takes a --test file and no --dump-top");
  }
  if (o.dataset.empty()) {
    const std::string& p = o.train;
    const auto slash = p.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : p.substr(0, slash);
    const auto s2 = dir.find_last_of('/');
    o.dataset = s2 == std::string::npos ? dir : dir.substr(s2 + 1);
  }
  const double t0 = now_s();

  // Read.
  std::vector<RawSession> train_raw, test_raw;
  std::vector<tools::RawPair> test_pairs;
  auto prog = [&](const char* what) {
    return [what, &o](std::uint64_t d, std::uint64_t t) {
      if (!o.json || true) progress_line(what, d, t);
    };
  };
  Status st = tools::read_sessions(o.train, o.format, train_raw, prog("reading train"));
  if (!st.is_ok()) {
    std::fprintf(stderr, "vitrine-eval: %s\n", st.message().c_str());
    return 1;
  }
  if (o.validate > 0) {
    const auto cut = static_cast<std::size_t>(double(train_raw.size()) * (1.0 - o.validate));
    test_raw.assign(std::make_move_iterator(train_raw.begin() + static_cast<long>(cut)),
                    std::make_move_iterator(train_raw.end()));
    train_raw.resize(cut);
  } else if (o.pairs) {
    st = tools::read_pairs(o.test, test_pairs);
    if (!st.is_ok()) {
      std::fprintf(stderr, "vitrine-eval: %s\n", st.message().c_str());
      return 1;
    }
  } else {
    st = tools::read_sessions(o.test, o.format, test_raw, prog("reading test"));
    if (!st.is_ok()) {
      std::fprintf(stderr, "vitrine-eval: %s\n", st.message().c_str());
      return 1;
    }
  }

  // Training ids; test items unseen in training are dropped, sessions < 2 skipped.
  Data d;
  std::unordered_map<std::string, std::uint32_t> id_of;
  for (const RawSession& s : train_raw) {
    std::vector<std::uint32_t> items;
    std::vector<EventType> types;
    for (const auto& e : s) {
      auto [it, fresh] = id_of.emplace(e.item, static_cast<std::uint32_t>(d.names.size()));
      if (fresh) d.names.push_back(e.item);
      items.push_back(it->second);
      types.push_back(e.type);
    }
    d.train.push_back(std::move(items));
    d.train_types.push_back(std::move(types));
  }
  std::size_t dropped = 0;
  for (const RawSession& s : test_raw) {
    std::vector<std::uint32_t> items;
    std::vector<EventType> types;
    for (const auto& e : s) {
      auto it = id_of.find(e.item);
      if (it == id_of.end()) {
        ++dropped;
        continue;
      }
      items.push_back(it->second);
      types.push_back(e.type);
    }
    if (items.size() >= 2) {
      d.test.push_back(std::move(items));
      d.test_types.push_back(std::move(types));
    }
  }
  // Published points: exactly as given. Unknown prefix items carry no signal (the engine
  // knows nothing of them) and are left out; an unknown target stays, as a miss.
  std::size_t unknown_targets = 0;
  d.pairs = o.pairs;
  for (const tools::RawPair& p : test_pairs) {
    std::vector<std::uint32_t> items;
    for (const std::string& x : p.prefix) {
      auto it = id_of.find(x);
      if (it == id_of.end()) {
        ++dropped;
      } else {
        items.push_back(it->second);
      }
    }
    auto it = id_of.find(p.target);
    if (it == id_of.end()) ++unknown_targets;
    items.push_back(it == id_of.end() ? kUnknown : it->second);
    d.test_types.emplace_back(items.size(), EventType::view_item);
    d.test.push_back(std::move(items));
  }
  std::vector<RawSession>().swap(train_raw);
  std::vector<RawSession>().swap(test_raw);
  std::vector<tools::RawPair>().swap(test_pairs);
  const std::size_t n = d.names.size();
  std::size_t points = 0;
  for (const auto& s : d.test) points += d.pairs ? 1 : s.size() - 1;
  if (d.pairs) {
    std::fprintf(stderr, "pairs: %zu targets unknown to training (counted as misses)\n",
                 unknown_targets);
  }
  std::fprintf(stderr,
               "train: %zu sessions, %zu items; test: %zu sessions, %zu points (%zu unseen events "
               "dropped)\n",
               d.train.size(), n, d.test.size(), points, dropped);

  // Popularity (sessions containing the item), rank order with ties by training id.
  std::vector<std::uint32_t> pop(n, 0);
  for (const auto& s : d.train) {
    std::vector<std::uint32_t> u(s);
    std::sort(u.begin(), u.end());
    u.erase(std::unique(u.begin(), u.end()), u.end());
    for (auto j : u) ++pop[j];
  }
  std::vector<std::uint32_t> by_pop(n);
  for (std::uint32_t j = 0; j < n; ++j) by_pop[j] = j;
  std::stable_sort(by_pop.begin(), by_pop.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return pop[a] > pop[b]; });
  const double max_pop = n ? double(pop[by_pop[0]]) : 1.0;
  std::vector<double> pop_norm(n);
  for (std::uint32_t j = 0; j < n; ++j) pop_norm[j] = pop[j] / max_pop;

  std::vector<Row> rows;
  auto want = [&](const char* m) { return o.only.empty() || o.only == m; };

  // The engine: build the pack from the training sessions, open it, score.
  double build_s = 0;
  std::vector<std::uint8_t> bytes;
  Pack pack;
  std::vector<std::uint32_t> to_dense, from_dense;
  if (want("engine") && !o.pack.empty()) {
    // A pack built elsewhere (e.g. by the native vitrine-pack, for the parity check).
    std::FILE* f = std::fopen(o.pack.c_str(), "rb");
    if (f == nullptr) {
      std::fprintf(stderr, "vitrine-eval: %s: cannot open\n", o.pack.c_str());
      return 1;
    }
    std::uint8_t buf[1 << 16];
    for (std::size_t got; (got = std::fread(buf, 1, sizeof buf, f)) > 0;) {
      bytes.insert(bytes.end(), buf, buf + got);
    }
    std::fclose(f);
    if (!join_shards(o.pack, o.shards, bytes)) return 1;
    Result<Pack> opened = Pack::open(bytes.data(), bytes.size());
    if (!opened.is_ok()) {
      std::fprintf(stderr, "vitrine-eval: %s: %s\n", o.pack.c_str(),
                   opened.status().message().c_str());
      return 1;
    }
    pack = opened.value();
    to_dense.assign(n, kNoItem);
    from_dense.assign(pack.item_count(), kNoItem);
    for (std::uint32_t j = 0; j < n; ++j) {
      if (auto id = pack.find(d.names[j])) {
        to_dense[j] = *id;
        from_dense[*id] = j;
      }
    }
  } else if (want("engine")) {
    const double tb = now_s();
    PackBuildOptions bo;
    bo.min_support = o.min_support;
    bo.max_neighbors = o.max_neighbors;
    bo.window = o.window;
    bo.embedding_dim = o.embedding_dim;
    bo.dp = o.dp;
    bo.dp.key = pack::dp_key_from_seed(o.dp_seed);
    bo.session_stats = o.session_stats;
    bo.fusion = o.fusion;
    bo.fusion_holdout = o.fusion_options.fusion_holdout;
    bo.fusion_folds = o.fusion_options.fusion_folds;
    bo.fusion_hidden = o.fusion_options.fusion_hidden;
    bo.fusion_epochs = o.fusion_options.fusion_epochs;
    bo.fusion_batch = o.fusion_options.fusion_batch;
    bo.fusion_candidates = o.fusion_options.fusion_candidates;
    bo.fusion_neighbours = o.fusion_options.fusion_neighbours;
    bo.fusion_features = o.fusion_options.fusion_features;
    bo.fusion_learning_rate = o.fusion_options.fusion_learning_rate;
    bo.fusion_final_rate = o.fusion_options.fusion_final_rate;
    bo.fusion_seed = o.fusion_options.fusion_seed;
    bo.stats_neighbors = o.stats_neighbors;
    bo.stats_parts = o.stats_parts;
    bo.stats_weights = o.stats;
    PackBuilder builder(bo);
    for (std::uint32_t j = 0; j < n; ++j) {
      builder.intern(d.names[j]);
      // DIGINETICA has no catalog file: its item list stands in for the public catalog.
      if (o.dp.enabled()) builder.add_catalog_item({d.names[j], "", NAN, true});
    }
    std::vector<SessionEvent> ev;
    for (std::size_t s = 0; s < d.train.size(); ++s) {
      ev.clear();
      for (std::size_t k = 0; k < d.train[s].size(); ++k)
        ev.push_back({d.train[s][k], d.train_types[s][k]});
      builder.add_session(ev);
    }
    PackBuildStats bs;
    Result<std::vector<std::uint8_t>> built = builder.build(&bs);
    if (!built.is_ok()) {
      std::fprintf(stderr, "vitrine-eval: %s\n", built.status().message().c_str());
      return 1;
    }
    bytes = std::move(built).value();
    to_dense = builder.dense_ids();
    from_dense.assign(n, 0);
    for (std::uint32_t j = 0; j < n; ++j) from_dense[to_dense[j]] = j;
    Result<Pack> opened = Pack::open(bytes.data(), bytes.size());
    if (!opened.is_ok()) {
      std::fprintf(stderr, "vitrine-eval: %s\n", opened.status().message().c_str());
      return 1;
    }
    pack = opened.value();
    build_s = now_s() - tb;
    std::fprintf(stderr,
                 "pack: %zu bytes (SSTA %llu, FUSN %llu), %llu/%llu/%llu relations kept, built "
                 "in %.2f s\n",
                 bytes.size(), (unsigned long long)bs.stats_bytes,
                 (unsigned long long)bs.fusion_bytes, (unsigned long long)bs.pairs_kept[0],
                 (unsigned long long)bs.pairs_kept[1], (unsigned long long)bs.pairs_kept[2],
                 build_s);
    if (bs.fusion_bytes > 0) {
      std::fprintf(stderr, "fusion: %llu of %llu later points trainable, loss per epoch",
                   (unsigned long long)bs.fusion_trainable, (unsigned long long)bs.fusion_points);
      for (double l : bs.fusion_loss) std::fprintf(stderr, " %.4f", l);
      std::fprintf(stderr, "\n");
    }
  }

  if (o.dump_top > 0) {
    // Top-k with scores as hex floats, for the wasm/native parity check.
    EngineModel m(&pack, &to_dense, &from_dense, o.weights, o.scorer, o.stats);
    long point = 0, printed = 0;
    std::vector<std::uint32_t> prefix;
    std::vector<EventType> types;
    for (std::size_t s = 0; s < d.test.size() && printed < o.dump_top; ++s) {
      prefix.clear();
      types.clear();
      for (std::size_t t = 0; t + 1 < d.test[s].size() && printed < o.dump_top; ++t, ++point) {
        prefix.push_back(d.test[s][t]);
        types.push_back(d.test_types[s][t]);
        if (point % o.dump_every != 0) continue;
        m.request.limit = static_cast<std::uint32_t>(o.k);
        std::printf("%ld", point);
        for (const Recommendation& r : m.run(prefix, types)) {
          std::printf(" %s:%a:%s", std::string(pack.item_id(r.item)).c_str(), double(r.score),
                      source_name(r.reason.source));
        }
        std::printf("\n");
        ++printed;
      }
    }
    return 0;
  }

  if (o.tune_stats) {
    // Coordinate ascent of the statistics scorer's weights (use with --validate).
    EngineModel m(&pack, &to_dense, &from_dense, o.weights, Scorer::statistics, o.stats);
    auto objective = [&](const StatsWeights& w) {
      m.request.stats = w;
      const Row r = summarize("engine", evaluate(m, d, pop_norm, o.threads), n, 0);
      return std::make_pair(r.hr[2] + r.mrr[2], r);
    };
    StatsWeights best = o.stats;
    auto [best_obj, best_row] = objective(best);
    std::fprintf(stderr, "start: HR@20 %.2f MRR@20 %.2f\n", best_row.hr[2], best_row.mrr[2]);
    const std::vector<std::pair<std::string, std::vector<double>>> grid = {
        {"decay", {0.4, 0.5, 0.6, 0.7, 0.8}},    {"forward", {0.5, 0.75, 1, 1.5}},
        {"backward", {0, 0.15, 0.3, 0.6, 1}},    {"cooccur", {0, 0.3, 0.6, 1, 1.5, 2}},
        {"immediate", {0, 0.25, 0.5, 1}},        {"two_hop", {0, 0.3, 0.6, 1, 1.5, 2}},
        {"repeat", {1, 2, 4, 6, 8, 12}},         {"repeat_base", {0.1, 0.2, 0.4, 0.6, 1}},
        {"immediate_repeat", {0, 0.25, 0.5, 1}}, {"row_exp", {0.6, 0.7, 0.75, 0.8, 0.9}},
        {"cooccur_pop", {0, 0.15, 0.3}},         {"pop_boost", {-0.2, -0.1, 0, 0.1}}};
    for (int round = 0; round < 2; ++round) {
      for (const auto& [name, values] : grid) {
        for (double v : values) {
          StatsWeights w = best;
          set_stats_weight(w, name, v);
          auto [obj, row] = objective(w);
          std::fprintf(stderr, "  %s=%g: HR@20 %.2f MRR@20 %.2f\n", name.c_str(), v, row.hr[2],
                       row.mrr[2]);
          if (obj > best_obj + 1e-9) {
            best_obj = obj;
            best = w;
            best_row = row;
          }
        }
      }
    }
    float f[kStatsWeightCount];
    stats_weights_to(best, f);
    std::printf("best:");
    for (std::uint32_t k = 0; k < kStatsWeightCount; ++k)
      std::printf(" %s=%g", kStatsNames[k], f[k]);
    std::printf(" -> HR@20 %.2f MRR@20 %.2f\n", best_row.hr[2], best_row.mrr[2]);
    return 0;
  }

  if (o.tune) {
    // Coordinate ascent on HR@20 + MRR@20 over a small grid per weight (use with --validate).
    EngineModel m(&pack, &to_dense, &from_dense, o.weights);
    auto objective = [&](const ScoringWeights& w) {
      m.request.weights = w;
      const Metrics mt = evaluate(m, d, pop_norm, o.threads);
      const Row r = summarize("engine", mt, n, 0);
      return std::make_pair(r.hr[2] + r.mrr[2], r);
    };
    ScoringWeights best = o.weights;
    auto [best_obj, best_row] = objective(best);
    std::fprintf(stderr, "start: HR@20 %.2f MRR@20 %.2f\n", best_row.hr[2], best_row.mrr[2]);
    const std::map<std::string, std::vector<double>> grid = {
        {"recency", {0.6, 0.65, 0.7, 0.75, 0.8}},     {"co_view_seq", {0.3, 0.4, 0.5, 0.7, 1.0}},
        {"co_view", {0.25, 0.4, 0.5, 0.7, 1.0}},      {"re_view", {1.0, 1.5, 2.0, 3.0, 5.0}},
        {"re_view_last", {0.0, 0.25, 0.5, 1.0, 1.5}}, {"two_hop", {0.05, 0.1, 0.15, 0.2}},
    };
    for (int round = 0; round < 2; ++round) {
      for (const auto& [name, values] : grid) {
        for (double v : values) {
          ScoringWeights w = best;
          set_weight(w, name, v);
          auto [obj, row] = objective(w);
          std::fprintf(stderr, "  %s=%g: HR@20 %.2f MRR@20 %.2f\n", name.c_str(), v, row.hr[2],
                       row.mrr[2]);
          if (obj > best_obj + 1e-9) {
            best_obj = obj;
            best = w;
            best_row = row;
          }
        }
      }
    }
    std::printf(
        "best: history_items=%u recency=%g co_view_seq=%g co_view=%g re_view=%g "
        "re_view_last=%g two_hop=%g -> HR@20 %.2f MRR@20 %.2f\n",
        best.history_items, best.recency, best.co_view_seq, best.co_view, best.re_view,
        best.re_view_last, best.two_hop, best_row.hr[2], best_row.mrr[2]);
    return 0;
  }

  double engine_s = 0;
  if (want("engine")) {
    // "engine" is what the browser runs (Scorer::automatic: fused when the pack has FUSN);
    // the pack's other scorers follow, side by side.
    std::vector<std::pair<Scorer, const char*>> scorers = {{Scorer::automatic, "engine"}};
    if (pack.has_session_stats() && !o.engine_only) {
      scorers.push_back({Scorer::neighbourhood, "engine: neighbourhood (v1)"});
      if (pack.has_fusion()) scorers.push_back({Scorer::statistics, "engine: statistics (hand)"});
    }
    for (const auto& [scorer, label] : scorers) {
      EngineModel m(&pack, &to_dense, &from_dense, o.weights, scorer, o.stats);
      const double ts = now_s();
      const Metrics mt = evaluate(m, d, pop_norm, o.threads);
      engine_s = now_s() - ts;
      rows.push_back(summarize(label, mt, n, engine_s));
    }
  }
  if (want("pop")) {
    PopModel m(&by_pop);
    const double ts = now_s();
    const Metrics mt = evaluate(m, d, pop_norm, o.threads);
    rows.push_back(summarize("pop", mt, n, now_s() - ts));
  }
  if (want("iknn") || want("sr")) {
    // Raw pair statistics from the training sessions (no support threshold, no pruning).
    std::unordered_map<std::uint64_t, float> co, sr;
    co.reserve(1 << 22);
    sr.reserve(1 << 22);
    for (const auto& s : d.train) {
      std::vector<std::uint32_t> u(s);
      std::sort(u.begin(), u.end());
      u.erase(std::unique(u.begin(), u.end()), u.end());
      if (want("iknn") && u.size() <= 100) {
        for (std::size_t p = 0; p < u.size(); ++p) {
          for (std::size_t q = 0; q < u.size(); ++q) {
            if (p != q) co[std::uint64_t{u[p]} << 32 | u[q]] += 1.0f;
          }
        }
      }
      if (want("sr")) {
        for (std::size_t p = 0; p < s.size(); ++p) {
          for (std::size_t q = p + 1; q < s.size() && q - p <= 10; ++q) {
            if (s[p] != s[q]) sr[std::uint64_t{s[p]} << 32 | s[q]] += 1.0f / float(q - p);
          }
        }
      }
    }
    auto make_rows = [&](const std::unordered_map<std::uint64_t, float>& m, bool cosine) {
      Neighbours nb;
      nb.rows.resize(n);
      for (const auto& [key, v] : m) {
        const auto a = static_cast<std::uint32_t>(key >> 32);
        const auto b = static_cast<std::uint32_t>(key & 0xFFFFFFFFu);
        const float w = cosine ? v / std::sqrt(float(pop[a]) * float(pop[b])) : v;
        nb.rows[a].push_back({b, w});
      }
      for (auto& r : nb.rows) {
        std::sort(r.begin(), r.end(), [&](const auto& x, const auto& y) {
          if (x.second != y.second) return x.second > y.second;
          if (pop[x.first] != pop[y.first]) return pop[x.first] > pop[y.first];
          return x.first < y.first;
        });
        if (r.size() > 20) r.resize(20);
      }
      return nb;
    };
    if (want("iknn")) {
      const Neighbours nb = make_rows(co, true);
      LastItemModel m("iknn", &nb, &by_pop);
      const double ts = now_s();
      const Metrics mt = evaluate(m, d, pop_norm, o.threads);
      rows.push_back(summarize("item-knn (last item)", mt, n, now_s() - ts));
    }
    if (want("sr")) {
      const Neighbours nb = make_rows(sr, false);
      LastItemModel m("sr", &nb, &by_pop);
      const double ts = now_s();
      const Metrics mt = evaluate(m, d, pop_norm, o.threads);
      rows.push_back(summarize("sequential rules (last item)", mt, n, now_s() - ts));
    }
  }

  const double wall = now_s() - t0;
  if (o.json) {
    std::printf(
        "{\"dataset\":\"%s\",\"points\":%zu,\"items\":%zu,\"k\":%d,\"min_support\":%u,"
        "\"pack_bytes\":%zu,\"pack_build_s\":%.3f,\"wall_s\":%.3f,",
        o.dataset.c_str(), points, n, o.k, o.min_support, bytes.size(), build_s, wall);
    const PackPrivacy& pp = pack.info().privacy;
    if (pp.enabled) {
      std::printf(
          "\"dp\":{\"mechanism\":%u,\"selection\":\"%s\",\"epsilon\":%g,\"delta\":%g,\"mu\":%.6f,"
          "\"scale\":%g,"
          "\"max_pairs\":%u,\"max_items\":%u,\"sigma_popularity\":%.4f,"
          "\"sigma_pairs\":%.4f,\"threshold\":%.3f,\"seed\":%llu},",
          pp.mechanism, pp.selection == 1 ? "public_domain" : "threshold", pp.epsilon, pp.delta,
          pp.mu, pp.scale, pp.max_pairs, pp.max_items, pp.sigma_popularity, pp.sigma_pairs,
          pp.threshold, (unsigned long long)o.dp_seed);
    }
    std::printf("\"results\":[");
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const Row& x = rows[r];
      std::printf("%s{\"model\":\"%s\"", r ? "," : "", x.model.c_str());
      for (int k = 0; k < 3; ++k) {
        std::printf(",\"hr@%d\":%.4f,\"mrr@%d\":%.4f", kKs[k], x.hr[k], kKs[k], x.mrr[k]);
      }
      std::printf(",\"coverage@20\":%.4f,\"popularity@20\":%.4f,\"seconds\":%.3f}", x.coverage,
                  x.popularity, x.seconds);
    }
    std::printf("]}\n");
  } else {
    std::printf("dataset %s: %zu prediction points, %zu training items (metrics in %%)\n",
                o.dataset.c_str(), points, n);
    std::printf("%-30s %7s %7s %7s %7s %7s %7s %8s %8s %7s\n", "model", "HR@5", "MRR@5", "HR@10",
                "MRR@10", "HR@20", "MRR@20", "cov@20", "pop@20", "sec");
    for (const Row& x : rows) {
      std::printf("%-30s %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %8.4f %8.4f %7.2f\n", x.model.c_str(),
                  x.hr[0], x.mrr[0], x.hr[1], x.mrr[1], x.hr[2], x.mrr[2], x.coverage, x.popularity,
                  x.seconds);
    }
    std::printf("pack: %zu bytes, built in %.2f s; wall time %.1f s\n", bytes.size(), build_s,
                wall);
  }
  return 0;
}
