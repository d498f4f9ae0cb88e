// Google Consent Mode v2, read passively from the dataLayer: gtag('consent', 'default' |
// 'update', {...}) lands there as an arguments object (or an array from hand-written
// pushes). We only read; nothing is ever pushed.
import {denied, isObject, read} from './common.js';

// The consent types this engine reads; every other type is ignored.
const TYPES = ['personalization_storage', 'analytics_storage'];

function isArguments(value) {
  return Object.prototype.toString.call(value) === '[object Arguments]';
}

// { command: 'default' | 'update', params } or null when the entry is not a consent command.
export function consentCommand(entry) {
  if (!isObject(entry) || !(isArguments(entry) || Array.isArray(entry))) return null;
  if (read(entry, 0) !== 'consent') return null;
  const command = read(entry, 1);
  if (command !== 'default' && command !== 'update') return null;
  const params = read(entry, 2);
  return {command, params: isObject(params) && !Array.isArray(params) ? params : null};
}

// Per type: the defaults combined with AND, then the last update wins. Region-scoped
// defaults are treated as applying here (we do not know the visitor's region), and AND
// makes the strictest default win whatever the order of the commands. Google's own
// templates treat an unset type as granted; here it is denied.
export class ConsentModeState {
  #defaults = new Map();
  #updates = new Map();

  apply({command, params}) {
    for (const type of TYPES) {
      // Malformed parameters count as denying every type we read.
      const value = params === null ? 'denied' : read(params, type);
      if (value === undefined) continue;
      const granted = value === 'granted';
      if (command === 'default') {
        this.#defaults.set(type, (this.#defaults.get(type) ?? true) && granted);
      } else {
        this.#updates.set(type, granted);
      }
    }
  }

  granted(type) {
    return this.#updates.has(type) ? this.#updates.get(type) : this.#defaults.get(type) === true;
  }

  purposes() {
    const personalization = this.granted('personalization_storage');
    return {
      ...denied(),
      history: personalization,
      personalization,
      measurement: this.granted('analytics_storage'),
    };
  }
}

// Reports the state now (unset types denied) and after every consent command pushed later.
export function attachGcm(win, dataLayer, report) {
  let layer = dataLayer ?? read(win, 'dataLayer');
  if (layer === undefined && isObject(win)) {
    // What the gtag/GTM snippets do themselves (`dataLayer = dataLayer || []`): they then
    // push into this array and we see it.
    try {
      win.dataLayer = layer = [];
    } catch {
      layer = undefined;
    }
  }
  if (!isObject(layer) || typeof read(layer, 'push') !== 'function') {
    report(denied(), {reason: 'no_datalayer'});
    return () => {};
  }

  const state = new ConsentModeState();
  let commands = 0;
  const take = (entries) => {
    let seen = 0;
    for (const entry of entries) {
      const command = consentCommand(entry);
      if (!command) continue;
      state.apply(command);
      ++seen;
    }
    commands += seen;
    return seen;
  };
  let existing = [];
  try {
    existing = Array.from(layer);
  } catch {
    existing = [];
  }
  take(existing);
  report(state.purposes(), {commands});

  let stopped = false;
  const originalPush = layer.push;
  const watchingPush = function(...entries) {
    const result = originalPush.apply(this, entries);
    if (!stopped && take(entries) > 0) report(state.purposes(), {commands});
    return result;
  };
  try {
    layer.push = watchingPush;
  } catch {
    // A frozen dataLayer: later commands cannot be seen; the first answer stands.
  }
  return () => {
    stopped = true;
    // Only unwrap if nobody wrapped push after us (GTM, our own event capture).
    if (layer.push === watchingPush) layer.push = originalPush;
  };
}
