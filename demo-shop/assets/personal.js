// Personalized content, decided on the device by the Vitrine rule pack (/vitrine/rules.json):
// a banner and call to action, the exit-intent offer, the cart reminder, the free-shipping
// nudge, the running experiment, and the search page's personalized order. Only with the
// personalization purpose: without it the rules chunk is not even fetched. Text only:
// every slot is filled with textContent.
import {el} from './dom.js';

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const SLOTS = {
  message: 'personal-banner',
  offer: 'exit-offer',
  reminder: 'cart-reminder',
  free_shipping_nudge: 'free-shipping-nudge'
};

function show({ruleId, action, reason}, variant) {
  const slot = $(SLOTS[action.type]);
  if (!slot) return;
  slot.dataset.ruleId = ruleId;
  slot.title = `Why: ${reason}`;  // the decision's reason, for the curious shopper
  const text = slot.querySelector('[data-slot="text"]') ?? slot;
  text.textContent = action.text;
  if (action.type === 'offer') {
    slot.querySelector('[data-slot="code"]').textContent = action.offer.code ?? '';
    slot.dataset.offer = action.offer.id;
  }
  const cta = slot.querySelector('[data-slot="cta"]');
  if (cta && action.cta) {
    cta.textContent = variant === 'arrow' ? `${action.cta} →` : action.cta;
    cta.href = '/search';
  }
  slot.hidden = false;
}

function hideAll() {
  for (const testid of Object.values(SLOTS)) {
    const slot = $(testid);
    if (slot) slot.hidden = true;
  }
  const experiment = $('experiment');
  if (experiment) experiment.hidden = true;
}

// The search page: the shop's own order, reordered by the shopper's profile (at most three
// places per item). A new shopper, or one without personalization, keeps the shop's order.
function rerankSearch(v) {
  const box = $('search-results');
  const list = box?.querySelector('ul.cards');
  if (!list) return;
  const cells = [...list.children];
  const results = cells.map((li) => ({
                              itemId: li.dataset.itemId,
                              category: li.dataset.category,
                              price: Number(li.dataset.price)
                            }));
  const byId = new Map(cells.map((li) => [li.dataset.itemId, li]));
  const ordered = v.rerank(results, {maxShift: 3});
  list.replaceChildren(...ordered.map((r) => {
    const li = byId.get(r.itemId);
    li.dataset.shift = String(r.shift);
    if (r.shift > 0 && r.reason?.category) li.title = `Moved up: you like ${r.reason.category}`;
    return li;
  }));
  box.dataset.state = 'ready';
}

export function setupPersonal(pageType) {
  if (!window.vitrine) return;
  $('exit-offer')?.querySelector('[data-action="close-offer"]')?.addEventListener('click', () => {
    $('exit-offer').hidden = true;
  });
  window.vitrine.ready.then((v) => {
    let started = false;
    let variant = null;
    const start = () => {
      if (pageType === 'search') rerankSearch(v);
      if (!v.consent.get().personalization) return hideAll();
      if (started) return;
      started = true;
      v.on('action', (decision) => show(decision, variant));
      v.rules.setPage({type: pageType});
      v.rules.load('/vitrine/rules.json')
          .then(() => {
            variant = v.experiment('cta-copy').variant;
            const note = $('experiment');
            if (note && variant) {
              note.replaceChildren(el('span', {}, `Experiment cta-copy: variant ${variant}`));
              note.dataset.variant = variant;
              note.hidden = false;
            }
          })
          .catch((error) => console.error(`demo-shop: rule pack: ${error.message}`));
    };
    start();
    v.on('consent', start);
  }, () => {});
}
