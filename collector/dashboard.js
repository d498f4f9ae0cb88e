// The shop owner's page: for each report type, the estimated share of each value per day
// (95% intervals as bars), drawn as SVG on the server. No script, so it works under a strict
// Content-Security-Policy; every label is escaped.
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const COLORS =
    ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
const pct = (x) => `${(100 * x).toFixed(1)}%`;

function label(type, v) {
  return type.labels.length ? type.labels[v] : `#${v}`;
}

function plot(type, days) {
  const W = 720, H = 260, L = 50, R = 150, T = 12, B = 30;
  const last = days[days.length - 1];
  // The values with the largest share on the last day, at most eight.
  const shown = [...last.values].sort((a, b) => b.count - a.count).slice(0, 8).map((x) => x.v);
  let top = 0;
  for (const d of days) {
    for (const x of d.values)
      if (shown.includes(x.v)) top = Math.max(top, x.high / d.n);
  }
  top = Math.max(0.01, Math.min(1, top * 1.1));
  const px = (i) => L + (days.length === 1 ? 0.5 : i / (days.length - 1)) * (W - L - R);
  const py = (s) => T + (1 - Math.max(0, s) / top) * (H - T - B);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${
      H}" role="img" aria-label="${esc(type.name)} estimated shares per day">`];
  out.push(`<line x1="${L}" y1="${py(0)}" x2="${W - R}" y2="${py(0)}" stroke="#888"/>`);
  for (let g = 0; g <= 4; g++) {
    const s = top * g / 4;
    out.push(
        `<text x="${L - 4}" y="${py(s) + 4}" text-anchor="end" font-size="10">${pct(s)}</text>`);
  }
  days.forEach((d, i) => {
    if (days.length <= 10 || i % Math.ceil(days.length / 10) === 0) {
      out.push(`<text x="${px(i)}" y="${H - 10}" text-anchor="middle" font-size="10">${
          esc(d.day.slice(5))}</text>`);
    }
  });
  shown.forEach((v, j) => {
    const color = COLORS[j];
    const pts = days.map((d, i) => [i, d.values.find((x) => x.v === v), d.n]);
    const path = pts.map(
        ([i, x, n], m) => `${m ? 'L' : 'M'}${px(i).toFixed(1)},${py(x.count / n).toFixed(1)}`);
    out.push(`<path d="${path.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const [i, x, n] of pts) {
      out.push(`<line x1="${px(i)}" y1="${py(x.low / n).toFixed(1)}" x2="${px(i)}" y2="${
          py(x.high / n).toFixed(1)}" stroke="${color}" stroke-opacity="0.5"/>`);
    }
    out.push(`<text x="${W - R + 8}" y="${T + 14 + 16 * j}" fill="${color}" font-size="12">${
        esc(label(type, v))}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}

export function dashboardPage(all, k) {
  const sections = all.map(({type, days}) => {
    const head = `<h2>${esc(type.name)} (v${type.version})</h2><p>${esc(type.meaning)}. ${
        esc(type.mechanism.toUpperCase())}, epsilon ${type.epsilon} per report.</p>`;
    if (!days.length) return `${head}<p>No day with at least ${k} reports yet.</p>`;
    const last = days[days.length - 1];
    const rows =
        [...last.values]
            .sort((a, b) => b.count - a.count)
            .slice(0, 10)
            .map(
                (x) => `<tr><td>${esc(label(type, x.v))}</td><td>${pct(x.count / last.n)}</td><td>${
                    pct(x.low / last.n)} to ${pct(x.high / last.n)}</td></tr>`);
    return `${head}${plot(type, days)}<table><caption>${esc(last.day)}: ${
        last.n} reports</caption><tr><th>value</th><th>estimated share</th><th>95% interval</th></tr>${
        rows.join('')}</table>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Vitrine signals</title></head><body>
<h1>Aggregated signals</h1>
<p>Estimates from local differential privacy reports: each browser adds noise before sending, so
no single report says anything reliable about its shopper; the sums are de-biased here. A day is
shown only with at least ${k} reports. Intervals are 95%.</p>
${sections.join('\n')}
</body></html>
`;
}
