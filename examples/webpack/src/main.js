// A shop bundled with webpack 5. webpack replaces import.meta.url with the source file's
// path, so the package is told where its files are: the wasm (wasmUrl) and the on-demand
// chunks (featureBase), which build.mjs copies to /vitrine/.
import {createVitrine} from 'vitrine';

async function main() {
  const vitrine = await createVitrine({
    pack: '/pack.vpk',
    captureDataLayer: true,
    featureBase: new URL('/vitrine/', location.href).href,
    wasmUrl: new URL('/vitrine/vitrine.wasm', location.href).href,
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
}

main().catch((error) => console.error(`shop: ${error.message}`));
