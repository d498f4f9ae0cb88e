// Generates core/src/autofill/tables_generated.cpp, the data tables of the checkout
// profile normalizer, from maintained sources (docs/autofill-data.md says which and why):
//   - phone: libphonenumber-js metadata.min.json (Google's libphonenumber metadata, the
//     data behind Chromium's and Android's phone handling), npm devDependency;
//   - country names: i18n-iso-countries (CLDR-derived names), npm devDependency;
//   - regions: Debian's iso-codes (ISO 3166-2 codes and names, with the translations the
//     package ships as gettext catalogues in /usr/share/locale/*/LC_MESSAGES/iso_3166-2.mo).
// Usage: node scripts/gen-autofill-tables.mjs   (then `make format`)
import {readFileSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const phoneMeta = require('libphonenumber-js/metadata.min.json');
const phoneVersion = require('libphonenumber-js/package.json').version;
const countriesVersion = require('i18n-iso-countries/package.json').version;
const ISO_CODES = '/usr/share/iso-codes/json';
const isoCodesVersion = JSON.parse(readFileSync(`${ISO_CODES}/iso_3166-1.json`, 'utf8'));

// The countries the issue names: phone formats and regions are generated for these.
const COUNTRIES = 'US CA GB DE FR IT ES NL PL RO RU CN TW JP IN BR MX AU SE CH'.split(' ');
// Languages of country and region names (the detection languages plus Swedish).
const LANGS = 'en de fr es it pt nl pl ro ru zh ja sv'.split(' ');
const MO_LOCALES = 'de fr es it pt pt_BR nl pl ro ru zh_CN zh_TW ja sv'.split(' ');

// Latin, Greek, Cyrillic and fullwidth forms fold; other scripts (kana, han) stay as written.
const FOLD_RANGES =
    [[0xa0, 0x24f], [0x370, 0x3ff], [0x400, 0x52f], [0x1e00, 0x1eff], [0xff01, 0xff5e]];
// The same folding as fold_key() in core/src/autofill/text.cpp: compatibility
// decomposition, marks dropped, lower case, separators and punctuation dropped.
function foldChar(ch) {
  const cp = ch.codePointAt(0);
  if (cp < 0x80) return ch.toLowerCase();
  if (!FOLD_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi)) return ch;
  return ch.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
function isDropped(cp) {
  if (cp < 0x80) return !/[0-9a-z]/.test(String.fromCodePoint(cp));
  return (cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x3000 && cp <= 0x303f) || cp === 0x30fb ||
      cp === 0xa0;
}
function foldKey(s) {
  let out = '';
  for (const ch of s) {
    for (const f of foldChar(ch)) {
      if (!isDropped(f.codePointAt(0))) out += f;
    }
  }
  return out;
}
// The code points whose folding is not the identity, for the C++ side (Latin, Greek,
// Cyrillic, fullwidth forms). ASCII upper case is handled in code.
const fold = [];
for (const [lo, hi] of FOLD_RANGES) {
  for (let cp = lo; cp <= hi; ++cp) {
    const ch = String.fromCodePoint(cp);
    const f = foldChar(ch);
    if (f !== ch) fold.push([cp, f]);
  }
}

// A gettext .mo catalogue: msgid -> msgstr.
function readMo(file) {
  let buf;
  try {
    buf = readFileSync(file);
  } catch {
    return new Map();
  }
  const le = buf.readUInt32LE(0) === 0x950412de;
  const u32 = (o) => le ? buf.readUInt32LE(o) : buf.readUInt32BE(o);
  const n = u32(8), orig = u32(12), trans = u32(16);
  const map = new Map();
  for (let i = 0; i < n; ++i) {
    const k =
        buf.toString('utf8', u32(orig + 8 * i + 4), u32(orig + 8 * i + 4) + u32(orig + 8 * i));
    const v =
        buf.toString('utf8', u32(trans + 8 * i + 4), u32(trans + 8 * i + 4) + u32(trans + 8 * i));
    if (k && v) map.set(k, v);
  }
  return map;
}

const cstr = (s) => JSON.stringify(s);  // JSON string escapes are valid C++ for UTF-8 text

// ---- countries -------------------------------------------------------------------------
const iso1 = JSON.parse(readFileSync(`${ISO_CODES}/iso_3166-1.json`, 'utf8'))['3166-1'];
const enNames = require('i18n-iso-countries/langs/en.json').countries;
const countryRows =
    iso1.map((c) => [c.alpha_2, c.alpha_3, [].concat(enNames[c.alpha_2] || c.name)[0]])
        .sort((a, b) => a[0] < b[0] ? -1 : 1);
const countryNames = new Map();  // folded key -> alpha2 (first writer wins, English first)
const addCountryName = (name, a2) => {
  const k = foldKey(name);
  if (k.length >= 2 && !countryNames.has(k)) countryNames.set(k, a2);
};
for (const lang of LANGS) {
  const names = require(`i18n-iso-countries/langs/${lang}.json`).countries;
  for (const [a2, v] of Object.entries(names)) {
    for (const n of [].concat(v)) addCountryName(n, a2);
  }
}
// Official long forms ("Federal Republic of Germany") are left out: nobody types them at a
// checkout, and in 14 languages they were a third of the module.
const countryCatalogues =
    MO_LOCALES.map((l) => readMo(`/usr/share/locale/${l}/LC_MESSAGES/iso_3166-1.mo`));
for (const c of iso1) {
  for (const n of [c.name, c.common_name]) {
    if (!n) continue;
    addCountryName(n, c.alpha_2);
    for (const cat of countryCatalogues) {
      if (cat.get(n)) addCountryName(cat.get(n), c.alpha_2);
    }
  }
}

// ---- regions ---------------------------------------------------------------------------
// Which ISO 3166-2 levels shops put in a region select, per country; a country absent here
// (GB, FR) has no region in its address form, so the field stays free text.
const REGION_TYPES = {
  IT: [
    'Province', 'Metropolitan city', 'Free municipal consortium', 'Autonomous province',
    'Decentralized regional entity'
  ],
  ES: ['Province', 'Autonomous city in north africa'],
  NL: ['Province'],
};
const NO_REGIONS = new Set(['GB', 'FR']);
// National codes and names shops use that ISO 3166-2 lacks (each checked by a test).
const EXTRA_REGION_NAMES = {
  'MX-CMX': ['CDMX', 'DF', 'Distrito Federal', 'Ciudad de México'],
  'IT-RM': ['Roma'],
  'US-DC': ['Washington DC', 'Washington D.C.'],
  'IN-DL': ['Delhi', 'New Delhi'],
  'RU-MOW': ['Москва', 'Moscow'],
  'RU-SPE': ['Санкт-Петербург', 'Saint Petersburg', 'St. Petersburg'],
};
const iso2 = JSON.parse(readFileSync(`${ISO_CODES}/iso_3166-2.json`, 'utf8'))['3166-2'];
const catalogues =
    MO_LOCALES.map((l) => [l, readMo(`/usr/share/locale/${l}/LC_MESSAGES/iso_3166-2.mo`)]);
const LOCAL_LABEL = {
  JP: 'ja',
  CN: 'zh_CN',
  TW: 'zh_TW',
  RU: 'ru'
};
// The languages a country's region names are written in, besides ISO's own names.
const REGION_LOCALES = {
  CA: ['fr'],
  DE: ['de'],
  IT: ['it'],
  ES: ['es'],
  NL: ['nl'],
  PL: ['pl'],
  RO: ['ro'],
  RU: ['ru'],
  CN: ['zh_CN', 'zh_TW'],
  TW: ['zh_TW', 'zh_CN'],
  JP: ['ja'],
  BR: ['pt_BR', 'pt'],
  MX: ['es'],
  SE: ['sv'],
  CH: ['de', 'fr', 'it'],
};
const regionRows = [];          // [iso, national code, label]
const regionNames = new Map();  // `${country}|${key}` -> iso
const addRegionName = (country, name, iso) => {
  const k = foldKey(name);
  if (k.length >= 1 && !regionNames.has(`${country}|${k}`)) regionNames.set(`${country}|${k}`, iso);
};
// Suffixes that shoppers and shops leave off (Japanese -to/-fu/-ken, Chinese sheng/shi...).
const STRIP = [
  /\s*\[[^\]]+\]$/, /(都|府|県)$/, /\s+(Sheng|Shi|Zizhiqu)$/,
  /(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$/
];
for (const country of COUNTRIES) {
  if (NO_REGIONS.has(country)) continue;
  const types = REGION_TYPES[country];
  const subs =
      iso2.filter((s) => s.code.startsWith(`${country}-`) && (!types || types.includes(s.type)));
  for (const s of subs) {
    const national = s.code.slice(country.length + 1);
    const baseName = s.name.replace(STRIP[0], '');
    let local =
        LOCAL_LABEL[country] && catalogues.find(([l]) => l === LOCAL_LABEL[country])[1].get(s.name);
    // Prefectures are written with their suffix (東京都, 京都府, 愛知県); some translations lack
    // it.
    if (local === '京都') local = '京都府';
    if (country === 'JP' && local && !/[都道府県]$/.test(local)) {
      local += local === '東京' ? '都' : (local === '大阪' || local === '京都') ? '府' : '県';
    }
    regionRows.push([s.code, national, local || baseName]);
    const names = [s.code, national, baseName, s.name, local || baseName];
    // "Girona [Gerona]", "Illes Balears [Islas Baleares]": both languages' names.
    const bracket = /\[([^\]]+)\]$/.exec(s.name);
    if (bracket && !/^[A-Z]{2}-/.test(bracket[1])) {
      names.push(bracket[1], s.name.slice(0, bracket.index).trim());
    }
    if (country === 'JP') names.push(String(Number(national)));  // prefecture number
    // Region names in the country's own languages (a shopper writes 'Bayern' or 'Bavaria',
    // not its Japanese name): the other translations were a third of the module.
    for (const [locale, cat] of catalogues) {
      const t = REGION_LOCALES[country]?.includes(locale) && cat.get(s.name);
      if (t) names.push(t);
    }
    names.push(...(EXTRA_REGION_NAMES[s.code] || []));
    for (const n of [...names]) {
      for (const re of STRIP.slice(1)) {
        const stripped = n.replace(re, '');
        if (stripped !== n && stripped.length > 0) names.push(stripped);
      }
    }
    for (const n of names) addRegionName(country, n, s.code);
  }
}
regionRows.sort((a, b) => a[0] < b[0] ? -1 : 1);

