// The shop's own script (an ES module, so deferred like the Vitrine script tag before it and
// run after it). Sets up the page, pushes GA4 ecommerce events and hands Vitrine's
// components (the rows, the consent banner and the privacy center) the shop's catalog. When
// everything is wired, <body data-shop-ready>.
import {setupCartPage} from './cart-page.js';
import {onCartChange, showCartCount} from './cart.js';
import {loadCatalog} from './catalog-client.js';
import {setupCheckoutPage} from './checkout-page.js';
import {pushListViews, trackSelections} from './lists.js';
import {setupPersonal} from './personal.js';
import {setupProductPage} from './product-page.js';
import {setupQuickView} from './quick-view.js';
import {setupWidgets} from './widgets.js';

// The engine reports problems (a pack that did not load, storage that failed) as events,
// never as exceptions: surface them where a shop developer looks. What the browser does to
// storage (blocked, full, cleared by the shopper) is a warning: the shop keeps working.
const STORAGE_CONDITIONS = new Set(['storage_unavailable', 'storage_full', 'storage_lost']);

function reportEngineErrors() {
  window.vitrine?.on('error', ({code, message}) => {
    const log = STORAGE_CONDITIONS.has(code) ? console.warn : console.error;
    log(`vitrine: ${code}: ${message}`);
  });
}

async function main() {
  const page = document.body.dataset.page;
  window.dataLayer = window.dataLayer || [];
  showCartCount();
  onCartChange(showCartCount);
  reportEngineErrors();
  if (page === 'checkout') setupCheckoutPage();

  const catalog = await loadCatalog();
  trackSelections(catalog);
  if (page === 'home' || page === 'category') {
    pushListViews(catalog);
    setupQuickView(catalog);
  }
  if (page === 'product') setupProductPage(catalog);
  if (page === 'cart') setupCartPage(catalog);
  setupWidgets(catalog);
  if (page !== 'privacy') setupPersonal(page);
  document.body.dataset.shopReady = 'true';
}

main().catch((error) => console.error(`demo-shop: ${error?.message ?? error}`));
