// Draws the vitrine-ldp-sim result as an SVG: mean absolute error of the 10 largest
// categories' shares (percentage points) against the population, one line per epsilon,
// log-log, with the 1-point acceptance line.
// Also prints the Markdown tables of docs/signals.md from the same JSON.
// Usage: node bench/ldp_sim_plot.mjs RESULT.json OUT.svg
import {readFileSync, writeFileSync} from 'node:fs';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node bench/ldp_sim_plot.mjs RESULT.json OUT.svg');
  process.exit(2);
}
const run = JSON.parse(readFileSync(input, 'utf8'));
const W = 640, H = 420, L = 70, R = 150, T = 40, B = 50;
const points = run.resampled;
const xs = points.map((p) => Math.log10(p.population));
const ys = points.map((p) => Math.log10(Math.max(p.mae_top10_pp, 1e-3)));
const [x0, x1] = [Math.floor(Math.min(...xs)), Math.ceil(Math.max(...xs))];
const [y0, y1] = [Math.floor(Math.min(...ys, -1)), Math.ceil(Math.max(...ys, 0.5))];
const px = (lx) => L + (lx - x0) / (x1 - x0) * (W - L - R);
const py = (ly) => T + (y1 - ly) / (y1 - y0) * (H - T - B);
const colors = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const out = [];
out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${
    H}" font-family="sans-serif" font-size="12">`);
out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
out.push(`<text x="${
    L}" y="22" font-size="14">Top-10 category shares from LDP reports: mean absolute error</text>`);
for (let e = x0; e <= x1; e++) {
  out.push(`<line x1="${px(e)}" y1="${T}" x2="${px(e)}" y2="${H - B}" stroke="#ddd"/>`);
  out.push(`<text x="${px(e)}" y="${H - B + 18}" text-anchor="middle">10^${e}</text>`);
}
for (let e = y0; e <= y1; e++) {
  out.push(`<line x1="${L}" y1="${py(e)}" x2="${W - R}" y2="${py(e)}" stroke="#ddd"/>`);
  out.push(`<text x="${L - 6}" y="${py(e) + 4}" text-anchor="end">${10 ** e}</text>`);
}
out.push(`<line x1="${L}" y1="${py(0)}" x2="${W - R}" y2="${
    py(0)}" stroke="black" stroke-dasharray="4 3"/>`);
out.push(`<text x="${W - R + 6}" y="${py(0) + 4}">1 pp budget</text>`);
out.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">devices (resampled from ${
    run.devices.toLocaleString('en-US')} sessions)</text>`);
out.push(`<text transform="translate(16 ${
    (T + H - B) / 2}) rotate(-90)" text-anchor="middle">MAE, percentage points</text>`);
const epsilons = [...new Set(points.map((p) => p.epsilon))];
epsilons.forEach((eps, i) => {
  const line = points.filter((p) => p.epsilon === eps).sort((a, b) => a.population - b.population);
  const d = line.map(
                    (p, k) => `${k ? 'L' : 'M'}${px(Math.log10(p.population)).toFixed(1)},${
                        py(Math.log10(Math.max(p.mae_top10_pp, 1e-3))).toFixed(1)}`)
                .join(' ');
  out.push(`<path d="${d}" fill="none" stroke="${colors[i % colors.length]}" stroke-width="2"/>`);
  for (const p of line) {
    out.push(`<circle cx="${px(Math.log10(p.population)).toFixed(1)}" cy="${
        py(Math.log10(Math.max(p.mae_top10_pp, 1e-3))).toFixed(1)}" r="3" fill="${
        colors[i % colors.length]}"/>`);
  }
  out.push(`<text x="${W - R + 6}" y="${T + 20 + 18 * i}" fill="${colors[i % colors.length]}">ε = ${
      eps}</text>`);
});
out.push('</svg>');
writeFileSync(output, out.join('\n') + '\n');
console.log(`wrote ${output}\n`);

const f = (x) => x.toFixed(3);
console.log(
    '| ε | mechanism | devices | trials | MAE top-10, mean (pp) | MAE, worst trial (pp) | predicted sd (pp) |');
console.log('|---|---|---|---|---|---|---|');
for (const r of run.at_data_population) {
  console.log(
      `| ${r.epsilon} | ${r.mechanism} | ${r.population.toLocaleString('en-US')} | ${r.trials} | ${
          f(r.mae_top10_pp_mean)} | ${f(r.mae_top10_pp_max)} | ${f(r.predicted_sd_pp)} |`);
}
const pops = [...new Set(points.map((p) => p.population))].sort((a, b) => a - b);
console.log(
    '\nResampled, one trial each: MAE of the top-10 shares in percentage points (max error in parentheses).\n');
console.log(`| ε | ${pops.map((p) => p.toExponential(0).replace('e+', 'e')).join(' | ')} |`);
console.log(`|---|${pops.map(() => '---').join('|')}|`);
for (const eps of [...new Set(points.map((p) => p.epsilon))]) {
  const cells = pops.map((pop) => {
    const p = points.find((x) => x.epsilon === eps && x.population === pop);
    return p ? `${f(p.mae_top10_pp)} (${f(p.max_abs_err_top10_pp)})` : 'n/a';
  });
  console.log(`| ${eps} | ${cells.join(' | ')} |`);
}
