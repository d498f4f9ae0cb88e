// vitrine-pack: builds a model pack (docs/pack-format.md) from sessions/orders and a catalog,
// in one step or in two (docs/pack-tables.md): `aggregate` (sessions -> aggregate tables,
// streamed, spilling sorted runs to disk past a memory cap) and `build` (tables -> pack).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "pack_shard.hpp"
#include "session_io.hpp"
#include "table_files.hpp"
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
      "         [--no-session-stats] [--no-fusion] [--stats-neighbors N] [--stats-parts L]\n"
      "         [--dp-epsilon E [--dp-delta D] [--dp-max-pairs L] [--dp-max-items M]\n"
      "          [--dp-selection public|threshold] [--dp-spurious-pairs R] [--dp-seed N]]\n"
      "       vitrine-pack aggregate --sessions FILE... [--format F] [--window W]\n"
      "         [--max-session-items N] [--memory-mb M] [--spill-dir DIR] [--min-sessions K]\n"
      "         [--catalog items.csv --catalog-only] [--quiet] -o TABLES_DIR\n"
      "       vitrine-pack build --tables TABLES_DIR [--catalog items.csv] [--min-support K]\n"
      "         [--max-neighbors N] [--embed-dim D] [--quiet] -o out.vpk\n"
      "  --sessions FILE   sessions or orders (repeatable; all in --format)\n"
      "  --catalog FILE    CSV with header item_id,category,price,available[,name]\n"
      "  --min-support K   keep a relation only if >= K distinct sessions support it (default 2)\n"
      "  --max-neighbors N strongest neighbours kept per item and relation (default 35)\n"
      "  --window W        steps ahead counted by the sequential co-view relation (default 10)\n"
      "  --embed-dim D     int8 item embeddings of D dimensions computed from co-view\n"
      "                    (default 16; 0: none)\n"
      "  --embed-index auto|on|off  section EIDX, the embeddings in clusters for a faster\n"
      "                    search with the same results (auto: items x dim >= 1 MiB)\n"
      "  --embed-clusters K  clusters in EIDX (default: about the square root of the items)\n"
      "  --no-session-stats  leave out section SSTA (session statistics) and FUSN\n"
      "  --no-fusion       leave out section FUSN (the learned fusion; fitted on the latest\n"
      "                    10%% of the sessions, statistics from the others)\n"
      "  --stats-neighbors N  entries per row of each SSTA relation (default 20)\n"
      "  --fusion NAME=VALUE  fusion training (PackBuildOptions::fusion_*): folds hidden\n"
      "                    epochs batch candidates neighbours features seed lr final_rate holdout\n"
      "  --stats-parts LIST  SSTA parts written (default popularity,recent,repeat; all):\n"
      "                    popularity recent repeat\n"
      "                    immediate_repeat forward_sum backward_sum cooccur_sum\n"
      "                    immediate_sum forward backward immediate cooccur\n"
      "  --catalog-only    only catalog items: drop session items missing from the catalog\n"
      "  --max-session-items N  longer sessions add co-view pairs only within the window (50)\n"
      "  --memory-mb M     aggregate: spill sorted runs to disk past M MB of pairs (default 1024)\n"
      "  --spill-dir DIR   aggregate: where runs go (default: the output directory)\n"
      "  --min-sessions K  aggregate: leave out pair rows of fewer than K sessions (default 1;\n"
      "                    a pack of --min-support >= K is unchanged)\n"
      "  --tables DIR      build: aggregate tables written by `aggregate` or a warehouse\n"
      "  --dp-epsilon E    differentially private pack, (E, D)-DP per session for the whole\n"
      "                    pack (privacy/pack-privacy.md); one-step build only; needs\n"
      "                    --catalog, implies --catalog-only; --min-support is then not used\n"
      "  --dp-delta D      (default 1e-6; keep it well below 1 / sessions)\n"
      "  --dp-max-pairs L  co-view pairs one session may add to (default 40)\n"
      "  --dp-max-items M  items one session may add to popularity (default 10)\n"
      "  --dp-pair-weights unit|l2  what a session with k pairs adds to each: 1 (unit) or\n"
      "                    1/sqrt(k) (l2, default: its L2 norm is 1 whatever k is)\n"
      "  --dp-selection public|threshold  which co-view pairs are published: public\n"
      "                    (default): every catalog pair gets noise and those above a cut\n"
      "                    are published; threshold: only pairs some session has get noise,\n"
      "                    published above a higher threshold that spends part of delta\n"
      "  --dp-spurious-pairs R  public: the cut lets through R pairs per item on average\n"
      "                    that no session has (default 0.2)\n"
      "  --dp-seed N       reproducible noise, for tests only (default: a 256-bit key from\n"
      "                    the operating system's random source)\n");
  std::exit(2);
}

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Measured with vitrine-eval, L 40 with L2-normalised pair weights, public-domain selection,
// delta 1e-6 (docs/evaluation.md, "Differentially private packs"): HR@20 and MRR@20 as shares
// of the exact neighbourhood pack's, at 187k sessions and at 5x that.
const char* expected_quality(double epsilon) {
  if (epsilon < 2) return "at epsilon 1: 42% / 76% (0.93M sessions: 65% / 87%)";
  if (epsilon < 4) return "at epsilon 2: 49% / 80% (0.93M sessions: 79% / 93%)";
  if (epsilon < 8) return "at epsilon 4: 59% / 84% (0.93M sessions: 90% / 96%)";
  return "at epsilon 8: 72% / 90% (0.93M sessions: 96% / 98%)";
}

}  // namespace

