// Pack builder: pair statistics by sort-and-reduce (deterministic, no hash-order effects),
// support filtering, per-row pruning, log quantization, and the writer of docs/pack-format.md.
#include "vitrine/pack_builder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <string>

#include "pack/byte_writer.hpp"
#include "pack/dp_pack.hpp"
#include "pack/embedding_clusters.hpp"
#include "pack/fusion_train.hpp"
#include "pack/quantize.hpp"
#include "pack/session_stats.hpp"
#include "spectral_embedding.hpp"
#include "vitrine/crc32.hpp"
#include "vitrine/pack.hpp"

namespace vitrine {
namespace {

struct Pair {
  std::uint32_t a, b;
  std::uint32_t support;
  double weight;
};

using detail::Quantizer;

using Writer = detail::ByteWriter;

struct Section {
  std::uint32_t tag;
  std::vector<std::uint8_t> bytes;
};

std::vector<std::uint8_t> assemble(std::vector<Section>& sections, std::uint32_t items,
                                   std::uint32_t categories) {
  const std::size_t table_end = 32 + 16 * sections.size();
  std::vector<std::uint32_t> offsets;
  std::size_t pos = (table_end + 7) & ~std::size_t{7};
  for (const Section& s : sections) {
    offsets.push_back(static_cast<std::uint32_t>(pos));
    pos = (pos + s.bytes.size() + 7) & ~std::size_t{7};
  }
  Writer w;
  w.raw("VTRNPACK", 8);
  w.u32(kPackVersion);
  w.u32(static_cast<std::uint32_t>(sections.size()));
  w.u32(items);
  w.u32(categories);
  w.u32(static_cast<std::uint32_t>(pos));
  w.u32(0);  // header checksum, below
  for (std::size_t k = 0; k < sections.size(); ++k) {
    w.u32(sections[k].tag);
    w.u32(offsets[k]);
    w.u32(static_cast<std::uint32_t>(sections[k].bytes.size()));
    w.u32(crc32(sections[k].bytes.data(), sections[k].bytes.size()));
  }
  std::vector<std::uint8_t> head(w.bytes.begin(), w.bytes.begin() + 28);
  head.insert(head.end(), w.bytes.begin() + 32, w.bytes.end());
  const std::uint32_t hc = crc32(head.data(), head.size());
  for (int k = 0; k < 4; ++k) w.bytes[28 + k] = static_cast<std::uint8_t>(hc >> (8 * k));
  for (std::size_t k = 0; k < sections.size(); ++k) {
    w.bytes.resize(offsets[k], 0);
    w.raw(sections[k].bytes.data(), sections[k].bytes.size());
  }
  w.bytes.resize(pos, 0);
  return std::move(w.bytes);
}

// Strings sorted and stored as an offset table plus bytes.
void write_strings(const std::vector<std::string_view>& strings, Section& offs, Section& bytes) {
  Writer o, b;
  o.u32(0);
  for (std::string_view s : strings) {
    b.raw(s.data(), s.size());
    o.u32(static_cast<std::uint32_t>(b.bytes.size()));
  }
  offs.bytes = std::move(o.bytes);
  bytes.bytes = std::move(b.bytes);
}

}  // namespace

PackBuilder::PackBuilder(PackBuildOptions options) : options_(options) {
  options_.window = std::clamp<std::uint32_t>(options_.window, 1, pack::kMaxWindow);
  if (options_.min_support == 0) options_.min_support = 1;
}

Result<std::uint32_t> PackBuilder::intern(std::string_view item_id) {
  if (item_id.empty() || item_id.size() > kPackMaxIdBytes) {
    return Status(Code::invalid_argument, "item id must be 1 to 256 bytes");
  }
  auto it = handle_of_.find(std::string(item_id));
  if (it != handle_of_.end()) return it->second;
  const auto h = static_cast<std::uint32_t>(ids_.size());
  ids_.emplace_back(item_id);
  handle_of_.emplace(ids_.back(), h);
  catalog_.emplace_back();
  has_catalog_.push_back(0);
  return h;
}

Status PackBuilder::add_catalog_item(const CatalogItem& item) {
  if (item.category.size() > kPackMaxIdBytes) {
    return Status(Code::invalid_argument, "category longer than 256 bytes");
  }
  if (!std::isnan(item.price) && (!std::isfinite(item.price) || item.price < 0)) {
    return Status(Code::invalid_argument, "price must be a finite number >= 0");
  }
  Result<std::uint32_t> h = intern(item.id);
  if (!h.is_ok()) return h.status();
  if (has_catalog_[h.value()]) {
    return Status(Code::invalid_argument, "duplicate catalog item '" + item.id + "'");
  }
  catalog_[h.value()] = item;
  has_catalog_[h.value()] = 1;
  return Status::ok();
}

Status PackBuilder::add_session(const std::vector<SessionEvent>& events) {
  if (has_tables_) return Status(Code::invalid_argument, "sessions after aggregate tables");
  for (const SessionEvent& e : events) {
    if (e.item >= ids_.size()) return Status(Code::invalid_argument, "unknown item handle");
  }
  for (const SessionEvent& e : events) {
    session_items_.push_back(e.item);
    const bool buy = e.type == EventType::add_to_cart || e.type == EventType::begin_checkout ||
                     e.type == EventType::purchase;
    session_kinds_.push_back(buy ? 1 : 0);
  }
  session_offsets_.push_back(static_cast<std::uint32_t>(session_items_.size()));
  return Status::ok();
}

Status PackBuilder::set_tables(pack::AggregateTables tables) {
  if (sessions() > 0) return Status(Code::invalid_argument, "aggregate tables after sessions");
  if (tables.item_sessions.size() > ids_.size() || tables.item_orders.size() > ids_.size()) {
    return Status(Code::invalid_argument, "aggregate tables: item handle not interned");
  }
  for (const auto& rows : tables.pairs) {
    for (const pack::PairCount& p : rows) {
      if (p.a >= ids_.size() || p.b >= ids_.size() || p.a == p.b || p.sessions == 0) {
        return Status(Code::invalid_argument, "aggregate tables: bad pair row");
      }
    }
  }
  if (tables.options.window < 1 || tables.options.window > pack::kMaxWindow) {
    return Status(Code::invalid_argument, "aggregate tables: window must be 1..20");
  }
  // Rows under min_sessions are gone: a lower min_support would silently differ.
  if (tables.min_sessions > options_.min_support) {
    return Status(Code::invalid_argument, "aggregate tables cut below min_sessions " +
                                              std::to_string(tables.min_sessions) +
                                              ": min_support must be at least that");
  }
  tables_ = std::move(tables);
  has_tables_ = true;
  return Status::ok();
}

Status PackBuilder::set_embeddings(std::vector<float> values, std::uint32_t dim) {
  if (dim == 0 || dim > 1024 || values.size() % dim != 0 || values.size() / dim > ids_.size()) {
    return Status(Code::invalid_argument,
                  "embeddings: need dim in 1..1024 and <= one row per item");
  }
  for (float v : values) {
    if (!std::isfinite(v)) return Status(Code::invalid_argument, "embeddings: non-finite value");
  }
  embeddings_ = std::move(values);
  embedding_dim_ = dim;
  return Status::ok();
}

std::vector<std::uint32_t> PackBuilder::dense_ids() const {
  std::vector<std::uint32_t> order(ids_.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t x, std::uint32_t y) { return ids_[x] < ids_[y]; });
  std::vector<std::uint32_t> dense(ids_.size());
  for (std::uint32_t k = 0; k < order.size(); ++k) dense[order[k]] = k;
  return dense;
}

