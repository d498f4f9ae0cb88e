// Decimal text <-> double without libc's strtod and snprintf, which weigh 12 KB gzip in
// the wasm module (docs/benchmarks.md). Reading is exactly rounded (to nearest, ties to
// even) when the literal has at most 19 significant digits and, written as an integer of
// those digits times 10^e, -31 <= e <= 27; outside that it is within a few units in the
// last place. Writing
// gives the shortest decimal that this reader reads back as the same double, for every
// price the engine keeps (0, or 1e-6 .. 1e9).
#pragma once
#include <string>
#include <string_view>

namespace vitrine::detail {

// `literal` is a valid JSON number (checked by the caller). Infinite when out of range.
double parse_decimal(std::string_view literal);

// Appends the shortest round-trip decimal of a finite v >= 0 (JSON number syntax).
void append_shortest(double v, std::string& out);

}  // namespace vitrine::detail
