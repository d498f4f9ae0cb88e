// The demo catalog: ~300 outdoor products in 10 categories, generated from a fixed seed so
// that ids, names and prices never change between runs. Ids are numeric strings ("1001"...)
// because the pack builder's OTTO session format only carries numeric item ids.
import {createRandom} from './prng.mjs';

export const COLOURS = {
  Black: '#2b2d33',
  Grey: '#8a8f98',
  White: '#e9e6df',
  Navy: '#1f3a68',
  Blue: '#2f6fd0',
  Teal: '#1a8c8c',
  Green: '#3b8a3e',
  Olive: '#6b6b2a',
  Yellow: '#e0b422',
  Orange: '#e4752b',
  Red: '#c8383b',
  Burgundy: '#7a2237',
  Purple: '#6a4aa5',
  Sand: '#c9b58f',
  Brown: '#7a5132',
};

// shape: the outline drawn on the product image; tint: the image background.
export const CATEGORIES = [
  {
    name: 'Jackets',
    slug: 'jackets',
    shape: 'jacket',
    tint: '#e8eef7',
    price: [79, 349],
    nouns: ['jacket', 'parka', 'anorak', 'rain jacket', 'vest'],
    materials: ['down', 'fleece', 'softshell', 'waxed cotton', 'wool', 'ripstop']
  },
  {
    name: 'Hats',
    slug: 'hats',
    shape: 'hat',
    tint: '#f6ede3',
    price: [15, 49],
    nouns: ['hat', 'beanie', 'cap', 'bucket hat', 'trapper hat'],
    materials: ['wool', 'merino', 'cotton', 'alpaca', 'fleece', 'cashmere']
  },
  {
    name: 'Gloves',
    slug: 'gloves',
    shape: 'glove',
    tint: '#eef3ea',
    price: [19, 79],
    nouns: ['gloves', 'mittens', 'liner gloves', 'ski gloves'],
    materials: ['wool', 'leather', 'fleece', 'merino', 'softshell', 'alpaca']
  },
  {
    name: 'Scarves',
    slug: 'scarves',
    shape: 'scarf',
    tint: '#f5e9ee',
    price: [19, 89],
    nouns: ['scarf', 'snood', 'neck gaiter', 'shawl'],
    materials: ['wool', 'cashmere', 'merino', 'cotton', 'alpaca', 'fleece']
  },
  {
    name: 'Boots',
    slug: 'boots',
    shape: 'boot',
    tint: '#f1ece4',
    price: [89, 249],
    nouns: ['hiking boots', 'winter boots', 'chelsea boots', 'trail boots'],
    materials: ['leather', 'suede', 'nubuck', 'Gore-Tex', 'canvas']
  },
  {
    name: 'Sneakers',
    slug: 'sneakers',
    shape: 'sneaker',
    tint: '#eaf2f4',
    price: [59, 169],
    nouns: ['sneakers', 'trail runners', 'trainers', 'approach shoes'],
    materials: ['mesh', 'canvas', 'suede', 'knit', 'leather']
  },
  {
    name: 'Backpacks',
    slug: 'backpacks',
    shape: 'backpack',
    tint: '#efeaf5',
    price: [39, 199],
    nouns: ['backpack', 'daypack', 'rucksack', 'hydration pack', 'travel pack'],
    materials: ['nylon', 'canvas', 'ripstop', 'cordura', 'recycled polyester']
  },
  {
    name: 'Tents',
    slug: 'tents',
    shape: 'tent',
    tint: '#e9f3ec',
    price: [99, 599],
    nouns: ['dome tent', 'tunnel tent', 'trekking tent', 'family tent', 'bivy tent'],
    materials: ['ripstop', 'polyester', 'silnylon', 'cotton canvas', 'Dyneema']
  },
  {
    name: 'Sleeping bags',
    slug: 'sleeping-bags',
    shape: 'sleeping-bag',
    tint: '#eef0f7',
    price: [59, 329],
    nouns: ['sleeping bag', 'mummy bag', 'quilt', 'bag liner'],
    materials: ['down', 'synthetic', 'fleece', 'cotton', 'silk']
  },
  {
    name: 'Lamps',
    slug: 'lamps',
    shape: 'lamp',
    tint: '#f7f3e2',
    price: [15, 89],
    nouns: ['head lamp', 'lantern', 'camp light', 'torch'],
    materials: ['aluminium', 'rechargeable', 'solar', 'compact', 'waterproof']
  },
];

// What shoppers buy together, across categories (used by the session simulator).
export const COMPLEMENTS = {
  'Jackets': ['Hats', 'Gloves', 'Scarves'],
  'Hats': ['Scarves', 'Gloves'],
  'Gloves': ['Hats', 'Scarves'],
  'Scarves': ['Hats', 'Gloves'],
  'Boots': ['Backpacks', 'Lamps'],
  'Sneakers': ['Backpacks', 'Hats'],
  'Backpacks': ['Lamps', 'Boots'],
  'Tents': ['Sleeping bags', 'Lamps'],
  'Sleeping bags': ['Tents', 'Lamps'],
  'Lamps': ['Tents', 'Backpacks'],
};

// A product whose name is an XSS probe: every page must show it as plain text.
export const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

const PER_CATEGORY = 30;
const FIRST_ID = 1001;

function capitalize(s) {
  return s[0].toUpperCase() + s.slice(1);
}

function makePrice(random, [lo, hi]) {
  // Skewed towards the cheap end, with shop-like endings (.00, .50, .90).
  const base = lo + (hi - lo) * random.next() ** 1.6;
  return Math.floor(base) + random.pick([0, 0.5, 0.9, 0.9]);
}

export function generateCatalog(seed = 20240601) {
  const random = createRandom(seed);
  const colourNames = Object.keys(COLOURS);
  const products = [];
  let id = FIRST_ID;
  for (const category of CATEGORIES) {
    const names = new Set();
    for (let k = 0; k < PER_CATEGORY; ++k) {
      let colour, material, noun, name;
      do {
        colour = random.pick(colourNames);
        material = random.pick(category.materials);
        noun = random.pick(category.nouns);
        name = capitalize(`${colour.toLowerCase()} ${material} ${noun}`);
      } while (names.has(name));
      names.add(name);
      products.push({
        id: String(id++),
        name,
        category: category.name,
        categorySlug: category.slug,
        price: makePrice(random, category.price),
        available: !random.chance(0.04),
        colour,
        material,
      });
    }
  }
  // The 8th hat is the hostile one (a fixed place, so tests can find it by name).
  const hats = products.filter((p) => p.category === 'Hats');
  hats[7].name = HOSTILE_NAME;
  return products;
}

// The catalog with its lookups, built once per process.
let cached = null;
export function catalog() {
  if (cached) return cached;
  const products = generateCatalog();
  const byId = new Map(products.map((p) => [p.id, p]));
  const categoryBySlug = new Map(CATEGORIES.map((c) => [c.slug, c]));
  const inCategory = new Map(CATEGORIES.map((c) => [c.name, []]));
  for (const p of products) inCategory.get(p.category).push(p);
  cached = {products, byId, categories: CATEGORIES, categoryBySlug, inCategory};
  return cached;
}
