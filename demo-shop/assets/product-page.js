// The product page: view_item on arrival, add_to_cart from the button.
import {gaItem, pushEcommerce, value} from './analytics.js';
import {addToCart} from './cart.js';

export function setupProductPage(catalog) {
  const product = catalog.products.get(document.body.dataset.itemId);
  if (!product) return;
  const viewed = [gaItem(product)];
  pushEcommerce('view_item', {value: value(viewed), items: viewed});

  const button = document.querySelector('[data-add-to-cart]');
  const status = document.querySelector('[data-testid="cart-status"]');
  button?.addEventListener('click', () => {
    if (!product.available) return;
    addToCart(product.id, 1);
    const items = [gaItem(product, {quantity: 1})];
    pushEcommerce('add_to_cart', {value: value(items), items});
    if (status) status.textContent = 'Added to your cart.';
  });
}
