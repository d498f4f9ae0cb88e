// The cart page: lines from the shop's cart, view_cart, remove_from_cart, and a fake
// checkout (begin_checkout, then purchase, which empties the cart).
import {gaItem, pushEcommerce, value} from './analytics.js';
import {clearCart, onCartChange, readCart, removeFromCart} from './cart.js';
import {el, formatPrice} from './dom.js';

function cartItems(catalog) {
  return readCart().flatMap((line) => {
    const product = catalog.products.get(line.id);
    return product ? [gaItem(product, {quantity: line.qty})] : [];
  });
}

export function setupCartPage(catalog) {
  const lines = document.querySelector('[data-testid="cart-lines"]');
  const empty = document.querySelector('[data-testid="cart-empty"]');
  const total = document.querySelector('[data-testid="cart-total"]');
  const checkout = document.querySelector('[data-action="checkout"]');
  const panel = document.querySelector('[data-testid="checkout-panel"]');
  const placeOrder = document.querySelector('[data-action="place-order"]');
  const confirmation = document.querySelector('[data-testid="order-confirmation"]');

  const render = () => {
    const items = cartItems(catalog);
    lines.replaceChildren(...items.map((item) => {
      const remove = el(
          'button', {type: 'button', class: 'link-button', 'data-remove': item.item_id}, 'Remove');
      return el(
          'li', {class: 'cart-line', 'data-item-id': item.item_id},
          el('img', {src: `/img/${item.item_id}.svg`, alt: '', width: 64, height: 64}),
          el('a', {href: `/p/${item.item_id}`, class: 'cart-line-name'}, item.item_name),
          el('span', {class: 'cart-line-qty'}, `× ${item.quantity}`),
          el('span', {class: 'cart-line-price'}, formatPrice(item.price * item.quantity)), remove);
    }));
    total.textContent = formatPrice(value(items));
    empty.hidden = items.length > 0;
    checkout.hidden = items.length === 0 || !panel.hidden;
    if (!items.length) panel.hidden = true;
  };

  lines.addEventListener('click', (event) => {
    const id = event.target.closest?.('[data-remove]')?.dataset.remove;
    const product = id && catalog.products.get(id);
    const removed = product && removeFromCart(id);
    if (!removed) return;
    const items = [gaItem(product, {quantity: removed.qty})];
    pushEcommerce('remove_from_cart', {value: value(items), items});
  });
  checkout.addEventListener('click', () => {
    const items = cartItems(catalog);
    if (!items.length) return;
    pushEcommerce('begin_checkout', {value: value(items), items});
    panel.hidden = false;
    checkout.hidden = true;
  });
  placeOrder.addEventListener('click', () => {
    const items = cartItems(catalog);
    if (!items.length) return;
    const transactionId = `T-${Date.now().toString(36).toUpperCase()}`;
    pushEcommerce('purchase', {transaction_id: transactionId, value: value(items), items});
    clearCart();
    panel.hidden = true;
    confirmation.textContent =
        `Thank you! Order ${transactionId} is placed (a demo: nothing ships).`;
    confirmation.hidden = false;
  });
  onCartChange(render);
  render();

  const items = cartItems(catalog);
  if (items.length) pushEcommerce('view_cart', {value: value(items), items});
}
