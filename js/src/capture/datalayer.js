// Reads GA4 ecommerce events from a Google Tag Manager / gtag `dataLayer` array: the
// entries already there (pushed before Vitrine loaded) and every later push. Entries
// that are not ecommerce events (gtm.js, consent commands, page_view) are left alone.

export const ECOMMERCE_EVENTS = new Set([
  'view_item',
  'view_item_list',
  'select_item',
  'add_to_cart',
  'remove_from_cart',
  'view_cart',
  'begin_checkout',
  'add_shipping_info',
  'add_payment_info',
  'purchase',
  'refund',
  'search',
]);

function isArguments(entry) {
  return Object.prototype.toString.call(entry) === '[object Arguments]';
}

// A dataLayer entry as an event object, or null when it is not an ecommerce event.
// Two shapes: { event, ecommerce: { items } } from dataLayer.push, and the arguments
// object of gtag('event', name, params).
export function eventFromEntry(entry) {
  if (entry === null || typeof entry !== 'object') return null;
  if (isArguments(entry) || Array.isArray(entry)) {
    if (entry[0] !== 'event' || !ECOMMERCE_EVENTS.has(entry[1])) return null;
    const params = entry[2] !== null && typeof entry[2] === 'object' ? entry[2] : {};
    return {...params, event: entry[1]};
  }
  return ECOMMERCE_EVENTS.has(entry.event) ? entry : null;
}

// Calls onEvent(event) for each ecommerce entry, now and on every push. Returns a
// function that stops capturing and restores the original push.
export function captureDataLayer(dataLayer, onEvent) {
  for (const entry of Array.from(dataLayer)) {
    const event = eventFromEntry(entry);
    if (event) onEvent(event);
  }
  const originalPush = dataLayer.push;
  const capturingPush = function(...entries) {
    const result = originalPush.apply(this, entries);
    for (const entry of entries) {
      const event = eventFromEntry(entry);
      if (event) onEvent(event);
    }
    return result;
  };
  dataLayer.push = capturingPush;
  return () => {
    // Only unwrap if nobody wrapped push after us; otherwise stop forwarding silently.
    if (dataLayer.push === capturingPush) dataLayer.push = originalPush;
    onEvent = () => {};
  };
}
