// A Vue single-page shop: vitrine-* tags are custom elements (build.mjs tells Vue's
// compiler), defined by the package once the engine is ready.
import {createVitrine} from 'vitrine';
import {createApp} from 'vue';

import App from './App.vue';

createApp(App).mount('#app');

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
