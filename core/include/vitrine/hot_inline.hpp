// VITRINE_HOT_INLINE: small functions the scoring loops call for every neighbour. The wasm
// build compiles at -Os, and emcc then disables clang's inliner for every file, the -O3
// ones included (-fno-inline-functions, kept when a later -O3 overrides the level): these
// stayed calls. Forcing just them cost 907 B gzip; letting -O3 inline freely in
// the hot files cost 14 KB gzip (docs/benchmarks.md, "Inlining in the wasm build").
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define VITRINE_HOT_INLINE inline __attribute__((always_inline))
// The same for a lambda (after its parameter list), e.g. a sort's comparator.
#define VITRINE_HOT_LAMBDA __attribute__((always_inline))
#else
#define VITRINE_HOT_INLINE inline
#define VITRINE_HOT_LAMBDA
#endif
