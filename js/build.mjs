// Builds the package into js/dist from the sources and the Emscripten output:
//   vitrine.mjs   ES module (npm entry), wasm found beside it via import.meta.url
//   vitrine.js    classic script for a <script> tag (IIFE, one global `vitrine`)
//   vitrine.wasm  the engine, shared by both
//   vitrine.d.ts  the hand-written types
//   integrity.json  Subresource Integrity hashes of the three files a page loads
// Usage: node js/build.mjs [--core build-wasm/wasm]
import * as esbuild from 'esbuild';
import {createHash} from 'node:crypto';
import {copyFile, mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const coreDir = path.resolve(
    args[args.indexOf('--core') + 1] && args.includes('--core') ?
        args[args.indexOf('--core') + 1] :
        path.join(here, '..', 'build-wasm', 'wasm'));
const dist = path.join(here, 'dist');
await mkdir(dist, {recursive: true});

const common = {
  bundle: true,
  minify: true,
  // The browsers that run the wasm (SIMD: Chrome 91, Firefox 89, Safari 16.4), Firefox from
  // 90 for private methods: class fields and #private stay as written instead of WeakMap
  // helpers (-1.1 KB gzip of vitrine.js, docs/benchmarks.md, Weight).
  target: ['chrome91', 'firefox90', 'safari16.4', 'node20'],
  alias: {'vitrine-core': path.join(coreDir, 'vitrine-core.mjs')},
  // The Emscripten glue reaches for Node modules only when it runs under Node.
  external: ['fs', 'path', 'url', 'module', 'crypto', 'ws', 'worker_threads'],
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [runtimeFiles({table: true})],
};

// On-demand feature chunks (dist/vitrine-<name>.mjs) and the components' texts per language
// (dist/vitrine-widgets-<lang>.mjs, dist/vitrine-privacy-center-<lang>.mjs).
const FEATURES = ['rules', 'widgets', 'consent', 'rights'];
const WIDGET_LANGUAGES = ['de', 'fr', 'es', 'ro', 'ru', 'zh', 'zh-Hant', 'ja'];
// Every file the package fetches at run time besides vitrine.wasm.
const RUNTIME_FILES = [
  'vitrine-autofill.mjs',
  'vitrine-autofill.wasm',
  'vitrine-measurement.mjs',
  'vitrine-measurement.wasm',
  'vitrine-privacy-center.mjs',
  'vitrine-banner.mjs',
  ...FEATURES.map((f) => `vitrine-${f}.mjs`),
  ...WIDGET_LANGUAGES.flatMap(
      (lang) => [`vitrine-widgets-${lang}.mjs`, `vitrine-privacy-center-${lang}.mjs`]),
];

// Two rewrites that let bundlers take the ES module build as it is (webpack 5 and Vite
// follow new URL('./file', import.meta.url) and emit the file):
// - 'vitrine-chunk-urls': a table { file: new URL('./file', import.meta.url).href } of
//   RUNTIME_FILES, so a bundler emits them all and the package finds them under the names
//   it gave them (options.js). '?no-inline' keeps Vite from inlining the small ones (under
//   4 kB: the language chunks) as data: URLs into the shop's bundle; webpack writes the
//   file without the query, and any static server ignores it. The script-tag build has none
//   (it finds them beside its script): table: false.
// - the Emscripten glue names 'vitrine-core.wasm' beside itself, a file the package does
//   not ship (it is vitrine.wasm, and the loader always passes its URL: core-loader.js):
//   a bundler following that name would fail, so it names vitrine.wasm.
function runtimeFiles({table}) {
  return {
    name: 'vitrine-runtime-files',
    setup(build) {
      build.onResolve(
          {filter: /^vitrine-chunk-urls$/}, () => ({path: 'chunk-urls', namespace: 'vitrine'}));
      build.onLoad(
          {filter: /^chunk-urls$/, namespace: 'vitrine'},
          () => ({
            contents: table ?
                `export const chunkUrls = () => ({${
                    RUNTIME_FILES
                        .map((f) => `'${f}': new URL('./${f}?no-inline', import.meta.url).href`)
                        .join(',\n')}});` :
                'export const chunkUrls = () => undefined;',
            loader: 'js',
          }));
      build.onLoad({filter: /vitrine-core\.mjs$/}, async (args) => {
        const source = await readFile(args.path, 'utf8');
        const glue = /new URL\((["'])vitrine-core\.wasm\1, *import\.meta\.url\)/g;
        if (!glue.test(source)) throw new Error('the glue no longer names vitrine-core.wasm');
        return {contents: source.replace(glue, 'new URL("./vitrine.wasm", import.meta.url)')};
      });
    },
  };
}

await esbuild.build({
  ...common,
  entryPoints: [path.join(here, 'src', 'index.js')],
  format: 'esm',
  outfile: path.join(dist, 'vitrine.mjs'),
});
// Minifying drops the comments that keep bundlers from following loadFeature's import()
// (feature-loader.js): put them back. One import() in the module, or the build stops.
{
  const file = path.join(dist, 'vitrine.mjs');
  const code = await readFile(file, 'utf8');
  const imports = code.split('import(').length - 1;
  if (imports !== 1) throw new Error(`vitrine.mjs has ${imports} import() calls, expected 1`);
  await writeFile(
      file, code.replace('import(', 'import(/* webpackIgnore: true */ /* @vite-ignore */ '));
}
await esbuild.build({
  ...common,
  entryPoints: [path.join(here, 'src', 'script-tag.js')],
  format: 'iife',
  platform: 'browser',
  outfile: path.join(dist, 'vitrine.js'),
  // No import.meta in a classic script; the script tag passes the wasm URL itself.
  define: {'import.meta.url': 'undefined'},
  plugins: [runtimeFiles({table: false})],
});
// On-demand features (js/src/feature-loader.js): one ES module chunk each, and its own
// wasm when it has C++. Pages that never call the feature never fetch them.
await esbuild.build({
  ...common,
  entryPoints: [path.join(here, 'src', 'autofill', 'index.js')],
  format: 'esm',
  platform: 'browser',
  external: [...common.external, 'node:fs/promises'],
  outfile: path.join(dist, 'vitrine-autofill.mjs'),
});
await copyFile(
    path.join(coreDir, 'vitrine-autofill.wasm'), path.join(dist, 'vitrine-autofill.wasm'));
// On-demand feature chunks (dist/vitrine-<name>.mjs): a page that never uses one never
// fetches it (js/src/feature-loader.js).
for (const feature of FEATURES) {
  await esbuild.build({
    ...common,
    entryPoints: [path.join(here, 'src', feature, 'index.js')],
    format: 'esm',
    outfile: path.join(dist, `vitrine-${feature}.mjs`),
  });
}
// <vitrine-privacy-center>, loaded by the components' chunk only when a page has one.
await esbuild.build({
  ...common,
  entryPoints: [path.join(here, 'src', 'widgets', 'privacy-chunk.js')],
  format: 'esm',
  outfile: path.join(dist, 'vitrine-privacy-center.mjs'),
});
// The consent banner, loaded by <vitrine-consent-banner> only when it has to show.
await esbuild.build({
  ...common,
  entryPoints: [path.join(here, 'src', 'widgets', 'banner-chunk.js')],
  format: 'esm',
  outfile: path.join(dist, 'vitrine-banner.mjs'),
});
// The web components' texts other than English, one chunk per language
// (dist/vitrine-widgets-<lang>.mjs), fetched only by pages in that language.
for (const lang of WIDGET_LANGUAGES) {
  await esbuild.build({
    ...common,
    entryPoints: [path.join(here, 'src', 'widgets', 'texts', `${lang}.js`)],
    format: 'esm',
    outfile: path.join(dist, `vitrine-widgets-${lang}.mjs`),
  });
  // The privacy center's own texts in that language (vitrine-privacy-center-<lang>.mjs),
  // fetched only by a privacy center in that language.
  await esbuild.build({
    ...common,
    entryPoints: [path.join(here, 'src', 'widgets', 'privacy', 'texts', `${lang}.js`)],
    format: 'esm',
    outfile: path.join(dist, `vitrine-privacy-center-${lang}.mjs`),
  });
}
await copyFile(path.join(coreDir, 'vitrine-core.wasm'), path.join(dist, 'vitrine.wasm'));
// On-demand feature chunks (brief: dist/vitrine-<feature>.mjs and its own .wasm), fetched
// only by pages that use the feature. measurement: privatized reports, loaded only with
// the measurement purpose granted.
await esbuild.build({
  ...common,
  entryPoints: [path.join(here, 'src', 'measurement', 'index.js')],
  format: 'esm',
  outfile: path.join(dist, 'vitrine-measurement.mjs'),
});
await copyFile(
    path.join(coreDir, 'vitrine-measurement.wasm'), path.join(dist, 'vitrine-measurement.wasm'));
await copyFile(path.join(here, 'vitrine.d.ts'), path.join(dist, 'vitrine.d.ts'));
// The components' reserved space, for the page's <head> (js/src/widgets/widgets.css).
await copyFile(
    path.join(here, 'src', 'widgets', 'widgets.css'), path.join(dist, 'vitrine-widgets.css'));

const integrity = {};
for (const file
         of ['vitrine.mjs', 'vitrine.js', 'vitrine.wasm', 'vitrine-autofill.mjs',
             'vitrine-autofill.wasm', 'vitrine-measurement.mjs', 'vitrine-measurement.wasm',
             'vitrine-privacy-center.mjs', 'vitrine-banner.mjs',
             ...FEATURES.map((f) => `vitrine-${f}.mjs`)]) {
  const digest =
      createHash('sha384').update(await readFile(path.join(dist, file))).digest('base64');
  integrity[file] = `sha384-${digest}`;
}
await writeFile(path.join(dist, 'integrity.json'), JSON.stringify(integrity, null, 2) + '\n');
console.log(`built ${path.relative(process.cwd(), dist)}`);
