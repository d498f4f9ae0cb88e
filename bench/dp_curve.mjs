// The quality curve of the differentially private pack (issue 11): vitrine-eval on
// DIGINETICA, the engine on the exact default pack and on private packs for epsilon in
// {1, 2, 4, 8} and simulated shop sizes s in {1, 5, 25} (--dp-scale: bounded counts times
// s before the noise; evaluation only). One run at a time (each is CPU heavy).
// Writes the JSON (every run's vitrine-eval output) and draws the SVG:
//
//   node bench/dp_curve.mjs [--native build] [--data ../shared/data/diginetica]
//        [--out docs/dp-curve.json] [--svg docs/dp-curve.svg] [--plot-only]
import {execFileSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
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
const outJson = resolve(root, opt('--out', 'docs/dp-curve.json'));
const outSvg = resolve(root, opt('--svg', 'docs/dp-curve.svg'));
const EPSILONS = [1, 2, 4, 8];
const SCALES = [1, 5, 25];

function evaluate(extra) {
  const argv = [
    '--train', join(data, 'train_sessions.txt'), '--test', join(data, 'test_sessions.txt'),
    '--model', 'engine', '--json', ...extra
  ];
  console.error(`vitrine-eval ${extra.join(' ')}`);
  return JSON.parse(execFileSync(
      join(native, 'tools', 'vitrine-eval'), argv,
      {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}));
}

let curve;
if (args.includes('--plot-only')) {
  curve = JSON.parse(readFileSync(outJson, 'utf8'));
} else {
  // The reference is the exact neighbourhood pack (--no-session-stats): a private pack
  // carries neither SSTA nor FUSN, so this compares the same pack with and without privacy.
  curve = {
    command: 'node bench/dp_curve.mjs',
    dataset: 'diginetica',
    exact: evaluate(['--no-session-stats']),
    private: []
  };
  for (const s of SCALES) {
    for (const e of EPSILONS) {
      curve.private.push(evaluate([
        '--dp-epsilon', String(e), '--dp-delta', '1e-6', '--dp-scale', String(s), '--dp-seed', '1'
      ]));
    }
  }
  writeFileSync(outJson, `${JSON.stringify(curve, null, 1)}\n`);
}

// Shares of the exact pack's HR@20 and MRR@20.
const engine = (run) => run.results.find((r) => r.model === 'engine');
const ex = engine(curve.exact);
const rows = curve.private.map((run) => ({
                                 epsilon: run.dp.epsilon,
                                 scale: run.dp.scale,
                                 threshold: run.dp.threshold,
                                 hr: engine(run)['hr@20'],
                                 mrr: engine(run)['mrr@20'],
                                 hrShare: engine(run)['hr@20'] / ex['hr@20'],
                                 mrrShare: engine(run)['mrr@20'] / ex['mrr@20'],
                                 bytes: run.pack_bytes,
                               }));
console.log(
    '| s | epsilon | threshold | HR@20 | MRR@20 | HR@20 / exact | MRR@20 / exact | pack bytes |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.scale} | ${r.epsilon} | ${r.threshold.toFixed(1)} | ${r.hr.toFixed(2)} | ${
      r.mrr.toFixed(2)} | ${(100 * r.hrShare).toFixed(1)} % | ${
      (100 * r.mrrShare).toFixed(1)} % | ${r.bytes.toLocaleString('en')} |`);
}

const W = 640, H = 400, L = 60, R = 170, T = 40, B = 50;
const px = (e) => L + (Math.log2(e) / 3) * (W - L - R);  // epsilon 1..8, log scale
const py = (share) => T + (1 - share) * (H - T - B);     // 0..100 %
const colors = {
  1: '#d62728',
  5: '#1f77b4',
  25: '#2ca02c'
};
const out = [];
out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${
    H}" font-family="sans-serif" font-size="12">`);
out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
out.push(`<text x="${
    L}" y="22" font-size="14">Private pack on DIGINETICA: HR@20 (solid) and MRR@20 (dashed), share of exact</text>`);
for (const e of EPSILONS) {
  out.push(`<line x1="${px(e)}" y1="${T}" x2="${px(e)}" y2="${H - B}" stroke="#ddd"/>`);
  out.push(`<text x="${px(e)}" y="${H - B + 18}" text-anchor="middle">${e}</text>`);
}
for (let v = 0; v <= 100; v += 20) {
  out.push(`<line x1="${L}" y1="${py(v / 100)}" x2="${W - R}" y2="${py(v / 100)}" stroke="#ddd"/>`);
  out.push(`<text x="${L - 6}" y="${py(v / 100) + 4}" text-anchor="end">${v} %</text>`);
}
out.push(`<text x="${(L + W - R) / 2}" y="${
    H - 12}" text-anchor="middle">epsilon (per session, delta 1e-6)</text>`);
SCALES.forEach((s, k) => {
  const pts = rows.filter((r) => r.scale === s).sort((a, b) => a.epsilon - b.epsilon);
  for (const [key, dash] of [['hrShare', ''], ['mrrShare', ' stroke-dasharray="5 3"']]) {
    const d =
        pts.map((r, i) => `${i ? 'L' : 'M'}${px(r.epsilon).toFixed(1)},${py(r[key]).toFixed(1)}`)
            .join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${colors[s]}" stroke-width="2"${dash}/>`);
    for (const r of pts)
      out.push(`<circle cx="${px(r.epsilon).toFixed(1)}" cy="${
          py(r[key]).toFixed(1)}" r="3" fill="${colors[s]}"/>`);
  }
  const sessions = Math.round(186670 * s / 1000);
  out.push(`<text x="${W - R + 10}" y="${T + 20 + 18 * k}" fill="${colors[s]}">s = ${s} (${
      sessions}k sessions)</text>`);
});
out.push('</svg>');
writeFileSync(outSvg, `${out.join('\n')}\n`);
console.error(`wrote ${outSvg}`);