// ---- phone -----------------------------------------------------------------------------
const phoneRows = [];
const formatRows = [];
for (const country of COUNTRIES) {
  let m = phoneMeta.countries[country];
  // Countries sharing a calling code keep their formats in the main country (CA uses US's).
  const main = phoneMeta.country_calling_codes[m[0]][0];
  const formats = (phoneMeta.countries[main][4] || []);
  const countryRule = m[6] || phoneMeta.countries[main][6];
  const first = formatRows.length;
  for (const f of formats) {
    const leading = f[2] ? f[2][f[2].length - 1] : '';
    const npRule = (f[3] === undefined || f[3] === 0) ? (countryRule || '') : f[3];
    const intl = f[5] === undefined || f[5] === 0 ? f[1] : f[5];
    formatRows.push([f[0], f[1], leading, npRule || '', intl === 'NA' ? '' : intl]);
  }
  phoneRows.push(
      [country, m[0], m[1], m[5] || '', m[2], m[3].join(','), first, formatRows.length - first]);
}
const callingCodes =
    Object.entries(phoneMeta.country_calling_codes).map(([cc, list]) => [cc, list[0]]);
// The digit-pattern matcher (core/src/autofill/digit_pattern.cpp) knows this much syntax.
for (const r of [...phoneRows.map((p) => p[4]), ...formatRows.flatMap((f) => [f[0], f[2]])]) {
  if (/[^\d\[\]\-{},|()?:\\]/.test(r.replace(/\\d/g, ''))) throw new Error(`unsupported: ${r}`);
}