Result<std::vector<std::uint8_t>> PackBuilder::build(PackBuildStats* stats_out,
                                                     const BuildProgress& progress) const {
  PackBuildStats stats;
  const auto n = static_cast<std::uint32_t>(ids_.size());
  if (ids_.size() >= kNoItem) return Status(Code::invalid_argument, "too many items");
  // Private build: the item table is published, so it may hold catalog items only.
  const bool dp = options_.dp.enabled();
  for (std::uint32_t h = 0; dp && h < n; ++h) {
    if (!has_catalog_[h]) {
      return Status(Code::invalid_argument, "dp: item '" + ids_[h] +
                                                "' has no catalog row (a private pack "
                                                "publishes catalog items only)");
    }
  }
  const std::vector<std::uint32_t> dense = dense_ids();
  std::vector<std::uint32_t> handle_at(n);
  for (std::uint32_t h = 0; h < n; ++h) handle_at[dense[h]] = h;

  // Categories, sorted.
  std::vector<std::string_view> cats;
  for (std::uint32_t h = 0; h < n; ++h) {
    if (has_catalog_[h] && !catalog_[h].category.empty()) cats.push_back(catalog_[h].category);
  }
  std::sort(cats.begin(), cats.end());
  cats.erase(std::unique(cats.begin(), cats.end()), cats.end());
  const auto nc = static_cast<std::uint32_t>(cats.size());
  std::vector<std::uint32_t> item_cat(n, kNoCategory);
  for (std::uint32_t h = 0; h < n; ++h) {
    if (has_catalog_[h] && !catalog_[h].category.empty()) {
      item_cat[dense[h]] = static_cast<std::uint32_t>(
          std::lower_bound(cats.begin(), cats.end(), catalog_[h].category) - cats.begin());
    }
  }

  // Stage 1 (pack/aggregate.hpp): the given tables, or the added sessions aggregated here.
  pack::AggregateTables own;
  if (dp && has_tables_) {
    // Contribution bounding needs each session: not yet done in stage 1 (issue 11 left).
    return Status(Code::failed_precondition,
                  "dp: a private pack is built from sessions (the one-step build), not from "
                  "aggregate tables");
  }
  if (!has_tables_) {
    pack::AggregateOptions ao;
    ao.window = options_.window;
    ao.max_session_items = options_.max_session_items;
    pack::Aggregator agg(ao);
    const std::size_t ns = sessions();
    for (std::size_t s = 0; s < ns; ++s) {
      if (progress && (s % 20000 == 0)) progress("pairs", double(s) / double(ns ? ns : 1));
      const std::uint32_t a = session_offsets_[s], b = session_offsets_[s + 1];
      Status st = agg.add_session(session_items_.data() + a, session_kinds_.data() + a, b - a);
      if (!st.is_ok()) return st;
    }
    Status st = agg.finish(own);
    if (!st.is_ok()) return st;
  }
  const pack::AggregateTables& tables = has_tables_ ? tables_ : own;
  stats.sessions = tables.sessions;
  stats.orders = tables.orders;
  stats.events = tables.events;
  const double seq_scale = double(pack::weight_scale(tables.options.window));
  std::vector<std::uint32_t> item_sessions(n, 0), item_orders(n, 0);  // by dense id
  for (std::size_t h = 0; h < tables.item_sessions.size(); ++h) {
    item_sessions[dense[h]] = tables.item_sessions[h];
  }
  for (std::size_t h = 0; h < tables.item_orders.size(); ++h) {
    item_orders[dense[h]] = tables.item_orders[h];
  }

  // Private build: released counts replace the exact ones (all later steps are
  // post-processing of them); co_purchase is not released.
  std::vector<double> popularity(item_sessions.begin(), item_sessions.end());
  std::vector<Pair> dp_pairs;
  std::vector<std::uint8_t> dp_bytes;
  if (dp) {
    Result<pack::PrivateTables> t =
        pack::private_tables(session_offsets_, session_items_, dense, options_.dp);
    if (!t.is_ok()) return t.status();
    popularity = std::move(t.value().popularity);
    for (const pack::ReleasedPair& p : t.value().pairs) {
      dp_pairs.push_back({p.a, p.b, static_cast<std::uint32_t>(std::lround(p.count)), p.weight});
    }
    stats.dp = t.value().plan;
    stats.pairs_seen[0] = stats.pairs_seen[1] = 2 * t.value().candidates;
    dp_bytes = pack::dp_section(options_.dp, stats.dp);
  }

  // Relations: reduce, filter by support, weigh, keep the strongest per row, quantize.
  std::vector<Section> sections;
  std::vector<detail::WeightedPair> cov_pairs;  // for computed embeddings
  auto relation = [&](int r, const char(&tag)[5]) {
    if (progress) progress(tag, 0.0);
    // In dense ids, sorted (the order the embedding sees does not depend on handles).
    // Private: co_view_seq gets the released co-view pairs too (the engine's two-hop
    // neighbours walk it); they are already selected and weighted.
    std::vector<Pair> pairs;
    if (dp) {
      if (r < 2) pairs = dp_pairs;
    } else {
      for (const pack::PairCount& p : tables.pairs[r]) {
        if (p.sessions < options_.min_support) continue;
        pairs.push_back({dense[p.a], dense[p.b], p.sessions, double(p.weight) / seq_scale});
      }
      stats.pairs_seen[r] = tables.pair_rows[r];
    }
    if (!has_tables_) std::vector<pack::PairCount>().swap(own.pairs[r]);
    std::sort(pairs.begin(), pairs.end(),
              [](const Pair& x, const Pair& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
    std::vector<Pair> kept;
    for (const Pair& p : pairs) {
      if (dp) {
        kept.push_back(p);
        continue;
      }
      Pair q = p;
      if (r == 1) {
        q.weight = p.support / std::sqrt(double(item_sessions[p.a]) * item_sessions[p.b]);
      } else if (r == 2) {
        q.weight = p.support / std::sqrt(double(item_orders[p.a]) * item_orders[p.b]);
      }
      kept.push_back(q);
    }
    std::vector<Pair>().swap(pairs);
    if (r == 1 && options_.embedding_dim > 0 && embedding_dim_ == 0) {
      for (const Pair& p : kept) {
        cov_pairs.push_back({p.a, p.b, static_cast<float>(p.weight)});
      }
    }
    // Rows: strongest first, ties by neighbour id; cut to max_neighbors.
    std::sort(kept.begin(), kept.end(), [](const Pair& x, const Pair& y) {
      if (x.a != y.a) return x.a < y.a;
      if (x.weight != y.weight) return x.weight > y.weight;
      return x.b < y.b;
    });
    std::vector<std::uint32_t> row_ptr(n + 1, 0);
    std::vector<Pair> rows;
    for (std::size_t i = 0; i < kept.size();) {
      std::size_t j = i;
      while (j < kept.size() && kept[j].a == kept[i].a) ++j;
      const std::size_t take = std::min<std::size_t>(j - i, options_.max_neighbors);
      for (std::size_t k = i; k < i + take; ++k) rows.push_back(kept[k]);
      row_ptr[kept[i].a + 1] = static_cast<std::uint32_t>(take);
      i = j;
    }
    for (std::uint32_t i = 0; i < n; ++i) row_ptr[i + 1] += row_ptr[i];
    stats.pairs_kept[r] = rows.size();
    if (rows.empty()) return;
    std::vector<double> weights;
    weights.reserve(rows.size());
    for (const Pair& p : rows) weights.push_back(p.weight);
    const Quantizer qz(weights);
    const std::uint32_t width = n <= 65536 ? 2 : 4;
    Writer w;
    w.u32(n);
    w.u32(static_cast<std::uint32_t>(rows.size()));
    w.u32(width);
    w.u32(0);
    for (float t : qz.table) w.f32(t);
    for (std::uint32_t v : row_ptr) w.u32(v);
    for (const Pair& p : rows) {
      if (width == 2) {
        w.u8(static_cast<std::uint8_t>(p.b));
        w.u8(static_cast<std::uint8_t>(p.b >> 8));
      } else {
        w.u32(p.b);
      }
    }
    for (const Pair& p : rows) w.u8(qz.code(p.weight));
    sections.push_back({pack_tag(tag), std::move(w.bytes)});
  };

  // Fixed section order: the header and item table first, relations after.
  {
    Writer w;
    w.u32(dp ? 0 : options_.min_support);
    w.u32(tables.options.window);
    w.u32(options_.max_neighbors);
    w.u32(0);
    // A private pack does not publish its exact session counts.
    const std::uint64_t sessions_out = dp ? 0 : stats.sessions, orders_out = dp ? 0 : stats.orders;
    w.u32(static_cast<std::uint32_t>(sessions_out));
    w.u32(static_cast<std::uint32_t>(sessions_out >> 32));
    w.u32(static_cast<std::uint32_t>(orders_out));
    w.u32(static_cast<std::uint32_t>(orders_out >> 32));
    sections.push_back({pack_tag("META"), std::move(w.bytes)});
    if (dp) sections.push_back({pack_tag("DPAR"), std::move(dp_bytes)});
  }
  {
    std::vector<std::string_view> sorted_ids(n);
    for (std::uint32_t d = 0; d < n; ++d) sorted_ids[d] = ids_[handle_at[d]];
    Section offs{pack_tag("IDOF"), {}}, bytes{pack_tag("IDST"), {}};
    write_strings(sorted_ids, offs, bytes);
    sections.push_back(std::move(offs));
    sections.push_back(std::move(bytes));
    Section coffs{pack_tag("CTOF"), {}}, cbytes{pack_tag("CTST"), {}};
    write_strings(cats, coffs, cbytes);
    sections.push_back(std::move(coffs));
    sections.push_back(std::move(cbytes));
  }
  {
    Writer wc, wp, wf;
    for (std::uint32_t d = 0; d < n; ++d) {
      const std::uint32_t h = handle_at[d];
      wc.u32(item_cat[d]);
      wp.f32(has_catalog_[h] ? catalog_[h].price : std::numeric_limits<float>::quiet_NaN());
      wf.u8(!has_catalog_[h] || catalog_[h].available ? 1 : 0);
    }
    sections.push_back({pack_tag("ICAT"), std::move(wc.bytes)});
    sections.push_back({pack_tag("IPRC"), std::move(wp.bytes)});
    sections.push_back({pack_tag("IFLG"), std::move(wf.bytes)});
  }
  {
    // Popularity: distinct sessions per item (orders count too: a session is a session).
    const std::vector<double>& pop = popularity;
    const Quantizer qz(pop);
    Writer w;
    for (float t : qz.table) w.f32(t);
    std::vector<std::uint8_t> codes(n);
    for (std::uint32_t d = 0; d < n; ++d) codes[d] = qz.code(pop[d]);
    w.raw(codes.data(), codes.size());
    sections.push_back({pack_tag("POPQ"), std::move(w.bytes)});
    // Ranked by the exact count, ties by id (what a reader sees is the quantized value).
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
      return popularity[x] > popularity[y];
    });
    Writer wt;
    for (std::uint32_t k = 0; k < n && k < options_.top_items; ++k) {
      if (popularity[order[k]] <= 0) break;
      wt.u32(order[k]);
    }
    sections.push_back({pack_tag("POPT"), std::move(wt.bytes)});
    std::vector<std::vector<std::uint32_t>> seg(nc);
    for (std::uint32_t d : order) {
      const std::uint32_t c = item_cat[d];
      if (c != kNoCategory && seg[c].size() < options_.top_per_segment) seg[c].push_back(d);
    }
    Writer ws, wi;
    ws.u32(0);
    std::uint32_t total = 0;
    for (const auto& list : seg) {
      for (std::uint32_t d : list) wi.u32(d);
      total += static_cast<std::uint32_t>(list.size());
      ws.u32(total);
    }
    ws.raw(wi.bytes.data(), wi.bytes.size());
    sections.push_back({pack_tag("POPS"), std::move(ws.bytes)});

    // Price bands (optional section POPB): the catalog's price tertiles, and the most
    // popular items of each band, so a shopper's price band has its own bestsellers.
    std::vector<float> prices;
    for (std::uint32_t d = 0; d < n; ++d) {
      const std::uint32_t h = handle_at[d];
      if (has_catalog_[h] && std::isfinite(catalog_[h].price)) prices.push_back(catalog_[h].price);
    }
    if (prices.size() >= 3) {
      std::sort(prices.begin(), prices.end());
      const float medium = prices[prices.size() / 3], high = prices[2 * prices.size() / 3];
      std::vector<std::uint32_t> band[3];
      for (std::uint32_t d : order) {
        const std::uint32_t h = handle_at[d];
        if (!has_catalog_[h] || !std::isfinite(catalog_[h].price) || popularity[d] <= 0) continue;
        const float price = catalog_[h].price;
        const int b = price >= high ? 2 : price >= medium ? 1 : 0;
        if (band[b].size() < options_.top_per_segment) band[b].push_back(d);
      }
      Writer wb;
      wb.f32(medium);
      wb.f32(high);
      wb.u32(0);
      std::uint32_t at = 0;
      for (const auto& list : band) wb.u32(at += static_cast<std::uint32_t>(list.size()));
      for (const auto& list : band) {
        for (std::uint32_t d : list) wb.u32(d);
      }
      sections.push_back({pack_tag("POPB"), std::move(wb.bytes)});
    }
  }
  relation(0, "RSEQ");
  relation(1, "RCOV");
  relation(2, "RBUY");

  // Embeddings in dense order: given (set_embeddings) or computed from co_view.
  std::vector<float> emb;
  std::uint32_t dim = 0;
  if (embedding_dim_ > 0) {
    dim = embedding_dim_;
    emb.assign(std::size_t{n} * dim, 0.0f);
    const std::size_t rows = embeddings_.size() / dim;
    for (std::size_t h = 0; h < rows; ++h) {
      std::copy_n(embeddings_.begin() + static_cast<std::ptrdiff_t>(h * dim), dim,
                  emb.begin() + static_cast<std::ptrdiff_t>(std::size_t{dense[h]} * dim));
    }
  } else if (options_.embedding_dim > 0 && !cov_pairs.empty() &&
             (!dp || double(cov_pairs.size()) >= options_.dp.embedding_min_pairs * n)) {
    if (progress) progress("embeddings", 0.0);
    dim = options_.embedding_dim;
    emb = detail::spectral_embedding(n, cov_pairs, dim);
  }
  if (dim > 0) {
    float mx = 0;
    for (float v : emb) mx = std::max(mx, std::fabs(v));
    const float scale = mx > 0 ? mx / 127.0f : 1.0f;
    Writer w;
    w.u32(dim);
    w.f32(scale);
    std::vector<std::uint8_t> q(emb.size());
    for (std::size_t k = 0; k < emb.size(); ++k) {
      const long v = std::lround(emb[k] / scale);
      q[k] = static_cast<std::uint8_t>(static_cast<std::int8_t>(std::clamp(v, -127L, 127L)));
    }
    w.raw(q.data(), q.size());
    sections.push_back({pack_tag("EMBD"), std::move(w.bytes)});
    const EmbeddingIndex ix = options_.embedding_index;
    if (ix == EmbeddingIndex::always ||
        (ix == EmbeddingIndex::automatic && std::uint64_t{n} * dim >= kEmbeddingIndexAutoBytes)) {
      if (progress) progress("EIDX", 0.0);
      sections.push_back({pack_tag("EIDX"), detail::embedding_index_section(
                                                reinterpret_cast<const std::int8_t*>(q.data()), n,
                                                dim, options_.embedding_clusters)});
    }
  }

  // Session statistics and the fusion: from the sessions themselves (time order).
  if (options_.session_stats && !dp && !has_tables_) {
    if (progress) progress("SSTA", 0.0);
    detail::SessionStatsOptions so;
    so.min_support = options_.min_support;
    so.neighbors = options_.stats_neighbors;
    so.parts = options_.stats_parts;
    so.max_session_items = options_.max_session_items;
    sections.push_back({pack_tag("SSTA"), detail::session_stats_section(
                                              session_offsets_, session_items_, dense, n, so)});
    stats.stats_bytes = sections.back().bytes.size();
    if (options_.fusion) {
      Result<std::vector<std::uint8_t>> f = fusion_section(dense, stats, progress);
      // Too few later sessions to fit anything: the pack goes without (stats say so).
      if (!f.is_ok() && f.status().code() != Code::failed_precondition) return f.status();
      if (f.is_ok()) {
        stats.fusion_bytes = f.value().size();
        sections.push_back({pack_tag("FUSN"), std::move(f).value()});
      }
    }
  }

  stats.items = n;
  stats.categories = nc;
  std::vector<std::uint8_t> out = assemble(sections, n, nc);
  if (out.size() > 0xFFFFFFF0u) return Status(Code::invalid_argument, "pack larger than 4 GB");
  stats.bytes = out.size();
  if (progress) progress("done", 1.0);
  if (stats_out != nullptr) *stats_out = stats;
  return out;
}

