// Shared by the two-stage pack tests: the native tools, the public data, temp dirs, and a
// runner that returns {code, stdout, stderr}.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DATA = path.resolve(ROOT, '..', 'shared', 'data');
export const PACK = path.join(ROOT, 'build', 'tools', 'vitrine-pack');
export const EVAL = path.join(ROOT, 'build', 'tools', 'vitrine-eval');

for (const tool of [PACK, EVAL]) {
  if (!existsSync(tool)) throw new Error(`${tool} missing: run \`make native\` first`);
}

export function tempDir(prefix = 'vitrine-pack-test-') {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function run(tool, args) {
  const r = spawnSync(tool, args, {encoding: 'utf8', maxBuffer: 1 << 28});
  if (r.error) throw r.error;
  return {code: r.status, stdout: r.stdout, stderr: r.stderr};
}

export function runOk(tool, args) {
  const r = run(tool, args);
  if (r.code !== 0) throw new Error(`${path.basename(tool)} ${args.join(' ')}: ${r.stderr}`);
  return r;
}

// A table file as its header and its rows sorted bytewise (the canonical order: the C++
// stage writes rows in handle order, a warehouse in whatever order its export takes).
export function canonical(file) {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  const [header, ...rows] = lines;
  rows.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [header, ...rows].join('\n') + '\n';
}
