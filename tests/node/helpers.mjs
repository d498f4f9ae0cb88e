// Shared set-up for the node tests: they import the BUILT package (js/dist), as a shop would.
import {createVitrine} from '../../js/dist/vitrine.mjs';

export {createVitrine};

// A clock the test moves by hand.
export function fakeClock(start = Date.UTC(2026, 0, 1)) {
  let t = start;
  const now = () => t;
  now.advance = (ms) => {
    t += ms;
  };
  return now;
}

let counter = 0;
// A fresh in-memory instance with its own namespace.
export function fresh(options = {}) {
  return createVitrine(
      {storage: 'memory', namespace: `test-${process.pid}-${++counter}`, ...options});
}

export const view = (id, extra = {}) => ({event: 'view_item', items: [{item_id: id, ...extra}]});
export const DAY = 24 * 3600 * 1000;