namespace {

struct Args {
  std::string mode;  // "", "aggregate" or "build"
  std::vector<std::string> sessions;
  std::string catalog, out, tables, spill_dir;
  tools::Format format = tools::Format::lines;
  PackBuildOptions bo;
  std::uint32_t memory_mb = 1024;
  std::uint32_t min_sessions = 1;
  bool quiet = false, catalog_only = false, seeded = false;
};

Args parse(int argc, char** argv) {
  Args o;
  o.bo.min_support = 2;
  o.bo.max_neighbors = 35;
  o.bo.embedding_dim = 16;
  o.bo.session_stats = true;  // one-step builds; private packs leave them out
  o.bo.fusion = true;
  int i = 1;
  if (argc > 1 && (std::string(argv[1]) == "aggregate" || std::string(argv[1]) == "build")) {
    o.mode = argv[1];
    i = 2;
  }
  // Flags each mode takes (the others would be silently ignored: refuse them).
  auto only = [&](const std::string& flag, bool ok) {
    if (!ok) usage((flag + " is not an option of this mode").c_str());
  };
  const bool agg = o.mode == "aggregate", build = o.mode == "build";
  for (; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + a).c_str());
      return argv[++i];
    };
    auto number = [&](long max) -> std::uint32_t {
      const std::string v = next();
      char* end = nullptr;
      const long x = std::strtol(v.c_str(), &end, 10);
      if (end == v.c_str() || *end != '\0' || x < 1 || x > max) {
        usage((a + " needs an integer 1.." + std::to_string(max)).c_str());
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
    const bool dp_flag = a.rfind("--dp-", 0) == 0;
    if (dp_flag) only(a, o.mode.empty());
    if (a == "--dp-epsilon") {
      o.bo.dp.epsilon = real(0, 100.000001);
    } else if (a == "--dp-delta") {
      o.bo.dp.delta = real(0, 0.5);
    } else if (a == "--dp-max-pairs") {
      o.bo.dp.max_pairs = number(1000000);
    } else if (a == "--dp-max-items") {
      o.bo.dp.max_items = number(1000000);
    } else if (a == "--dp-pair-weights") {
      const std::string v = next();
      if (v != "unit" && v != "l2") usage("--dp-pair-weights must be unit or l2");
      o.bo.dp.pair_weighting = v == "unit" ? pack::PairWeighting::unit : pack::PairWeighting::l2;
    } else if (a == "--dp-selection") {
      const std::string v = next();
      if (v != "public" && v != "threshold") usage("--dp-selection must be public or threshold");
      o.bo.dp.selection =
          v == "public" ? pack::PairSelection::public_domain : pack::PairSelection::threshold;
    } else if (a == "--dp-spurious-pairs") {
      o.bo.dp.spurious_pairs = real(0, 100);
    } else if (a == "--dp-seed") {
      const std::string v = next();
      char* end = nullptr;
      const unsigned long long x = std::strtoull(v.c_str(), &end, 10);
      if (end == v.c_str() || *end != '\0') usage("--dp-seed needs an integer");
      o.bo.dp.key = pack::dp_key_from_seed(x);
      o.seeded = true;
    } else if (a == "--sessions") {
      only(a, !build);
      o.sessions.push_back(next());
    } else if (a == "--format") {
      only(a, !build);
      if (!tools::parse_format(next(), o.format)) usage("unknown --format");
    } else if (a == "--catalog") {
      o.catalog = next();
    } else if (a == "--min-support") {
      only(a, !agg);
      o.bo.min_support = number(1000000);
    } else if (a == "--max-neighbors") {
      only(a, !agg);
      o.bo.max_neighbors = number(1000000);
    } else if (a == "--window") {
      only(a, !build);
      o.bo.window = number(pack::kMaxWindow);
    } else if (a == "--max-session-items") {
      only(a, !build);
      o.bo.max_session_items = number(1000000);
    } else if (a == "--embed-dim") {
      only(a, !agg);
      const std::string v = next();
      o.bo.embedding_dim = static_cast<std::uint32_t>(std::strtoul(v.c_str(), nullptr, 10));
      if (o.bo.embedding_dim > 1024 || (o.bo.embedding_dim == 0 && v != "0")) {
        usage("--embed-dim must be 0..1024");
      }
    } else if (a == "--embed-index") {
      only(a, !agg);
      const std::string v = next();
      if (v == "auto") {
        o.bo.embedding_index = EmbeddingIndex::automatic;
      } else if (v == "on") {
        o.bo.embedding_index = EmbeddingIndex::always;
      } else if (v == "off") {
        o.bo.embedding_index = EmbeddingIndex::never;
      } else {
        usage("--embed-index must be auto, on or off");
      }
    } else if (a == "--embed-clusters") {
      only(a, !agg);
      o.bo.embedding_clusters = number(65536);
    } else if (a == "--no-session-stats") {
      only(a, o.mode.empty());
      o.bo.session_stats = false;
      o.bo.fusion = false;
    } else if (a == "--no-fusion") {
      only(a, o.mode.empty());
      o.bo.fusion = false;
    } else if (a == "--stats-parts") {
      only(a, o.mode.empty());
      const Result<std::uint32_t> m = parse_stats_parts(next());
      if (!m.is_ok()) usage(m.status().message().c_str());
      o.bo.stats_parts = m.value();
    } else if (a == "--fusion") {
      only(a, o.mode.empty());
      const Status st = set_fusion_option(o.bo, next());
      if (!st.is_ok()) usage(st.message().c_str());
    } else if (a == "--stats-neighbors") {
      only(a, o.mode.empty());
      o.bo.stats_neighbors = number(1000);
    } else if (a == "--catalog-only") {
      only(a, !build);
      o.catalog_only = true;
    } else if (a == "--memory-mb") {
      only(a, agg);
      o.memory_mb = number(1 << 20);
    } else if (a == "--min-sessions") {
      only(a, agg);
      o.min_sessions = number(1000000);
    } else if (a == "--spill-dir") {
      only(a, agg);
      o.spill_dir = next();
    } else if (a == "--tables") {
      only(a, build);
      o.tables = next();
    } else if (a == "--quiet" || a == "-q") {
      o.quiet = true;
    } else if (a == "-o" || a == "--output") {
      o.out = next();
    } else if (a == "-h" || a == "--help") {
      usage(nullptr);
    } else {
      usage(("unknown argument " + a).c_str());
    }
  }
  if (o.out.empty()) usage(agg ? "-o TABLES_DIR is required" : "-o out.vpk is required");
  if (agg && o.sessions.empty()) usage("aggregate needs --sessions");
  if (build && o.tables.empty()) usage("build needs --tables");
  if (o.mode.empty() && o.sessions.empty() && o.catalog.empty()) {
    usage("give --sessions and/or --catalog");
  }
  if (o.catalog_only && o.catalog.empty()) usage("--catalog-only needs --catalog");
  if (o.bo.dp.enabled()) {
    // The item table is published: in a private pack it may only hold the public catalog.
    if (o.catalog.empty()) usage("--dp-epsilon needs --catalog (the item list is published)");
    o.catalog_only = true;
    if (!o.seeded) {
      std::random_device os;  // the operating system's entropy (getrandom on Linux)
      for (auto& word : o.bo.dp.key) word = os();
    }
  }
  return o;
}

