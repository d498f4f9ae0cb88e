// "Saved checkout details" in the privacy center: shows what the autofill purpose keeps on
// this device, lets the shopper edit it (rectification) or forget it. Shown only with the
// purpose: without it nothing is kept, and the autofill module is not even loaded.
import {el} from './dom.js';

const TOP = [
  ['givenName', 'First name'], ['familyName', 'Last name'], ['email', 'E-mail'], ['tel', 'Phone']
];
const ADDRESS = [
  ['line1', 'Street'], ['line2', 'Address line 2'], ['city', 'City'], ['region', 'Region'],
  ['postalCode', 'Postal code'], ['country', 'Country']
];

function input(name, label, value) {
  return el(
      'label', {}, label, ' ',
      el('input', {name, value: value ?? '', 'data-testid': `saved-${name}`}));
}

export function setupSavedDetails() {
  const section = document.querySelector('[data-testid="saved-details"]');
  const vitrine = window.vitrine;
  if (!section || !vitrine) return;
  const form = section.querySelector('form');
  const empty = section.querySelector('[data-testid="saved-details-empty"]');
  const error = section.querySelector('[data-testid="saved-details-error"]');

  const render = (v, profile) => {
    form.hidden = !profile;
    empty.hidden = Boolean(profile);
    if (!profile) return form.replaceChildren();
    const parts = [
      el('h3', {}, 'You'), ...TOP.map(([k, label]) => input(k, label, profile[k])),
      el('h3', {}, 'Shipping address'),
      ...ADDRESS.map(([k, label]) => input(`shipping.${k}`, label, profile.shipping[k]))
    ];
    if (profile.billing) {
      parts.push(
          el('h3', {}, 'Billing address'),
          ...ADDRESS.map(([k, label]) => input(`billing.${k}`, label, profile.billing[k])));
    }
    parts.push(
        el('div', {class: 'privacy-actions'},
           el('button', {type: 'submit', class: 'button', 'data-testid': 'saved-details-save'},
              'Save changes'),
           el('button',
              {type: 'button', class: 'button danger', 'data-testid': 'saved-details-forget'},
              'Forget my details')));
    form.replaceChildren(...parts);
    form.querySelector('[data-testid="saved-details-forget"]')
        .addEventListener('click', async () => {
          await v.autofill.forget();
          render(v, null);
        });
    form.dataset.billing = profile.billing ? 'yes' : 'no';
  };

  const refresh = async (v) => {
    error.hidden = true;
    render(v, v.consent.get().autofill ? await v.autofill.get() : null);
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = await vitrine.ready;
    const read = (name) => form.elements[name]?.value.trim() || undefined;
    const profile = Object.fromEntries(TOP.map(([k]) => [k, read(k)]));
    profile.shipping = Object.fromEntries(ADDRESS.map(([k]) => [k, read(`shipping.${k}`)]));
    if (form.dataset.billing === 'yes') {
      profile.billing = Object.fromEntries(ADDRESS.map(([k]) => [k, read(`billing.${k}`)]));
    }
    try {
      render(v, await v.autofill.save(profile));
      error.hidden = true;
    } catch (e) {
      error.textContent = `${e.field ?? ''} ${e.message}`.trim();
      error.hidden = false;
    }
  });

  vitrine.ready
      .then((v) => {
        v.on('consent', () => refresh(v).catch(() => {}));
        return refresh(v);
      })
      .catch((e) => console.error(`demo-shop: saved details: ${e.message}`));
}
