// Reads a rule pack (docs/rules.md) into compiled rules, or throws invalid_argument naming
// the JSON path of the first bad field.
import {VitrineError} from '../errors.js';

export const TRIGGERS = [
  'page_view', 'event', 'exit_intent', 'cart_abandoned', 'inactivity', 'browse_abandonment',
  'cart_below_threshold'
];
const ACTIONS = ['offer', 'message', 'reminder', 'free_shipping_nudge'];
const FACTS = new Set([
  'segment.lifecycle', 'segment.recency', 'segment.engagement', 'segment.valueTier',
  'segment.predictedValue', 'segment.categories', 'segment.brands', 'segment.priceBand',
  'cart.value', 'cart.count', 'cart.categories', 'history.visits', 'history.orders',
  'history.orderValue', 'time.hour', 'time.weekday'
]);
const PLACEHOLDERS =
    new Set(['firstName', 'region', 'topCategory', 'remaining', 'threshold', 'cartValue', 'offer']);
const ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_RULES = 1000;

class Path {
  constructor(text) {
    this.text = text;
  }
  at(key) {
    return new Path(typeof key === 'number' ? `${this.text}[${key}]` : `${this.text}.${key}`);
  }
  fail(what) {
    throw new VitrineError('invalid_argument', `rule pack: ${this.text} ${what}`);
  }
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const scalar = (v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) ||
    typeof v === 'boolean' || v === null;

function only(obj, keys, path) {
  for (const key of Object.keys(obj)) {
    if (!keys.includes(key)) path.at(key).fail(`is not a known field (${keys.join(', ')})`);
  }
}

function number(v, path, {min = -Infinity, max = Infinity} = {}) {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    path.fail(`must be a number from ${min} to ${max}`);
  }
  return v;
}

// One test on a fact: { op: value }.
function compileTest(fact, spec, path) {
  if (!isObject(spec) || Object.keys(spec).length !== 1) {
    path.fail('must be one test like { "eq": value }');
  }
  const [[op, value]] = Object.entries(spec);
  const p = path.at(op);
  let test;
  switch (op) {
    case 'eq':
    case 'ne':
      if (!scalar(value)) p.fail('must be a string, number, boolean or null');
      test = op === 'eq' ? (v) => v === value : (v) => v !== value;
      break;
    case 'in':
    case 'notIn':
      if (!Array.isArray(value) || value.length > 100 || !value.every(scalar)) {
        p.fail('must be a list of at most 100 strings or numbers');
      }
      test = op === 'in' ? (v) => value.includes(v) : (v) => !value.includes(v);
      break;
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      number(value, p);
      const cmp = {
        lt: (v) => v < value,
        lte: (v) => v <= value,
        gt: (v) => v > value,
        gte: (v) => v >= value
      }[op];
      test = (v) => typeof v === 'number' && cmp(v);
      break;
    }
    case 'contains':
      if (typeof value !== 'string') p.fail('must be a string');
      test = (v) => Array.isArray(v) && v.includes(value);
      break;
    case 'exists':
      if (typeof value !== 'boolean') p.fail('must be true or false');
      test = (v) => (v !== null && v !== undefined) === value;
      break;
    default:
      path.fail(`has an unknown operator '${
          op}' (eq, ne, in, notIn, lt, lte, gt, gte, contains, exists)`);
  }
  const [group, name] = fact.split('.');
  // The reason is written only when a rule fires (explain()): most tests run for rules
  // that do not, and formatting every passing test cost more than the tests themselves.
  return (facts, why) => {
    const v = facts[group]?.[name] ?? null;
    const ok = test(v);
    if (ok) why.push([fact, v, op, value]);
    return ok;
  };
}

// The words of one passing test, recorded by a condition as [fact, value, op, operand]
// (or ['not', condition]).
export function explain(test) {
  if (test.length === 2) return `not ${JSON.stringify(test[1])}`;
  const [fact, v, op, operand] = test;
  return `${fact} ${JSON.stringify(v)} ${op} ${JSON.stringify(operand)}`;
}

