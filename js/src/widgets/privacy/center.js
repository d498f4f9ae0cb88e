// <vitrine-privacy-center>: what this page knows about the shopper, on this device, and
// their rights over it. Sections (attribute `sections`, default all): the purposes as
// switches, the browsing history, inferred interests, segments with why, what was sent
// (with today's privacy budget), the consent log, saved checkout details (autofill), and
// download / import / erase. A section shows only when the package has its feature, and
// reads nothing it does not show (the autofill chunk is loaded only with the purpose). Every
// change, from this tab or another, re-renders it; the shopper's edits in a form survive.
import {el, engine, onOptions, sheet, texts, uid} from '../shared.js';
import {addBundle} from '../texts.js';

import {choicesSection} from './choices.js';
import {detailsSection} from './details.js';
import {historySection, interestsSection, segmentsSection} from './knowledge.js';
import {logSection, sentSection} from './records.js';
import EN from './texts/en.js';
import {dataSection} from './your-data.js';

addBundle('privacy-center', EN);

export const SECTIONS = {
  choices: choicesSection,
  history: historySection,
  interests: interestsSection,
  segments: segmentsSection,
  sent: sentSection,
  log: logSection,
  details: detailsSection,
  data: dataSection,
};

const CENTER_CSS = `
:host{display:block}
[hidden]{display:none!important}
section.part{margin-block:0 1.5rem}
.title{font-size:1.5rem;margin:0 0 1rem}
.heading{font-size:1.15rem;margin:0 0 .5rem}
.subheading{font-size:1rem;margin:.75rem 0 .5rem}
ul{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
li{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;justify-content:space-between}
p{margin:0 0 .5rem}
.note,.empty,.meta{color:var(--vitrine-muted,#555)}
.meta{font-size:.9em}
.name{font-weight:600}
.grow{flex:1 1 12rem;min-width:0;overflow-wrap:anywhere}
a{color:var(--vitrine-accent,#1a56db)}
button{font:inherit;padding:.4rem .9rem;border-radius:var(--vitrine-radius,.5rem);border:1px solid var(--vitrine-accent,#1a56db);
  background:var(--vitrine-surface,#fff);color:var(--vitrine-accent,#1a56db);cursor:pointer}
button[role=switch]{min-width:8rem}
button[role=switch][aria-checked=true]{background:var(--vitrine-accent,#1a56db);color:var(--vitrine-on-accent,#fff)}
button.danger{border-color:var(--vitrine-danger,#b91c1c);color:var(--vitrine-danger,#b91c1c)}
button:disabled{opacity:.6;cursor:default}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.status[data-state=error],.error{color:var(--vitrine-danger,#b91c1c)}
meter{inline-size:8rem}
table{border-collapse:collapse;inline-size:100%;font-size:.9em}
th,td{text-align:start;padding:.25rem .5rem;border-block-end:1px solid var(--vitrine-line,#ddd)}
form{display:grid;gap:.5rem;max-inline-size:32rem}
label{display:grid;gap:.15rem}
input{font:inherit;padding:.35rem .5rem;border:1px solid var(--vitrine-line,#888);border-radius:var(--vitrine-radius,.5rem)}
input[aria-invalid=true]{border-color:var(--vitrine-danger,#b91c1c)}
:focus-visible{outline:2px solid var(--vitrine-focus,#1a56db);outline-offset:2px}
`;
let centerSheet = null;

// Global Privacy Control or Do Not Track: the engine never grants measurement then. The
// center reads the same signals only to say why the switch is off.
function browserOptOut() {
  const nav = globalThis.navigator ?? {};
  if (nav.globalPrivacyControl === true || nav.globalPrivacyControl === '1') {
    return 'Global Privacy Control';
  }
  if (nav.doNotTrack === '1' || globalThis.doNotTrack === '1') return 'Do Not Track';
  return null;
}

// Formatting in the element's language (Intl), and plural forms of counted texts.
function formatters(t) {
  const lang = t.tag;
  const safe = (make) => {
    try {
      return make(lang);
    } catch {
      return make('en');
    }
  };
  const dateTime =
      safe((l) => new Intl.DateTimeFormat(l, {dateStyle: 'medium', timeStyle: 'short'}));
  const date = safe((l) => new Intl.DateTimeFormat(l, {dateStyle: 'medium', timeZone: 'UTC'}));
  const percent = safe((l) => new Intl.NumberFormat(l, {style: 'percent'}));
  const decimal = safe((l) => new Intl.NumberFormat(l, {maximumFractionDigits: 2}));
  const plural = safe((l) => new Intl.PluralRules(l));
  const valid = (d) => Number.isFinite(d.getTime());
  return {
    time: (ms) => (valid(new Date(ms)) ? dateTime.format(new Date(ms)) : ''),
    // A UTC day number (days since 1970-01-01) as a date.
    day: (n) => (valid(new Date(n * 86_400_000)) ? date.format(new Date(n * 86_400_000)) : ''),
    percent: (x) => percent.format(Math.max(0, Math.min(1, Number(x) || 0))),
    number: (x) => decimal.format(Number(x)),
    count: (key, n) => {
      const form = plural.select(n);
      const text = t(`${key}_${form}`, {n: decimal.format(n)});
      return text === `${key}_${form}` ? t(`${key}_other`, {n: decimal.format(n)}) : text;
    },
  };
}

