// Saved checkout details (autofill): what the `autofill` purpose keeps on this device, to
// edit (rectification) or forget. Only in packages with autofill; without the purpose
// nothing is kept and the autofill chunk is never loaded. A re-render never wipes what
// the shopper is typing: the form is rebuilt only when the saved details change.
import {el} from '../shared.js';

const TOP = ['givenName', 'familyName', 'organization', 'email', 'tel'];
const ADDRESS = ['line1', 'line2', 'city', 'region', 'postalCode', 'country'];

export function detailsSection(ctx) {
  const {t, v} = ctx;
  if (typeof v.autofill?.get !== 'function') return null;
  const heading = ctx.heading(t('pc_details'));
  const empty =
      el('p', {class: 'empty', part: 'empty', 'data-testid': 'saved-details-empty'},
         t('pc_details_empty'));
  const form =
      el('form',
         {part: 'details', hidden: true, novalidate: true, 'data-testid': 'saved-details-form'});
  const error = el('p', {
    role: 'alert',
    class: 'error',
    part: 'error',
    hidden: true,
    'data-testid': 'saved-details-error'
  });
  let shown = null;  // the saved details the form shows, as JSON

  const input = (name, key, value) => el(
      'label', {part: 'field'}, t(`field_${key}`),
      el('input', {name, value: value ?? '', autocomplete: 'off', 'data-testid': `saved-${name}`}));
  const group = (title, prefix, keys, values) => {
    const h = ctx.heading(title, {sub: true});
    return el(
        'fieldset', {part: 'fieldset', 'aria-labelledby': h.id}, h.node,
        keys.map((key) => input(prefix + key, key, values?.[key])));
  };
  const show = (profile) => {
    error.hidden = true;
    form.hidden = !profile;
    empty.hidden = Boolean(profile);
    shown = profile ? JSON.stringify(profile) : null;
    if (!profile) return form.replaceChildren();
    form.dataset.billing = profile.billing ? 'yes' : 'no';
    form.replaceChildren(
        group(t('pc_details_you'), '', TOP, profile),
        group(t('pc_details_shipping'), 'shipping.', ADDRESS, profile.shipping),
        profile.billing ? group(t('pc_details_billing'), 'billing.', ADDRESS, profile.billing) : '',
        el('div', {class: 'actions'},
           el('button', {type: 'submit', part: 'save', 'data-testid': 'saved-details-save'},
              t('pc_details_save')),
           el('button', {
             type: 'button',
             class: 'danger',
             part: 'forget',
             'data-action': 'forget',
             'data-testid': 'saved-details-forget'
           },
              t('pc_details_forget'))));
  };

  const read = () => {
    const value = (name) => form.elements[name]?.value.trim() || undefined;
    const profile = Object.fromEntries(TOP.map((k) => [k, value(k)]));
    profile.shipping = Object.fromEntries(ADDRESS.map((k) => [k, value(`shipping.${k}`)]));
    if (form.dataset.billing === 'yes') {
      profile.billing = Object.fromEntries(ADDRESS.map((k) => [k, value(`billing.${k}`)]));
    }
    return profile;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const field of form.querySelectorAll('[aria-invalid]'))
      field.removeAttribute('aria-invalid');
    try {
      show(await v.autofill.save(read()));
      ctx.say(t('pc_details_saved'));
    } catch (e) {
      // The engine names the bad field ('shipping.postalCode'): say which, in words.
      const field = form.elements[e.field];
      const key = String(e.field ?? '').split('.').pop();
      error.textContent =
          t('pc_details_error',
            {field: field ? t(`field_${key}`) : e.field ?? '', message: e.message});
      error.dataset.field = e.field ?? '';
      error.hidden = false;
      if (field) {
        field.setAttribute('aria-invalid', 'true');
        field.focus();
      }
    }
  });
  form.addEventListener('click', async (event) => {
    if (!event.target.closest('[data-action="forget"]')) return;
    await ctx.act(() => v.autofill.forget(), {done: t('pc_details_forgotten')});
    heading.node.focus();
  });

  return {
    labelledBy: heading.id,
    node: [heading.node, empty, form, error],
    async render() {
      const profile = v.consent.get().autofill ? await v.autofill.get() : null;
      if ((profile ? JSON.stringify(profile) : null) !== shown) show(profile);
    },
  };
}
