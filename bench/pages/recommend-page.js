// The script tag as a storefront adds it, in memory, without dataLayer capture. The pack is
// loaded later by the benchmark (to time it). ?wasm=URL tries another build of the engine.
const script = document.createElement('script');
script.src = '/vitrine/vitrine.js';
script.dataset.consent = 'manual';
script.dataset.storage = 'memory';
script.dataset.datalayer = 'off';
const wasm = new URLSearchParams(location.search).get('wasm');
if (wasm) script.dataset.wasm = wasm;
document.head.append(script);
