#include "vitrine/privacy/ldp/permanent.hpp"

namespace vitrine::privacy::ldp {

const Response& PermanentResponses::respond(const std::string& type_key, const Oracle& oracle,
                                            std::uint32_t x, RandomSource& rng) {
  Key key{type_key, x};
  auto it = entries_.find(key);
  if (it != entries_.end() && well_formed(oracle, it->second)) return it->second;
  return entries_[std::move(key)] = perturb(oracle, x, rng);
}

}  // namespace vitrine::privacy::ldp
