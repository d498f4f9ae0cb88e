// HTML templating that escapes by default: every value interpolated into html`...` is
// escaped unless it is itself the result of html`...`. Product names come from a catalog
// the shop does not fully control (one of them is an XSS probe), so there is no way to
// forget an escape.
const ESCAPES = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\'': '&#39;'
};

export function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

class SafeHtml {
  constructor(text) {
    this.text = text;
  }
  toString() {
    return this.text;
  }
}

function render(value) {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

export function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; ++i) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

export function formatPrice(price) {
  return `€${price.toFixed(2)}`;
}
