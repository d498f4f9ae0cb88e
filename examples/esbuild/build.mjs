// node build.mjs OUT: bundles src/main.js into OUT/main.js and puts beside it what the
// package loads by URL (esbuild does not follow new URL(..., import.meta.url)): the wasm,
// the on-demand chunks and the components' stylesheet.
import * as esbuild from 'esbuild';
import {copyFile, mkdir, readdir} from 'node:fs/promises';
import {createRequire} from 'node:module';
import path from 'node:path';

const out = path.resolve(process.argv[2] ?? 'dist');
await mkdir(out, {recursive: true});
await esbuild.build({
  entryPoints: ['src/main.js'],
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  outfile: path.join(out, 'main.js'),
  logLevel: 'warning',
});
const dist = path.dirname(createRequire(import.meta.url).resolve('vitrine/vitrine.wasm'));
for (const file of await readdir(dist)) {
  if (/^vitrine(-[a-zA-Z-]+)?\.(wasm|mjs|css)$/.test(file) && file !== 'vitrine.mjs') {
    await copyFile(path.join(dist, file), path.join(out, file));
  }
}
await copyFile('index.html', path.join(out, 'index.html'));
