// vitrine-ldp-sim: how well the shop learns its population's top categories from local
// differential privacy reports. Real sessions stand in for devices (one device per
// session, its most viewed category); every device's report goes through the same C++
// mechanism the browser runs (privacy/ldp), the collector's estimator de-biases the sum,
// and the estimate is compared with the truth.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "ldp_categories.hpp"
#include "session_io.hpp"
#include "vitrine/privacy/ldp/mechanism.hpp"
#include "vitrine/privacy/ldp/report.hpp"

using namespace vitrine;
namespace ldp = vitrine::privacy::ldp;

namespace {

struct Options {
  std::string sessions, catalog;
  tools::Format format = tools::Format::lines;
  std::vector<double> epsilons = {0.5, 1, 2, 4};
  std::vector<std::uint64_t> populations = {10000, 100000, 1000000, 10000000};
  int trials = 20;  // repetitions at the data set's own population
  std::uint64_t seed = 1;
  std::uint32_t max_category = 200;  // proxy categories: at most this many items each
  int rounds = 10;
};

[[noreturn]] void usage(const char* msg) {
  if (msg) std::fprintf(stderr, "vitrine-ldp-sim: %s\n", msg);
  std::fprintf(stderr,
               "usage: vitrine-ldp-sim --sessions FILE [--format lines|sessionrec|otto]\n"
               "         [--catalog CSV] [--epsilons 0.5,1,2,4] [--populations 1e4,1e5,1e6,1e7]\n"
               "         [--trials 20] [--seed 1] [--max-category 200] [--rounds 10]\n"
               "       vitrine-ldp-sim --print-schema\n"
               "Prints JSON: the mean absolute error of the 10 largest categories' shares.\n");
  std::exit(2);
}

template <class T>
std::vector<T> parse_list(const std::string& s) {
  std::vector<T> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, ',')) {
    char* end = nullptr;
    const double x = std::strtod(part.c_str(), &end);
    if (part.empty() || *end || !(x > 0)) usage(("bad list value: " + part).c_str());
    out.push_back(static_cast<T>(x));
  }
  return out;
}

struct Outcome {
  double mae_pp = 0, max_pp = 0, predicted_sd_pp = 0;
};

