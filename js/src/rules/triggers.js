// Watches the page for the triggers a rule pack uses and calls run(trigger). Only the
// triggers in use get listeners. docs/rules.md#triggers.
const HOUR_MS = 3600 * 1000;

export function watchTriggers(host, pack, run) {
  const used = new Set(pack.triggers);
  const stops = [];
  const listen = (target, type, fn, options) => {
    target.addEventListener(type, fn, options);
    stops.push(() => target.removeEventListener(type, fn, options));
  };
  const doc = typeof document === 'undefined' ? null : document;
  const onLoad = (fn) => Promise.resolve().then(fn).catch(() => {});

  if (used.has('page_view')) onLoad(() => run('page_view'));
  if (used.has('cart_below_threshold')) onLoad(() => run('cart_below_threshold'));
  if (used.has('event') || used.has('cart_below_threshold')) {
    stops.push(host.on('change', ({reason}) => {
      if (reason !== 'track') return;
      if (used.has('event')) run('event');
      if (used.has('cart_below_threshold')) run('cart_below_threshold');
    }));
  }
  // On return: the cart was last changed in an earlier visit and never ordered.
  if (used.has('cart_abandoned')) {
    onLoad(() => {
      const e = host.segments().evidence;
      if (e && e.cart.count > 0 && e.previousVisit !== null && e.cart.updated <= e.previousVisit) {
        return run('cart_abandoned');
      }
    });
  }
  // On return: products viewed in the day before the previous visit ended, none in the cart.
  if (used.has('browse_abandonment')) {
    onLoad(() => {
      const e = host.segments().evidence;
      if (!e || e.previousVisit === null || e.cart.count > 0) return;
      const viewed = host.recentlyViewed().filter(
          (r) => r.lastSeen <= e.previousVisit && r.lastSeen > e.previousVisit - 24 * HOUR_MS);
      const minViews = Math.min(
          ...pack.rules.filter((r) => r.trigger === 'browse_abandonment').map((r) => r.minViews));
      if (viewed.length >= minViews) return run('browse_abandonment', {viewed: viewed.length});
    });
  }
  if (!doc) return () => stops.forEach((stop) => stop());

  if (used.has('inactivity')) {
    const seconds =
        Math.min(...pack.rules.filter((r) => r.trigger === 'inactivity').map((r) => r.seconds));
    let timer = null;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => run('inactivity'), seconds * 1000);
    };
    for (const type of ['pointermove', 'keydown', 'scroll', 'touchstart']) {
      listen(doc, type, arm, {passive: true});
    }
    arm();
    stops.push(() => clearTimeout(timer));
  }
  if (used.has('exit_intent')) {
    let lastY = globalThis.scrollY ?? 0;
    let lastT = performance.now();
    const exit = () => run('exit_intent');
    // Desktop: the pointer leaves through the top of the window (toward the tab bar).
    listen(doc, 'mouseout', (e) => {
      if (!e.relatedTarget && e.clientY <= 0) exit();
    });
    // A fast scroll back up (over 1.5 px/ms and 200 px), the other desktop sign.
    listen(globalThis, 'scroll', () => {
      const y = globalThis.scrollY, t = performance.now();
      if (lastY - y > 200 && (lastY - y) / Math.max(t - lastT, 1) > 1.5) exit();
      if (t - lastT > 100) {
        lastY = y;
        lastT = t;
      }
    }, {passive: true});
    // Mobile (coarse pointer): switching away from the tab.
    if (globalThis.matchMedia?.('(pointer: coarse)').matches) {
      listen(doc, 'visibilitychange', () => {
        if (doc.visibilityState === 'hidden') exit();
      });
    }
  }
  return () => stops.forEach((stop) => stop());
}
