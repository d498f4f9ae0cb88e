// Server-rendered pages. Every value from the catalog goes through html`` (escaped);
// there is no inline script or style anywhere (the CSP allows neither). Client code finds
// what it needs in data-* attributes and /catalog.json.
import {formatPrice, html} from './html.mjs';

export const SHOP_NAME = 'Vitrine Outfitters';

const PURPOSE_TEXT = [
  [
    'history', 'History', 'Remember the products you view, on this device only, to show them again.'
  ],
  [
    'personalization', 'Personalization',
    'Use that history to recommend products and tailor what you see.'
  ],
  [
    'measurement', 'Measurement',
    'Send anonymous, privacy-protected statistics that help the shop improve.'
  ],
  ['autofill', 'Autofill', 'Keep your checkout details, encrypted, on this device.'],
];

function consentBanner() {
  return html`<section class="consent" data-testid="consent-banner" aria-labelledby="consent-title" hidden>
  <h2 id="consent-title">Your privacy choices</h2>
  <p>We can remember what you look at <strong>on this device only</strong> to show recently viewed
  products and recommendations. Nothing is stored and nothing is sent until you choose.</p>
  <form class="consent-choices" data-testid="consent-choices" hidden>
    ${PURPOSE_TEXT.map(([name, title, text]) => html`<label class="consent-choice">
      <input type="checkbox" name="${name}" data-testid="consent-${name}">
      <span><strong>${title}</strong> ${text}</span></label>`)}
  </form>
  <div class="consent-actions">
    <button type="button" class="button primary" data-consent-action="accept-all">Accept all</button>
    <button type="button" class="button" data-consent-action="necessary">Only necessary</button>
    <button type="button" class="button" data-consent-action="choose">Choose…</button>
    <button type="button" class="button primary" data-consent-action="save" hidden>Save choices</button>
  </div>
</section>`;
}

function layout({title, page, main, categories, dataset = {}}) {
  const attrs = Object.entries(dataset).map(([k, v]) => html` data-${k}="${v}"`);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${SHOP_NAME}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/shop.css">
<script src="/vitrine/vitrine.js" data-pack="/vitrine/pack.vpk" data-consent="manual" defer></script>
<script src="/assets/shop.js" type="module"></script>
</head>
<body data-page="${page}"${attrs}>
<header class="site-header">
  <div class="wrap header-inner">
    <a class="logo" href="/">${SHOP_NAME}</a>
    <nav class="nav" aria-label="Categories">
      ${categories.map((c) => html`<a href="/c/${c.slug}">${c.name}</a>`)}
    </nav>
    <a class="cart-link" href="/cart" data-testid="cart-link">Cart <span class="cart-count" data-testid="cart-count">0</span></a>
  </div>
</header>
<main class="wrap" id="main">
${main}
</main>
<footer class="site-footer">
  <div class="wrap footer-inner">
    <span>${SHOP_NAME} is a demo shop for Vitrine: on-device personalization.</span>
    <a href="/privacy" data-action="open-consent" data-testid="privacy-choices">Privacy choices</a>
    <a href="/privacy">Privacy</a>
  </div>
</footer>
<aside class="quick-view" data-testid="quick-view" aria-label="Quick view" hidden></aside>
${consentBanner()}
</body>
</html>
`.text;
}

function card(product, {quickView = false} = {}) {
  return html`<li class="card-cell">
  <a class="card" href="/p/${product.id}" data-item-id="${product.id}">
    <img src="/img/${product.id}.svg" alt="" width="200" height="200" loading="lazy">
    <span class="card-name">${product.name}</span>
    <span class="card-price">${formatPrice(product.price)}</span>
    ${product.available ? '' : html`<span class="badge">Out of stock</span>`}
  </a>
  ${
      quickView ? html`<button type="button" class="quick-view-button" data-quick-view="${
                      product.id}">Quick view</button>` :
                  ''}
</li>`;
}

// A list the client fills from the engine (recently viewed, recommendations).
function row(testid, title, extra = {}) {
  const attrs = Object.entries(extra).map(([k, v]) => html` data-${k}="${v}"`);
  return html`<section class="row" data-row="${testid}" data-testid="${testid}"${attrs} hidden>
  <h2>${title}</h2>
  <ul class="cards cards-row"></ul>
</section>`;
}

function grid(products, listName, options) {
  return html`<ul class="cards" data-list-name="${listName}" data-list-items="${
      products.map((p) => p.id).join(' ')}">
  ${products.map((p) => card(p, options))}
</ul>`;
}

export function homePage(shop) {
  const featured = shop.categories.map((c) => shop.inCategory.get(c.name).find((p) => p.available));
  const main = html`<section class="hero">
  <h1>Gear for the cold months</h1>
  <p>Jackets, boots, tents and everything in between. Your browsing history stays on your
  device: we only use it there, and only if you allow it.</p>
</section>
${row('recently-viewed', 'Recently viewed')}
${row('for-you', 'For you')}
<section class="section">
  <h2>Shop by category</h2>
  <ul class="tiles">
    ${shop.categories.map((c) => html`<li><a class="tile" href="/c/${c.slug}">
      <img src="/img/${shop.inCategory.get(c.name)[0].id}.svg" alt="" width="96" height="96">
      <span>${c.name}</span></a></li>`)}
  </ul>
