// Permanent randomized response (RAPPOR's memoization): the privatized answer for a given
// (report type, true value) is drawn once and then reused, so a device that reports the
// same value every day sends the same noisy answer and the noise cannot be averaged away.
// Persisting the entries is the caller's job (IndexedDB in the browser).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "vitrine/privacy/ldp/mechanism.hpp"

namespace vitrine::privacy::ldp {

class PermanentResponses {
 public:
  using Key = std::pair<std::string, std::uint32_t>;  // (type@version, true value)

  // The memoized response, drawn from `oracle` on first use. x < oracle.domain.
  const Response& respond(const std::string& type_key, const Oracle& oracle, std::uint32_t x,
                          RandomSource& rng);

  const std::map<Key, Response>& entries() const { return entries_; }
  // Restores a persisted entry (the caller validates it with well_formed first).
  void restore(Key key, Response response) { entries_[std::move(key)] = std::move(response); }

 private:
  std::map<Key, Response> entries_;
};

}  // namespace vitrine::privacy::ldp
