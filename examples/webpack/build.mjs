// node build.mjs OUT: webpack 5 (production) with no rule for the package: webpack follows
// its new URL('./vitrine.wasm', import.meta.url) and those of its on-demand chunks and emits
// them itself. Only the components' stylesheet, for the page's <head>, is copied.
import {copyFile, mkdir} from 'node:fs/promises';
import {createRequire} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import webpack from 'webpack';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] ?? 'dist');
const stats = await new Promise(
    (resolve, reject) => webpack({
                           mode: 'production',
                           context: here,
                           entry: './src/main.js',
                           output: {path: out, filename: 'main.js', publicPath: '/', clean: true},
                         }).run((error, result) => (error ? reject(error) : resolve(result))));
if (stats.hasErrors() || stats.hasWarnings()) {
  throw new Error(stats.toString('errors-warnings'));
}
const css = createRequire(path.join(here, 'build.mjs')).resolve('vitrine/widgets.css');
await mkdir(path.join(out, 'vitrine'), {recursive: true});
await copyFile(css, path.join(out, 'vitrine', 'vitrine-widgets.css'));
await copyFile(path.join(here, 'index.html'), path.join(out, 'index.html'));
