// Simulated shopper sessions for the demo pack, written as OTTO-style JSON lines
// ({"session": N, "events": [{"aid", "ts", "type": "clicks"|"carts"|"orders"}]}), plus the
// catalog CSV that vitrine-pack reads with --catalog. Deterministic (seeded), so the pack
// is the same on every machine.
//
// Structure the recommender should find: shoppers have a favourite category and browse
// similar items in it (same material or colour, close price): co-view. Those who buy add
// complements from other categories (jacket -> hat, gloves, scarf; tent -> sleeping bag,
// lamp), preferring matching colours and materials: co-purchase.
import {mkdir, rename, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {catalog, COMPLEMENTS} from './catalog.mjs';
import {createRandom} from './prng.mjs';

const CATEGORY_WEIGHT = {
  'Jackets': 1.5,
  'Hats': 1.0,
  'Gloves': 0.8,
  'Scarves': 0.7,
  'Boots': 1.1,
  'Sneakers': 1.3,
  'Backpacks': 1.0,
  'Tents': 0.9,
  'Sleeping bags': 0.7,
  'Lamps': 0.6,
};
const START_MS = Date.UTC(2024, 5, 1);
const DAY_MS = 24 * 3600 * 1000;

// Popularity inside a category: a Zipf-like weight over a seeded shuffle of the items.
function popularity(random, items) {
  const order = items.map((_, i) => i);
  for (let i = order.length - 1; i > 0; --i) {
    const j = random.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const weight = new Map();
  order.forEach((index, rank) => weight.set(items[index].id, 1 / (rank + 2) ** 0.9));
  return weight;
}

function likeness(a, b) {
  let w = 1;
  if (a.material === b.material) w += 3;
  if (a.colour === b.colour) w += 2;
  if (Math.abs(a.price - b.price) < 0.25 * Math.max(a.price, b.price)) w += 1;
  return w;
}

export function simulateSessions({count = 9000, seed = 7} = {}) {
  const random = createRandom(seed);
  const {inCategory} = catalog();
  const pop = new Map();
  for (const items of inCategory.values()) {
    for (const [id, w] of popularity(random, items)) pop.set(id, w);
  }
  const categoryNames = [...inCategory.keys()];
  const categoryWeights = categoryNames.map((name) => CATEGORY_WEIGHT[name] ?? 1);

  // Next item: popular, and like the one before it (or like `anchor` for complements).
  const pickLike = (items, anchor, exclude) => {
    const weights = items.map(
        (p) => (exclude.has(p.id) ? 0 : pop.get(p.id) * (anchor ? likeness(anchor, p) : 1)));
    return items[random.weighted(weights)];
  };

  const sessions = [];
  for (let n = 0; n < count; ++n) {
    const events = [];
    let ts = START_MS + Math.floor(random.next() * 30 * DAY_MS);
    const push = (item, type) => {
      ts += random.int(4, 90) * 1000;
      events.push({aid: Number(item.id), ts, type});
    };
    const home = categoryNames[random.weighted(categoryWeights)];
    const items = inCategory.get(home);
    const seen = new Set();
    let current = pickLike(items, null, seen);
    const views = 1 + Math.min(14, Math.floor(-Math.log(1 - random.next()) * 4));
    const viewed = [];
    for (let k = 0; k < views; ++k) {
      push(current, 'clicks');
      seen.add(current.id);
      viewed.push(current);
      // Now and then the shopper goes back to an item seen earlier.
      if (viewed.length > 2 && random.chance(0.12)) {
        current = random.pick(viewed);
      } else {
        current = pickLike(items, current, seen);
      }
    }
    const carted = [];
    if (random.chance(0.35)) {
      const main = random.chance(0.6) ? viewed[viewed.length - 1] : random.pick(viewed);
      if (main.available) {
        push(main, 'carts');
        carted.push(main);
      }
      // Complements: a look at matching items from related categories, some carted.
      if (carted.length && random.chance(0.75)) {
        for (const other of COMPLEMENTS[home]) {
          if (!random.chance(0.55)) continue;
          const extra = pickLike(inCategory.get(other), main, seen);
          push(extra, 'clicks');
          seen.add(extra.id);
          if (extra.available && random.chance(0.6)) {
            push(extra, 'carts');
            carted.push(extra);
          }
        }
      }
      if (carted.length && random.chance(0.45)) {
        for (const item of carted) push(item, 'orders');
      }
    }
    sessions.push({session: n + 1, events});
  }
  return sessions;
}

// RFC 4180: quote a field holding a comma, a quote or a line break; double inner quotes.
export function csvField(value) {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function catalogCsv() {
  const rows = ['item_id,category,price,available,name'];
  for (const p of catalog().products) {
    rows.push(
        [p.id, p.category, p.price.toFixed(2), p.available ? 1 : 0, p.name].map(csvField).join(
            ','));
  }
  return rows.join('\r\n') + '\r\n';
}

// Writes sessions.jsonl and catalog.csv into dir; returns their paths. Each file is written
// beside its target and renamed, so two shops starting at once never read half a file.
export async function writeTrainingData(dir, options) {
  await mkdir(dir, {recursive: true});
  const sessionsPath = path.join(dir, 'sessions.jsonl');
  const catalogPath = path.join(dir, 'catalog.csv');
  const lines = simulateSessions(options).map((s) => JSON.stringify(s));
  await writeAtomically(sessionsPath, lines.join('\n') + '\n');
  await writeAtomically(catalogPath, catalogCsv());
  return {sessionsPath, catalogPath};
}

async function writeAtomically(file, text) {
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, text);
  await rename(partial, file);
}

// node demo-shop/sessions.mjs [dir]: writes the files (default demo-shop/var/).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? fileURLToPath(new URL('var/', import.meta.url));
  const {sessionsPath, catalogPath} = await writeTrainingData(dir);
  console.log(`wrote ${sessionsPath} and ${catalogPath}`);
}
