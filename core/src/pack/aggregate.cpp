// Stage 1: per-session pair entries, sort-and-reduce (deterministic, no hash-order effects),
// sorted runs spilled through a callback, and their k-way merge.
#include "vitrine/pack/aggregate.hpp"

#include <algorithm>
#include <numeric>
#include <queue>

namespace vitrine::pack {
namespace {

std::uint64_t key_of(std::uint32_t a, std::uint32_t b) { return std::uint64_t{a} << 32 | b; }

void grow(std::vector<std::uint32_t>& v, std::uint32_t index) {
  if (v.size() <= index) v.resize(std::size_t{index} + 1, 0);
}

}  // namespace

std::uint64_t weight_scale(std::uint32_t window) {
  std::uint64_t l = 1;
  for (std::uint64_t k = 2; k <= window; ++k) l = l / std::gcd(l, k) * k;
  return l;
}

Aggregator::Aggregator(AggregateOptions options, std::size_t memory_limit, SpillRun spill)
    : options_(options), memory_limit_(memory_limit), spill_(std::move(spill)) {
  options_.window = std::clamp<std::uint32_t>(options_.window, 1, kMaxWindow);
  scale_ = weight_scale(options_.window);
  totals_.options = options_;
}

// Merges duplicate keys of one session (summing weights): each key once per session, so a
// key's entry count after reduction is its distinct-session support.
void Aggregator::flush_session(std::vector<Entry>& buffer) {
  std::sort(local_.begin(), local_.end(),
            [](const Entry& x, const Entry& y) { return x.key < y.key; });
  for (std::size_t i = 0; i < local_.size();) {
    std::size_t j = i;
    std::uint64_t w = 0;
    while (j < local_.size() && local_[j].key == local_[i].key) w += local_[j++].weight;
    buffer.push_back({local_[i].key, w});
    i = j;
  }
  local_.clear();
}

Status Aggregator::add_session(const std::uint32_t* items, const std::uint8_t* buy,
                               std::size_t count) {
  for (std::size_t k = 0; k < count; ++k) {
    if (items[k] == 0xFFFFFFFFu) return Status(Code::invalid_argument, "item handle 2^32-1");
  }
  if (count == 0) return Status::ok();
  ++totals_.sessions;
  totals_.events += count;
  const std::uint32_t W = options_.window;
  // Sequential co-view within the window, weight scale/step (exact: scale is lcm(1..W)).
  for (std::size_t p = 0; p < count; ++p) {
    for (std::size_t q = p + 1; q < count && q - p <= W; ++q) {
      if (items[p] != items[q]) local_.push_back({key_of(items[p], items[q]), scale_ / (q - p)});
    }
  }
  flush_session(buffers_[kSeq]);
  // Co-occurrence over the distinct items in first-seen order; long sessions only within
  // the window of that order.
  uniq_.clear();
  carts_.clear();
  for (std::size_t k = 0; k < count; ++k) {
    if (std::find(uniq_.begin(), uniq_.end(), items[k]) == uniq_.end()) uniq_.push_back(items[k]);
    if (buy[k]) carts_.push_back(items[k]);
  }
  for (std::uint32_t x : uniq_) {
    grow(totals_.item_sessions, x);
    ++totals_.item_sessions[x];
  }
  const std::size_t reach =
      uniq_.size() <= options_.max_session_items ? uniq_.size() : std::size_t{W};
  for (std::size_t p = 0; p < uniq_.size(); ++p) {
    for (std::size_t q = p + 1; q < uniq_.size() && q - p <= reach; ++q) {
      local_.push_back({key_of(uniq_[p], uniq_[q]), 0});
      local_.push_back({key_of(uniq_[q], uniq_[p]), 0});
    }
  }
  flush_session(buffers_[kCov]);
  // Carted or ordered together (orders with more than max_session_items items add none).
  std::sort(carts_.begin(), carts_.end());
  carts_.erase(std::unique(carts_.begin(), carts_.end()), carts_.end());
  if (!carts_.empty()) {
    ++totals_.orders;
    for (std::uint32_t x : carts_) {
      grow(totals_.item_orders, x);
      ++totals_.item_orders[x];
    }
    if (carts_.size() <= options_.max_session_items) {
      for (std::size_t p = 0; p < carts_.size(); ++p) {
        for (std::size_t q = p + 1; q < carts_.size(); ++q) {
          local_.push_back({key_of(carts_[p], carts_[q]), 0});
          local_.push_back({key_of(carts_[q], carts_[p]), 0});
        }
      }
      flush_session(buffers_[kBuy]);
    }
  }
  if (memory_limit_ > 0 && spill_) {
    const std::size_t used =
        (buffers_[0].size() + buffers_[1].size() + buffers_[2].size()) * sizeof(Entry);
    if (used > memory_limit_) return spill_all();
  }
  return Status::ok();
}

// Sorts buffered entries and reduces them to rows (sessions = entries per key); frees them.
std::vector<PairCount> Aggregator::reduce_buffer(std::vector<Entry>& buf) {
  std::sort(buf.begin(), buf.end(), [](const Entry& x, const Entry& y) { return x.key < y.key; });
  std::vector<PairCount> rows;
  for (std::size_t i = 0; i < buf.size();) {
    std::size_t j = i;
    std::uint64_t w = 0;
    while (j < buf.size() && buf[j].key == buf[i].key) w += buf[j++].weight;
    rows.push_back({static_cast<std::uint32_t>(buf[i].key >> 32),
                    static_cast<std::uint32_t>(buf[i].key & 0xFFFFFFFFu),
                    static_cast<std::uint32_t>(j - i), w});
    i = j;
  }
  std::vector<Entry>().swap(buf);
  return rows;
}

Status Aggregator::spill_all() {
  spilled_ = true;
  for (int r = 0; r < 3; ++r) {
    if (buffers_[r].empty()) continue;
    const std::vector<PairCount> run = reduce_buffer(buffers_[r]);
    Status st = spill_(static_cast<Relation>(r), run);
    if (!st.is_ok()) return st;
  }
  return Status::ok();
}

Status Aggregator::finish(AggregateTables& out) {
  out = totals_;
  if (spilled_) {
    Status st = spill_all();
    if (!st.is_ok()) return st;
  } else {
    for (int r = 0; r < 3; ++r) {
      out.pairs[r] = reduce_buffer(buffers_[r]);
      out.pair_rows[r] = out.pairs[r].size();
    }
  }
  return Status::ok();
}

Status merge_runs(std::vector<RunSource>& runs,
                  const std::function<Status(const PairCount& row)>& emit) {
  struct Head {
    std::uint64_t key;
    std::size_t run;
  };
  auto later = [](const Head& x, const Head& y) {
    return x.key != y.key ? x.key > y.key : x.run > y.run;
  };
  std::priority_queue<Head, std::vector<Head>, decltype(later)> heap(later);
  std::vector<PairCount> current(runs.size());
  for (std::size_t k = 0; k < runs.size(); ++k) {
    Result<bool> more = runs[k](current[k]);
    if (!more.is_ok()) return more.status();
    if (more.value()) heap.push({key_of(current[k].a, current[k].b), k});
  }
  bool have = false;
  PairCount acc;
  while (!heap.empty()) {
    const Head h = heap.top();
    heap.pop();
    const PairCount& row = current[h.run];
    if (have && key_of(acc.a, acc.b) == h.key) {
      acc.sessions += row.sessions;
      acc.weight += row.weight;
    } else {
      if (have) {
        Status st = emit(acc);
        if (!st.is_ok()) return st;
      }
      acc = row;
      have = true;
    }
    Result<bool> more = runs[h.run](current[h.run]);
    if (!more.is_ok()) return more.status();
    if (more.value()) {
      const std::uint64_t next = key_of(current[h.run].a, current[h.run].b);
      if (next <= h.key) return Status(Code::invalid_argument, "spill run out of order");
      heap.push({next, h.run});
    }
  }
  if (have) return emit(acc);
  return Status::ok();
}

void reduce_pairs(std::vector<PairCount>& pairs) {
  std::sort(pairs.begin(), pairs.end(), [](const PairCount& x, const PairCount& y) {
    return key_of(x.a, x.b) < key_of(y.a, y.b);
  });
  std::size_t out = 0;
  for (std::size_t i = 0; i < pairs.size();) {
    PairCount acc = pairs[i];
    std::size_t j = i + 1;
    while (j < pairs.size() && pairs[j].a == acc.a && pairs[j].b == acc.b) {
      acc.sessions += pairs[j].sessions;
      acc.weight += pairs[j].weight;
      ++j;
    }
    pairs[out++] = acc;
    i = j;
  }
  pairs.resize(out);
}

}  // namespace vitrine::pack
