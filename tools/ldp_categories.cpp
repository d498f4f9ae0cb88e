#include "ldp_categories.hpp"

#include <algorithm>
#include <map>

namespace vitrine::tools {

CategoryMap proxy_categories(const std::vector<RawSession>& sessions, std::uint32_t max_size,
                             int rounds) {
  std::unordered_map<std::string, std::uint32_t> index;
  std::vector<std::string> ids;
  auto id_of = [&](const std::string& item) {
    auto [it, added] = index.emplace(item, static_cast<std::uint32_t>(ids.size()));
    if (added) ids.push_back(item);
    return it->second;
  };
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
  for (const auto& s : sessions) {
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
      const auto a = id_of(s[i].item), b = id_of(s[i + 1].item);
      if (a == b) continue;
      edges.emplace_back(a, b);
      edges.emplace_back(b, a);
    }
    if (s.size() == 1) id_of(s[0].item);
  }
  std::sort(edges.begin(), edges.end());
  const std::size_t n = ids.size();
  std::vector<std::size_t> start(n + 1, 0);
  for (const auto& e : edges) ++start[e.first + 1];
  for (std::size_t i = 0; i < n; ++i) start[i + 1] += start[i];

  std::vector<std::uint32_t> label(n), size(n, 1);
  for (std::uint32_t i = 0; i < n; ++i) label[i] = i;
  std::map<std::uint32_t, std::uint32_t> votes;
  for (int round = 0; round < rounds; ++round) {
    bool changed = false;
    for (std::uint32_t v = 0; v < n; ++v) {
      votes.clear();
      for (std::size_t k = start[v]; k < start[v + 1]; ++k) ++votes[label[edges[k].second]];
      std::uint32_t best = label[v], best_votes = votes.count(best) ? votes[best] : 0;
      for (const auto& [l, c] : votes) {
        if (l == label[v] || size[l] >= max_size) continue;
        if (c > best_votes) best = l, best_votes = c;  // ties keep the current label
      }
      if (best != label[v]) {
        --size[label[v]];
        ++size[best];
        label[v] = best;
        changed = true;
      }
    }
    if (!changed) break;
  }
  CategoryMap out;
  for (std::uint32_t v = 0; v < n; ++v) out[ids[v]] = "c" + std::to_string(label[v]);
  return out;
}

std::vector<std::uint32_t> top_category_per_session(const std::vector<RawSession>& sessions,
                                                    const CategoryMap& categories,
                                                    std::vector<std::string>& names) {
  std::vector<std::string> top(sessions.size());
  std::unordered_map<std::string, std::uint64_t> sessions_of;
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    std::vector<std::pair<std::string, int>> counts;  // in order of first view
    for (const auto& e : sessions[i]) {
      auto it = categories.find(e.item);
      if (it == categories.end()) continue;
      auto c = std::find_if(counts.begin(), counts.end(),
                            [&](const auto& p) { return p.first == it->second; });
      if (c == counts.end())
        counts.emplace_back(it->second, 1);
      else
        ++c->second;
    }
    int best = 0;
    for (const auto& [name, count] : counts) {
      if (count > best) best = count, top[i] = name;
    }
    ++sessions_of[top[i]];
  }
  names.clear();
  for (const auto& [name, count] : sessions_of) names.push_back(name);
  std::sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
    const auto ca = sessions_of[a], cb = sessions_of[b];
    return ca != cb ? ca > cb : a < b;
  });
  std::unordered_map<std::string, std::uint32_t> rank;
  for (std::uint32_t r = 0; r < names.size(); ++r) rank[names[r]] = r;
  std::vector<std::uint32_t> out(sessions.size());
  for (std::size_t i = 0; i < sessions.size(); ++i) out[i] = rank[top[i]];
  return out;
}

}  // namespace vitrine::tools
