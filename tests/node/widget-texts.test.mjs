// The components' texts in every language the package ships (dist/vitrine-widgets-<lang>.mjs
// and dist/vitrine-privacy-center-<lang>.mjs) against the English ones built into the chunks
// (their sources): every key translated, the same {placeholders}, the plural forms the
// language's Intl.PluralRules asks for, and no English left in place.
import assert from 'node:assert/strict';
import {test} from 'node:test';

const dist = new URL('../../js/dist/', import.meta.url);
const LANGUAGES = ['de', 'fr', 'es', 'ro', 'ru', 'zh', 'zh-Hant', 'ja'];
// Words that are the same in English and the language (names, loanwords).
const SAME = new Set([
  'source_gcm', 'source_shopify', 'pc_details_error', 'pc_segments', 'seg_engagement',
  'pc_log_source', 'field_email'
]);
const PLURAL = /_(zero|one|two|few|many|other)$/;
const placeholders = (text) => (text.match(/\{\w+\}/g) ?? []).sort().join(' ');

async function english(bundle) {
  const source = bundle === 'widgets' ? '../../js/src/widgets/texts.js' :
                                        '../../js/src/widgets/privacy/texts/en.js';
  const module = await import(new URL(source, import.meta.url));
  if (bundle !== 'widgets') return module.default;
  // texts.js keeps English inside; the lookup of a language-less tag reads it.
  return new Proxy({}, {get: (_, key) => module.textsFor('en')(key)});
}

for (const bundle of ['widgets', 'privacy-center']) {
  test(`${bundle}: every language has every text, with the same placeholders`, async () => {
    const en = await english(bundle);
    const reference = bundle === 'widgets' ? null : en;
    for (const lang of LANGUAGES) {
      const texts = (await import(new URL(`vitrine-${bundle}-${lang}.mjs`, dist))).default;
      const rules = new Intl.PluralRules(lang === 'zh-Hant' ? 'zh-TW' : lang);
      const forms = rules.resolvedOptions().pluralCategories;
      const keys = reference ? Object.keys(reference) : Object.keys(texts);
      const bases = new Set(keys.filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')));
      for (const key of keys.filter((k) => !PLURAL.test(k))) {
        assert.equal(typeof texts[key], 'string', `${lang} ${key} is missing`);
        assert.equal(placeholders(texts[key]), placeholders(en[key]), `${lang} ${key}`);
        if (!SAME.has(key)) assert.notEqual(texts[key], en[key], `${lang} ${key} is English`);
      }
      for (const base of bases) {
        // Every form the language has (a fraction's 'other' included), and no other.
        for (const form of forms) {
          assert.equal(typeof texts[`${base}_${form}`], 'string', `${lang} ${base}_${form}`);
        }
        for (const key of Object.keys(texts).filter((k) => k.replace(PLURAL, '') === base)) {
          assert.ok(forms.includes(key.match(PLURAL)[1]), `${lang} ${key}: not a form of ${lang}`);
        }
      }
    }
  });
}
