// A synthetic catalog with power-law popularity, for packs bigger than any public data
// set (issue 12: a million products). Writes DIR/catalog.csv (item_id,category,price,
// available) and DIR/sessions.jsonl (otto format, clicks and carts) for vitrine-pack:
//   node bench/synth_catalog.mjs --items 1000000 --sessions 2000000 --out DIR
// Item i has popularity rank i (a draw picks rank floor(N^u): P(rank r) ~ 1/r, Zipf with
// exponent 1: popularRank() below); sessions wander within a category (70 %) or jump to a popular
// item (30 %), so popular items have many relations and the long tail few or none, as in real
// shops.
import {once} from 'node:events';
import {createWriteStream} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {createRandom} from '../demo-shop/prng.mjs';

function parse(argv) {
  const o =
      {items: 1000000, sessions: 2000000, categories: 200, seed: 12, out: null, format: 'lines'};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in o) || argv[i + 1] === undefined) {
      console.error(
          'usage: node bench/synth_catalog.mjs --items N --sessions S ' +
          '[--categories C] [--seed X] --out DIR');
      process.exit(2);
    }
    o[key] = key === 'out' || key === 'format' ? argv[i + 1] : Number(argv[i + 1]);
  }
  if (o.format !== 'lines' && o.format !== 'otto') {
    console.error('synth_catalog: --format is lines (views only, quick to read) or otto');
    process.exit(2);
  }
  if (!o.out || !(o.items >= 10 && o.items < 1e7) || !(o.sessions >= 1) ||
      !(o.categories >= 1 && o.categories <= o.items)) {
    console.error(
        'synth_catalog: need --out, 10 <= items < 10^7, sessions >= 1, categories <= items');
    process.exit(2);
  }
  return o;
}

// A 7-digit id per rank, spread so ids and popularity are unrelated (7919 is prime,
// coprime with 10^7, so the map is one-to-one).
export const itemId = (rank) => String(1000000 + (rank * 7919 + 13) % 9000000);

// A rank drawn as shoppers pick items: P(rank r) ~ 1/r.
export const popularRank = (items, u) => Math.min(items - 1, Math.floor(Math.pow(items, u)) - 1);

async function write(stream, text) {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function main() {
  const o = parse(process.argv.slice(2));
  await mkdir(o.out, {recursive: true});
  const rnd = createRandom(o.seed);
  const perCategory = Math.ceil(o.items / o.categories);
  const category = (rank) => rank % o.categories;

  const catalog = createWriteStream(path.join(o.out, 'catalog.csv'));
  await write(catalog, 'item_id,category,price,available\n');
  for (let rank = 0; rank < o.items; ++rank) {
    const price = (2 + Math.floor(rnd.next() * 400) + (category(rank) % 7) * 30).toFixed(2);
    const available = rnd.next() < 0.95 ? 1 : 0;
    await write(catalog, `${itemId(rank)},Category ${category(rank)},${price},${available}\n`);
  }
  catalog.end();
  await once(catalog, 'finish');

  const otto = o.format === 'otto';
  const sessions = createWriteStream(path.join(o.out, otto ? 'sessions.jsonl' : 'sessions.txt'));
  const popular = () => popularRank(o.items, rnd.next());
  // Within the category of `rank`: again Zipf over the category's own ranks.
  const near = (rank) => {
    const c = category(rank);
    const k = Math.floor(Math.pow(perCategory, rnd.next())) - 1;
    const r = c + k * o.categories;
    return r < o.items ? r : rank;
  };
  let ts = 1700000000000;
  let lines = [];
  for (let s = 0; s < o.sessions; ++s) {
    const length = 1 + Math.floor(-Math.log(1 - rnd.next()) * 4);  // geometric, mean ~4.5
    let rank = popular();
    const events = [];
    for (let k = 0; k < Math.min(length, 30); ++k) {
      ts += 1 + Math.floor(rnd.next() * 60000);
      const cart = rnd.next() < 0.04;
      if (!otto) {
        events.push(itemId(rank));
      } else {
        events.push(`{"aid":${itemId(rank)},"ts":${ts},"type":"clicks"}`);
        if (cart) events.push(`{"aid":${itemId(rank)},"ts":${ts + 1},"type":"carts"}`);
      }
      rank = rnd.next() < 0.7 ? near(rank) : popular();
    }
    lines.push(
        otto ? `{"session":${s},"events":[${events.join(',')}]}\n` : `${events.join(' ')}\n`);
    if (lines.length === 5000) {
      await write(sessions, lines.join(''));
      lines = [];
    }
  }
  await write(sessions, lines.join(''));
  sessions.end();
  await once(sessions, 'finish');
  console.log(JSON.stringify(
      {items: o.items, sessions: o.sessions, categories: o.categories, seed: o.seed, out: o.out}));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
