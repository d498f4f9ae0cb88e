// Product rows filled from the engine: recently viewed and recommendations. Each section
// on the page says which row it is (data-row); rows re-render when the engine's data or
// the cart change. Every card is built with createElement/textContent.
import {onCartChange, readCart} from './cart.js';
import {el, formatPrice} from './dom.js';

// Why an item is recommended, in words, from the engine's reason and the catalog.
export function reasonText(reason, itemId, catalog) {
  const about = reason?.itemId ? catalog.products.get(reason.itemId) : null;
  switch (reason?.source) {
    case 're_view':
      return about && reason.itemId !== itemId ? `Because you viewed ${about.name}` :
                                                 'You viewed this before';
    case 'co_view':
    case 'embedding':
      return about ? `Because you viewed ${about.name}` : 'Similar to what you viewed';
    case 'co_purchase':
      return about ? `Often bought with ${about.name}` : 'Often bought together';
    case 'segment':
      return reason.category ? `Popular in ${reason.category}` : 'Popular right now';
    case 'popularity':
      return 'Popular right now';
    default:
      return 'Recommended for you';
  }
}

function card(product, title) {
  return el(
      'li', {class: 'card-cell'},
      el('a', {class: 'card', href: `/p/${product.id}`, 'data-item-id': product.id, title},
         el('img', {src: `/img/${product.id}.svg`, alt: '', width: 200, height: 200}),
         el('span', {class: 'card-name'}, product.name),
         el('span', {class: 'card-price'}, formatPrice(product.price))));
}

// null when this build of Vitrine has no recommend(): the row is left out, quietly.
// A sharded pack: the row shows what is loaded at once and fetches the shards it is
// missing; their arrival is a 'change', which renders the row again.
function recommend(v, options, catalog) {
  if (typeof v.recommend !== 'function') return null;
  const list = v.recommend(options);
  if (list.missingShards?.length && typeof v.loadShards === 'function') {
    v.loadShards(list.missingShards)
        .catch((error) => console.error(`demo-shop: pack shards: ${error.message}`));
  }
  return list.flatMap((rec) => {
    const product = catalog.products.get(rec.itemId);
    return product ? [{product, title: reasonText(rec.reason, rec.itemId, catalog)}] : [];
  });
}

const ROWS = {
  'recently-viewed': (v, section, catalog) =>
      v.recentlyViewed({limit: 8, excludeItem: section.dataset.excludeItem ?? ''})
          .flatMap((row) => {
            const product = catalog.products.get(row.itemId);
            return product ? [{product, title: null}] : [];
          }),
  'for-you': (v, section, catalog) => {
    // The recently viewed row is on the same page: "for you" shows other products.
    const shown = v.recentlyViewed({limit: 8}).map((row) => row.itemId);
    return recommend(
        v, {context: 'home', limit: 8, filter: {excludeUnavailable: true, excludeItems: shown}},
        catalog);
  },
  // Bestsellers for the shopper's own segment (the strongest category affinity, chosen on
  // the device); everyone else, and shoppers without personalization, get the shop's.
  'bestsellers': (v, section, catalog) => {
    if (typeof v.bestsellers !== 'function') return null;
    const {segment, items} = v.bestsellers({limit: 8});
    const title = {
      category: `Bestsellers in ${segment.value}`,
      priceBand: `Bestsellers in your price range`,
      all: 'Bestsellers',
    }[segment.kind];
    section.querySelector('h2').textContent = title;
    section.dataset.segment =
        segment.value === null ? segment.kind : `${segment.kind}:${segment.value}`;
    return items.flatMap((id) => {
      const product = catalog.products.get(id);
      return product ? [{product, title}] : [];
    });
  },
  'similar': (v, section, catalog) => recommend(
      v, {
        context: 'item',
        itemId: section.dataset.itemId,
        limit: 8,
        filter: {excludeUnavailable: true}
      },
      catalog),
  'goes-well-with': (v, section, catalog) => {
    const itemIds = readCart().map((line) => line.id);
    if (!itemIds.length) return typeof v.recommend === 'function' ? [] : null;
    return recommend(
        v, {context: 'cart', itemIds, limit: 6, filter: {excludeUnavailable: true}}, catalog);
  },
};

function render(section, v, catalog) {
  const build = ROWS[section.dataset.row];
  let entries;
  try {
    entries = build(v, section, catalog);
  } catch (error) {
    section.hidden = true;
    section.dataset.state = 'error';
    section.dataset.error = String(error?.message ?? error);
    console.error(`demo-shop: ${section.dataset.row} row: ${section.dataset.error}`);
    return;
  }
  if (entries === null) {
    section.hidden = true;
    section.dataset.state = 'unsupported';
    return;
  }
  const list = section.querySelector('ul');
  list.dataset.listName = section.querySelector('h2')?.textContent ?? section.dataset.row;
  list.replaceChildren(...entries.map(({product, title}) => card(product, title)));
  section.hidden = entries.length === 0;
  section.dataset.count = String(entries.length);
  section.dataset.state = 'ready';
}

export function setupRows(catalog) {
  const sections = [...document.querySelectorAll('section[data-row]')];
  if (!sections.length) return;
  const mark = (state) => sections.forEach((s) => (s.dataset.state = state));
  if (!window.vitrine) return mark('unavailable');
  window.vitrine.ready.then(
      (v) => {
        let queued = false;
        const renderAll = () => {
          queued = false;
          for (const section of sections) render(section, v, catalog);
        };
        // Many changes can arrive at once (a dataLayer burst): render once after them.
        const schedule = () => {
          if (queued) return;
          queued = true;
          queueMicrotask(renderAll);
        };
        renderAll();
        v.on('change', schedule);
        onCartChange(schedule);
      },
      (error) => {
        mark('unavailable');
        console.warn(`demo-shop: Vitrine did not start: ${error?.message ?? error}`);
      });
}
