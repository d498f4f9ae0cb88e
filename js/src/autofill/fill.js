// Filling detected fields: visible, enabled, empty ones only; the country first, then,
// once the form has re-laid itself out, the rest. Values are set through the native value
// setter and announced with input and change events, so React, Vue and plain forms all
// see them. Card fields are never read or written.
import {detect, isHoneypot} from './detect.js';

const SETTERS = new Map();
function nativeSetter(el) {
  const proto = Object.getPrototypeOf(el);
  if (!SETTERS.has(proto)) {
    let p = proto;
    let desc;
    while (p && !(desc = Object.getOwnPropertyDescriptor(p, 'value'))) p = Object.getPrototypeOf(p);
    SETTERS.set(proto, desc?.set);
  }
  return SETTERS.get(proto);
}

function setValue(el, value) {
  const setter = nativeSetter(el);
  if (setter)
    setter.call(el, value);
  else
    el.value = value;
  el.dispatchEvent(new Event('input', {bubbles: true}));
  el.dispatchEvent(new Event('change', {bubbles: true}));
}

// Why a field must not be touched, or null.
function blocked(el) {
  if (el.disabled) return 'disabled';
  if (el.readOnly) return 'readonly';
  if (el.closest('[hidden], [aria-hidden="true"], [inert]')) return 'hidden';
  const rect = el.getBoundingClientRect();
  if (rect.width < 2 || rect.height < 2) return 'hidden';
  const style = getComputedStyle(el);
  if (style.visibility !== 'visible' || Number(style.opacity) === 0) return 'hidden';
  const view = el.ownerDocument.documentElement;
  const scrollX = el.ownerDocument.defaultView?.scrollX ?? 0;
  if (rect.right + scrollX <= 0 ||
      rect.bottom + (el.ownerDocument.defaultView?.scrollY ?? 0) <= 0 ||
      rect.left >= Math.max(view.scrollWidth, view.clientWidth)) {
    return 'offscreen';
  }
  if (isHoneypot(el)) return 'honeypot';
  return null;
}

// A select the shopper has not chosen in: empty, or still on the page's default.
function untouchedSelect(el) {
  const option = el.selectedOptions[0];
  return !option || el.value === '' || el.selectedIndex === 0 || option.defaultSelected;
}

function isEmpty(el) {
  return el.tagName === 'SELECT' ? untouchedSelect(el) : el.value === '';
}

function settle(root, {first = 400, quiet = 80, max = 2000} = {}) {
  return new Promise((resolve) => {
    const target = root.nodeType === 9 ? root.documentElement : root;
    const start = performance.now();
    let timer = null;
    const done = () => {
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    };
    const observer = new MutationObserver(() => {
      clearTimeout(timer);
      timer = performance.now() - start > max ? (done(), null) : setTimeout(done, quiet);
    });
    observer.observe(target, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['hidden', 'style', 'class']
    });
    timer = setTimeout(done, first);
  });
}

// The value key (from the core's "values" answer) a detected field takes, and the kind of
// option matching a select needs.
function plan(item, items, values) {
  const {element: el, field, section} = item;
  const same = items.filter((i) => i.section === section);
  const select = el.tagName === 'SELECT';
  switch (field) {
    case 'country':
    case 'country-name':
      return select ? {match: 'country', want: values.country} : {value: values['country-name']};
    case 'address-level1':
      return select ? {match: 'region', want: values['address-level1-code']} :
                      {value: values['address-level1']};
    case 'tel-country-code':
      return select ? {match: 'tel-country-code', want: values['tel-country-code']} :
                      {value: values['tel-country-code']};
    case 'tel':
      return {
        value: same.some((i) => i.field === 'tel-country-code') ? values['tel-local'] :
                                                                  values['tel-auto'],
      };
    case 'street-address': {
      if (el.tagName === 'TEXTAREA') return {value: values['street-address']};
      if (same.some((i) => i.field === 'address-line2')) return {value: values['address-line1']};
      return {value: [values['address-line1'], values['address-line2']].filter(Boolean).join(', ')};
    }
    case 'postal-code': {
      // A code in two boxes (〒 123 - 4567): the first box gets the first part.
      const parts = same.filter((i) => i.field === 'postal-code');
      if (parts.length === 2 && values['postal-code-1']) {
        return {value: values[parts[0] === item ? 'postal-code-1' : 'postal-code-2']};
      }
      return {value: values['postal-code']};
    }
    default:
      return {value: values[field]};
  }
}

// Visibility of every field, read before any is written: reading layout after a write
// forces a re-layout per field (measured: 24 ms for 16 fields interleaved, 0.25 ms batched).
function visibility(items) {
  return new Map(
      items.filter((i) => i.field && i.field !== 'cc').map((i) => [i.element, blocked(i.element)]));
}

function fillOne(item, items, valuesBySection, match, result, seen) {
  const {element: el, field, section} = item;
  const skip = (why) => result.skipped.push({element: el, field, why});
  if (field === 'cc') return skip('card');
  if (!field) return skip('unknown');
  const why = seen.get(el);
  if (why) return skip(why);
  if (!isEmpty(el)) return skip('filled');
  const values = section === 'billing' ? valuesBySection.billing : valuesBySection.shipping;
  const p = plan(item, items, values);
  if (p.match) {
    if (!p.want) return skip('no-value');
    const options = Array.from(el.options, (o) => [o.value, o.text]);
    const index = match(p.match, values.country, p.want, options);
    if (index < 0) return skip('no-option');
    if (el.selectedIndex === index) return skip('same');
    setValue(el, el.options[index].value);
  } else {
    if (!p.value) return skip('no-value');
    setValue(el, p.value);
  }
  result.filled.push({element: el, field, section});
  return true;
}

export async function fillForm(root, wanted, valuesBySection, match) {
  const result = {filled: [], skipped: []};
  const pick = (items) => items.filter(
      (i) => !wanted || i.section === wanted || (wanted === 'shipping' && i.section !== 'billing'));
  const first = pick(detect(root));
  const countries = first.filter((i) => i.field === 'country' || i.field === 'country-name');
  const seenCountries = visibility(countries);
  let changed = false;
  for (const item of countries) {
    changed =
        fillOne(item, first, valuesBySection, match, result, seenCountries) === true || changed;
  }
  if (changed) await settle(root);
  // The form may have been rebuilt: detect again (if the country changed), and fill the rest.
  const done = new Set(result.filled.map((f) => f.element));
  const skippedCountry = new Set(result.skipped.map((s) => s.element));
  const items = changed ? pick(detect(root)) : first;
  const rest = items.filter((i) => !done.has(i.element) && !skippedCountry.has(i.element));
  const seen = visibility(rest);
  for (const item of rest) fillOne(item, items, valuesBySection, match, result, seen);
  return result;
}
