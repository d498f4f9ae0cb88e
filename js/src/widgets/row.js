// <vitrine-recently-viewed> and <vitrine-recommendations>: a row of product cards filled
// from the engine. The row's height is fixed before it fills (title + card-height), so
// filling, refilling or staying empty never moves the page (no layout shift). Cards are the
// shop's <template> child (filled with text and checked URLs, never HTML) or a default card
// styled through ::part() and --vitrine-* custom properties.
import {reasonText} from './reasons.js';
import {el, engine, formatPrice, onOptions, product, selectItem, sheet, texts, uid} from './shared.js';

const ROW_CSS = `
:host{display:block;box-sizing:border-box;contain:layout style;
  block-size:calc(var(--vitrine-title-size,2.75rem) + var(--vitrine-card-height,18rem));}
:host([hidden]),[hidden]{display:none!important}
h2{margin:0 0 .75rem;block-size:2rem;line-height:2rem;font:inherit;font-size:var(--vitrine-title-font,1.25rem);
  font-weight:600;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
ul{display:flex;gap:var(--vitrine-gap,1rem);margin:0;padding:0 0 .25rem;list-style:none;overflow-x:auto;
  overflow-y:hidden;block-size:var(--vitrine-card-height,18rem);box-sizing:border-box}
li{position:relative;flex:0 0 var(--vitrine-card-width,12rem);min-inline-size:0}
.empty{margin:0;color:var(--vitrine-muted,#555)}
.card{display:flex;flex-direction:column;gap:.25rem;color:inherit;text-decoration:none}
.card img{inline-size:100%;block-size:auto;aspect-ratio:1;object-fit:cover;background:var(--vitrine-image-bg,#eee)}
.name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.price{font-weight:600}
.why{position:absolute;inset-block-start:.25rem;inset-inline-end:.25rem;font:inherit;font-size:.8rem;
  padding:.1rem .4rem;border:1px solid currentColor;border-radius:1rem;background:var(--vitrine-surface,#fff);
  color:var(--vitrine-text,#111);cursor:pointer}
.reason{position:absolute;inset-inline:0;inset-block-start:2rem;margin:0;padding:.5rem;font-size:.85rem;
  background:var(--vitrine-surface,#fff);color:var(--vitrine-text,#111);border:1px solid var(--vitrine-muted,#555);
  border-radius:.25rem;z-index:1}
:focus-visible{outline:2px solid var(--vitrine-focus,#1a56db);outline-offset:2px}
`;
let rowSheet = null;

const FIELD = (root, name) => root.querySelectorAll(`[data-field="${name}"]`);

// Fills one clone of the shop's template: text into name/price/reason, checked URLs into
// url (href) and image (src).
function fillTemplate(fragment, item, price, reason) {
  for (const node of FIELD(fragment, 'name')) node.textContent = item.name;
  for (const node of FIELD(fragment, 'price')) node.textContent = price;
  for (const node of FIELD(fragment, 'reason')) node.textContent = reason ?? '';
  for (const node of FIELD(fragment, 'url')) {
    if (item.url) node.setAttribute('href', item.url);
    node.dataset.itemId = item.id;
    if (reason) node.setAttribute('title', reason);
  }
  for (const node of FIELD(fragment, 'image')) {
    if (item.image) node.setAttribute('src', item.image);
    if (!node.hasAttribute('alt')) node.setAttribute('alt', '');
  }
  return fragment;
}

function defaultCard(item, price, reason) {
  const link = el(
      item.url ? 'a' : 'div',
      {class: 'card', part: 'card', href: item.url, 'data-item-id': item.id},
      item.image ?
          el('img',
             {part: 'image', src: item.image, alt: '', width: 200, height: 200, loading: 'lazy'}) :
          null,
      el('span', {class: 'name', part: 'name'}, item.name),
      el('span', {class: 'price', part: 'price'}, price));
  if (reason) link.setAttribute('title', reason);
  return link;
}

class VitrineRow extends HTMLElement {
  static observedAttributes =
      ['limit', 'context', 'item-id', 'item-ids', 'exclude-item', 'lang', 'card-height'];
  #list;
  #title;
#template = null;
  #ready = null;  // the shop's stylesheets from the template, loaded
  #offs = [];
  #queued = false;
  #token = 0;
  #cardItems = new WeakMap();  // card <li> -> its product
  #sizeSheet = sheet('');

