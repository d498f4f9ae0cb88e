// <vitrine-privacy-center>: what this page knows about the shopper, on this device, and
// their rights over it: consent per purpose, the browsing history (remove one item, erase
// everything), what was sent (and today's privacy budget when the package keeps a ledger),
// and a download of everything. Every change, from this tab or another, re-renders it.
import {el, engine, onOptions, sheet, texts, uid} from './shared.js';

const PURPOSES = ['history', 'personalization', 'measurement', 'autofill'];
const CENTER_CSS = `
:host{display:block}
[hidden]{display:none!important}
section.part{margin-block:0 1.5rem}
h2{font-size:1.5rem;margin:0 0 1rem}
h3{font-size:1.15rem;margin:0 0 .5rem}
ul{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
li{display:flex;gap:1rem;align-items:center;justify-content:space-between}
p{margin:0 0 .5rem}
.note,.empty{color:var(--vitrine-muted,#555)}
button{font:inherit;padding:.4rem .9rem;border-radius:var(--vitrine-radius,.5rem);border:1px solid var(--vitrine-accent,#1a56db);
  background:var(--vitrine-surface,#fff);color:var(--vitrine-accent,#1a56db);cursor:pointer}
button[role=switch][aria-checked=true]{background:var(--vitrine-accent,#1a56db);color:var(--vitrine-on-accent,#fff)}
button.danger{border-color:var(--vitrine-danger,#b91c1c);color:var(--vitrine-danger,#b91c1c)}
button:disabled{opacity:.6;cursor:default}
.actions{display:flex;flex-wrap:wrap;gap:.5rem}
:focus-visible{outline:2px solid var(--vitrine-focus,#1a56db);outline-offset:2px}
`;
let centerSheet = null;

export class PrivacyCenter extends HTMLElement {
  #offs = [];
  #parts = null;
  #queued = false;
  #busy = false;

  constructor() {
    super();
    centerSheet ??= sheet(CENTER_CSS);
    this.attachShadow({mode: 'open'}).adoptedStyleSheets = [centerSheet];
  }

