// The components' built-in texts, per language. The language is the element's own `lang`
// (or its nearest ancestor's, usually <html lang>), its primary subtag, with zh-Hant for
// Traditional Chinese (zh-TW, zh-HK, zh-MO, zh-Hant); anything else falls back to English.
// A shop overrides any text with define({texts: {de: {title_recent: '...'}}}).
// {name} and {category} are replaced with plain text (never parsed as HTML).
const EN = {
  title_recent: 'Recently viewed',
  title_home: 'Recommended for you',
  title_item: 'You may also like',
  title_cart: 'Goes well with your cart',
  title_bestsellers: 'Bestsellers',
  title_bestsellers_in: 'Bestsellers in {category}',
  title_bestsellers_price: 'Bestsellers in your price range',
  empty_recent: 'Products you view will show here.',
  empty_recent_consent: 'Allow “History” in the privacy choices to see products you viewed here.',
  empty_recs: 'No recommendations yet.',
  loading: 'Loading…',
  why: 'Why?',
  why_label: 'Why is {name} recommended?',
  reason_re_view: 'You viewed this before',
  reason_viewed: 'Because you viewed {name}',
  reason_similar: 'Similar to what you viewed',
  reason_bought_with: 'Often bought with {name}',
  reason_bought_together: 'Often bought together',
  reason_popular_in: 'Popular in {category}',
  reason_popular: 'Popular right now',
  reason_default: 'Recommended for you',
  banner_title: 'Your privacy choices',
  banner_text:
      'This shop can remember what you look at, on this device only, to show recently viewed products and recommendations. Nothing is stored and nothing is sent until you choose.',
  accept_all: 'Accept all',
  necessary: 'Only necessary',
  choose: 'Choose…',
  save: 'Save choices',
  purpose_history: 'History',
  purpose_history_text: 'Remember the products you view, on this device only.',
  purpose_personalization: 'Personalization',
  purpose_personalization_text: 'Use that history to recommend products.',
  purpose_measurement: 'Measurement',
  purpose_measurement_text: 'Send anonymous, privacy-protected statistics.',
  purpose_autofill: 'Autofill',
  purpose_autofill_text: 'Keep your checkout details, encrypted, on this device.',
  on: 'On',
  off: 'Off',
};

// The other languages are chunks of their own (texts/<lang>.js, dist/vitrine-widgets-<lang>.mjs),
// fetched by pages in that language only. The privacy center has texts of its own, a bundle
// in its chunk (privacy/texts/, dist/vitrine-privacy-center-<lang>.mjs): the rows' pages
// never load them.
const OTHERS = ['de', 'fr', 'es', 'ro', 'ru', 'zh', 'zh-Hant', 'ja'];
const TEXTS = {
  widgets: {en: EN},
};

export const LANGUAGES = ['en', ...OTHERS];

// 'de-AT' -> 'de'; Traditional Chinese by script or region; unknown -> 'en'.
export function languageOf(tag) {
  const lower = String(tag ?? '').toLowerCase();
  if (/^zh(-|$)/.test(lower)) return /-(hant|tw|hk|mo)(-|$)/.test(lower) ? 'zh-Hant' : 'zh';
  const primary = lower.split('-')[0];
  return OTHERS.includes(primary) ? primary : 'en';
}

// A bundle's English texts, built into the chunk that uses them (the privacy center's).
export function addBundle(bundle, english) {
  TEXTS[bundle] ??= {en: english};
}

const loading = new Map();  // bundle:lang -> Promise of its texts

// Loads a bundle's language chunk once (load(name) imports dist/vitrine-<name>.mjs,
// 'widgets-de', 'privacy-center-de'); a chunk that does not load leaves the page in English,
// with a warning.
export function loadLanguage(lang, load, bundle = 'widgets') {
  const table = TEXTS[bundle];
  if (table[lang]) return Promise.resolve();
  const key = `${bundle}:${lang}`;
  if (!loading.has(key)) {
    loading.set(
        key,
        load(`${bundle}-${lang}`)
            .then(
                (m) => {
                  table[lang] = m.default;
                },
                (error) => {
                  console.warn(
                      `vitrine widgets: texts '${bundle}-${lang}': ${error?.message ?? error}`);
                  table[lang] = table.en;
                }));
  }
  return loading.get(key);
}

// A lookup function for one element: overrides first (the exact tag, then the language),
// then the built-in language of each bundle (once loaded: loadLanguage), then English.
export function textsFor(tag, overrides = {}, bundles = ['widgets']) {
  const lang = languageOf(tag);
  const layers = [
    overrides[tag], overrides[lang], ...bundles.map((b) => TEXTS[b][lang]),
    ...bundles.map((b) => TEXTS[b].en)
  ].filter(Boolean);
  const t = (key, values = {}) => {
    const layer = layers.find((l) => typeof l[key] === 'string');
    const text = layer ? layer[key] : key;
    return text.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
  };
  t.lang = lang;
  t.tag = tag;
  return t;
}

export function languageOfElement(element) {
  return element.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'en';
}