export class PrivacyCenter extends HTMLElement {
  #offs = [];
  #ctx = null;
  #dirty = false;
  #running = false;
  #busy = false;
  #generation = 0;

  static get observedAttributes() {
    return ['sections', 'heading-level'];
  }

  constructor() {
    super();
    centerSheet ??= sheet(CENTER_CSS);
    this.attachShadow({mode: 'open'}).adoptedStyleSheets = [centerSheet];
  }

  connectedCallback() {
    if (this.#offs.length) return;
    const v = engine();
    this.#offs.push(
        v.on('change', () => this.refresh()), v.on('consent', () => this.refresh()),
        onOptions(() => this.#rebuild()));
    this.#rebuild();
  }

  disconnectedCallback() {
    for (const off of this.#offs.splice(0)) off();
  }

  attributeChangedCallback(name, was, now) {
    if (was !== now && this.#offs.length) this.#rebuild();
  }

  // Builds the sections (with the texts of the page's language), renders them off the
  // page, then swaps them in: the center never shows a half-filled state.
  async #rebuild() {
    const mine = ++this.#generation;
    const ctx = await this.#build();
    if (!this.isConnected || mine !== this.#generation) return;
    await this.#renderAll(ctx);
    if (mine !== this.#generation) return;  // a newer build (options changed meanwhile)
    this.#ctx = ctx;
    this.shadowRoot.replaceChildren(ctx.root);
    this.#announce();
    this.refresh();  // a change that came meanwhile
  }

  async #build() {
    const t = await texts(this, ['widgets', 'privacy-center']);
    const level = Math.min(5, Math.max(1, Number(this.getAttribute('heading-level')) || 2));
    const wanted = (this.getAttribute('sections') ?? '').split(/\s+/).filter(Boolean);
    const names =
        Object.keys(SECTIONS).filter((name) => wanted.length === 0 || wanted.includes(name));
    const status =
        el('p',
           {role: 'status', part: 'status', class: 'status note', 'data-testid': 'privacy-status'});
    const ctx = {
      v: engine(),
      t,
      fmt: formatters(t),
      element: this,
      optOut: browserOptOut(),
      busy: () => this.#busy,
      refresh: () => this.refresh(),
      heading: (text, {sub = false} = {}) => {
        const id = uid('vpc');
        const node =
            el(`h${Math.min(6, level + (sub ? 2 : 1))}`, {
              id,
              tabindex: '-1',
              class: sub ? 'subheading' : 'heading',
              part: sub ? 'subheading' : 'heading',
            },
               text);
        return {id, node};
      },
      say: (text, state = 'ok') => {
        status.textContent = text;
        status.dataset.state = state;
      },
      // Runs one action of the shopper's with the controls disabled meanwhile; the status
      // line says what happened (done: text or (result) => text; failed: (error) => text).
      act: async (job, {done, failed} = {}) => {
        if (this.#busy) return undefined;
        const focused = this.shadowRoot.activeElement;
        this.#busy = true;
        this.refresh();
        try {
          const result = await job();
          const text = typeof done === 'function' ? done(result) : done;
          if (text) ctx.say(text);
          return result;
        } catch (error) {
          const message = String(error?.message ?? error);
          ctx.say(failed ? failed(message) : message, 'error');
          return undefined;
        } finally {
          this.#busy = false;
          await this.#settled();
          // A control disabled while busy lost the focus: it gets it back.
          if (focused?.isConnected && !this.shadowRoot.activeElement) focused.focus();
        }
      },
    };
    ctx.sections = names.map((name) => [name, SECTIONS[name](ctx)]).filter(([, s]) => s);
    const titleId = uid('vpc');
    ctx.root = el(
        'section', {'aria-labelledby': titleId, part: 'center'},
        el(`h${level}`, {id: titleId, class: 'title', part: 'title'}, t('pc_title')),
        el('slot', {name: 'intro'}), status,
        ctx.sections.map(
            ([name, s]) => el(
                'section',
                {class: 'part', part: `section section-${name}`, 'aria-labelledby': s.labelledBy},
                s.node)));
    return ctx;
  }

  refresh() {
    if (!this.#ctx || !this.isConnected) return;
    this.#dirty = true;
    if (this.#running) return;
    this.#running = true;
    queueMicrotask(async () => {
      while (this.#dirty) {
        this.#dirty = false;
        await this.#renderAll(this.#ctx);
      }
      this.#running = false;
      this.#announce();
    });
  }

  async #renderAll(ctx) {
    try {
      for (const [, s] of ctx.sections) await s.render();
    } catch (error) {
      ctx.say(ctx.t('pc_failed', {message: error?.message ?? error}), 'error');
    }
  }

  #announce() {
    this.dataset.state = 'ready';
    this.dispatchEvent(new CustomEvent('vitrine-render'));
  }

  // Resolves after the next complete render.
  #settled() {
    return new Promise((resolve) => {
      this.addEventListener('vitrine-render', resolve, {once: true});
      this.refresh();
    });
  }
}
