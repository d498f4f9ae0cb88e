// A single-page shop bundled with esbuild: the package from npm, the components defined
// with the shop's catalog as product data.
import {createVitrine} from 'vitrine';

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
window.app = {
  vitrine,
  products: catalog.products
};
