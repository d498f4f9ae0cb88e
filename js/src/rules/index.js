// The rules chunk (dist/vitrine-rules.mjs), loaded only when a rule pack is given: holds the
// pack in use, evaluates it when a trigger fires, enforces caps and cool-downs kept on the
// device, and emits 'action' with the reason. docs/rules.md.
import {VitrineError} from '../errors.js';

import {compilePack, explain} from './pack.js';
import {render} from './template.js';
import {watchTriggers} from './triggers.js';

const MAX_FIRES_KEPT = 50;  // per rule: enough for any cap, bounded

async function fetchPack(url) {
  let response;
  try {
    response = await fetch(url, {credentials: 'omit'});  // a public file: no cookies
  } catch (error) {
    throw new VitrineError('load_failed', `rule pack ${url}: ${error.message}`);
  }
  if (!response.ok)
    throw new VitrineError('load_failed', `rule pack ${url}: HTTP ${response.status}`);
  try {
    return await response.json();
  } catch {
    throw new VitrineError('invalid_argument', 'rule pack: $ is not JSON');
  }
}

// The facts conditions test, from the engine's segments and the page.
export function factsOf(host, trigger) {
  const {segments: s, evidence: e} = host.segments();
  const date = new Date(host.now());
  return {
    trigger,
    segment: {
      lifecycle: s.lifecycle,
      recency: s.recency,
      engagement: s.engagement,
      valueTier: s.valueTier,
      predictedValue: s.predictedValue,
      categories: s.affinities.categories,
      brands: s.affinities.brands,
      priceBand: s.affinities.priceBand,
    },
    cart: {
      value: e?.cart.value ?? 0,
      count: e?.cart.count ?? 0,
      categories: e?.cart.categories ?? []
    },
    history: {visits: e?.visits ?? 0, orders: e?.orders ?? 0, orderValue: e?.orderValue ?? 0},
    page: host.page,
    time: {hour: date.getHours(), weekday: date.getDay()},
    evidence: e,
  };
}

// The union of two { ruleId: [times] } maps (either may be missing or damaged), the
// latest MAX_FIRES_KEPT times of each rule.
function mergeFired(a, b) {
  const out = {};
  for (const map of [a, b]) {
    if (!map || typeof map !== 'object') continue;
    for (const [id, times] of Object.entries(map)) {
      if (!Array.isArray(times)) continue;
      out[id] = [...(out[id] ?? []), ...times.filter(Number.isFinite)];
    }
  }
  for (const id of Object.keys(out)) {
    out[id] = [...new Set(out[id])].sort((x, y) => x - y).slice(-MAX_FIRES_KEPT);
  }
  return out;
}

export function startRules(host, hooks) {
  let pack = {rules: [], byTrigger: new Map(), triggers: []};
  let fired = {};  // ruleId -> [times], the caps' memory (personalization data)
  let loadedFired = false;
  let loadingFired = null;  // the one read in flight: a second would drop newer times
  const decisions = [];
  let stopTriggers = () => {};

  const forget = () => {
    fired = {};
    loadedFired = false;
    loadingFired = null;
  };
  host.on('consent', () => {
    if (!host.personal()) forget();
  });
  // Another tab wrote its times: both tabs' firings count for the caps.
  host.on('feature', async (name) => {
    if (name === 'rules' && host.personal()) {
      fired = mergeFired(fired, (await host.read('rules'))?.fired);
    }
  });

  // The stored times, read once: events that arrive while the read is in flight wait for it.
  function ensureFired() {
    if (loadedFired || !host.personal()) return undefined;
    const loading = loadingFired ??= host.read('rules').then((stored) => {
      if (loadingFired !== loading) return;  // forgotten meanwhile (consent withdrawn)
      if (stored && typeof stored.fired === 'object' && stored.fired !== null) {
        fired = stored.fired;
      }
      loadedFired = true;
      loadingFired = null;
    });
    return loading;
  }

  function decide(rule, facts) {
    const now = host.now();
    const why = [];
    if (!rule.when(facts, why)) return null;  // not for this shopper: not a decision
    const times = fired[rule.id] ?? [];
    const last = times[times.length - 1];
    if (last !== undefined && now - last < rule.cooldownMs) {
      return {
        fired: false,
        reason: `cool-down until ${new Date(last + rule.cooldownMs).toISOString()}`
      };
    }
    if (rule.cap && times.filter((t) => now - t < rule.cap.perMs).length >= rule.cap.max) {
      return {fired: false, reason: `cap of ${rule.cap.max} reached`};
    }
    const vars = {
      firstName: host.page.firstName,
      region: host.page.region,
      topCategory: facts.segment.categories?.[0],
      cartValue: facts.cart.value.toFixed(2),
      threshold: rule.threshold?.toFixed(2),
      remaining: rule.threshold === null ?
          undefined :
          Math.max(0, rule.threshold - facts.cart.value).toFixed(2),
    };
    const action = {type: rule.action.type};
    if (rule.action.tiers) {
      const tier = rule.action.tiers.findIndex((t) => t.when(facts, why));
      if (tier < 0) return {fired: false, reason: 'no offer tier matches'};
      const {offer} = rule.action.tiers[tier];
      action.offer = {...offer, text: render(offer.text, vars), tier};
      vars.offer = action.offer.text;
    }
    action.text = render(rule.action.text, vars);
    if (rule.action.cta) action.cta = render(rule.action.cta, vars);
    const reason = [facts.trigger, ...why.map(explain)].join('; ');
    return {fired: true, action, reason};
  }

  // Runs the rules of one trigger: the first matching rule that may fire does (by priority).
  async function run(trigger, extra = {}) {
    const candidates = pack.byTrigger.get(trigger);
    if (!host.personal() || !candidates) return;
    await ensureFired();
    return evaluate(trigger, {...factsOf(host, trigger), ...extra});
  }

  // The decision for one trigger given the facts (run() above; benchmarks time it alone).
  function evaluate(trigger, facts) {
    const candidates = pack.byTrigger.get(trigger) ?? [];
    for (const rule of candidates) {
      if (trigger === 'cart_below_threshold' &&
          !(facts.cart.value > 0 && facts.cart.value < rule.threshold)) {
        continue;
      }
      const decision = decide(rule, facts);
      if (!decision) continue;
      decisions.push({ruleId: rule.id, trigger, time: host.now(), ...decision});
      if (decisions.length > 200) decisions.shift();
      if (!decision.fired) continue;
      fired[rule.id] = [...(fired[rule.id] ?? []), host.now()].slice(-MAX_FIRES_KEPT);
      host.write('rules', {fired}, (stored) => ({fired: mergeFired(stored?.fired, fired)}))
          .catch(() => {});
      host.emit('action', {ruleId: rule.id, action: decision.action, reason: decision.reason});
      return;
    }
  }

  return {
    async load(source) {
      const json = typeof source === 'string' || source instanceof URL ?
          await fetchPack(String(source)) :
          source;
      const next = compilePack(json);  // throws with the path; the pack in use stays
      for (const [name, variants] of Object.entries(next.experiments)) {
        try {
          hooks.defineExperiment(name, variants);
        } catch (error) {
          throw new VitrineError(
              'invalid_argument', `rule pack: $.experiments.${name}.variants: ${error.message}`);
        }
      }
      pack = next;
      stopTriggers();
      stopTriggers = watchTriggers(host, pack, run);
      return {rules: pack.rules.map((r) => r.id), triggers: pack.triggers};
    },
    decisions: () => structuredClone(decisions),
    run,       // for benchmarks and tests: evaluate one trigger now
    evaluate,  // the same with given facts (factsOf), without the engine call
  };
}