// ---- output ----------------------------------------------------------------------------
// Byte order of the UTF-8, as the C++ side compares (std::string_view <).
const byBytes = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const countryNameRows = [...countryNames.entries()].sort((a, b) => byBytes(a[0], b[0]));
const regionNameRows = [...regionNames.entries()]
                           .map(([k, iso]) => [...k.split('|'), iso])
                           .sort((a, b) => byBytes(a[0], b[0]) || byBytes(a[1], b[1]));
const out = [];
out.push(`// GENERATED by scripts/gen-autofill-tables.mjs: do not edit by hand.
// Sources: libphonenumber-js ${phoneVersion} metadata.min.json (libphonenumber metadata ${
    phoneMeta.version ?? ''}),
// i18n-iso-countries ${
    countriesVersion}, Debian iso-codes (iso_3166-1/2 json and the .mo catalogues).
// See docs/autofill-data.md.
#include "tables.hpp"

namespace vitrine::autofill::tables {
`);
out.push(`const FoldEntry kFold[] = {\n${
    fold.map(([cp, f]) => `{0x${cp.toString(16)}, ${cstr(f)}},`).join('\n')}\n};`);
out.push(`const std::size_t kFoldCount = sizeof kFold / sizeof kFold[0];`);
out.push(`const CountryRow kCountries[] = {\n${
    countryRows.map((r) => `{${r.map(cstr).join(', ')}},`).join('\n')}\n};`);
