// Product lists: view_item_list when a listing is shown, select_item when a card is clicked
// (listings and engine rows alike).
import {gaItem, pushEcommerce} from './analytics.js';

export function pushListViews(catalog) {
  for (const list of document.querySelectorAll('ul[data-list-items]')) {
    const name = list.dataset.listName;
    const items = list.dataset.listItems.split(' ')
                      .map((id) => catalog.products.get(id))
                      .filter(Boolean)
                      .map((product, index) => gaItem(product, {index, item_list_name: name}));
    if (items.length) pushEcommerce('view_item_list', {item_list_name: name, items});
  }
}

export function trackSelections(catalog) {
  document.addEventListener('click', (event) => {
    const link = event.target.closest?.('a.card[data-item-id]');
    const product = link && catalog.products.get(link.dataset.itemId);
    if (!product) return;
    const list = link.closest('ul');
    const name = list?.dataset.listName ?? '';
    const index = list ? [...list.querySelectorAll('a.card')].indexOf(link) : 0;
    pushEcommerce('select_item', {
      item_list_name: name,
      items: [gaItem(product, {index, item_list_name: name})],
    });
  });
}
