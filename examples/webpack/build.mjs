// node build.mjs OUT: webpack 5 (production), then the package's run-time files to
// OUT/vitrine/ and the page.
import {copyFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import webpack from 'webpack';

import {copyPackageFiles} from '../copy-package-files.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] ?? 'dist');
const stats = await new Promise(
    (resolve, reject) =>
        webpack({
          mode: 'production',
          context: here,
          entry: './src/main.js',
          output: {path: out, filename: 'main.js', publicPath: '/', clean: true},
          // Inside the package, webpack must leave two things alone: the Emscripten glue's
          // new URL('vitrine-core.wasm', import.meta.url), a file the package does not ship (it
          // passes vitrine.wasm's URL itself; the page says where: wasmUrl), and the import() of
          // the on-demand chunks by URL at run time (not modules of the bundle).
          module: {
            rules:
                [{test: /[\\/]node_modules[\\/]vitrine[\\/]/, parser: {url: false, import: false}}],
          },
          // The package's Emscripten glue names Node modules it uses only under Node.
          externals: {'node:fs/promises': 'null', module: 'null'},
          resolve: {fallback: {fs: false, path: false, url: false, crypto: false, module: false}},
        }).run((error, result) => (error ? reject(error) : resolve(result))));
if (stats.hasErrors()) throw new Error(stats.toString('errors-only'));
await copyPackageFiles(here, out);
await copyFile(path.join(here, 'index.html'), path.join(out, 'index.html'));
