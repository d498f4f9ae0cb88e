// <vitrine-consent-banner>: for shops without a consent tool. Shown while the shopper has
// not decided under the current policy (vitrine.consent.required) and consent is 'manual'.
// Autofill is never part of "Accept all": it is asked where it is used, at the checkout.
// Only its box takes clicks (the page's own floating buttons beside it stay usable).
// Focus: the banner takes the focus when it opens and gives it back when it closes. Any
// element with data-vitrine-consent-open on the page reopens it with the choices shown.
import {el, engine, onOptions, sheet, texts, uid} from './shared.js';

const PURPOSES = ['history', 'personalization', 'measurement'];
const CSS = `
:host{position:fixed;inset-inline:1rem;inset-block-end:1rem;z-index:var(--vitrine-banner-z,1000);display:block;
  pointer-events:none}
:host([hidden]),[hidden]{display:none!important}
section{pointer-events:auto;max-inline-size:42rem;margin-inline:auto;padding:1rem 1.25rem;background:var(--vitrine-surface,#fff);
  color:var(--vitrine-text,#111);border:1px solid var(--vitrine-muted,#555);border-radius:var(--vitrine-radius,.5rem);
  box-shadow:0 .5rem 2rem rgb(0 0 0 / .2)}
h2{margin:0 0 .5rem;font-size:1.15rem}
p{margin:0 0 .75rem}
fieldset{border:0;margin:0 0 .75rem;padding:0;display:grid;gap:.5rem}
legend{position:absolute;inline-size:1px;block-size:1px;overflow:hidden;clip-path:inset(50%)}
label{display:flex;gap:.5rem;align-items:flex-start}
.actions{display:flex;flex-wrap:wrap;gap:.5rem}
button{font:inherit;padding:.5rem 1rem;border-radius:var(--vitrine-radius,.5rem);border:1px solid var(--vitrine-accent,#1a56db);
  background:var(--vitrine-surface,#fff);color:var(--vitrine-accent,#1a56db);cursor:pointer}
button.primary{background:var(--vitrine-accent,#1a56db);color:var(--vitrine-on-accent,#fff)}
:focus-visible{outline:2px solid var(--vitrine-focus,#1a56db);outline-offset:2px}
`;
let bannerSheet = null;

export class ConsentBanner extends HTMLElement {
  #section = null;
  #choices = null;
  #buttons = {};
  #returnFocus = null;
  #offs = [];

  constructor() {
    super();
    bannerSheet ??= sheet(CSS);
    this.attachShadow({mode: 'open'}).adoptedStyleSheets = [bannerSheet];
    this.hidden = true;
  }

  connectedCallback() {
    // Built once the texts of the page's language are here.
    this.#build().then(() => {
      if (this.isConnected) this.#start();
    });
  }

  #start() {
    const v = engine();
    if (v.consent.source !== 'manual') return;  // the shop's CMP asks
    const opener = (event) => {
      if (!event.target.closest?.('[data-vitrine-consent-open]')) return;
      event.preventDefault();
      this.open(true);
    };
    document.addEventListener('click', opener);
    this.#offs.push(
        () => document.removeEventListener('click', opener), onOptions(() => this.#build()),
        v.on('consent', () => {
          // Decided in another tab or the privacy center: follow it; erased: ask again.
          if (!v.consent.required) {
            if (!this.hidden && this.#choices.hidden) this.#close();
          } else if (this.hidden) {
            this.open(false);
          }
        }));
    if (v.consent.required) this.open(false);
  }

  disconnectedCallback() {
    for (const off of this.#offs.splice(0)) off();
  }

  async #build() {
    const t = await texts(this);
    const titleId = uid('vitrine-banner-title');
    const textId = uid('vitrine-banner-text');
    const button = (action, label, primary = false) =>
        (this.#buttons[action] = el(
             'button',
             {type: 'button', class: primary ? 'primary' : null, part: `button ${action}`}, label));
    this.#choices = el(
        'fieldset', {part: 'choices', hidden: true}, el('legend', {}, t('choose')),
        PURPOSES.map(
            (p) => el(
                'label', {part: 'choice'}, el('input', {type: 'checkbox', name: p}),
                el('span', {}, el('strong', {}, t(`purpose_${p}`)), ' ', t(`purpose_${p}_text`)))));
    this.#section =
        el('section', {
          part: 'banner',
          'aria-labelledby': titleId,
          'aria-describedby': textId,
          tabindex: '-1',
          'data-state': 'closed',
        },
           el('h2', {id: titleId, part: 'title'}, t('banner_title')),
           el('p', {id: textId, part: 'text'}, t('banner_text')), this.#choices,
           el('div', {class: 'actions', part: 'actions'},
              button('accept-all', t('accept_all'), true), button('necessary', t('necessary')),
              button('choose', t('choose')), button('save', t('save'), true)));
    this.#buttons.save.hidden = true;
    this.#section.addEventListener('click', (event) => this.#onClick(event));
    this.#section.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !this.#choices.hidden) {
        this.#showChoices(false);
        this.#buttons.choose.focus();
      }
    });
    this.shadowRoot.replaceChildren(this.#section);
  }

  // Shows the banner (choosing: with the purposes' checkboxes, set to the current choice)
  // and moves the focus into it.
  open(choosing = false) {
    if (!this.#section) return;  // not built yet: it opens by itself once built if needed
    if (this.hidden) {
      const active = document.activeElement;
      this.#returnFocus = active && active !== document.body ? active : null;
    }
    this.hidden = false;
    this.dataset.state = 'open';
    this.#showChoices(choosing);
    if (choosing) {
      this.#choices.querySelector('input').focus();
    } else {
      this.#section.focus();
    }
  }

  #showChoices(choosing) {
    if (choosing) {
      const current = engine().consent.get();
      for (const p of PURPOSES) this.#choices.elements[p].checked = current[p];
    }
    this.#choices.hidden = !choosing;
    this.#buttons.save.hidden = !choosing;
    this.#buttons.choose.hidden = choosing;
  }

  #close() {
    const hadFocus = this.shadowRoot.activeElement !== null;
    this.hidden = true;
    this.dataset.state = 'closed';
    if (hadFocus && this.#returnFocus?.isConnected) this.#returnFocus.focus();
    this.#returnFocus = null;
  }

  async #onClick(event) {
    const button = event.target.closest('button');
    if (!button) return;
    const action = Object.keys(this.#buttons).find((a) => this.#buttons[a] === button);
    if (action === 'choose') {
      this.#showChoices(true);
      this.#choices.querySelector('input').focus();
      return;
    }
    const all = (granted) => Object.fromEntries(PURPOSES.map((p) => [p, granted]));
    const change = action === 'accept-all' ?
        all(true) :
        action === 'necessary' ?
        {...all(false), autofill: false} :
        Object.fromEntries(PURPOSES.map((p) => [p, this.#choices.elements[p].checked]));
    for (const b of Object.values(this.#buttons)) b.disabled = true;
    try {
      await engine().consent.set(change);
      this.#close();
    } catch (error) {
      console.error(`vitrine-consent-banner: ${error?.message ?? error}`);
    } finally {
      for (const b of Object.values(this.#buttons)) b.disabled = false;
    }
  }
}
