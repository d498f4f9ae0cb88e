// The Vitrine bytes each demo shop page loads (bench/lib/page-sets.mjs), from the files in
// js/dist: gzip (level 9) and brotli (quality 11), both with node's zlib, per file and per
// page. Sizes are deterministic, so `make test-size` runs this with --check and fails when
// a page passes its budget. Prints one JSON object.
//   node bench/page_weight.mjs [--dist DIR] [--check]
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';

import {DIST} from './lib/dist.mjs';
import {PAGES, TARGET_GZIP} from './lib/page-sets.mjs';
import {weigh} from './lib/weigh.mjs';

function parseArgs(argv) {
  const opts = {dist: DIST, check: false};
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === '--dist' && argv[i + 1] !== undefined) {
      opts.dist = path.resolve(argv[++i]);
    } else if (argv[i] === '--check') {
      opts.check = true;
    } else {
      throw new Error(`unknown or incomplete argument ${argv[i]} (--dist DIR, --check)`);
    }
  }
  return opts;
}


// Every file of the package a page may load (js/dist), weighed once: the pages' files and
// the on-demand chunks no page of the set loads (consent, autofill, languages).
function packageFiles(dist) {
  return readdirSync(dist).filter((f) => /\.(js|mjs|wasm|css)$/.test(f)).sort();
}

export function pageWeights(dist) {
  const files = {};
  for (const file of packageFiles(dist)) files[file] = weigh(readFileSync(path.join(dist, file)));
  const pages = {};
  for (const [name, page] of Object.entries(PAGES)) {
    const total = {bytes: 0, gzip: 0, brotli: 0};
    for (const file of page.files) {
      let bytes;
      try {
        bytes = readFileSync(path.join(dist, file));
      } catch (error) {
        throw new Error(`${file} is not in ${dist} (run \`make js\` first): ${error.message}`);
      }
      files[file] ??= weigh(bytes);
      for (const key of Object.keys(total)) total[key] += files[file][key];
    }
    pages[name] = {files: page.files, ...total, budgetGzip: page.budgetGzip ?? null};
  }
  return {files, pages};
}

const opts = parseArgs(process.argv.slice(2));
const {files, pages} = pageWeights(opts.dist);
const over = Object.entries(pages).filter(
    ([, page]) => page.budgetGzip !== null && page.gzip > page.budgetGzip);
const product = pages.product;
console.log(JSON.stringify(
    {
      benchmark: 'page_weight',
      dist: opts.dist,
      compression: 'gzip level 9 and brotli quality 11, node zlib',
      targetGzip: TARGET_GZIP,
      targetMet: product.gzip <= TARGET_GZIP,
      files,
      pages,
      overBudget: over.map(([name]) => name),
    },
    null, 2));
for (const [name, page] of Object.entries(pages)) {
  console.error(`page_weight: ${name}: ${page.gzip} B gzip, ${page.brotli} B brotli${
      page.budgetGzip === null ? '' : ` (budget ${page.budgetGzip})`}`);
}
console.error(`page_weight: the product page's target is ${TARGET_GZIP} B gzip (issue 15): ${
    product.gzip <= TARGET_GZIP ? 'met' : `${product.gzip - TARGET_GZIP} B over`}`);
if (opts.check && over.length) {
  for (const [name, page] of over) {
    console.error(`page_weight: FAIL ${name}: ${page.gzip} B gzip passes its budget of ${
        page.budgetGzip} B by ${page.gzip - page.budgetGzip} B`);
  }
  process.exitCode = 1;
}
