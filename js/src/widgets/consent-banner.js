// <vitrine-consent-banner>: for shops without a consent tool. Shown while the shopper has
// not decided under the current policy (vitrine.consent.required) and consent is 'manual'.
// Autofill is never part of "Accept all": it is asked where it is used, at the checkout.
// Only its box takes clicks (the page's own floating buttons beside it stay usable).
// Focus: the banner takes the focus when it opens and gives it back when it closes. Any
// element with data-vitrine-consent-open on the page reopens it with the choices shown.
// This element is the part every page loads: it decides whether the banner is needed and
// fetches the banner itself (banner-chunk.js, dist/vitrine-banner.mjs) only then, so a page
// whose shopper has already decided loads none of it.
import {loadFeature} from '../feature-loader.js';

import {currentHost, el, engine, onOptions, sheet, texts, uid} from './shared.js';

const KIT = {
  el,
  engine,
  onOptions,
  sheet,
  texts,
  uid
};

export class ConsentBanner extends HTMLElement {
  #view = null;  // Promise of the BannerView, once the banner was needed
  #offs = [];

  constructor() {
    super();
    this.hidden = true;
  }

  connectedCallback() {
    const v = engine();
    if (v.consent.source !== 'manual') return;  // the shop's CMP asks
    const opener = (event) => {
      if (!event.target.closest?.('[data-vitrine-consent-open]')) return;
      event.preventDefault();
      this.open(true);
    };
    document.addEventListener('click', opener);
    this.#offs.push(() => document.removeEventListener('click', opener), v.on('consent', () => {
      if (this.#view) {
        this.#view.then((view) => view.follow(), () => {});
      } else if (v.consent.required) {
        this.#show(false, true);
      }
    }));
    if (v.consent.required) this.#show(false, true);
  }

  disconnectedCallback() {
    for (const off of this.#offs.splice(0)) off();
    const view = this.#view;
    this.#view = null;
    view?.then((v) => v.stop(), () => {});
  }

  // Shows the banner (choosing: with the purposes' checkboxes) and moves the focus into it,
  // once its chunk is here. The promise settles then; a chunk that does not load is logged,
  // never thrown at the page.
  open(choosing = false) {
    return this.#show(choosing, false);
  }

  // auto: shown because nothing is decided (the view checks it still is once loaded).
  #show(choosing, auto) {
    const active = document.activeElement;
    if (!this.#view) {
      const host = currentHost();
      const view = loadFeature('banner', host.base).then((chunk) => chunk.bannerView(this, KIT));
      this.#view = view;
      view.catch((error) => {
        if (this.#view === view) this.#view = null;
        console.error(`vitrine-consent-banner: ${error?.message ?? error}`);
      });
    }
    return this.#view.then((view) => view.open(choosing, {active, auto}), () => {});
  }
}
