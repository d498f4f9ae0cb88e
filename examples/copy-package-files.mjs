// What a bundler does not emit by itself, copied to OUT/vitrine/: vitrine.wasm (for webpack,
// which is told not to follow URLs), the on-demand chunks
// (loaded by URL at run time, from createVitrine's featureBase), their wasm, and the
// components' stylesheet for the page's <head>. Shared by the bundler recipes.
import {copyFile, mkdir, readdir} from 'node:fs/promises';
import {createRequire} from 'node:module';
import path from 'node:path';

export async function copyPackageFiles(recipeDir, out) {
  const require = createRequire(path.join(recipeDir, 'build.mjs'));
  const dist = path.dirname(require.resolve('vitrine/vitrine.wasm'));
  const target = path.join(out, 'vitrine');
  await mkdir(target, {recursive: true});
  for (const file of await readdir(dist)) {
    if (/^(vitrine\.wasm|vitrine-[a-zA-Z-]+\.(mjs|wasm|css))$/.test(file)) {
      await copyFile(path.join(dist, file), path.join(target, file));
    }
  }
}
