// The script tag's data-autofill="on": on a page with a checkout form, offer to fill the
// saved details (when the purpose is granted and details are saved), and a "remember my
// details on this device" box whose ticking is the shopper's opt-in, asked at the point of
// use. The details are read from the form's own fields (never a card field) and saved,
// committed, before the form is submitted.
import {detect} from './detect.js';

const ADDRESS = new Set(['address-line1', 'street-address', 'postal-code', 'address-level2']);

function checkoutForms(root) {
  const byForm = new Map();
  for (const item of detect(root)) {
    if (!item.element.form || item.field === 'cc' || !item.field) continue;
    if (!byForm.has(item.element.form)) byForm.set(item.element.form, []);
    byForm.get(item.element.form).push(item);
  }
  return [...byForm].filter(([, items]) => items.some((i) => ADDRESS.has(i.field)));
}

// The profile the shopper typed; selects give their value, or their text when `texts`.
function profileOf(items, texts) {
  const value = (el) =>
      (el.tagName === 'SELECT' && texts.has(el) ? el.selectedOptions[0]?.text ?? '' : el.value)
          .trim();
  const out = {shipping: {}, billing: {}};
  const put = (section, key, v) => {
    if (v && !out[section][key]) out[section][key] = v;
  };
  const KEYS = {
    'given-name': 'givenName',
    'family-name': 'familyName',
    'organization': 'organization',
    'address-line1': 'line1',
    'address-line2': 'line2',
    'address-level2': 'city',
    'address-level1': 'region',
    'country': 'country',
    'country-name': 'country',
    'email': 'email',
    'tel': 'tel',
  };
  const selects = {};
  for (const {element: el, field, section} of items) {
    const s = section === 'billing' ? 'billing' : 'shipping';
    const v = value(el);
    if (field === 'postal-code') {
      out[s].postalCode = (out[s].postalCode ?? '') + v;
    } else if (field === 'street-address') {
      const [line1, ...rest] = v.split('\n');
      put(s, 'line1', line1);
      put(s, 'line2', rest.join(' '));
    } else if (field === 'name') {
      const parts = v.split(/\s+/);
      put(s, 'givenName', parts.slice(0, -1).join(' ') || parts[0]);
      put(s, 'familyName', parts.length > 1 ? parts[parts.length - 1] : '');
    } else if (field === 'tel-country-code') {
      out.telPrefix = v;
    } else if (KEYS[field]) {
      put(s, KEYS[field], v);
      if (el.tagName === 'SELECT')
        selects[`${s === 'billing' ? 'billing.' : 'shipping.'}${KEYS[field]}`] = el;
    }
  }
  const {shipping: sh, billing: bi} = out;
  const profile = {
    givenName: sh.givenName ?? bi.givenName,
    familyName: sh.familyName ?? bi.familyName,
    organization: sh.organization ?? bi.organization,
    email: sh.email ?? bi.email,
    tel: (sh.tel ?? bi.tel) && `${out.telPrefix ?? ''} ${sh.tel ?? bi.tel}`.trim(),
  };
  const address = (a) => ({
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    region: a.region,
    postalCode: a.postalCode,
    country: a.country,
  });
  profile.shipping = address(sh.line1 ? sh : bi);
  if (sh.line1 && bi.line1)
    profile.billing = {...address(bi), givenName: bi.givenName, familyName: bi.familyName};
  return {profile, selects};
}

export function offer(root, api, consent, VitrineError) {
  for (const [form, items] of checkoutForms(root)) {
    if (form.dataset.vitrineOffer) continue;
    form.dataset.vitrineOffer = 'on';
    const doc = form.ownerDocument;
    api.get()
        .then((saved) => {
          if (!saved) return;
          const button = doc.createElement('button');
          button.type = 'button';
          button.className = 'vitrine-autofill-fill';
          button.textContent = 'Fill in my saved details';
          button.addEventListener('click', () => {
            button.remove();
            api.fill(form);
          });
          form.prepend(button);
        })
        .catch(() => {});
    const label = doc.createElement('label');
    label.className = 'vitrine-autofill-remember';
    const box = doc.createElement('input');
    box.type = 'checkbox';
    label.append(box, ' Remember my details on this device (encrypted, in this browser only)');
    const submit = form.querySelector('[type="submit"], button:not([type])');
    (submit?.parentNode === form ? submit : null) ? form.insertBefore(label, submit) :
                                                    form.append(label);
    form.addEventListener('submit', (event) => {
      if (!box.checked || form.dataset.vitrineSaving) return;
      const native = !event.defaultPrevented;
      if (native) event.preventDefault();
      form.dataset.vitrineSaving = 'yes';
      const again = () => {
        delete form.dataset.vitrineSaving;
        // Saved (or refused): the form goes on as the shop meant it to.
        if (native) HTMLFormElement.prototype.submit.call(form);
      };
      remember(items, api, consent, VitrineError).then(again, again);
    });
  }
}

// Saves what the form holds; a select whose value is not understood (a shop's own region
// id) is tried again with its visible text.
async function remember(items, api, consent, VitrineError) {
  await consent.set({autofill: true});
  const texts = new Set();
  for (let attempt = 0; attempt < 4; ++attempt) {
    const {profile, selects} = profileOf(items, texts);
    try {
      return await api.save(profile);
    } catch (error) {
      const select = error instanceof VitrineError ? selects[error.field] : undefined;
      if (!select || texts.has(select)) throw error;
      texts.add(select);
    }
  }
  return null;
}
