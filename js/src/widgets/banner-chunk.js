// The consent banner itself, in a chunk of its own (dist/vitrine-banner.mjs): loaded by the
// <vitrine-consent-banner> element (consent-banner.js) only when the banner has to show, so
// the pages of a shopper who has decided do not load it. The components' helpers (shared.js,
// with the English texts) come from the element that loads it: a copy here would double them
// on a first visit.
let el, engine, onOptions, sheet, texts, uid;

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

// Builds the banner into element's shadow root and runs it: open(), follow() (consent
// changed elsewhere), stop() (the element left the document).
export class BannerView {
  #host;
  #section = null;
  #choices = null;
  #buttons = {};
  #returnFocus = null;
  #built;
  #offs = [];

  constructor(element) {
    this.#host = element;
    bannerSheet ??= sheet(CSS);
    const root = element.shadowRoot ?? element.attachShadow({mode: 'open'});
    root.adoptedStyleSheets = [bannerSheet];
    this.#built = this.#build();
    this.#offs.push(onOptions(() => (this.#built = this.#build())));
  }

  stop() {
    for (const off of this.#offs.splice(0)) off();
  }

  async #build() {
    const t = await texts(this.#host);
    const titleId = uid('vitrine-banner-title');
    const textId = uid('vitrine-banner-text');
    const button = (action, label, primary = false) =>
        (this.#buttons[action] = el(
             'button',
             {type: 'button', class: primary ? 'primary' : null, part: `button ${action}`}, label));
    const open = this.#section !== null && !this.#host.hidden;
    const choosing = open && !this.#choices.hidden;
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
    this.#host.shadowRoot.replaceChildren(this.#section);
    if (open) this.#showChoices(choosing);
  }

  // Shows the banner (choosing: with the purposes' checkboxes, set to the current choice)
  // and moves the focus into it, once it is built. active: the focused element when the
  // banner was asked for; if the focus moved since (the chunk took a moment), it stays where
  // the shopper put it. auto: opened because nothing was decided, so not if that changed.
  async open(choosing = false, {active = document.activeElement, auto = false} = {}) {
    const element = this.#host;
    await this.#built;
    if (!element.isConnected || (auto && !engine().consent.required)) return;
    const opening = element.hidden;
    if (opening) this.#returnFocus = active && active !== document.body ? active : null;
    element.hidden = false;
    element.dataset.state = 'open';
    this.#showChoices(choosing);
    if (opening && document.activeElement !== active) return;
    if (choosing) {
      this.#choices.querySelector('input').focus();
    } else {
      this.#section.focus();
    }
  }

  // The consent changed in another tab or the privacy center: follow it; erased: ask again.
  follow() {
    if (!engine().consent.required) {
      if (!this.#host.hidden && this.#choices?.hidden) this.#close();
    } else if (this.#host.hidden) {
      this.open(false, {auto: true});
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

  // hadFocus: whether the focus was in the banner, read before its buttons were disabled (a
  // disabled button loses the focus, which would keep it from going back).
  #close(hadFocus = this.#host.shadowRoot.activeElement !== null) {
    const element = this.#host;
    element.hidden = true;
    element.dataset.state = 'closed';
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
    const hadFocus = this.#host.shadowRoot.activeElement !== null;
    for (const b of Object.values(this.#buttons)) b.disabled = true;
    try {
      await engine().consent.set(change);
      this.#close(hadFocus);
    } catch (error) {
      console.error(`vitrine-consent-banner: ${error?.message ?? error}`);
    } finally {
      for (const b of Object.values(this.#buttons)) b.disabled = false;
    }
  }
}

// kit: shared.js's el, engine, onOptions, sheet, texts and uid, from the components' chunk.
export function bannerView(element, kit) {
  ({el, engine, onOptions, sheet, texts, uid} = kit);
  return new BannerView(element);
}