// A condition: every key must hold. Keys are facts ("cart.value"), "page.<name>", or "any"
// (a list, one must hold) and "not" (a condition that must not hold).
export function compileCondition(spec, path) {
  if (!isObject(spec)) path.fail('must be an object of tests');
  const parts = [];
  for (const [key, value] of Object.entries(spec)) {
    const p = path.at(key);
    if (key === 'any') {
      if (!Array.isArray(value) || value.length < 1)
        p.fail('must be a non-empty list of conditions');
      const options = value.map((c, i) => compileCondition(c, p.at(i)));
      parts.push((facts, why) => options.some((c) => c(facts, why)));
    } else if (key === 'not') {
      const inner = compileCondition(value, p);
      parts.push((facts, why) => !inner(facts, []) && (why.push(['not', value]), true));
    } else if (FACTS.has(key) || /^page\.[A-Za-z0-9_]{1,32}$/.test(key)) {
      parts.push(compileTest(key, value, p));
    } else {
      p.fail('is not a known fact (docs/rules.md#facts)');
    }
  }
  return (facts, why) => parts.every((c) => c(facts, why));
}

function compileText(text, path) {
  if (typeof text !== 'string' || text.length < 1 || text.length > 500) {
    path.fail('must be a text of 1 to 500 characters');
  }
  for (const [, name] of text.matchAll(/\{([A-Za-z]+)(?:\|[^{}]*)?\}/g)) {
    if (!PLACEHOLDERS.has(name)) path.fail(`uses an unknown placeholder {${name}}`);
  }
  return text;
}

function compileAction(spec, path) {
  if (!isObject(spec)) path.fail('must be an object');
  only(spec, ['type', 'text', 'tiers', 'cta'], path);
  if (!ACTIONS.includes(spec.type)) path.at('type').fail(`must be one of ${ACTIONS.join(', ')}`);
  const action = {type: spec.type, text: compileText(spec.text, path.at('text'))};
  if (spec.cta !== undefined) action.cta = compileText(spec.cta, path.at('cta'));
  if (spec.type === 'offer') {
    const p = path.at('tiers');
    if (!Array.isArray(spec.tiers) || spec.tiers.length < 1 || spec.tiers.length > 20) {
      p.fail('must be a list of 1 to 20 tiers (an offer is tiered by customer value)');
    }
    action.tiers = spec.tiers.map((tier, i) => {
      const t = p.at(i);
      if (!isObject(tier)) t.fail('must be an object');
      only(tier, ['when', 'offer'], t);
      const o = t.at('offer');
      if (!isObject(tier.offer)) o.fail('must be an object');
      only(tier.offer, ['id', 'text', 'code', 'percent', 'freeShipping'], o);
      if (typeof tier.offer.id !== 'string' || !ID.test(tier.offer.id)) {
        o.at('id').fail('must be 1-64 letters, digits, _ . : or -');
      }
      const offer = {id: tier.offer.id, text: compileText(tier.offer.text, o.at('text'))};
      if (tier.offer.code !== undefined) {
        if (typeof tier.offer.code !== 'string' || !/^[A-Za-z0-9_-]{1,32}$/.test(tier.offer.code)) {
          o.at('code').fail('must be 1-32 letters, digits, _ or -');
        }
        offer.code = tier.offer.code;
      }
      if (tier.offer.percent !== undefined) {
        offer.percent = number(tier.offer.percent, o.at('percent'), {min: 0, max: 100});
      }
      if (tier.offer.freeShipping !== undefined)
        offer.freeShipping = Boolean(tier.offer.freeShipping);
      return {
        when: tier.when === undefined ? () => true : compileCondition(tier.when, t.at('when')),
        offer,
      };
    });
  } else if (spec.tiers !== undefined) {
    path.at('tiers').fail('only an offer has tiers');
  }
  return action;
}

