// A React single-page shop: the components are plain custom elements in JSX (React 19
// passes their attributes through). The wasm is emitted by Vite (new URL(..., import.meta.url));
// the on-demand chunks are copied to /vitrine/ (build.mjs) and found there (featureBase).
import {createRoot} from 'react-dom/client';
import {createVitrine} from 'vitrine';

function App() {
  return (
    <main>
      <h1>Vite + React recipe</h1>
      <vitrine-recently-viewed limit="6" card-height="260"></vitrine-recently-viewed>
      <vitrine-recommendations context="home" limit="6" card-height="260"></vitrine-recommendations>
      <vitrine-consent-banner></vitrine-consent-banner>
    </main>
  );
}

createRoot(document.getElementById('root')).render(<App />);

const vitrine = await createVitrine({
  pack: '/pack.vpk',
  captureDataLayer: true,
  featureBase: new URL('/vitrine/', location.href).href,
});
const catalog = await fetch('/catalog.json').then((r) => r.json());
const products = new Map(catalog.products.map((p) => [p.id, p]));
await vitrine.widgets.define({
  currency: 'EUR',
  itemUrl: '/p/{id}',
  lookup: (id) => {
    const p = products.get(id);
    return p ? {name: p.name, price: p.price} : null;
  },
});
