// "Quick view" on listing cards: a panel with the product, without leaving the list. It
// reports view_item like a product page, so the engine learns from it too (in memory only,
// until the shopper consents).
import {gaItem, pushEcommerce, value} from './analytics.js';
import {el, formatPrice} from './dom.js';

export function setupQuickView(catalog) {
  const panel = document.querySelector('[data-testid="quick-view"]');
  if (!panel) return;
  const close = () => {
    panel.hidden = true;
    panel.replaceChildren();
  };
  document.addEventListener('click', (event) => {
    const trigger = event.target.closest?.('[data-quick-view]');
    if (!trigger) return;
    const product = catalog.products.get(trigger.dataset.quickView);
    if (!product) return;
    const closeButton = el('button', {type: 'button', class: 'button quick-view-close'}, 'Close');
    closeButton.addEventListener('click', close);
    panel.replaceChildren(
        el('img', {src: `/img/${product.id}.svg`, alt: '', width: 160, height: 160}),
        el('div', {class: 'quick-view-info'},
           el('h2', {'data-testid': 'quick-view-name'}, product.name),
           el('p', {class: 'product-price'}, formatPrice(product.price)),
           el('p', {}, product.available ? 'In stock' : 'Out of stock'),
           el('a', {class: 'button primary', href: `/p/${product.id}`}, 'View details'),
           closeButton));
    panel.dataset.itemId = product.id;
    panel.hidden = false;
    const items = [gaItem(product)];
    pushEcommerce('view_item', {value: value(items), items});
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !panel.hidden) close();
  });
}
