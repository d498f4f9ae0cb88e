// A shop bundled with webpack 5: nothing to configure. webpack emits the wasm and the
// on-demand chunks (the package names each as new URL('./file', import.meta.url)) under
// hashed names, and the package finds them there.
import {createVitrine} from 'vitrine';

async function main() {
  const vitrine = await createVitrine({pack: '/pack.vpk', captureDataLayer: true});
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
