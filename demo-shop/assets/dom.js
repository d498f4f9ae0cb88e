// Builds DOM nodes from data with createElement/textContent only: product names are
// untrusted text (one is an XSS probe), so nothing here ever parses HTML.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function formatPrice(price) {
  return `€${Number(price).toFixed(2)}`;
}