int fail(const Status& st) {
  std::fprintf(stderr, "vitrine-pack: %s\n", st.message().c_str());
  return 1;
}

// Streams every session file through `each(items as ids, event types)`, dropping items
// outside the catalog with --catalog-only.
Status for_each_session(const Args& o, const std::unordered_set<std::string>& catalog_ids,
                        std::size_t& skipped,
                        const std::function<Status(tools::RawSession& s)>& each) {
  for (const std::string& path : o.sessions) {
    auto progress = [&](std::uint64_t done, std::uint64_t total) {
      if (o.quiet) return;
      if (total == 0) {  // a pipe: no size; the last call is (0, 0)
        if (done == 0) std::fprintf(stderr, "\n");
        if (done > 0)
          std::fprintf(stderr, "\rreading %s: %.0f MB", path.c_str(), double(done) / 1e6);
        return;
      }
      std::fprintf(stderr, "\rreading %s: %.0f%%", path.c_str(),
                   100.0 * double(done) / double(total));
      if (done >= total) std::fprintf(stderr, "\n");
    };
    auto sink = [&](tools::RawSession& s) -> Status {
      if (o.catalog_only) {
        const std::size_t before = s.size();
        s.erase(std::remove_if(
                    s.begin(), s.end(),
                    [&](const tools::RawEvent& e) { return catalog_ids.count(e.item) == 0; }),
                s.end());
        skipped += before - s.size();
      }
      Status st = each(s);
      if (!st.is_ok()) return Status(st.code(), path + ": " + st.message());
      return st;
    };
    Status st = tools::stream_sessions(path, o.format, sink, progress);
    if (!st.is_ok()) return st;
  }
  return Status::ok();
}