</section>
<section class="section">
  <h2>Featured</h2>
  ${grid(featured, 'Featured', {
    quickView: true
  })}
</section>`;
  return layout({title: 'Home', page: 'home', main, categories: shop.categories});
}

export const SORTS = {
  'featured': null,
  'price-asc': (a, b) => a.price - b.price,
  'price-desc': (a, b) => b.price - a.price,
  'name': (a, b) => a.name.localeCompare(b.name, 'en'),
};

export function categoryPage(shop, category, sort) {
  const items = [...shop.inCategory.get(category.name)];
  if (SORTS[sort]) items.sort(SORTS[sort]);
  const sortLinks = Object.keys(SORTS).map((key) => {
    const label = {
      'featured': 'Featured',
      'price-asc': 'Price ↑',
      'price-desc': 'Price ↓',
      'name': 'Name'
    }[key];
    const href = key === 'featured' ? `/c/${category.slug}` : `/c/${category.slug}?sort=${key}`;
    return key === sort ? html`<span class="sort-current">${label}</span>` :
                          html`<a href="${href}">${label}</a>`;
  });
  const main = html`<nav class="breadcrumb" aria-label="Breadcrumb"><a href="/">Home</a> / <span>${
      category.name}</span></nav>
<h1>${category.name}</h1>
<p class="sort">Sort: ${sortLinks}</p>
${grid(items, category.name, {quickView: true})}`;
  return layout({
    title: category.name,
    page: 'category',
    main,
    categories: shop.categories,
    dataset: {category: category.name}
  });
}

export function productPage(shop, product) {
  const category = shop.categoryBySlug.get(product.categorySlug);
  const main =
      html`<nav class="breadcrumb" aria-label="Breadcrumb"><a href="/">Home</a> / <a href="/c/${
          category.slug}">${category.name}</a> / <span>${product.name}</span></nav>
<article class="product" data-testid="product">
  <img class="product-image" src="/img/${product.id}.svg" alt="" width="360" height="360">
  <div class="product-info">
    <h1 data-testid="product-name">${product.name}</h1>
    <p class="product-price">${formatPrice(product.price)}</p>
    <p class="product-meta">${category.name} · ${product.colour} · ${product.material}</p>
    <p class="${product.available ? 'stock in' : 'stock out'}">${
          product.available ? 'In stock' : 'Out of stock'}</p>
    <button type="button" class="button primary" data-add-to-cart="${product.id}"${
          product.available ? '' : html` disabled`}>Add to cart</button>
    <p class="added" role="status" data-testid="cart-status"></p>
  </div>
</article>
${row('recently-viewed', 'Recently viewed', {
        'exclude-item': product.id
      })}
${row('similar', 'Similar', {'item-id': product.id})}`;
  return layout({
    title: product.name,
    page: 'product',
    main,
    categories: shop.categories,
    dataset: {'item-id': product.id}
  });
}

export function cartPage(shop) {
  const main = html`<h1>Your cart</h1>
<section class="cart" data-testid="cart">
  <p class="cart-empty" data-testid="cart-empty" hidden>Your cart is empty.</p>
  <ul class="cart-lines" data-testid="cart-lines"></ul>
  <p class="cart-total">Total: <strong data-testid="cart-total">€0.00</strong></p>
  <button type="button" class="button primary" data-action="checkout" data-testid="checkout" hidden>Go to checkout</button>
  <div class="checkout" data-testid="checkout-panel" hidden>
    <p>This is a demo: no payment is taken and nothing is shipped.</p>
    <button type="button" class="button primary" data-action="place-order" data-testid="place-order">Place order</button>
  </div>
  <p class="order-confirmation" role="status" data-testid="order-confirmation" hidden></p>
</section>
${row('goes-well-with', 'Goes well with')}`;
  return layout({title: 'Cart', page: 'cart', main, categories: shop.categories});
}

export function privacyPage(shop) {
  const main = html`<h1>Privacy</h1>
<p>${SHOP_NAME} uses Vitrine, which keeps what it learns about you in this browser. You choose
what it may do; everything is off until you say otherwise, and you can change your mind at any
time.</p>
<dl class="purposes" data-testid="consent-state">
  ${
      PURPOSE_TEXT.map(
          ([name, title, text]) => html`<div class="purpose">
    <dt>${title}</dt><dd>${text} <span class="purpose-state" data-purpose="${
              name}" data-testid="consent-state-${name}">Not allowed</span></dd>
  </div>`)}
</dl>
<p><button type="button" class="button primary" data-action="open-consent">Change choices</button></p>
<p class="note">The full privacy center (see, export and erase what this device knows) is coming.</p>`;
  return layout({title: 'Privacy', page: 'privacy', main, categories: shop.categories});
}

export function errorPage(shop, status, message) {
  const main = html`<h1>${status === 404 ? 'Page not found' : 'Something went wrong'}</h1>
<p>${message}</p>
<p><a href="/">Back to the shop</a></p>`;
  return layout({
    title: status === 404 ? 'Not found' : 'Error',
    page: 'error',
    main,
    categories: shop.categories
  });
}
