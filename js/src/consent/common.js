// Helpers shared by the consent adapters: the purposes shape, safe calls into page code,
// and polling for a CMP global that a page may install after Vitrine loads.

export function denied() {
  return {history: false, personalization: false, measurement: false, autofill: false};
}

export function isObject(value) {
  return value !== null && typeof value === 'object';
}

// Reads obj[key] where a hostile or broken getter may throw.
export function read(obj, key) {
  try {
    return obj == null ? undefined : obj[key];
  } catch {
    return undefined;
  }
}

export const DEFAULT_POLL = {
  intervalMs: 50,
  timeoutMs: 10000
};

// Calls check() every intervalMs until it returns true or timeoutMs passes (then
// onTimeout()). Returns cancel(). Without timers (odd environments) it checks once.
export function poll(check, onTimeout, {intervalMs, timeoutMs} = DEFAULT_POLL) {
  if (check()) return () => {};
  const setI = globalThis.setInterval;
  const clearI = globalThis.clearInterval;
  if (typeof setI !== 'function' || typeof clearI !== 'function') {
    onTimeout();
    return () => {};
  }
  const deadline = Date.now() + timeoutMs;
  const id = setI(() => {
    if (check()) {
      clearI(id);
    } else if (Date.now() >= deadline) {
      clearI(id);
      onTimeout();
    }
  }, intervalMs);
  return () => clearI(id);
}
