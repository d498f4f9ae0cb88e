// Build time of a differentially private DIGINETICA pack against the exact build (issue 11
// budget: at most 2x). Both runs use the same sessions and the same catalog (DIGINETICA has
// no catalog file: its training item ids stand in for it, as in vitrine-eval).
//
//   node bench/dp_pack.mjs [--native build] [--data ../shared/data/diginetica] [--runs 3]
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const native = resolve(root, opt('--native', 'build'));
const data = resolve(root, opt('--data', join('..', 'shared', 'data', 'diginetica')));
const runs = Number(opt('--runs', '3'));
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs a positive integer');
const tool = join(native, 'tools', 'vitrine-pack');
const train = join(data, 'train_sessions.txt');

const tmp = mkdtempSync(join(tmpdir(), 'vitrine-dp-bench-'));
try {
  const ids = new Set(readFileSync(train, 'utf8').split(/\s+/).filter(Boolean));
  const catalog = join(tmp, 'catalog.csv');
  writeFileSync(
      catalog,
      `item_id,category,price,available\n${[...ids].map((id) => `${id},,,1`).join('\n')}\n`);
  const build = (extra) => {
    const out = join(tmp, 'p.vpk');
    const t0 = performance.now();
    execFileSync(
        tool, ['--quiet', '--sessions', train, '--catalog', catalog, ...extra, '-o', out],
        {stdio: ['ignore', 'ignore', 'pipe']});
    return {seconds: (performance.now() - t0) / 1000, bytes: statSync(out).size};
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const measure = (extra) => {
    const r = Array.from({length: runs}, () => build(extra));
    return {
      seconds_median: +median(r.map((x) => x.seconds)).toFixed(3),
      seconds: r.map((x) => +x.seconds.toFixed(3)),
      bytes: r[0].bytes
    };
  };
  const exact = measure([]);
  // The same structure as a private pack (no SSTA, no FUSN: a private pack leaves them out).
  const neighbourhood = measure(['--no-session-stats']);
  const dp = measure(['--dp-epsilon', '4', '--dp-delta', '1e-6']);
  const ratio = +(dp.seconds_median / exact.seconds_median).toFixed(3);
  const ratioNeighbourhood = +(dp.seconds_median / neighbourhood.seconds_median).toFixed(3);
  console.log(JSON.stringify(
      {
        benchmark: 'dp_pack',
        command:
            `vitrine-pack --sessions train_sessions.txt --catalog (train ids) [--dp-epsilon 4 --dp-delta 1e-6]`,
        items: ids.size,
        runs,
        exact,
        exact_neighbourhood: neighbourhood,
        private: dp,
        ratio,
        ratio_vs_neighbourhood: ratioNeighbourhood,
        budgets: {
          private_build_vs_exact: {max: 2, value: ratio, met: ratio <= 2},
          private_build_vs_neighbourhood:
              {max: 2, value: ratioNeighbourhood, met: ratioNeighbourhood <= 2},
        },
      },
      null, 2));
} finally {
  rmSync(tmp, {recursive: true, force: true});
}
