// The shop's side of Vitrine's components (the rows are <vitrine-*> elements rendered by the
// server): where product data comes from (the shop's catalog), and which items are in the
// cart for the "Goes well with" row. The cards' look is the shop's own <template>.
import {onCartChange, readCart} from './cart.js';

export function setupWidgets(catalog) {
  const vitrine = window.vitrine;
  if (!vitrine) return;
  vitrine.widgets
      .define({
        currency: 'EUR',
        itemUrl: '/p/{id}',
        imageUrl: '/img/{id}.svg',
        lookup: (id) => {
          const product = catalog.products.get(id);
          return product ? {name: product.name, price: product.price} : null;
        },
      })
      .catch((error) => console.error(`demo-shop: widgets: ${error?.message ?? error}`));
  const cartRow = document.querySelector('vitrine-recommendations[context="cart"]');
  if (cartRow) {
    const show = () =>
        cartRow.setAttribute('item-ids', readCart().map((line) => line.id).join(' '));
    show();
    onCartChange(show);
  }
}
