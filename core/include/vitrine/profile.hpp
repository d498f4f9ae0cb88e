// The shopper's inferred interests: category affinities computed from the history on
// demand (never stored), minus the categories the shopper removed. Removing an interest
// also keeps its items out of recommendations.
#pragma once
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "vitrine/history.hpp"

namespace vitrine {

struct Interest {
  std::string category;
  double weight = 0;  // share of the decayed interest mass, 0..1
};

// How much one history event says about interest (0: nothing): buying says more than looking.
double interest_signal(EventType type);

struct InterestOptions {
  static constexpr std::int64_t kDefaultHalfLifeMs = 14LL * 24 * 3600 * 1000;
  std::int64_t half_life_ms = kDefaultHalfLifeMs;
  std::size_t limit = 10;
  double min_weight = 0.05;  // a single stray view is not an interest
};

class Profile {
 public:
  static constexpr std::size_t kMaxBlocked = 200;

  // Strongest first; blocked categories and items without a category are left out.
  std::vector<Interest> interests(const History& history, std::int64_t now_ms,
                                  const InterestOptions& options = {}) const;

  // False when the list is full or the name is empty or too long.
  bool block(const std::string& category);
  void unblock(const std::string& category) { blocked_.erase(category); }
  bool is_blocked(const std::string& category) const { return blocked_.count(category) != 0; }
  const std::set<std::string>& blocked() const { return blocked_; }
  void clear() { blocked_.clear(); }

 private:
  std::set<std::string> blocked_;
};

}  // namespace vitrine
