// Server-rendered pages. Every value from the catalog goes through html`` (escaped);
// there is no inline script or style anywhere (the CSP allows neither). Client code finds
// what it needs in data-* attributes and /catalog.json.
import {formatPrice, html} from './html.mjs';

export const SHOP_NAME = 'Vitrine Outfitters';

// The consent banner is Vitrine's component (js/src/widgets/consent-banner.js): it asks for
// the purposes of browsing; autofill is asked where it is used, at the checkout ("remember my
// details on this device"), never bundled into "Accept all". "Privacy choices" in the footer
// reopens it (data-vitrine-consent-open); with a CMP it is a plain link to /privacy.
function consentBanner() {
  return html`<vitrine-consent-banner data-testid="consent-banner"></vitrine-consent-banner>`;
}

// consent: the Vitrine script tag's data-consent; before: scripts that must run before it
// (a CMP stub, e.g. on the test pages).
function layout(
    {shop, title, page, main, categories, dataset = {}, consent = 'manual', before = []}) {
  const script = shop.assets['vitrine.js'];
  const wasm = shop.assets['vitrine.wasm'];
  const integrity = (asset) => (asset.integrity ? html` integrity="${asset.integrity}"` : '');
  const attrs = Object.entries(dataset).map(([k, v]) => html` data-${k}="${v}"`);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${SHOP_NAME}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/shop.css">
<link rel="stylesheet" href="/vitrine/vitrine-widgets.css">
${before.map((src) => html`<script src="${src}"></script>
`)}<script src="${script.url}"${integrity(script)} data-wasm="${wasm.url}"${
             wasm.integrity ? html` data-wasm-integrity="${wasm.integrity}"` : ''} data-pack="${
             shop.packUrl ?? '/vitrine/pack.vpk'}" data-endpoint="/vitrine/collect" data-consent="${
             consent}" defer></script>
<script src="/assets/shop.js" type="module"></script>
</head>
<body data-page="${page}"${attrs}>
<header class="site-header">
  <div class="wrap header-inner">
    <a class="logo" href="/">${SHOP_NAME}</a>
    <nav class="nav" aria-label="Categories">
      ${categories.map((c) => html`<a href="/c/${c.slug}">${c.name}</a>`)}
    </nav>
    <form class="search-form" action="/search" role="search">
      <input type="search" name="q" aria-label="Search" placeholder="Search" data-testid="search-input">
    </form>
    <a class="cart-link" href="/cart" data-testid="cart-link">Cart <span class="cart-count" data-testid="cart-count">0</span></a>
  </div>
</header>
<main class="wrap" id="main">
${personalSlots()}
${main}
</main>
<footer class="site-footer">
  <div class="wrap footer-inner">
    <span>${SHOP_NAME} is a demo shop for Vitrine: on-device personalization.</span>
    <a href="/privacy" data-vitrine-consent-open data-testid="privacy-choices">Privacy choices</a>
    <a href="/privacy">Privacy</a>
  </div>
</footer>
<a class="privacy-fab" href="/privacy" data-testid="privacy-fab">Privacy</a>
<aside class="quick-view" data-testid="quick-view" aria-label="Quick view" hidden></aside>
${consentBanner()}
</body>
</html>
`.text;
}

// Where the rule pack's actions show (demo-shop/assets/personal.js fills them with text
// only): a banner with its call to action, an exit-intent offer, a cart reminder, a
// free-shipping nudge, and the running experiment's variant.
function personalSlots() {
  return html`<section class="personal-banner" data-testid="personal-banner" hidden>
  <p data-slot="text"></p>
  <a class="button primary" data-slot="cta" data-testid="personal-cta" href="/"></a>
  <p class="note" data-testid="experiment" hidden></p>
</section>
<p class="personal-note" data-testid="free-shipping-nudge" hidden></p>
<aside class="personal-panel" data-testid="cart-reminder" role="status" hidden>
  <p data-slot="text"></p>
  <a class="button" href="/cart">View cart</a>
