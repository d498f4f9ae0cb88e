// otto-synth: a synthetic OTTO-format event stream (JSON lines, as otto-de/recsys-dataset)
// with the distributions bench/pack_aggregate.mjs fits to ../shared/data/otto-sample:
// log-normal session lengths, a share of events revisiting an item earlier in the session,
// new items drawn from a Zipf law over the catalogue, and the clicks/carts/orders mix.
// Writes to stdout until --events events; deterministic for a --seed.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

[[noreturn]] void usage(const char* msg) {
  if (msg) std::fprintf(stderr, "otto-synth: %s\n", msg);
  std::fprintf(stderr,
               "usage: otto-synth --events N --items M --len-mu MU --len-sigma S --len-max L\n"
               "         --revisit P --zipf A --carts P --orders P [--seed S]\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  double events = 0, items = 0, mu = 0, sigma = 0, len_max = 0, revisit = 0, zipf = 0, carts = 0,
         orders = 0, seed = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) usage(("missing value after " + a).c_str());
    char* end = nullptr;
    const double v = std::strtod(argv[++i], &end);
    if (*end != '\0' || !std::isfinite(v) || v < 0) usage(("bad value for " + a).c_str());
    if (a == "--events")
      events = v;
    else if (a == "--items")
      items = v;
    else if (a == "--len-mu")
      mu = v;
    else if (a == "--len-sigma")
      sigma = v;
    else if (a == "--len-max")
      len_max = v;
    else if (a == "--revisit")
      revisit = v;
    else if (a == "--zipf")
      zipf = v;
    else if (a == "--carts")
      carts = v;
    else if (a == "--orders")
      orders = v;
    else if (a == "--seed")
      seed = v;
    else
      usage(("unknown argument " + a).c_str());
  }
  if (events < 1 || items < 2 || items > 4e9 || len_max < 2 || revisit >= 1 ||
      carts + orders >= 1) {
    usage("need --events >= 1, --items >= 2, --len-max >= 2, --revisit < 1, carts+orders < 1");
  }
  const auto n = static_cast<std::uint64_t>(items);
  // Zipf CDF over popularity ranks; rank r is shown as aid (r * 1000003) mod n, so popular
  // items are spread over the id space (1000003 is prime: a bijection unless it divides n).
  std::vector<double> cdf(n);
  double total = 0;
  for (std::uint64_t r = 0; r < n; ++r) cdf[r] = total += std::pow(double(r + 1), -zipf);
  for (double& c : cdf) c /= total;
  const std::uint64_t mult = n % 1000003 == 0 ? 1 : 1000003;

  std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
  std::uniform_real_distribution<double> u01(0.0, 1.0);
  std::lognormal_distribution<double> length(mu, sigma);
  std::vector<char> buf(1 << 22);
  std::setvbuf(stdout, buf.data(), _IOFBF, buf.size());
  std::vector<std::uint64_t> session;
  std::uint64_t done = 0, sid = 0;
  std::int64_t ts = 1659304800000;  // OTTO's first day
  char line[96];
  while (double(done) < events) {
    const auto len = static_cast<std::uint64_t>(
        std::clamp(std::llround(length(rng)), 2LL, static_cast<long long>(len_max)));
    session.clear();
    std::printf("{\"session\":%llu,\"events\":[", static_cast<unsigned long long>(sid++));
    for (std::uint64_t k = 0; k < len; ++k) {
      std::uint64_t aid;
      if (k > 0 && u01(rng) < revisit) {
        aid = session[static_cast<std::size_t>(u01(rng) * double(session.size()))];
      } else {
        const auto r = static_cast<std::uint64_t>(
            std::lower_bound(cdf.begin(), cdf.end(), u01(rng)) - cdf.begin());
        aid = (std::min(r, n - 1) * mult) % n;
      }
      session.push_back(aid);
      const double t = u01(rng);
      const char* type = t < orders ? "orders" : t < orders + carts ? "carts" : "clicks";
      ts += 1 + static_cast<std::int64_t>(u01(rng) * 60000);
      const int m = std::snprintf(line, sizeof line, "%s{\"aid\":%llu,\"ts\":%lld,\"type\":\"%s\"}",
                                  k ? "," : "", static_cast<unsigned long long>(aid),
                                  static_cast<long long>(ts), type);
      std::fwrite(line, 1, static_cast<std::size_t>(m), stdout);
    }
    std::fputs("]}\n", stdout);
    done += len;
  }
  std::fflush(stdout);
  std::fprintf(stderr, "otto-synth: %llu sessions, %llu events\n",
               static_cast<unsigned long long>(sid), static_cast<unsigned long long>(done));
  return 0;
}