out.push(`const std::size_t kCountryCount = sizeof kCountries / sizeof kCountries[0];`);
// Name tables as one text blob each (scope TAB key TAB code NEWLINE): an array of three
// pointers per name cost more than the names themselves in the wasm.
const blob = (rows) => rows.map((r) => `  ${cstr(r.join('\t') + '\n')}`).join('\n');
out.push(`const char kCountryNames[] =\n${blob(countryNameRows.map(([k, a2]) => ['', k, a2]))};`);
out.push(`const RegionRow kRegions[] = {\n${
    regionRows.map((r) => `{${r.map(cstr).join(', ')}},`).join('\n')}\n};`);
out.push(`const std::size_t kRegionCount = sizeof kRegions / sizeof kRegions[0];`);
out.push(`const char kRegionNames[] =\n${blob(regionNameRows)};`);
out.push(`const PhoneRow kPhone[] = {\n${
    phoneRows.map((r) => `{${r.slice(0, 6).map(cstr).join(', ')}, ${r[6]}, ${r[7]}},`)
        .join('\n')}\n};`);
out.push(`const std::size_t kPhoneCount = sizeof kPhone / sizeof kPhone[0];`);
out.push(`const PhoneFormatRow kPhoneFormats[] = {\n${
    formatRows.map((r) => `{${r.map(cstr).join(', ')}},`).join('\n')}\n};`);
out.push(`const CallingCodeRow kCallingCodes[] = {\n${
    callingCodes.map((r) => `{${r.map(cstr).join(', ')}},`).join('\n')}\n};`);
out.push(`const std::size_t kCallingCodeCount = sizeof kCallingCodes / sizeof kCallingCodes[0];`);
out.push(`\n}  // namespace vitrine::autofill::tables\n`);
writeFileSync(path.join(root, 'core/src/autofill/tables_generated.cpp'), out.join('\n\n'));
console.log(`countries ${countryRows.length}, country names ${countryNameRows.length}, regions ${
    regionRows.length}, region names ${regionNameRows.length}, phone ${phoneRows.length}/${
    formatRows.length} formats, fold ${fold.length}, iso-codes ${
    Object.keys(isoCodesVersion).length ? 'ok' : ''}`);
