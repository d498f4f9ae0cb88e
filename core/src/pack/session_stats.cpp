// Section SSTA: statistics by sort-and-reduce over per-session pair lists (deterministic,
// no hash order), then support filtering, per-row pruning and log quantization.
#include "session_stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "byte_writer.hpp"
#include "quantize.hpp"
#include "vitrine/pack.hpp"
#include "vitrine/pack_builder.hpp"

namespace vitrine::detail {
namespace {

struct Cell {
  std::uint32_t a, b;
  std::uint32_t support;
  double w;
};

// Sums cells of equal (a, b); support counts the cells summed (one per session).
void reduce(std::vector<Cell>& cells) {
  std::sort(cells.begin(), cells.end(),
            [](const Cell& x, const Cell& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  std::size_t out = 0;
  for (std::size_t k = 0; k < cells.size(); ++k) {
    if (out > 0 && cells[out - 1].a == cells[k].a && cells[out - 1].b == cells[k].b) {
      cells[out - 1].w += cells[k].w;
      cells[out - 1].support += cells[k].support;
    } else {
      cells[out++] = cells[k];
    }
  }
  cells.resize(out);
}

void put_values(std::vector<std::uint8_t>& out, const std::vector<double>& v) {
  const Quantizer qz(v);
  for (float t : qz.table) put_f32(out, t);
  for (double x : v) out.push_back(qz.code(x));
}

// Cells sorted by (a, b) and filtered: rows of the `keep` strongest, as in docs/pack-format.md
// relations (u32 nnz, u32 id width, f32 table, u32 row offsets, ids, codes).
void put_relation(std::vector<std::uint8_t>& out, std::vector<Cell> cells, std::uint32_t n,
                  std::uint32_t keep) {
  std::sort(cells.begin(), cells.end(), [](const Cell& x, const Cell& y) {
    if (x.a != y.a) return x.a < y.a;
    if (x.w != y.w) return x.w > y.w;
    return x.b < y.b;
  });
  std::vector<std::uint32_t> row_ptr(std::size_t{n} + 1, 0);
  std::vector<Cell> rows;
  for (std::size_t i = 0; i < cells.size();) {
    std::size_t j = i;
    while (j < cells.size() && cells[j].a == cells[i].a) ++j;
    const std::size_t take = std::min<std::size_t>(j - i, keep);
    rows.insert(rows.end(), cells.begin() + static_cast<std::ptrdiff_t>(i),
                cells.begin() + static_cast<std::ptrdiff_t>(i + take));
    row_ptr[cells[i].a + 1] = static_cast<std::uint32_t>(take);
    i = j;
  }
  for (std::uint32_t i = 0; i < n; ++i) row_ptr[i + 1] += row_ptr[i];
  std::vector<double> w;
  w.reserve(rows.size());
  for (const Cell& c : rows) w.push_back(c.w);
  const Quantizer qz(w);
  const std::uint32_t width = n <= 65536 ? 2 : 4;
  put_u32(out, static_cast<std::uint32_t>(rows.size()));
  put_u32(out, width);
  for (float t : qz.table) put_f32(out, t);
  for (std::uint32_t v : row_ptr) put_u32(out, v);
  for (const Cell& c : rows) {
    out.push_back(static_cast<std::uint8_t>(c.b));
    out.push_back(static_cast<std::uint8_t>(c.b >> 8));
    if (width == 4) {
      out.push_back(static_cast<std::uint8_t>(c.b >> 16));
      out.push_back(static_cast<std::uint8_t>(c.b >> 24));
    }
  }
  for (const Cell& c : rows) out.push_back(qz.code(c.w));
}

}  // namespace

std::vector<std::uint8_t> session_stats_section(const std::vector<std::uint32_t>& offsets,
                                                const std::vector<std::uint32_t>& items,
                                                const std::vector<std::uint32_t>& dense,
                                                std::uint32_t n,
                                                const SessionStatsOptions& options) {
  const std::size_t ns = offsets.empty() ? 0 : offsets.size() - 1;
  std::vector<double> pop(n, 0), recent(n, 0), with(n, 0), with_repeat(n, 0), followed(n, 0),
      imm_repeat(n, 0);
  std::vector<Cell> fwd, imm, coo, local;
  std::vector<std::uint32_t> x, u;
  for (std::size_t s = 0; s < ns; ++s) {
    // The k-th of n sessions weighs exp(-(n-1-k)/n); recent popularity decays 10x faster.
    const double age = double(ns - 1 - s) / double(ns);
    const double w = std::exp(-age), wr = std::exp(-10 * age);
    x.clear();
    for (std::uint32_t k = offsets[s]; k < offsets[s + 1]; ++k) x.push_back(dense[items[k]]);
    u = x;
    std::sort(u.begin(), u.end());
    u.erase(std::unique(u.begin(), u.end()), u.end());
    for (std::uint32_t i : u) {
      pop[i] += w;
      recent[i] += wr;
      with[i] += 1;
      if (std::count(x.begin(), x.end(), i) > 1) with_repeat[i] += 1;
    }
    for (std::size_t p = 0; p + 1 < x.size(); ++p) {
      followed[x[p]] += 1;
      if (x[p] == x[p + 1]) imm_repeat[x[p]] += 1;
    }
    // Forward pairs within 3 steps, weight 1/gap, summed within the session first so that
    // support counts sessions.
    local.clear();
    for (std::size_t p = 0; p < x.size(); ++p) {
      for (std::size_t g = 1; g <= 3 && p + g < x.size(); ++g) {
        if (x[p] != x[p + g]) local.push_back({x[p], x[p + g], 1, w / double(g)});
      }
    }
    reduce(local);
    for (Cell& c : local) c.support = 1;
    fwd.insert(fwd.end(), local.begin(), local.end());
    local.clear();
    for (std::size_t p = 0; p + 1 < x.size(); ++p) {
      if (x[p] != x[p + 1]) local.push_back({x[p], x[p + 1], 1, w});
    }
    reduce(local);
    for (Cell& c : local) {
      c.support = 1;
      c.w = w;  // a session counts once per immediate pair
    }
    imm.insert(imm.end(), local.begin(), local.end());
    // Co-occurrence: distinct items, the first max_session_items of them.
    u.clear();
    for (std::uint32_t i : x) {
      if (u.size() >= options.max_session_items) break;
      if (std::find(u.begin(), u.end(), i) == u.end()) u.push_back(i);
    }
    for (std::uint32_t i : u) {
      for (std::uint32_t j : u) {
        if (i != j) coo.push_back({i, j, 1, w});
      }
    }
  }
  reduce(fwd);
  reduce(imm);
  reduce(coo);
  auto supported = [&](std::vector<Cell>& cells) {
    cells.erase(std::remove_if(cells.begin(), cells.end(),
                               [&](const Cell& c) { return c.support < options.min_support; }),
                cells.end());
  };
  supported(fwd);
  supported(imm);
  supported(coo);
  std::vector<Cell> bwd;
  bwd.reserve(fwd.size());
  for (const Cell& c : fwd) bwd.push_back({c.b, c.a, c.support, c.w});
  // Row sums of what passed min_support (before pruning): the normalizers of the scorer.
  std::vector<double> fsum(n, 0), bsum(n, 0), csum(n, 0), isum(n, 0);
  for (const Cell& c : fwd) {
    fsum[c.a] += c.w;
    bsum[c.b] += c.w;
  }
  for (const Cell& c : coo) csum[c.a] += c.w;
  for (const Cell& c : imm) isum[c.a] += c.w;
  std::vector<double> rep(n, 0), irep(n, 0);
  for (std::uint32_t i = 0; i < n; ++i) {
    rep[i] = with[i] > 0 ? with_repeat[i] / with[i] : 0;
    irep[i] = followed[i] > 0 ? imm_repeat[i] / followed[i] : 0;
  }

  std::vector<std::uint8_t> out;
  put_u32(out, 1);  // layout version
  put_u32(out, n);
  put_u32(out, kSessionStatValues);
  put_u32(out, kSessionStatRelations);
  put_u32(out, options.min_support);
  put_u32(out, options.neighbors);
  put_u32(out, 3);  // forward gap
  const std::uint32_t parts = (options.parts & 0xFFF) | 1u;
  put_u32(out, parts);
  int s = 0;
  for (const auto* v : {&pop, &recent, &rep, &irep, &fsum, &bsum, &csum, &isum}) {
    if (parts & (1u << s++)) put_values(out, *v);
  }
  int r = 8;
  for (auto* rel : {&fwd, &bwd, &imm, &coo}) {
    if (parts & (1u << r++)) put_relation(out, std::move(*rel), n, options.neighbors);
  }
  return out;
}

}  // namespace vitrine::detail

namespace vitrine {

Result<std::uint32_t> parse_stats_parts(std::string_view list) {
  static constexpr const char* kNames[12] = {
      "popularity",  "recent",        "repeat",  "immediate_repeat", "forward_sum", "backward_sum",
      "cooccur_sum", "immediate_sum", "forward", "backward",         "immediate",   "cooccur"};
  if (list == "all") return std::uint32_t{0xFFF};
  std::uint32_t mask = 1;  // popularity always
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view name = list.substr(0, comma);
    bool found = false;
    for (int k = 0; k < 12; ++k) {
      if (name == kNames[k]) {
        mask |= 1u << k;  // values are bits 0..7, relations 8..11
        found = true;
      }
    }
    if (!found) {
      return Status(Code::invalid_argument,
                    "unknown session statistic '" + std::string(name) + "'");
    }
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return mask;
}

}  // namespace vitrine