bool is_buy(EventType t) {
  return t == EventType::add_to_cart || t == EventType::begin_checkout || t == EventType::purchase;
}

// Stage 1: sessions -> aggregate tables in o.out (a directory).
int aggregate(const Args& o, const std::unordered_set<std::string>& catalog_ids) {
  const double t0 = now_s();
  pack::AggregateOptions ao;
  ao.window = o.bo.window;
  ao.max_session_items = o.bo.max_session_items;
  tools::TablesWriter writer;
  Status st = writer.open(o.out);
  if (!st.is_ok()) return fail(st);
  tools::SpillStore store(o.spill_dir.empty() ? o.out : o.spill_dir);
  pack::Aggregator agg(ao, std::size_t{o.memory_mb} << 20,
                       [&](pack::Relation r, const std::vector<pack::PairCount>& run) {
                         if (!o.quiet) {
                           std::fprintf(stderr, "\rspilling run %zu (%zu rows)      \n",
                                        store.runs() + 1, run.size());
                         }
                         return store.write(r, run);
                       });
  std::vector<std::string> ids;
  std::unordered_map<std::string, std::uint32_t> handle;
  std::vector<std::uint32_t> items;
  std::vector<std::uint8_t> buy;
  std::size_t skipped = 0;
  st = for_each_session(o, catalog_ids, skipped, [&](tools::RawSession& s) {
    items.clear();
    buy.clear();
    for (tools::RawEvent& e : s) {
      auto it = handle.find(e.item);
      if (it == handle.end()) {
        if (ids.size() >= kNoItem) return Status(Code::invalid_argument, "too many items");
        it = handle.emplace(e.item, static_cast<std::uint32_t>(ids.size())).first;
        ids.push_back(std::move(e.item));
      }
      items.push_back(it->second);
      buy.push_back(is_buy(e.type) ? 1 : 0);
    }
    return agg.add_session(items.data(), buy.data(), items.size());
  });
  if (!st.is_ok()) return fail(st);
  pack::AggregateTables tables;
  st = agg.finish(tables);
  if (!st.is_ok()) return fail(st);
  tables.min_sessions = o.min_sessions;
  for (int r = 0; r < 3; ++r) {  // in memory
    auto& rows = tables.pairs[r];
    rows.erase(
        std::remove_if(rows.begin(), rows.end(),
                       [&](const pack::PairCount& p) { return p.sessions < o.min_sessions; }),
        rows.end());
    tables.pair_rows[r] = rows.size();
  }
  if (agg.spilled()) {
    for (int r = 0; r < 3; ++r) {
      std::vector<pack::RunSource> runs;
      st = store.open(static_cast<pack::Relation>(r), runs);
      if (!st.is_ok()) return fail(st);
      if (!o.quiet)
        std::fprintf(stderr, "merging %zu runs of %s\n", runs.size(), pack::kRelationNames[r]);
      st = pack::merge_runs(runs, [&](const pack::PairCount& row) {
        if (row.sessions < o.min_sessions) return Status::ok();
        ++tables.pair_rows[r];
        return writer.pair(static_cast<pack::Relation>(r), row, ids);
      });
      if (!st.is_ok()) return fail(st);
    }
  }
  st = writer.finish(tables, ids);
  if (!st.is_ok()) return fail(st);
  if (!o.quiet) {
    std::fprintf(
        stderr,
        "%s: %zu items, %llu sessions (%llu with carts or orders), %llu events; pair rows: "
        "co_view_seq %llu, co_view %llu, co_purchase %llu; %zu spilled runs (%llu "
        "bytes); %.2f s\n",
        o.out.c_str(), ids.size(), (unsigned long long)tables.sessions,
        (unsigned long long)tables.orders, (unsigned long long)tables.events,
        (unsigned long long)tables.pair_rows[0], (unsigned long long)tables.pair_rows[1],
        (unsigned long long)tables.pair_rows[2], store.runs(), (unsigned long long)store.bytes(),
        now_s() - t0);
  }
  if (o.catalog_only && !o.quiet) {
    std::fprintf(stderr, "--catalog-only: %zu events of items outside the catalog left out\n",
                 skipped);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "shard") return tools::shard_main(argc - 1, argv + 1);
  const Args o = parse(argc, argv);
  const double t0 = now_s();

  PackBuilder builder(o.bo);
  std::unordered_set<std::string> catalog_ids;  // --catalog-only
  if (!o.catalog.empty()) {
    std::vector<CatalogItem> items;
    Status st = tools::read_catalog(o.catalog, items);
    if (!st.is_ok()) return fail(st);
    for (std::size_t k = 0; k < items.size(); ++k) {
      if (o.catalog_only) catalog_ids.insert(items[k].id);
      if (o.mode == "aggregate") continue;
      st = builder.add_catalog_item(items[k]);
      if (!st.is_ok()) {
        // Row k is line k + 2 when there are no blank lines (header is line 1).
        std::fprintf(stderr, "vitrine-pack: %s: item %zu: %s\n", o.catalog.c_str(), k + 1,
                     st.message().c_str());
        return 1;
      }
    }
    if (!o.quiet) std::fprintf(stderr, "catalog: %zu items\n", items.size());
  }
  if (o.mode == "aggregate") return aggregate(o, catalog_ids);

  if (o.mode == "build") {
    pack::AggregateTables tables;
    Status st = tools::read_tables(o.tables, builder, o.bo.min_support, tables);
    if (!st.is_ok()) return fail(st);
    st = builder.set_tables(std::move(tables));
    if (!st.is_ok()) return fail(st);
  } else {
    std::size_t skipped = 0;
    std::vector<SessionEvent> events;
    Status st = for_each_session(o, catalog_ids, skipped, [&](tools::RawSession& s) {
      events.clear();
      for (const auto& e : s) {
        Result<std::uint32_t> h = builder.intern(e.item);
        if (!h.is_ok()) return h.status();
        events.push_back({h.value(), e.type});
      }
      return builder.add_session(events);
    });
    if (!st.is_ok()) return fail(st);
    if (o.catalog_only && !o.quiet) {
      std::fprintf(stderr, "--catalog-only: %zu events of items outside the catalog left out\n",
                   skipped);
    }
  }
  PackBuildStats stats;
  auto progress = [&](std::string_view stage, double f) {
    if (!o.quiet) {
      std::fprintf(stderr, "\rbuilding: %.*s %.0f%%   ", static_cast<int>(stage.size()),
                   stage.data(), 100.0 * f);
      if (stage == "done") std::fprintf(stderr, "\n");
    }
  };
  Result<std::vector<std::uint8_t>> built = builder.build(&stats, progress);
  if (!built.is_ok()) return fail(built.status());
  const std::vector<std::uint8_t>& bytes = built.value();
  // Check what we wrote with the reader the engine uses.
  Result<Pack> check = Pack::open(bytes.data(), bytes.size());
  if (!check.is_ok()) {
    std::fprintf(stderr, "vitrine-pack: internal error: %s\n", check.status().message().c_str());
    return 1;
  }
  std::FILE* f = std::fopen(o.out.c_str(), "wb");
  if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() ||
      std::fclose(f) != 0) {
    std::fprintf(stderr, "vitrine-pack: %s: cannot write\n", o.out.c_str());
    return 1;
  }
  if (o.bo.dp.enabled()) {  // printed even with --quiet: it says what was published
    const pack::DpPlan& p = stats.dp;
    std::fprintf(stderr,
                 "differential privacy: (epsilon %g, delta %g) per session, whole pack; analytic "
                 "Gaussian, mu %.4f (GDP); popularity: <= %u items per session, sigma %.3f; "
                 "co-view: <= %u pairs per session (%s), sigma %.3f, %s %.2f (%llu of "
                 "%llu pairs)%s\n",
                 p.epsilon, p.delta, p.mu, p.popularity.cells, p.popularity.sigma, p.pairs.cells,
                 p.pair_weighting == pack::PairWeighting::unit ? "1 each" : "1/sqrt(k) each of k",
                 p.pairs.sigma,
                 p.selection == pack::PairSelection::public_domain
                     ? "every catalog pair noised, published above"
                     : "released above",
                 p.pairs.threshold, (unsigned long long)stats.pairs_kept[1] / 2,
                 (unsigned long long)stats.pairs_seen[1] / 2,
                 o.seeded ? "; SEEDED noise (tests only)" : "");
    std::fprintf(stderr,
                 "expected quality: a co-view pair needs a weighted count of about %.0f (that many "
                 "2-item sessions; k-pair sessions count 1/sqrt(k)) to be published; "
                 "measured on DIGINETICA (187k sessions, docs/evaluation.md), HR@20 / MRR@20 as "
                 "shares of the exact pack's %s; more sessions, better\n",
                 p.pairs.threshold, expected_quality(p.epsilon));
  }
  if (!o.quiet) {
    std::fprintf(stderr,
                 "%s: %zu bytes; %llu items, %llu categories, %llu sessions (%llu with carts or "
                 "orders), %llu events; relations kept (%s): co_view_seq %llu of "
                 "%llu, co_view %llu of %llu, co_purchase %llu of %llu; %.2f s\n",
                 o.out.c_str(), bytes.size(), (unsigned long long)stats.items,
                 (unsigned long long)stats.categories, (unsigned long long)stats.sessions,
                 (unsigned long long)stats.orders, (unsigned long long)stats.events,
                 o.bo.dp.enabled() ? "private, pairs per direction"
                                   : ("min support " + std::to_string(o.bo.min_support)).c_str(),
                 (unsigned long long)stats.pairs_kept[0], (unsigned long long)stats.pairs_seen[0],
                 (unsigned long long)stats.pairs_kept[1], (unsigned long long)stats.pairs_seen[1],
                 (unsigned long long)stats.pairs_kept[2], (unsigned long long)stats.pairs_seen[2],
                 now_s() - t0);
    if (stats.stats_bytes > 0) {
      std::fprintf(stderr, "session statistics (SSTA): %llu bytes",
                   (unsigned long long)stats.stats_bytes);
      if (stats.fusion_bytes > 0) {
        std::fprintf(
            stderr, "; fusion (FUSN): %llu bytes, %llu of %llu later points trainable, loss",
            (unsigned long long)stats.fusion_bytes, (unsigned long long)stats.fusion_trainable,
            (unsigned long long)stats.fusion_points);
        for (double l : stats.fusion_loss) std::fprintf(stderr, " %.4f", l);
      }
      std::fprintf(stderr, "\n");
    }
  }
  return 0;
}
