// The shop's cart: [{id, qty}] in sessionStorage under 'demo-shop-cart'. This is the shop's
// own, strictly necessary data (it exists without any consent); Vitrine stores nothing of it.
const KEY = 'demo-shop-cart';
const CHANGE = 'demo-shop:cart';
let memory = [];  // when sessionStorage is unavailable (blocked storage)

function storage() {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

// Whatever is stored is checked: the page may have been tampered with, or be from an old shop.
function valid(lines) {
  if (!Array.isArray(lines)) return [];
  return lines.filter(
      (line) => line && typeof line.id === 'string' && /^[0-9]{1,9}$/.test(line.id) &&
          Number.isInteger(line.qty) && line.qty >= 1 && line.qty <= 99);
}

export function readCart() {
  const store = storage();
  if (!store) return memory.map((line) => ({...line}));
  try {
    return valid(JSON.parse(store.getItem(KEY) ?? '[]'));
  } catch {
    return [];
  }
}

function writeCart(lines) {
  const store = storage();
  if (store) {
    if (lines.length) {
      store.setItem(KEY, JSON.stringify(lines));
    } else {
      store.removeItem(KEY);
    }
  } else {
    memory = lines.map((line) => ({...line}));
  }
  document.dispatchEvent(new CustomEvent(CHANGE));
}

export function addToCart(id, qty = 1) {
  const lines = readCart();
  const line = lines.find((l) => l.id === id);
  if (line) {
    line.qty = Math.min(99, line.qty + qty);
  } else {
    lines.push({id, qty});
  }
  writeCart(lines);
}

// Returns the removed line, or null.
export function removeFromCart(id) {
  const lines = readCart();
  const index = lines.findIndex((l) => l.id === id);
  if (index < 0) return null;
  const [removed] = lines.splice(index, 1);
  writeCart(lines);
  return removed;
}

export function clearCart() {
  writeCart([]);
}

export function onCartChange(listener) {
  document.addEventListener(CHANGE, listener);
}

export function showCartCount() {
  const count = readCart().reduce((sum, line) => sum + line.qty, 0);
  for (const node of document.querySelectorAll('[data-testid="cart-count"]')) {
    node.textContent = String(count);
  }
}