function compileRule(spec, path, seen) {
  if (!isObject(spec)) path.fail('must be an object');
  only(
      spec, ['id', 'trigger', 'params', 'when', 'action', 'cap', 'cooldownHours', 'priority'],
      path);
  if (typeof spec.id !== 'string' || !ID.test(spec.id)) {
    path.at('id').fail('must be 1-64 letters, digits, _ . : or -');
  }
  if (seen.has(spec.id)) path.at('id').fail(`repeats the id '${spec.id}'`);
  seen.add(spec.id);
  if (!TRIGGERS.includes(spec.trigger)) {
    path.at('trigger').fail(`must be one of ${TRIGGERS.join(', ')}`);
  }
  const params = spec.params ?? {};
  const pp = path.at('params');
  if (!isObject(params)) pp.fail('must be an object');
  only(params, ['seconds', 'threshold', 'minViews'], pp);
  const rule = {
    id: spec.id,
    trigger: spec.trigger,
    seconds: number(params.seconds ?? 60, pp.at('seconds'), {min: 1, max: 3600}),
    threshold: params.threshold === undefined ?
        null :
        number(params.threshold, pp.at('threshold'), {min: 0}),
    minViews: number(params.minViews ?? 2, pp.at('minViews'), {min: 1, max: 1000}),
    when: spec.when === undefined ? () => true : compileCondition(spec.when, path.at('when')),
    action: compileAction(spec.action, path.at('action')),
    priority: spec.priority === undefined ? 0 : number(spec.priority, path.at('priority')),
    cooldownMs: 3600e3 *
        (spec.cooldownHours === undefined ?
             0 :
             number(spec.cooldownHours, path.at('cooldownHours'), {min: 0, max: 24 * 365})),
    cap: null,
  };
  if (rule.trigger === 'cart_below_threshold' && rule.threshold === null) {
    pp.at('threshold').fail('is required by the cart_below_threshold trigger');
  }
  if (rule.action.type === 'free_shipping_nudge' && rule.threshold === null) {
    pp.at('threshold').fail('is required by a free_shipping_nudge (the free-shipping amount)');
  }
  if (spec.cap !== undefined) {
    const cp = path.at('cap');
    if (!isObject(spec.cap)) cp.fail('must be { max, perHours }');
    only(spec.cap, ['max', 'perHours'], cp);
    rule.cap = {
      max: number(spec.cap.max, cp.at('max'), {min: 1, max: 1000}),
      perMs: 3600e3 * number(spec.cap.perHours, cp.at('perHours'), {min: 0.001, max: 24 * 365}),
    };
    if (!Number.isInteger(rule.cap.max)) cp.at('max').fail('must be a whole number');
  }
  return rule;
}

// { rules: [compiled, by priority], triggers: [names used], experiments: { name: variants } }
export function compilePack(pack) {
  const root = new Path('$');
  if (!isObject(pack)) root.fail('must be a JSON object');
  only(pack, ['version', 'rules', 'experiments'], root);
  if (pack.version !== 1) root.at('version').fail('must be 1');
  if (!Array.isArray(pack.rules) || pack.rules.length > MAX_RULES) {
    root.at('rules').fail(`must be a list of at most ${MAX_RULES} rules`);
  }
  const seen = new Set();
  const rules = pack.rules.map((r, i) => compileRule(r, root.at('rules').at(i), seen));
  rules.sort((a, b) => b.priority - a.priority);
  const experiments = {};
  if (pack.experiments !== undefined) {
    const ep = root.at('experiments');
    if (!isObject(pack.experiments)) ep.fail('must be an object');
    for (const [name, spec] of Object.entries(pack.experiments)) {
      if (!ID.test(name)) ep.at(name).fail('is not a valid experiment name');
      if (!isObject(spec) || !isObject(spec.variants))
        ep.at(name).at('variants').fail('must be an object');
      experiments[name] = spec.variants;
    }
  }
  const byTrigger = new Map();
  for (const rule of rules)
    byTrigger.set(rule.trigger, [...(byTrigger.get(rule.trigger) ?? []), rule]);
  return {rules, byTrigger, triggers: [...byTrigger.keys()], experiments};
}
