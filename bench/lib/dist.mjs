// The package the benchmarks load (js/dist, or a snapshot of it). Others rebuild js/dist
// while benchmarks run: snapshotDist() copies a consistent build (the three files a page
// loads match the integrity.json that js/build.mjs writes last) so that every benchmark of
// one run measures the same build, and distHashes() names that build.
import {createHash} from 'node:crypto';
import {copyFileSync, mkdirSync, readFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

export const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'js', 'dist');
const FILES = ['vitrine.js', 'vitrine.mjs', 'vitrine.wasm'];

// sha256 (16 hex digits) of each file a page loads.
export function distHashes(dir = DIST) {
  const out = {};
  for (const name of FILES) {
    try {
      out[name] =
          createHash('sha256').update(readFileSync(join(dir, name))).digest('hex').slice(0, 16);
    } catch {
      out[name] = null;
    }
  }
  return out;
}

function consistent(dir) {
  try {
    const integrity = JSON.parse(readFileSync(join(dir, 'integrity.json'), 'utf8'));
    return FILES.every(
        (name) =>
            integrity[name] ===
            `sha384-${
                createHash('sha384').update(readFileSync(join(dir, name))).digest('base64')}`);
  } catch {
    return false;
  }
}

// Copies js/dist to `target` once it holds one whole build; retries while a build is writing.
export async function snapshotDist(target, {from = DIST, tries = 30} = {}) {
  mkdirSync(target, {recursive: true});
  for (let i = 0; i < tries; ++i) {
    for (const name of [...FILES, 'integrity.json']) {
      try {
        copyFileSync(join(from, name), join(target, name));
      } catch {
        // a file missing mid-build: the check below fails and we try again
      }
    }
    if (consistent(target)) return target;
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`${from} did not hold a consistent build (integrity.json) for ${tries * 2} s`);
}
