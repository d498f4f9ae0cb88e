// The demo checkout. The address block follows the chosen country (rebuilt when it
// changes, as real checkouts do). With the autofill purpose and saved details, it offers to
// fill them; "Remember my details" on submit asks the purpose right there and saves the
// details before the page moves on. Card fields are the shop's own: nothing here reads them.
import {addressFields, COUNTRIES} from './address-formats.js';
import {el} from './dom.js';

function buildCountrySelect(select) {
  select.replaceChildren(
      el('option', {value: ''}, 'Choose…'),
      ...COUNTRIES.map(([code, name]) => el('option', {value: code}, name)));
}

function buildAddress(form, section) {
  const country = form.elements[`${section}-country`].value;
  const box = form.querySelector(`[data-testid="${section}-address"]`);
  if (!country) return box.replaceChildren();
  box.replaceChildren(...addressFields(country).map(([field, label, token, options]) => {
    const attrs = {name: `${section}-${field}`, autocomplete: `${section} ${token}`};
    const control = options ? el('select', attrs, el('option', {value: ''}, '—'),
                                 ...options.map(([value, text]) => el('option', {value}, text))) :
                              el('input', attrs);
    return el('label', {}, label, ' ', control);
  }));
}

const value = (form, name) => form.elements[name]?.value.trim() ?? '';

function address(form, section) {
  const out = {};
  for (const f of ['line1', 'line2', 'city', 'region', 'postalCode', 'country']) {
    const v = value(form, `${section}-${f}`);
    if (v) out[f] = v;
  }
  return out;
}

// The profile from what the shopper typed (the shop's own fields; never the card ones).
function profileOf(form) {
  const profile = {
    givenName: value(form, 'shipping-given-name'),
    familyName: value(form, 'shipping-family-name'),
    email: value(form, 'email'),
    shipping: address(form, 'shipping'),
  };
  const tel = value(form, 'tel');
  if (tel) profile.tel = tel;
  if (!form.elements['billing-same'].checked) {
    profile.billing = {
      givenName: value(form, 'billing-given-name'),
      familyName: value(form, 'billing-family-name'),
      ...address(form, 'billing'),
    };
  }
  return profile;
}

export function setupCheckoutPage() {
  const form = document.querySelector('[data-testid="checkout-form"]');
  const offer = document.querySelector('[data-testid="autofill-offer"]');
  const error = document.querySelector('[data-testid="checkout-error"]');
  const billing = form.querySelector('[data-section="billing"]');
  for (const section of ['shipping', 'billing']) {
    const select = form.elements[`${section}-country`];
    buildCountrySelect(select);
    // A short delay, as when a shop fetches the address format for the country.
    select.addEventListener('change', () => setTimeout(() => buildAddress(form, section), 30));
  }
  const syncBilling = () => {
    billing.hidden = form.elements['billing-same'].checked;
    billing.disabled = billing.hidden;
  };
  form.elements['billing-same'].addEventListener('change', syncBilling);
  syncBilling();

  const vitrine = window.vitrine;
  vitrine?.ready
      .then(async (v) => {
        // Nothing is offered (nor loaded) without the autofill purpose.
        if (!v.consent.get().autofill || !(await v.autofill.get())) return;
        offer.hidden = false;
        offer.querySelector('button').addEventListener('click', async () => {
          const billingSaved = Boolean((await v.autofill.get())?.billing);
          if (billingSaved && form.elements['billing-same'].checked) {
            form.elements['billing-same'].click();
          }
          await v.autofill.fill(form);
          offer.hidden = true;
        });
      })
      .catch((e) => console.error(`demo-shop: autofill: ${e.message}`));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const submit = form.querySelector('[type="submit"]');
    submit.disabled = true;
    try {
      if (form.elements.remember.checked && vitrine) {
        const v = await vitrine.ready;
        // The shopper's explicit opt-in, at the point of use.
        await v.consent.set({autofill: true});
        // Resolves once the encrypted record is committed: only then may the page go.
        await v.autofill.save(profileOf(form));
      }
      location.assign('/checkout/done');
    } catch (e) {
      error.textContent = e.field ? `Please check ${e.field}: ${e.message}` : e.message;
      error.hidden = false;
      submit.disabled = false;
    }
  });
}
