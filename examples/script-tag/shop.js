// The theme's own script: product data for Vitrine's components from the shop's catalog.
// Runs after the Vitrine script tag (both deferred); define() is queued until the engine
// is ready.
const products = fetch('/catalog.json')
                     .then((r) => r.json())
                     .then((c) => new Map(c.products.map((p) => [p.id, p])));
window.vitrine.widgets.define({
  currency: 'EUR',
  itemUrl: '/p/{id}',
  lookup: async (id) => {
    const p = (await products).get(id);
    return p ? {name: p.name, price: p.price} : null;
  },
});