</aside>
<aside class="personal-panel offer" data-testid="exit-offer" role="dialog" aria-label="Offer" hidden>
  <p data-slot="text"></p>
  <p>Code: <strong data-slot="code"></strong></p>
  <button type="button" class="button" data-action="close-offer">No thanks</button>
</aside>`;
}

function card(product, {quickView = false} = {}) {
  return html`<li class="card-cell" data-item-id="${product.id}" data-category="${
      product.category}" data-price="${product.price}">
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

// A row of Vitrine's components (js/src/widgets/), filled from the engine in the browser.
// The server renders it with its space reserved (card-height, and vitrine-widgets.css in the
// head), the shop's own title and its card markup: a <template> the component fills with
// text only. The template's stylesheet styles the cards inside the component.
const CARD_TEMPLATE =
    html`<template><link rel="stylesheet" href="/assets/shop.css"><a class="card" data-field="url"><img data-field="image" alt="" width="200" height="200"><span class="card-name" data-field="name"></span><span class="card-price" data-field="price"></span></a></template>`;

function row(testid, title, attributes = {}) {
  const tag = testid === 'recently-viewed' ? 'vitrine-recently-viewed' : 'vitrine-recommendations';
  const attrs =
      Object.entries(attributes).map(([k, v]) => (v === true ? html` ${k}` : html` ${k}="${v}"`));
  // A title of null: the component's own (it names the shopper's segment for bestsellers).
  return html`<${tag} class="row" data-testid="${testid}"${
      title === null ? '' : html` list-name="${title}"`} card-height="300"${attrs}>${
      title === null ? '' : html`<span slot="title">${title}</span>`}${CARD_TEMPLATE}</${tag}>`;
}

function grid(products, listName, options) {
  return html`<ul class="cards" data-list-name="${listName}" data-list-items="${
      products.map((p) => p.id).join(' ')}">
  ${products.map((p) => card(p, options))}
</ul>`;
}

export function homePage(shop, options = {}) {
  const featured = shop.categories.map((c) => shop.inCategory.get(c.name).find((p) => p.available));
  const main = html`<section class="hero">
  <h1>Gear for the cold months</h1>
  <p>Jackets, boots, tents and everything in between. Your browsing history stays on your
  device: we only use it there, and only if you allow it.</p>
</section>
${row('recently-viewed', 'Recently viewed', {
    limit: 8
  })}
${row('bestsellers', null, {
    context: 'bestsellers',
    limit: 8
  })}
${row('for-you', 'For you', {
    context: 'home',
    limit: 8,
    'exclude-viewed': true
  })}
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
  return layout({shop, title: 'Home', page: 'home', main, categories: shop.categories, ...options});
}

// The shop's own search: products whose name, category, colour or material contains the
// term, in the shop's order. The page then lets Vitrine reorder them for the shopper.
export function searchPage(shop, term) {
  const needle = term.trim().toLowerCase();
  const all = [...shop.byId.values()];
  const found = needle ? all.filter(
                             (p) => [p.name, p.category, p.colour, p.material].some(
                                 (t) => String(t).toLowerCase().includes(needle))) :
                         all;
  const results = found.slice(0, 24);
  const main = html`<h1>Search${term ? html`: ${term}` : ''}</h1>
<p class="note" data-testid="search-count">${results.length} results</p>
<div data-testid="search-results" data-search-term="${term}">
${grid(results, 'Search results')}
</div>`;
  return layout({shop, title: 'Search', page: 'search', main, categories: shop.categories});
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
    shop,
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
        limit: 8,
        'exclude-item': product.id
      })}
${row('similar', 'Similar', {context: 'item', 'item-id': product.id, limit: 8})}`;
  return layout({
    shop,
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
    <a class="button" href="/checkout" data-testid="to-checkout">Check out with a delivery address</a>
  </div>
  <p class="order-confirmation" role="status" data-testid="order-confirmation" hidden></p>
</section>
${row('goes-well-with', 'Goes well with', {context: 'cart', limit: 6})}`;
  return layout({shop, title: 'Cart', page: 'cart', main, categories: shop.categories});
}

function addressFieldset(section, title) {
  return html`<fieldset class="address-block" data-section="${section}" data-testid="${
      section}-block">
  <legend>${title}</legend>
  <div class="field-row">
    <label>First name <input name="${section}-given-name" autocomplete="${
      section} given-name" required></label>
    <label>Last name <input name="${section}-family-name" autocomplete="${
      section} family-name" required></label>
  </div>
  <label>Country <select name="${section}-country" autocomplete="${section} country" data-testid="${
      section}-country" required></select></label>
  <div class="address-fields" data-testid="${section}-address"></div>
