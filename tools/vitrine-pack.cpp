// vitrine-pack: builds a model pack (docs/pack-format.md) from sessions/orders and a catalog.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "pack_shard.hpp"
#include "session_io.hpp"
#include "vitrine/pack.hpp"
#include "vitrine/pack_builder.hpp"

using namespace vitrine;

namespace {

[[noreturn]] void usage(const char* msg) {
  if (msg) std::fprintf(stderr, "vitrine-pack: %s\n", msg);
  std::fprintf(
      stderr,
      "usage: vitrine-pack shard ...   (cut a built pack into a head and shards; shard --help)\n"
      "       vitrine-pack --sessions FILE [--sessions FILE]... [--format lines|sessionrec|otto]\n"
      "         [--catalog items.csv] [--min-support K] [--max-neighbors N] [--window W]\n"
      "         [--embed-dim D] [--catalog-only] [--quiet] -o out.vpk\n"
      "         [--dp-epsilon E [--dp-delta D] [--dp-max-pairs L] [--dp-max-items M]\n"
      "          [--dp-seed N]]\n"
      "  --sessions FILE   sessions or orders (repeatable; all in --format)\n"
      "  --catalog FILE    CSV with header item_id,category,price,available[,name]\n"
      "  --min-support K   keep a relation only if >= K distinct sessions support it (default 2)\n"
      "  --max-neighbors N strongest neighbours kept per item and relation (default 35)\n"
      "  --window W        steps ahead counted by the sequential co-view relation (default 10)\n"
      "  --embed-dim D     int8 item embeddings of D dimensions computed from co-view\n"
      "                    (default 16; 0: none)\n"
      "  --catalog-only    only catalog items: drop session items missing from the catalog\n"
      "  --dp-epsilon E    differentially private pack, (E, D)-DP per session for the whole\n"
      "                    pack (privacy/pack-privacy.md); needs --catalog, implies\n"
      "                    --catalog-only; --min-support is then not used\n"
      "  --dp-delta D      (default 1e-6; keep it well below 1 / sessions)\n"
      "  --dp-max-pairs L  co-view pairs one session may add to (default 5)\n"
      "  --dp-max-items M  items one session may add to popularity (default 10)\n"
      "  --dp-seed N       reproducible noise, for tests only (default: a 256-bit key from\n"
      "                    the operating system's random source)\n");
  std::exit(2);
}

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Measured with vitrine-eval, L 5, delta 1e-6 (docs/evaluation.md, "Differentially private
// packs"): HR@20 and MRR@20 as shares of the exact pack's, at 187k sessions and at 5x that.
const char* expected_quality(double epsilon) {
  if (epsilon < 2) return "at epsilon 1: 40% / 75% (0.93M sessions: 55% / 82%)";
  if (epsilon < 4) return "at epsilon 2: 42% / 76% (0.93M sessions: 67% / 87%)";
  if (epsilon < 8) return "at epsilon 4: 49% / 80% (0.93M sessions: 80% / 92%)";
  return "at epsilon 8: 58% / 84% (0.93M sessions: 91% / 96%)";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "shard") return tools::shard_main(argc - 1, argv + 1);
  std::vector<std::string> sessions;
  std::string catalog, out;
  tools::Format format = tools::Format::lines;
  PackBuildOptions bo;
  bo.min_support = 2;
  bo.max_neighbors = 35;
  bo.embedding_dim = 16;
  bool quiet = false, catalog_only = false, seeded = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + a).c_str());
      return argv[++i];
    };
    auto number = [&]() -> std::uint32_t {
      const std::string v = next();
      char* end = nullptr;
      const long x = std::strtol(v.c_str(), &end, 10);
      if (end == v.c_str() || *end != '\0' || x < 1 || x > 1000000) {
        usage((a + " needs a positive integer").c_str());
      }
      return static_cast<std::uint32_t>(x);
    };
    auto real = [&](double lo, double hi) -> double {
      const std::string v = next();
      char* end = nullptr;
      const double x = std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0' || !(x > lo) || !(x < hi)) {
        usage((a + " out of range").c_str());
      }
      return x;
    };
    if (a == "--dp-epsilon") {
      bo.dp.epsilon = real(0, 100.000001);
    } else if (a == "--dp-delta") {
      bo.dp.delta = real(0, 0.5);
    } else if (a == "--dp-max-pairs") {
      bo.dp.max_pairs = number();
    } else if (a == "--dp-max-items") {
      bo.dp.max_items = number();
    } else if (a == "--dp-seed") {
      const std::string v = next();
      char* end = nullptr;
      const unsigned long long x = std::strtoull(v.c_str(), &end, 10);
      if (end == v.c_str() || *end != '\0') usage("--dp-seed needs an integer");
      bo.dp.key = pack::dp_key_from_seed(x);
      seeded = true;
    } else if (a == "--sessions") {
      sessions.push_back(next());
    } else if (a == "--format") {
      if (!tools::parse_format(next(), format)) usage("unknown --format");
    } else if (a == "--catalog") {
      catalog = next();
    } else if (a == "--min-support") {
      bo.min_support = number();
    } else if (a == "--max-neighbors") {
      bo.max_neighbors = number();
    } else if (a == "--window") {
      bo.window = number();
    } else if (a == "--embed-dim") {
      const std::string v = next();
      bo.embedding_dim = static_cast<std::uint32_t>(std::strtoul(v.c_str(), nullptr, 10));
      if (bo.embedding_dim > 1024 || (bo.embedding_dim == 0 && v != "0")) {
        usage("--embed-dim must be 0..1024");
      }
    } else if (a == "--catalog-only") {
      catalog_only = true;
    } else if (a == "--quiet" || a == "-q") {
      quiet = true;
    } else if (a == "-o" || a == "--output") {
      out = next();
    } else if (a == "-h" || a == "--help") {
      usage(nullptr);
    } else {
      usage(("unknown argument " + a).c_str());
    }
  }
  if (out.empty()) usage("-o out.vpk is required");
  if (sessions.empty() && catalog.empty()) usage("give --sessions and/or --catalog");
  if (catalog_only && catalog.empty()) usage("--catalog-only needs --catalog");
  if (bo.dp.enabled()) {
    // The item table is published: in a private pack it may only hold the public catalog.
    if (catalog.empty()) usage("--dp-epsilon needs --catalog (the item list is published)");
    catalog_only = true;
    if (!seeded) {
      std::random_device os;  // the operating system's entropy (getrandom on Linux)
      for (auto& word : bo.dp.key) word = os();
    }
  }
  const double t0 = now_s();

  PackBuilder builder(bo);
  std::unordered_set<std::string> catalog_ids;  // --catalog-only
  if (!catalog.empty()) {
    std::vector<CatalogItem> items;
    Status st = tools::read_catalog(catalog, items);
    if (!st.is_ok()) {
      std::fprintf(stderr, "vitrine-pack: %s\n", st.message().c_str());
      return 1;
    }
    for (std::size_t k = 0; k < items.size(); ++k) {
      if (catalog_only) catalog_ids.insert(items[k].id);
      st = builder.add_catalog_item(items[k]);
      if (!st.is_ok()) {
        // Row k is line k + 2 when there are no blank lines (header is line 1).
        std::fprintf(stderr, "vitrine-pack: %s: item %zu: %s\n", catalog.c_str(), k + 1,
                     st.message().c_str());
        return 1;
      }
    }
    if (!quiet) std::fprintf(stderr, "catalog: %zu items\n", items.size());
  }
  std::size_t skipped = 0;
  for (const std::string& path : sessions) {
    std::vector<tools::RawSession> raw;
    auto progress = [&](std::uint64_t done, std::uint64_t total) {
      if (!quiet) {
        std::fprintf(stderr, "\rreading %s: %.0f%%", path.c_str(),
                     total ? 100.0 * double(done) / double(total) : 100.0);
        if (done >= total) std::fprintf(stderr, "\n");
      }
    };
    Status st = tools::read_sessions(path, format, raw, progress);
    if (!st.is_ok()) {
      std::fprintf(stderr, "vitrine-pack: %s\n", st.message().c_str());
      return 1;
    }
    std::vector<SessionEvent> events;
    for (const auto& s : raw) {
      events.clear();
      for (const auto& e : s) {
        if (catalog_only && catalog_ids.count(e.item) == 0) {
          ++skipped;
          continue;
        }
        Result<std::uint32_t> h = builder.intern(e.item);
        if (!h.is_ok()) {
          std::fprintf(stderr, "vitrine-pack: %s: %s\n", path.c_str(),
                       h.status().message().c_str());
          return 1;
        }
        events.push_back({h.value(), e.type});
      }
      builder.add_session(events);
    }
  }
  if (catalog_only && !quiet) {
    std::fprintf(stderr, "--catalog-only: %zu events of items outside the catalog left out\n",
                 skipped);
  }
  PackBuildStats stats;
  auto progress = [&](std::string_view stage, double f) {
    if (!quiet) {
      std::fprintf(stderr, "\rbuilding: %.*s %.0f%%   ", static_cast<int>(stage.size()),
                   stage.data(), 100.0 * f);
      if (stage == "done") std::fprintf(stderr, "\n");
    }
  };
  Result<std::vector<std::uint8_t>> built = builder.build(&stats, progress);
  if (!built.is_ok()) {
    std::fprintf(stderr, "vitrine-pack: %s\n", built.status().message().c_str());
    return 1;
  }
  const std::vector<std::uint8_t>& bytes = built.value();
  // Check what we wrote with the reader the engine uses.
  Result<Pack> check = Pack::open(bytes.data(), bytes.size());
  if (!check.is_ok()) {
    std::fprintf(stderr, "vitrine-pack: internal error: %s\n", check.status().message().c_str());
    return 1;
  }
  std::FILE* f = std::fopen(out.c_str(), "wb");
  if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() ||
      std::fclose(f) != 0) {
    std::fprintf(stderr, "vitrine-pack: %s: cannot write\n", out.c_str());
    return 1;
  }
  if (bo.dp.enabled()) {  // printed even with --quiet: it says what was published
    const pack::DpPlan& p = stats.dp;
    std::fprintf(stderr,
                 "differential privacy: (epsilon %g, delta %g) per session, whole pack; analytic "
                 "Gaussian, mu %.4f (GDP); popularity: <= %u items per session, sigma %.3f; "
                 "co-view: <= %u pairs per session, sigma %.3f, released above %.2f (%llu of "
                 "%llu pairs)%s\n",
                 p.epsilon, p.delta, p.mu, p.popularity.cells, p.popularity.sigma, p.pairs.cells,
                 p.pairs.sigma, p.pairs.threshold, (unsigned long long)stats.pairs_kept[1] / 2,
                 (unsigned long long)stats.pairs_seen[1] / 2,
                 seeded ? "; SEEDED noise (tests only)" : "");
    std::fprintf(stderr,
                 "expected quality: a co-view pair needs about %.0f sessions to be published; "
                 "measured on DIGINETICA (187k sessions, docs/evaluation.md), HR@20 / MRR@20 as "
                 "shares of the exact pack's %s; more sessions, better\n",
                 p.pairs.threshold, expected_quality(p.epsilon));
  }
  if (!quiet) {
    std::fprintf(stderr,
                 "%s: %zu bytes; %llu items, %llu categories, %llu sessions (%llu with carts or "
                 "orders), %llu events; relations kept (%s): co_view_seq %llu of "
                 "%llu, co_view %llu of %llu, co_purchase %llu of %llu; %.2f s\n",
                 out.c_str(), bytes.size(), (unsigned long long)stats.items,
                 (unsigned long long)stats.categories, (unsigned long long)stats.sessions,
                 (unsigned long long)stats.orders, (unsigned long long)stats.events,
                 bo.dp.enabled() ? "private, pairs per direction"
                                 : ("min support " + std::to_string(bo.min_support)).c_str(),
                 (unsigned long long)stats.pairs_kept[0], (unsigned long long)stats.pairs_seen[0],
                 (unsigned long long)stats.pairs_kept[1], (unsigned long long)stats.pairs_seen[1],
                 (unsigned long long)stats.pairs_kept[2], (unsigned long long)stats.pairs_seen[2],
                 now_s() - t0);
  }
  return 0;
}