Status set_fusion_option(PackBuildOptions& o, std::string_view name_value) {
  const std::size_t eq = name_value.find('=');
  const std::string name(name_value.substr(0, eq));
  const std::string value(eq == std::string_view::npos ? "" : name_value.substr(eq + 1));
  char* end = nullptr;
  const double v = std::strtod(value.c_str(), &end);
  const bool number = !value.empty() && end == value.c_str() + value.size();
  const auto bad = [&] {
    return Status(Code::invalid_argument, "bad fusion option '" + std::string(name_value) + "'");
  };
  if (!number || !(v >= 0 && v <= 1000)) return bad();
  const auto whole = static_cast<std::uint32_t>(v);
  std::uint32_t* field = name == "folds"        ? &o.fusion_folds
                         : name == "hidden"     ? &o.fusion_hidden
                         : name == "epochs"     ? &o.fusion_epochs
                         : name == "batch"      ? &o.fusion_batch
                         : name == "candidates" ? &o.fusion_candidates
                         : name == "neighbours" ? &o.fusion_neighbours
                         : name == "features"   ? &o.fusion_features
                         : name == "seed"       ? &o.fusion_seed
                                                : nullptr;
  if (field != nullptr) {
    if (double(whole) != v || (field == &o.fusion_folds && (whole < 1 || whole > 4))) return bad();
    *field = whole;
  } else if (name == "lr" && v > 0) {
    o.fusion_learning_rate = static_cast<float>(v);
  } else if (name == "final_rate" && v <= 1) {
    o.fusion_final_rate = static_cast<float>(v);
  } else if (name == "holdout" && v > 0 && v <= 0.5) {
    o.fusion_holdout = v;
  } else {
    return bad();
  }
  return Status::ok();
}