  constructor() {
    super();
    const root = this.attachShadow({mode: 'open'});
    rowSheet ??= sheet(ROW_CSS);
    root.adoptedStyleSheets = [rowSheet, this.#sizeSheet];
  }

  connectedCallback() {
    if (!this.#list) this.#build();
    this.#applySize();
    const v = engine();
    this.#offs.push(v.on('change', () => this.refresh()), onOptions(() => this.refresh()));
    this.refresh();
  }

  disconnectedCallback() {
    for (const off of this.#offs.splice(0)) off();
  }

  attributeChangedCallback(name) {
    if (name === 'card-height') this.#applySize();
    if (this.#list) this.refresh();
  }

  // The reserved height follows card-height (pixels): a stylesheet of this element's own
  // (no style attribute, which a strict CSP audit would flag). The page's
  // vitrine-widgets.css reads the same attribute before the element is defined.
  #applySize() {
    const h = Number(this.getAttribute('card-height'));
    const rule =
        Number.isFinite(h) && h > 0 && h < 2000 ? `:host{--vitrine-card-height:${h}px}` : '';
    this.#sizeSheet.replaceSync(rule);
  }

  #build() {
    const root = this.shadowRoot;
    // Not a landmark: a page may have two rows with the same title.
    const titleId = uid('vitrine-row-title');
    this.#template = this.querySelector(':scope > template');
    // The template's stylesheets go once into the shadow root: the shop's own CSS styles
    // its own card markup. Cards are shown only once they loaded (no restyle after paint).
    const links = this.#template ?
        [...this.#template.content.querySelectorAll('link[rel="stylesheet"]')].map(
            (l) => l.cloneNode()) :
        [];
    this.#ready = Promise.all(links.map((link) => new Promise((resolve) => {
                                          link.addEventListener('load', resolve, {once: true});
                                          link.addEventListener('error', resolve, {once: true});
                                        })));
    this.#title = el('h2', {part: 'title', id: titleId}, el('slot', {name: 'title'}));
    this.#list = el('ul', {part: 'list', role: 'list', 'aria-labelledby': titleId});
    root.append(...links, el('div', {part: 'row'}, this.#title, this.#list));
    root.addEventListener('click', (event) => this.#onClick(event));
    root.addEventListener('keydown', (event) => {
      // Escape closes an open reason and gives the focus back to its button.
      if (event.key !== 'Escape') return;
      const open = root.querySelector('.why[aria-expanded="true"]');
      if (open) {
        this.#toggleReason(open, false);
        open.focus();
      }
    });
  }

  get limit() {
    const n = Number(this.getAttribute('limit') ?? 8);
    return Number.isInteger(n) && n >= 1 && n <= 50 ? n : 8;
  }

  // The GA4 list of this row: item_list_id and item_list_name.
  get listId() {
    return this.getAttribute('list-id') || this.defaultListId();
  }

  get listName() {
    return this.getAttribute('list-name') || this.#titleText();
  }

  #titleText() {
    const slotted = this.querySelector(':scope > [slot="title"]');
    return (slotted?.textContent ?? this.#title.querySelector('slot').textContent).trim();
  }

  // Many changes arrive together (a burst of events): render once after them.
  refresh() {
    if (this.#queued || !this.isConnected) return;
    this.#queued = true;
    queueMicrotask(() => {
      this.#queued = false;
      this.#render().catch((error) => {
        this.dataset.state = 'error';
        console.error(`${this.localName}: ${error?.message ?? error}`);
      });
    });
  }

  async #render() {
    const token = ++this.#token;
    const t = await texts(this);
    const v = engine();
    const {entries, title, empty} = await this.entries(v, t);
    // Product data for every entry (the shop's lookup may be asynchronous).
    const items = [];
    for (const entry of entries) {
      const item = await product(entry.itemId, entry);
      if (item) items.push({item, reason: entry.reason ?? null});
      if (items.length === this.limit) break;
    }
    const cards = [];
    for (const [index, {item, reason}] of items.entries()) {
      const text = reason ? await reasonText(reason, item.id, t, product) : null;
      cards.push(this.#card(item, text, index, t));
    }
    await this.#ready;
    if (token !== this.#token) return;  // a newer render started meanwhile
    this.#title.querySelector('slot').textContent = title;
    this.#list.replaceChildren(
        ...(cards.length ? cards : [el('li', {class: 'empty', part: 'empty'}, empty)]));
    this.dataset.count = String(cards.length);
    this.dataset.state = 'ready';
    this.dispatchEvent(new CustomEvent('vitrine-render', {detail: {count: cards.length}}));
  }

  #card(item, reason, index, t) {
    const price = formatPrice(item.price, this);
    const li = el('li', {part: 'item', 'data-item-id': item.id, 'data-index': index});
    this.#cardItems.set(li, item);
    if (this.#template) {
      const clone = this.#template.content.cloneNode(true);
      for (const link of clone.querySelectorAll('link')) link.remove();
      li.append(fillTemplate(clone, item, price, reason));
    } else {
      li.append(defaultCard(item, price, reason));
    }
    if (reason) {
      // The reason on demand: a button that shows it over the card (no layout change).
      const id = uid('vitrine-reason');
      li.append(
          el('button', {
            type: 'button',
            class: 'why',
            part: 'why',
            'aria-expanded': 'false',
            'aria-controls': id,
            'aria-label': t('why_label', {name: item.name}),
          },
             t('why')),
          el('p', {class: 'reason', part: 'reason', id, hidden: true}, reason));
    }
    return li;
  }

  #toggleReason(button, open) {
    button.setAttribute('aria-expanded', String(open));
    this.shadowRoot.getElementById(button.getAttribute('aria-controls')).hidden = !open;
  }

  #onClick(event) {
    const why = event.target.closest('.why');
    if (why) {
      const open = why.getAttribute('aria-expanded') !== 'true';
      for (const other of this.shadowRoot.querySelectorAll('.why[aria-expanded="true"]')) {
        this.#toggleReason(other, false);
      }
      this.#toggleReason(why, open);
      return;
    }
    const link = event.target.closest('a[href]');
    const li = event.target.closest('li[data-item-id]');
    if (!link || !li) return;
    selectItem({
      listId: this.listId,
      listName: this.listName,
      item: this.#cardItems.get(li),
      index: Number(li.dataset.index),
    });
  }
}