// One simulated collection: `values` are the devices' true values; returns the error over
// the 10 largest true categories (the catch-all last value excluded).
Outcome collect(const ldp::Oracle& oracle, const std::vector<std::uint32_t>& values,
                ldp::RandomSource& rng) {
  ldp::Aggregator agg(oracle);
  std::vector<std::uint64_t> truth(oracle.domain, 0);
  for (auto x : values) {
    ++truth[x];
    agg.add(ldp::perturb(oracle, x, rng));
  }
  std::vector<std::uint32_t> order(oracle.domain - 1);
  for (std::uint32_t v = 0; v < order.size(); ++v) order[v] = v;
  std::sort(order.begin(), order.end(),
            [&](auto a, auto b) { return truth[a] != truth[b] ? truth[a] > truth[b] : a < b; });
  const double n = static_cast<double>(values.size());
  Outcome out;
  for (int i = 0; i < 10; ++i) {
    const auto v = order[static_cast<std::size_t>(i)];
    const auto e = agg.estimate(v);
    const double err = std::fabs(e.count - static_cast<double>(truth[v])) / n * 100;
    out.mae_pp += err / 10;
    out.max_pp = std::max(out.max_pp, err);
    out.predicted_sd_pp +=
        std::sqrt(ldp::count_variance(oracle, values.size(), static_cast<double>(truth[v]))) / n *
        100 / 10;
  }
  return out;
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
    if (a == "--print-schema") {
      std::fputs(ldp::report_types_json().c_str(), stdout);
      return 0;
    } else if (a == "--sessions") {
      o.sessions = next();
    } else if (a == "--format") {
      if (!tools::parse_format(next(), o.format)) usage("unknown --format");
    } else if (a == "--catalog") {
      o.catalog = next();
    } else if (a == "--epsilons") {
      o.epsilons = parse_list<double>(next());
    } else if (a == "--populations") {
      o.populations = parse_list<std::uint64_t>(next());
    } else if (a == "--trials") {
      o.trials = std::atoi(next().c_str());
    } else if (a == "--seed") {
      o.seed = std::strtoull(next().c_str(), nullptr, 10);
    } else if (a == "--max-category") {
      o.max_category = static_cast<std::uint32_t>(std::atoi(next().c_str()));
    } else if (a == "--rounds") {
      o.rounds = std::atoi(next().c_str());
    } else {
      usage(("unknown argument " + a).c_str());
    }
  }
  if (o.sessions.empty()) usage("--sessions is required");
  if (o.trials < 1 || o.max_category < 1) usage("--trials and --max-category must be >= 1");

  std::vector<tools::RawSession> sessions;
  if (auto st = tools::read_sessions(o.sessions, o.format, sessions); !st.is_ok()) {
    std::fprintf(stderr, "vitrine-ldp-sim: %s\n", st.message().c_str());
    return 1;
  }
  tools::CategoryMap categories;
  if (!o.catalog.empty()) {
    std::vector<CatalogItem> items;
    if (auto st = tools::read_catalog(o.catalog, items); !st.is_ok()) {
      std::fprintf(stderr, "vitrine-ldp-sim: %s\n", st.message().c_str());
      return 1;
    }
    for (const auto& it : items) categories[it.id] = it.category;
  } else {
    categories = tools::proxy_categories(sessions, o.max_category, o.rounds);
  }
  std::vector<std::string> names;
  const auto ranks = tools::top_category_per_session(sessions, categories, names);

  const ldp::ReportType* type = ldp::find_report_type("top_category", 1);
  const std::uint32_t other = type->domain - 1;
  std::vector<std::uint32_t> devices;  // sessions without a category send nothing
  for (auto r : ranks) {
    if (names[r].empty()) continue;
    devices.push_back(std::min(r, other));
  }
  std::vector<double> share(10, 0);
  for (auto v : devices)
    if (v < 10) share[v] += 100.0 / static_cast<double>(devices.size());

  ldp::SeededRandom rng(o.seed);
  std::printf("{\n  \"sessions\": \"%s\",\n  \"devices\": %zu,\n  \"categories\": \"%s\",\n",
              o.sessions.c_str(), devices.size(),
              o.catalog.empty() ? "proxy (label propagation over co-views)" : o.catalog.c_str());
  std::printf("  \"category_count\": %zu,\n  \"report_type\": \"%s\",\n  \"domain\": %u,\n",
              names.size(), type->key().c_str(), type->domain);
  std::printf("  \"top10_true_share_pct\": [");
  for (int i = 0; i < 10; ++i) std::printf("%s%.3f", i ? ", " : "", share[i]);
  std::printf("],\n  \"at_data_population\": [");
  bool first = true;
  for (double eps : o.epsilons) {
    const auto oracle =
        *ldp::Oracle::make(ldp::choose_mechanism(type->domain, eps), type->domain, eps);
    double mean = 0, worst = 0, sd = 0;
    for (int t = 0; t < o.trials; ++t) {
      const auto r = collect(oracle, devices, rng);
      mean += r.mae_pp / o.trials;
      worst = std::max(worst, r.mae_pp);
      sd = r.predicted_sd_pp;
    }
    std::printf(
        "%s\n    {\"epsilon\": %g, \"mechanism\": \"%s\", \"population\": %zu, "
        "\"trials\": %d, \"mae_top10_pp_mean\": %.4f, \"mae_top10_pp_max\": %.4f, "
        "\"predicted_sd_pp\": %.4f}",
        first ? "" : ",", eps, std::string(ldp::mechanism_name(oracle.mechanism)).c_str(),
        devices.size(), o.trials, mean, worst, sd);
    first = false;
  }
  std::printf("\n  ],\n  \"resampled\": [");
  first = true;
  for (auto population : o.populations) {
    std::vector<std::uint32_t> sample(population);
    for (auto& v : sample) v = devices[ldp::uniform_below(rng, devices.size())];
    for (double eps : o.epsilons) {
      const auto oracle =
          *ldp::Oracle::make(ldp::choose_mechanism(type->domain, eps), type->domain, eps);
      const auto r = collect(oracle, sample, rng);
      std::printf(
          "%s\n    {\"epsilon\": %g, \"population\": %llu, \"mae_top10_pp\": %.4f, "
          "\"max_abs_err_top10_pp\": %.4f, \"predicted_sd_pp\": %.4f}",
          first ? "" : ",", eps, static_cast<unsigned long long>(population), r.mae_pp, r.max_pp,
          r.predicted_sd_pp);
      std::fflush(stdout);
      first = false;
    }
  }
  std::printf("\n  ]\n}\n");
  return 0;
}