  connectedCallback() {
    // Built once the texts of the page's language are here.
    this.#build().then(() => {
      if (!this.isConnected) return;
      const v = engine();
      this.#offs.push(
          v.on('change', () => this.refresh()),
          onOptions(() => this.#build().then(() => this.refresh())));
      this.refresh();
    });
  }

  disconnectedCallback() {
    for (const off of this.#offs.splice(0)) off();
  }

  async #build() {
    const t = await texts(this);
    const ids = {
      title: uid('vpc'),
      choices: uid('vpc'),
      history: uid('vpc'),
      sent: uid('vpc'),
      data: uid('vpc'),
      confirm: uid('vpc')
    };
    const heading = (level, id, text) =>
        el(level, {id, tabindex: '-1', part: level === 'h2' ? 'title' : 'heading'}, text);
    const section = (id, ...children) =>
        el('section', {class: 'part', 'aria-labelledby': id}, ...children);
    const p = {};
    p.status = el('p', {role: 'status', part: 'status', class: 'note'});
    p.cmp = el('p', {class: 'note', hidden: true}, t('pc_cmp'));
    p.switches = {};
    const purposeItems = PURPOSES.map((name) => {
      const labelId = uid('vpc-purpose');
      p.switches[name] =
          el('button', {
            type: 'button',
            role: 'switch',
            'aria-checked': 'false',
            'aria-labelledby': labelId,
            'data-purpose': name,
            part: 'switch',
            disabled: true,
          },
             t('off'));
      return el(
          'li', {part: 'purpose'},
          el('div', {}, el('strong', {id: labelId}, t(`purpose_${name}`)),
             el('p', {class: 'note'}, t(`purpose_${name}_text`))),
          p.switches[name]);
    });
    p.history = el('ul', {part: 'history'});
    p.historyEmpty = el('p', {class: 'empty'}, t('pc_history_empty'));
    p.historyHeading = heading('h3', ids.history, t('pc_history'));
    p.sent = el('ul', {part: 'sent'});
    p.sentEmpty = el('p', {class: 'empty'}, t('pc_sent_empty'));
    p.ledger = el('p', {class: 'note', part: 'ledger', hidden: true});
    p.exportButton = el('button', {type: 'button', part: 'export'}, t('pc_export'));
    p.eraseButton = el('button', {type: 'button', class: 'danger', part: 'erase'}, t('pc_erase'));
    p.eraseYes = el('button', {type: 'button', class: 'danger'}, t('pc_erase_yes'));
    p.eraseCancel = el('button', {type: 'button'}, t('pc_cancel'));
    p.confirm =
        el('div', {role: 'group', 'aria-labelledby': ids.confirm, hidden: true, part: 'confirm'},
           el('p', {id: ids.confirm}, t('pc_erase_confirm')),
           el('div', {class: 'actions'}, p.eraseYes, p.eraseCancel));
    p.t = t;
    this.#parts = p;
    const root =
        el('section', {'aria-labelledby': ids.title, part: 'center'},
           heading('h2', ids.title, t('pc_title')), p.status,
           section(
               ids.choices, heading('h3', ids.choices, t('pc_choices')), p.cmp,
               el('ul', {part: 'purposes'}, purposeItems)),
           section(ids.history, p.historyHeading, p.historyEmpty, p.history),
           section(ids.sent, heading('h3', ids.sent, t('pc_sent')), p.ledger, p.sentEmpty, p.sent),
           section(
               ids.data, heading('h3', ids.data, t('pc_data')),
               el('div', {class: 'actions'}, p.exportButton, p.eraseButton), p.confirm));
    root.addEventListener('click', (event) => this.#onClick(event));
    root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !p.confirm.hidden) this.#cancelErase();
    });
    this.shadowRoot.replaceChildren(root);
  }

  refresh() {
    if (this.#queued || !this.isConnected || !this.#parts) return;
    this.#queued = true;
    queueMicrotask(() => {
      this.#queued = false;
      this.#render().catch((error) => {
        this.dataset.state = 'error';
        console.error(`vitrine-privacy-center: ${error?.message ?? error}`);
      });
    });
  }

  async #render() {
    const v = engine();
    const p = this.#parts;
    const t = p.t;
    const consent = v.consent.get();
    const manual = v.consent.source === 'manual';
    p.cmp.hidden = manual;
    for (const name of PURPOSES) {
      const sw = p.switches[name];
      sw.setAttribute('aria-checked', String(consent[name]));
      sw.textContent = consent[name] ? t('on') : t('off');
      // Autofill needs history (its data is kept on the device); a CMP owns the others.
      sw.disabled = this.#busy || (!manual && name !== 'autofill') ||
          (name === 'autofill' && !consent.history && !consent.autofill);
    }
    const rows = v.recentlyViewed({limit: 50, maxAgeDays: 3650});
    const focusedItem = this.shadowRoot.activeElement?.closest?.('li')?.dataset.itemId;
    p.history.replaceChildren(...rows.map(
        (row) =>
            el('li', {'data-item-id': row.itemId, part: 'history-item'},
               el('span', {}, row.name || row.itemId),
               el('button', {
                 type: 'button',
                 'data-remove': row.itemId,
                 'aria-label': t('pc_remove_label', {name: row.name || row.itemId}),
               },
                  t('pc_remove')))));
    p.historyEmpty.hidden = rows.length > 0;
    if (focusedItem) {
      p.history.querySelector(`li[data-item-id="${CSS.escape(focusedItem)}"] button`)?.focus();
    }
    const sent = await v.privacy.sent();
    p.sent.replaceChildren(...sent.map(
        (r) =>
            el('li', {part: 'sent-item'},
               t('pc_sent_row', {type: r.type, value: r.value, epsilon: r.epsilon, day: r.day}))));
    p.sentEmpty.hidden = sent.length > 0;
    // The ledger exists in newer packages only.
    const ledger = typeof v.privacy.ledger === 'function' ? await v.privacy.ledger() : null;
    p.ledger.hidden = !ledger;
    if (ledger) p.ledger.textContent = t('pc_ledger', {spent: ledger.spent, budget: ledger.budget});
    p.exportButton.disabled = this.#busy;
    p.eraseButton.disabled = this.#busy;
    this.dataset.state = 'ready';
    this.dispatchEvent(new CustomEvent('vitrine-render'));
  }

  #say(text) {
    this.#parts.status.textContent = text;
  }

  async #onClick(event) {
    const p = this.#parts;
    const button = event.target.closest('button');
    if (!button || button.disabled) return;
    const v = engine();
    if (button.dataset.purpose) {
      const name = button.dataset.purpose;
      await this.#run(
          () => v.consent.set({[name]: button.getAttribute('aria-checked') !== 'true'}));
      button.focus();
    } else if (button.dataset.remove) {
      const id = button.dataset.remove;
      const li = button.closest('li');
      const name = li.querySelector('span').textContent;
      // The focus goes to the next item's button (or the previous, or the heading).
      const next =
          li.nextElementSibling?.dataset.itemId ?? li.previousElementSibling?.dataset.itemId;
      await this.#run(() => v.privacy.removeItem(id));
      await this.#settled();
      const target =
          next && p.history.querySelector(`li[data-item-id="${CSS.escape(next)}"] button`);
      (target ?? p.historyHeading).focus();
      this.#say(p.t('pc_removed', {name}));
    } else if (button === p.exportButton) {
      await this.#download();
    } else if (button === p.eraseButton) {
      p.confirm.hidden = false;
      p.eraseCancel.focus();
    } else if (button === p.eraseCancel) {
      this.#cancelErase();
    } else if (button === p.eraseYes) {
      await this.#run(() => v.privacy.erase());
      p.confirm.hidden = true;
      p.eraseButton.focus();
      this.#say(p.t('pc_erased'));
    }
  }

  #cancelErase() {
    this.#parts.confirm.hidden = true;
    this.#parts.eraseButton.focus();
  }

  // Waits for the render that the engine's change event queued.
  #settled() {
    return new Promise((resolve) => {
      this.addEventListener('vitrine-render', resolve, {once: true});
      this.refresh();
    });
  }

  async #run(job) {
    this.#busy = true;
    try {
      await job();
    } catch (error) {
      this.#say(String(error?.message ?? error));
    } finally {
      this.#busy = false;
      this.refresh();
    }
  }

  async #download() {
    const data = await engine().privacy.export();
    const url =
        URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], {type: 'application/json'}));
    const a = el('a', {href: url, download: 'my-data.json', hidden: true});
    this.shadowRoot.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