export class RecentlyViewed extends VitrineRow {
  defaultListId() {
    return 'vitrine_recently_viewed';
  }

  async entries(v, t) {
    const rows =
        v.recentlyViewed({limit: 50, excludeItem: this.getAttribute('exclude-item') ?? ''});
    const history = v.consent.get().history;
    return {
      entries: rows,
      title: t('title_recent'),
      empty: history || rows.length ? t('empty_recent') : t('empty_recent_consent'),
    };
  }
}

const CONTEXTS = ['home', 'item', 'cart', 'bestsellers'];

export class Recommendations extends VitrineRow {
  defaultListId() {
    return `vitrine_recommendations_${this.context}`;
  }

  get context() {
    const c = this.getAttribute('context') ?? 'home';
    return CONTEXTS.includes(c) ? c : 'home';
  }

  async entries(v, t) {
    const context = this.context;
    const limit = this.limit;
    if (context === 'bestsellers') {
      const {segment, items} = v.bestsellers({limit});
      this.dataset.segment =
          segment.value === null ? segment.kind : `${segment.kind}:${segment.value}`;
      const title = segment.kind === 'category' ?
          t('title_bestsellers_in', {category: segment.value}) :
          segment.kind === 'priceBand' ? t('title_bestsellers_price') :
                                         t('title_bestsellers');
      return {entries: items.map((itemId) => ({itemId})), title, empty: t('empty_recs')};
    }
    const itemIds =
        (this.getAttribute('item-ids') ?? '').split(/\s+/).filter(Boolean).slice(0, 200);
    const title = t(`title_${context}`);
    if (context === 'item' && !this.getAttribute('item-id')) {
      return {entries: [], title, empty: t('empty_recs')};
    }
    if (context === 'cart' && itemIds.length === 0)
      return {entries: [], title, empty: t('empty_recs')};
    // What the page's recently viewed row already shows is not repeated (exclude-viewed).
    const excludeItems = this.hasAttribute('exclude-viewed') ?
        v.recentlyViewed({limit: 8}).map((r) => r.itemId) :
        [];
    // Asked for more than shown: items the shop's lookup does not know are skipped.
    const recs = v.recommend({
      context,
      itemId: this.getAttribute('item-id') ?? '',
      itemIds,
      limit: Math.min(50, limit * 2),
      filter: {excludeUnavailable: true, excludeItems},
    });
    // A sharded pack: what is loaded shows at once; the missing shards are fetched, and
    // their arrival is a 'change' that renders the row again.
    if (recs.missingShards?.length && typeof v.loadShards === 'function') {
      v.loadShards(recs.missingShards)
          .catch(() => {});  // still missing: the next render asks again
    }
    return {entries: recs, title, empty: t('empty_recs')};
  }
}
