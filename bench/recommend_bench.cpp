// Recommend latency on a real pack (e.g. DIGINETICA) and on a synthetic 200k-item pack.
// Built natively and as wasm (run under node); bench/recommend_bench.mjs runs both and
// prints the wasm/native ratio. Prints one JSON object on stdout.
//
//   vitrine-recommend-bench --pack FILE [--sessions test.txt] [--queries N] [--label NAME]
//   vitrine-recommend-bench --make-synthetic OUT.vpk [--items 200000] [--sessions-count N]
//                           [--dim 32] [--embed-index auto|on|off]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "session_io.hpp"
#include "vitrine/pack.hpp"
#include "vitrine/pack_builder.hpp"
#include "vitrine/recommend.hpp"

using namespace vitrine;

namespace {

double now_ms() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// xorshift64*: a fixed, portable generator (the same numbers natively and in wasm).
struct Rng {
  std::uint64_t s;
  explicit Rng(std::uint64_t seed) : s(seed ? seed : 1) {}
  std::uint64_t next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 2685821657736338717ull;
  }
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }
  double unit() { return double(next() >> 11) / double(1ull << 53); }
};

int make_synthetic(const std::string& out, std::uint32_t items, std::uint32_t sessions,
                   std::uint32_t dim, EmbeddingIndex index) {
  const double t0 = now_ms();
  PackBuildOptions o;
  o.embedding_index = index;
  o.min_support = 2;
  // As vitrine-pack: session statistics and the fusion, so "home" runs the fused scorer.
  // The fusion fits on the latest 1 % (6,000 sessions): enough points, a shorter build.
  o.session_stats = true;
  o.fusion = true;
  o.fusion_holdout = 0.01;
  PackBuilder b(o);
  std::vector<std::uint32_t> h(items);
  char buf[32];
  for (std::uint32_t i = 0; i < items; ++i) {
    std::snprintf(buf, sizeof buf, "SKU-%07u", i);
    h[i] = b.intern(buf).value();
    CatalogItem c;
    c.id = buf;
    std::snprintf(buf, sizeof buf, "cat-%03u", i / 500);
    c.category = buf;
    c.price = float(1 + i % 200);
    c.available = i % 17 != 0;
    b.add_catalog_item(c);
  }
  // Sessions walk among nearby items (a shop's "aisles") with a skewed popularity.
  Rng rng(42);
  std::vector<SessionEvent> ev;
  for (std::uint32_t s = 0; s < sessions; ++s) {
    ev.clear();
    const std::uint32_t len = 2 + rng.below(8);
    const double u = rng.unit();
    std::uint32_t x = static_cast<std::uint32_t>(u * u * items) % items;
    for (std::uint32_t k = 0; k < len; ++k) {
      const double r = rng.unit();
      EventType t = r < 0.08 ? EventType::add_to_cart : EventType::view_item;
      ev.push_back({h[x], t});
      x = (x + 1 + rng.below(20)) % items;
    }
    b.add_session(ev);
  }
  if (dim > 0) {
    // Clustered vectors: items of one category share a centre.
    std::vector<float> e(std::size_t{items} * dim);
    std::vector<float> centre(dim);
    for (std::uint32_t i = 0; i < items; ++i) {
      if (i % 500 == 0) {
        for (auto& v : centre) v = float(rng.unit() * 2 - 1);
      }
      double norm = 0;
      for (std::uint32_t k = 0; k < dim; ++k) {
        const float v = centre[k] + float(rng.unit() - 0.5) * 0.6f;
        e[std::size_t{i} * dim + k] = v;
        norm += double(v) * v;
      }
      const float inv = norm > 0 ? float(1 / std::sqrt(norm)) : 1.0f;
      for (std::uint32_t k = 0; k < dim; ++k) e[std::size_t{i} * dim + k] *= inv;
    }
    b.set_embeddings(std::move(e), dim);
  }
  const std::vector<std::uint8_t> bytes = b.build().value();
  std::FILE* f = std::fopen(out.c_str(), "wb");
  if (!f || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() || std::fclose(f)) {
    std::fprintf(stderr, "cannot write %s\n", out.c_str());
    return 1;
  }
  std::printf(
      "{\"synthetic\":\"%s\",\"items\":%u,\"sessions\":%u,\"dim\":%u,\"bytes\":%zu,"
      "\"build_ms\":%.1f}\n",
      out.c_str(), items, sessions, dim, bytes.size(), now_ms() - t0);
  return 0;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto k = static_cast<std::size_t>(p * double(v.size() - 1) + 0.5);
  return v[std::min(k, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  std::string pack_path, sessions_path, label = "pack", synth;
  std::uint32_t queries = 3000, items = 200000, nsessions = 600000, dim = 32;
  EmbeddingIndex index = EmbeddingIndex::automatic;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "missing value after %s\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--pack")
      pack_path = next();
    else if (a == "--sessions")
      sessions_path = next();
    else if (a == "--queries")
      queries = static_cast<std::uint32_t>(std::atoi(next().c_str()));
    else if (a == "--label")
      label = next();
    else if (a == "--make-synthetic")
      synth = next();
    else if (a == "--items")
      items = static_cast<std::uint32_t>(std::atoi(next().c_str()));
    else if (a == "--sessions-count")
      nsessions = static_cast<std::uint32_t>(std::atoi(next().c_str()));
    else if (a == "--dim")
      dim = static_cast<std::uint32_t>(std::atoi(next().c_str()));
    else if (a == "--embed-index") {
      const std::string v = next();
      index = v == "on"    ? EmbeddingIndex::always
              : v == "off" ? EmbeddingIndex::never
                           : EmbeddingIndex::automatic;
    } else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  if (!synth.empty()) return make_synthetic(synth, items, nsessions, dim, index);
  if (pack_path.empty()) {
    std::fprintf(stderr, "usage: vitrine-recommend-bench --pack FILE [--sessions FILE]\n");
    return 2;
  }

  std::ifstream in(pack_path, std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  double t = now_ms();
  Result<Pack> opened = Pack::open(bytes.data(), bytes.size());
  const double open_ms = now_ms() - t;
  if (!opened.is_ok()) {
    std::fprintf(stderr, "%s\n", opened.status().message().c_str());
    return 1;
  }
  const Pack& pack = opened.value();
  const std::uint32_t n = pack.item_count();

  // Histories: prefixes of real test sessions when given, else random walks over the pack.
  std::vector<std::vector<Signal>> histories;
  if (!sessions_path.empty()) {
    std::vector<tools::RawSession> raw;
    if (!tools::read_sessions(sessions_path, tools::Format::lines, raw).is_ok()) return 1;
    for (const auto& s : raw) {
      std::vector<Signal> h;
      for (const auto& e : s) {
        if (auto d = pack.find(e.item)) h.push_back({*d, e.type, e.time_ms});
        if (!h.empty()) histories.push_back(h);
        if (histories.size() >= queries) break;
      }
      if (histories.size() >= queries) break;
    }
  } else {
    Rng rng(7);
    for (std::uint32_t q = 0; q < queries; ++q) {
      std::vector<Signal> h;
      std::uint32_t x = rng.below(n);
      const std::uint32_t len = 1 + rng.below(15);
      for (std::uint32_t k = 0; k < len; ++k) {
        h.push_back({x, k % 7 == 6 ? EventType::add_to_cart : EventType::view_item,
                     std::int64_t{k} * 1000});
        x = (x + 1 + rng.below(20)) % n;
      }
      histories.push_back(std::move(h));
    }
  }

  Recommender rec(pack);
  auto run = [&](Context context, bool embeddings) {
    RecommendRequest req;
    req.context = context;
    req.limit = 20;
    req.max_per_category = 4;
    req.weights.embedding = embeddings ? 0.3f : 0.0f;
    std::vector<double> lat;
    lat.reserve(histories.size());
    std::uint64_t sink = 0;
    // Per-call latencies (each pays two clock reads: ~1 us in wasm, where the clock is a
    // call into JS), then the same calls timed as one batch for the mean without that cost.
    for (int warm = 0; warm < 2; ++warm) {  // the first pass warms caches and the JIT
      lat.clear();
      for (const auto& h : histories) {
        req.item = h.back().item;
        const double a = now_ms();
        const auto r = rec.recommend(h, req);
        lat.push_back(now_ms() - a);
        sink += r.size();
      }
    }
    const double b0 = now_ms();
    for (const auto& h : histories) {
      req.item = h.back().item;
      sink += rec.recommend(h, req).size();
    }
    const double batch_ms = now_ms() - b0;
    char out[256];
    std::snprintf(out, sizeof out,
                  "{\"context\":\"%s\",\"embeddings\":%s,\"queries\":%zu,\"p50_ms\":%.4f,"
                  "\"p99_ms\":%.4f,\"mean_ms\":%.4f,\"mean_results\":%.2f}",
                  context == Context::home   ? "home"
                  : context == Context::item ? "item"
                                             : "cart",
                  embeddings ? "true" : "false", lat.size(), percentile(lat, 0.5),
                  percentile(lat, 0.99), batch_ms / double(lat.size()),
                  double(sink) / double(3 * lat.size()));
    return std::string(out);
  };
  std::string cases =
      run(Context::home, false) + "," + run(Context::item, false) + "," + run(Context::cart, false);
  if (pack.embedding_dim() > 0) cases += "," + run(Context::home, true);
#if defined(__EMSCRIPTEN__)
  const char* platform = "wasm-node";
#else
  const char* platform = "native";
#endif
  std::printf(
      "{\"label\":\"%s\",\"platform\":\"%s\",\"items\":%u,\"pack_bytes\":%zu,"
      "\"embedding_dim\":%u,\"open_ms\":%.2f,\"cases\":[%s]}\n",
      label.c_str(), platform, n, bytes.size(), pack.embedding_dim(), open_ms, cases.c_str());
  return 0;
}