</fieldset>`;
}

// The checkout: shipping and billing, an address block that checkout-page.js rebuilds for the
// chosen country, card fields Vitrine never touches, and the point-of-use consent to
// remember the details.
export function checkoutPage(shop) {
  const main = html`<h1>Checkout</h1>
<p class="autofill-offer" data-testid="autofill-offer" hidden>
  <button type="button" class="button" data-action="autofill-fill" data-testid="autofill-fill">Fill in my saved details</button>
  <span class="note">Saved on this device only, encrypted.</span>
</p>
<form class="checkout-form" data-testid="checkout-form" novalidate>
  <fieldset class="contact">
    <legend>Contact</legend>
    <label>E-mail <input type="email" name="email" autocomplete="email" required></label>
    <label>Phone <input type="tel" name="tel" autocomplete="tel"></label>
  </fieldset>
  ${addressFieldset('shipping', 'Shipping address')}
  <label class="check"><input type="checkbox" name="billing-same" data-testid="billing-same" checked> Billing address is the same as shipping</label>
  ${addressFieldset('billing', 'Billing address')}
  <fieldset class="payment">
    <legend>Payment (demo: nothing is charged or sent)</legend>
    <label>Card number <input name="card-number" autocomplete="cc-number" inputmode="numeric" data-testid="cc-number"></label>
    <div class="field-row">
      <label>Expiry (MM/YY) <input name="card-expiry" autocomplete="cc-exp" data-testid="cc-exp"></label>
      <label>Security code <input name="card-cvc" autocomplete="cc-csc" inputmode="numeric" data-testid="cc-csc"></label>
    </div>
  </fieldset>
  <label class="check"><input type="checkbox" name="remember" data-testid="autofill-remember">
    Remember my details on this device (encrypted, in this browser only; you can edit or erase them in the privacy center). Ticking this allows the <strong>Autofill</strong> purpose.</label>
  <p class="form-error" role="alert" data-testid="checkout-error" hidden></p>
  <button type="submit" class="button primary" data-testid="checkout-submit">Place order</button>
</form>`;
  return layout({shop, title: 'Checkout', page: 'checkout', main, categories: shop.categories});
}

export function checkoutDonePage(shop) {
  const main = html`<h1>Thank you</h1>
<p data-testid="checkout-done">Your order is placed (a demo: nothing is charged or shipped).</p>`;
  return layout(
      {shop, title: 'Order placed', page: 'checkout-done', main, categories: shop.categories});
}

// The privacy center is Vitrine's component (<vitrine-privacy-center>, its own chunk): the
// shop writes only the element, its lead paragraph in the `intro` slot, and the look
// (assets/shop.css: custom properties and ::part). Everything it shows is on this device.
export function privacyPage(shop) {
  const main = html`<vitrine-privacy-center heading-level="1" data-testid="privacy-center">
<p slot="intro" class="lead">${
      SHOP_NAME} uses Vitrine, which keeps what it learns about you in this browser,
on this device. You choose what it may do: everything is off until you turn it on, and turning
something off is one click too. Turning a purpose off erases its data at once, in every tab.</p>
</vitrine-privacy-center>`;
  return layout({shop, title: 'Privacy', page: 'privacy', main, categories: shop.categories});
}

export function errorPage(shop, status, message) {
  const main = html`<h1>${status === 404 ? 'Page not found' : 'Something went wrong'}</h1>
<p>${message}</p>
<p><a href="/">Back to the shop</a></p>`;
  return layout({
    shop,
    title: status === 404 ? 'Not found' : 'Error',
    page: 'error',
    main,
    categories: shop.categories
  });
}
