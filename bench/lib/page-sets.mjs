// Which of the package's files (js/dist) each demo shop page loads, and the budget of the
// product page. tests/browser/page-weight.test.mjs checks these lists against the requests
// Chromium makes for the demo shop's pages, so the size check (bench/page_weight.mjs) weighs
// what a page really loads. Data the shop serves beside the package (the pack, the rule pack
// rules.json) is not Vitrine's code and is not counted.

// The target (issue 15): the product page loads at most 60 KB gzip of Vitrine.
export const TARGET_GZIP = 60 * 1000;
// The budget `make test-size` enforces: the target once it is reached; until then what the
// product page weighs now plus about 1 %, so that growth fails the check. Measured
// 2026-11-30: 104,568 B gzip, then 113,602 with the fused scorer (issue 14) and sharded
// packs' directory blocks in the wasm, then 115,538 with packs opened in slices (no long
// task: +1,732 B of wasm, +250 of JS) and the privacy center's sections, then 116,943 with
// the scoring paths' small functions forced inline (+907 B for item and cart contexts 30-40 %
// faster in wasm; docs/benchmarks.md, Weight, Long tasks and Inlining in the wasm build),
// then 117,140 with the dot kernel's row function inlined, then 118,682 with the embedding
// search by clusters, the fusion's hidden layer in SIMD lanes and the 16-d dot kernel
// (+1,542 B of wasm for recommend() at 200k items 5x faster in Chromium; docs/benchmarks.md,
// Embedding search by clusters), then 118,859 with the fusion's features 29-31 (issue 14),
// then 116,700 with the rankings by one heap-based selection (docs/benchmarks.md, Calls the
// -Os wasm kept), then 117,058 with a private pack's selection field and sharded packs that
// keep EIDX, SSTA, FUSN and DPAR in joined packs (+358 B of wasm), then 116,255 with the
// embedding search's sorts done by its heap code (-803 B), then 115,863 with the interests'
// sort too (-392 B), then 114,174 with byte vectors for three per-item flags instead of
// vector<bool> (-1,689 B), then 114,108 with the JSON reader's members in a vector (-122 B of
// wasm, +56 of JS), then 113,233 with the consent banner's code in its own chunk, fetched only
// while it asks, then 112,731 with the export's format in the rights chunk, 112,742 with the
// banner's focus fix (docs/benchmarks.md, Ingest and the banner's chunk), then 113,335 with
// the fused scorer's logarithms two at a time in wasm SIMD (+504 B), then 110,914 with the
// history's item index by open addressing instead of std::unordered_map (-2,199 B) and a
// byte per item for recently viewed's purchases (docs/benchmarks.md, What a split of the
// wasm would save), then 111,821 with the pack's slices (docs/benchmarks.md, Long tasks while a
// pack opens), then 112,188 with the journal stores and the full write a second later
// (+367 B of JS: docs/benchmarks.md, Events at page exit), then 112,339 with the rules'
// shared read of their times and their merge across tabs.
export const PRODUCT_BUDGET_GZIP = 112_400;

// Every page: the script tag, its wasm, and the components (rows, the consent banner's
// element) with their reserved space. The banner itself is a chunk of its own, fetched only
// while it has to ask.
const BASE = ['vitrine.js', 'vitrine.wasm', 'vitrine-widgets.mjs', 'vitrine-widgets.css'];

export const PAGES = {
  // A first visit: nothing granted, the consent banner shows.
  'product, first visit': {path: '/p/{id}', grant: {}, files: [...BASE, 'vitrine-banner.mjs']},
  // The product page a returning shopper gets: history and personalization granted, so the
  // rules chunk loads too. This is the page the budget is for.
  'product': {
    path: '/p/{id}',
    grant: {history: true, personalization: true},
    files: [...BASE, 'vitrine-rules.mjs'],
    budgetGzip: PRODUCT_BUDGET_GZIP,
  },
  // Measurement granted: the reporting chunk and its wasm.
  'product, measurement granted': {
    path: '/p/{id}',
    grant: {history: true, personalization: true, measurement: true},
    files: [...BASE, 'vitrine-rules.mjs', 'vitrine-measurement.mjs', 'vitrine-measurement.wasm'],
  },
};
