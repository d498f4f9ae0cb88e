// node build.mjs OUT: vite build (Vue, vitrine-* as custom elements), then the package's
// run-time files to OUT/vitrine/.
import vue from '@vitejs/plugin-vue';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'vite';

import {copyPackageFiles} from '../copy-package-files.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] ?? 'dist');
await build({
  root: here,
  logLevel: 'warn',
  plugins:
      [vue({template: {compilerOptions: {isCustomElement: (tag) => tag.startsWith('vitrine-')}}})],
  build: {outDir: out, emptyOutDir: true, target: 'es2022'},
});
await copyPackageFiles(here, out);