// The fusion is fitted on the latest sessions, with a pack of statistics built from the
// earlier ones only: at prediction time the statistics never contain the session scored.
Result<std::vector<std::uint8_t>> PackBuilder::fusion_section(
    const std::vector<std::uint32_t>& dense, PackBuildStats& stats,
    const BuildProgress& progress) const {
  const std::size_t ns = sessions();
  const double share = std::clamp(options_.fusion_holdout, 0.01, 0.5);
  const std::uint32_t nfold = std::clamp<std::uint32_t>(options_.fusion_folds, 1, 4);
  std::vector<std::vector<std::uint8_t>> bytes;
  std::vector<Pack> packs;
  std::vector<detail::FusionFold> folds;
  for (std::uint32_t f = 0; f < nfold; ++f) {
    const double from = 1.0 - share * double(f + 1);
    if (from < 0.3) break;  // statistics of too few sessions to stand for the whole
    const auto cut = static_cast<std::size_t>(double(ns) * from);
    const auto end = f == 0 ? ns : static_cast<std::size_t>(double(ns) * (from + share));
    PackBuilder early(*this);
    early.options_.fusion = false;  // the neighbourhood features need its embeddings too
    early.options_.embedding_index = EmbeddingIndex::never;  // same lists, built sooner
    early.session_offsets_.resize(cut + 1);
    early.session_items_.resize(early.session_offsets_.back());
    early.session_kinds_.resize(early.session_offsets_.back());
    Result<std::vector<std::uint8_t>> built = early.build();
    if (!built.is_ok()) return built.status();
    bytes.push_back(std::move(built).value());
    detail::FusionFold fold;
    for (std::size_t s = cut; s < end; ++s) {
      std::vector<std::uint32_t> x;
      for (std::uint32_t k = session_offsets_[s]; k < session_offsets_[s + 1]; ++k) {
        if (session_kinds_[k] == 0) x.push_back(dense[session_items_[k]]);
      }
      if (x.size() >= 2) fold.sessions.push_back(std::move(x));
    }
    folds.push_back(std::move(fold));
  }
  for (const auto& b : bytes) {
    Result<Pack> pack = Pack::open(b.data(), b.size());
    if (!pack.is_ok()) return pack.status();
    packs.push_back(pack.value());
  }
  for (std::size_t f = 0; f < folds.size(); ++f) folds[f].early = &packs[f];
  detail::FusionTrainOptions fo;
  fo.hidden = options_.fusion_hidden;
  fo.epochs = options_.fusion_epochs;
  fo.batch = options_.fusion_batch;
  fo.candidates = options_.fusion_candidates;
  fo.neighbours = options_.fusion_neighbours;
  fo.features = options_.fusion_features != 0 ? options_.fusion_features : detail::kFeatureKinds;
  fo.learning_rate = options_.fusion_learning_rate;
  fo.final_rate = options_.fusion_final_rate;
  fo.seed = options_.fusion_seed;
  detail::FusionTrainReport report;
  Result<std::vector<std::uint8_t>> out =
      detail::train_fusion(folds, options_.stats_weights, fo, &report, progress);
  stats.fusion_points = report.points;
  stats.fusion_trainable = report.trainable;
  stats.fusion_loss = report.epoch_loss;
  return out;
}

}  // namespace vitrine
