// A matcher for the regular-expression subset of libphonenumber's metadata (digits, \d,
// classes with ranges, groups, alternation, ?, {n} and {n,m}), so phone validation needs
// no regex engine in the wasm. The generator refuses metadata outside this subset.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace vitrine::autofill {

// True if the whole of text matches pattern; groups receives the capturing groups in order.
bool match_full(std::string_view pattern, std::string_view text,
                std::vector<std::string>* groups = nullptr);
// True if some prefix of text (possibly all of it) matches pattern, or if text ends while
// the pattern could still match (libphonenumber's leading-digits test).
bool match_prefix(std::string_view pattern, std::string_view text);

}  // namespace vitrine::autofill
