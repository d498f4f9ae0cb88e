// The shop's own small consent banner (a CMP). It keeps nothing itself (no cookie, no
// localStorage): the choice lives in Vitrine, which stores it only when something is
// granted. So "Only necessary" leaves no trace, and the banner asks again on the next page.
// It asks again, too, when the shopper erased everything or the browser deleted the
// stored data. When Vitrine takes consent from another CMP (data-consent="tcf", "gcm",
// "shopify"), that CMP asks: this banner stays away and "Privacy choices" opens /privacy.
// Autofill is not here: it is asked at the checkout, where it is used (never in "Accept all").
const PURPOSES = ['history', 'personalization', 'measurement'];

export function setupConsentBanner() {
  const banner = document.querySelector('[data-testid="consent-banner"]');
  const vitrine = window.vitrine;
  if (!banner || !vitrine) return;
  const choices = banner.querySelector('[data-testid="consent-choices"]');
  const button = (action) => banner.querySelector(`[data-consent-action="${action}"]`);
  let engine = null;
  let wantOpen = false;  // "Privacy choices" clicked before the engine was ready

  const show = (choosing) => {
    if (choosing && engine) {
      const current = engine.consent.get();
      for (const name of PURPOSES) choices.elements[name].checked = current[name];
    }
    choices.hidden = !choosing;
    button('save').hidden = !choosing;
    button('choose').hidden = choosing;
    banner.hidden = false;
    banner.dataset.state = 'open';
  };
  const hide = () => {
    banner.hidden = true;
    banner.dataset.state = 'closed';
  };

  const apply = async (change) => {
    for (const b of banner.querySelectorAll('button')) b.disabled = true;
    try {
      await vitrine.consent.set(change);
      hide();
    } catch (error) {
      console.error(`demo-shop: consent: ${error.message}`);
    } finally {
      for (const b of banner.querySelectorAll('button')) b.disabled = false;
    }
  };
  const all = (granted) => Object.fromEntries(PURPOSES.map((name) => [name, granted]));

  button('accept-all').addEventListener('click', () => apply(all(true)));
  button('necessary').addEventListener('click', () => apply({...all(false), autofill: false}));
  button('choose').addEventListener('click', () => show(true));
  button('save').addEventListener(
      'click',
      () => apply(Object.fromEntries(PURPOSES.map((n) => [n, choices.elements[n].checked]))));

  document.addEventListener('click', (event) => {
    if (!event.target.closest?.('[data-action="open-consent"]')) return;
    if (engine && engine.consent.source !== 'manual') return;  // the link goes to /privacy
    event.preventDefault();
    if (engine) {
      show(true);
    } else {
      wantOpen = true;
    }
  });

  vitrine.ready.then(
      (v) => {
        engine = v;
        if (v.consent.source !== 'manual') return hide();
        const granted = Object.values(v.consent.get()).some(Boolean);
        if (wantOpen || !granted) show(wantOpen);
        v.on('consent', (purposes) => {
          if (Object.values(purposes).some(Boolean)) {
            // Another tab (or the privacy center) decided: follow it.
            if (choices.hidden) hide();
          } else if (v.consent.required && banner.hidden) {
            // Erased, or the stored data vanished: nothing is known, so ask again.
            show(false);
          }
        });
      },
      () => hide());  // no engine, nothing to consent to
}
