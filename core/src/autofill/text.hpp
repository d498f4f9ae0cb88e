// Text helpers of the checkout profile: UTF-8 checks, whitespace clean-up and the
// folding that makes "Baden-Württemberg", "baden wurttemberg" and "ＢＡＤＥＮ" compare equal.
#pragma once
#include <string>
#include <string_view>

namespace vitrine::autofill {

bool valid_utf8(std::string_view s);
// Trims, turns every run of whitespace into one space; false if s holds a control character
// or is not UTF-8.
bool clean_text(std::string_view s, std::string& out);
// Compatibility decomposition without marks, lower case, punctuation and spaces dropped
// (the same function as foldKey() in scripts/gen-autofill-tables.mjs).
std::string fold_key(std::string_view s);
// The ASCII digits of s, fullwidth digits included; '+' kept when it comes first.
std::string digits_of(std::string_view s, bool keep_plus);

}  // namespace vitrine::autofill
