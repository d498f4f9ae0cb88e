// Builds the demo model pack (var/pack.vpk) with the native pack builder when it is missing
// or older than its inputs: the generator sources and the builder itself (a rebuilt tool may
// write a newer pack format).
import {execFile} from 'node:child_process';
import {rename, rm, stat} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';

import {writeTrainingData} from './sessions.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const GENERATOR_SOURCES =
    ['catalog.mjs', 'sessions.mjs', 'prng.mjs', 'pack.mjs'].map((name) => path.join(here, name));

export const VAR_DIR = path.join(here, 'var');
export const PACK_PATH = path.join(VAR_DIR, 'pack.vpk');

export function packTool() {
  return process.env.VITRINE_PACK_TOOL ?? path.join(here, '..', 'build', 'tools', 'vitrine-pack');
}

async function mtime(file) {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return null;
  }
}

async function isFresh(tool) {
  const packTime = await mtime(PACK_PATH);
  if (packTime === null) return false;
  for (const input of [...GENERATOR_SOURCES, tool]) {
    const t = await mtime(input);
    if (t !== null && t > packTime) return false;
  }
  return true;
}

// Resolves to {path, built} or throws with the builder's message.
export async function ensurePack({log = () => {}} = {}) {
  const tool = packTool();
  if (await isFresh(tool)) return {path: PACK_PATH, built: false};
  if ((await mtime(tool)) === null) {
    throw new Error(`pack builder not found at ${tool} (build it, or set VITRINE_PACK_TOOL)`);
  }
  log('generating sessions and catalog...');
  const {sessionsPath, catalogPath} = await writeTrainingData(VAR_DIR);
  // Write beside the target and rename, so a concurrent reader never sees half a pack.
  const partial = `${PACK_PATH}.${process.pid}.tmp`;
  try {
    await promisify(execFile)(tool, [
      '--format', 'otto', '--sessions', sessionsPath, '--catalog', catalogPath, '--catalog-only',
      // Sharded heads drop SSTA/FUSN (the fused scorer); without them the demo's whole and
      // sharded packs rank alike (tests/browser/shop-shards.test.mjs).
      '--no-session-stats', '--quiet', '-o', partial
    ]);
    await rename(partial, PACK_PATH);
  } catch (error) {
    await rm(partial, {force: true});
    throw new Error(`vitrine-pack failed: ${(error.stderr || error.message).trim()}`);
  }
  log(`built ${path.relative(process.cwd(), PACK_PATH)}`);
  return {path: PACK_PATH, built: true};
}

// The sharded form of the pack (docs/pack-format.md#sharded-packs): var/shards-K/head.vpk
// and var/shards-K/shards/<sha256>.vpk, cut from var/pack.vpk by `vitrine-pack shard`
// when missing or older than the pack or the tool. Resolves to the directory.
export async function ensureShards(shards, {log = () => {}} = {}) {
  const dir = path.join(VAR_DIR, `shards-${shards}`);
  const head = path.join(dir, 'head.vpk');
  const headTime = await mtime(head);
  // Cut again when the pack or the tool (which may cut differently) is newer.
  if (headTime !== null && headTime > (await mtime(PACK_PATH)) &&
      headTime > ((await mtime(packTool())) ?? 0)) {
    return dir;
  }
  // Cut beside the target and rename, so a concurrent reader never sees half a cut.
  const partial = `${dir}.${process.pid}.tmp`;
  try {
    await rm(partial, {recursive: true, force: true});
    await promisify(execFile)(
        packTool(),
        ['shard', '--in', PACK_PATH, '--out', partial, '--shards', String(shards), '--quiet']);
    await rm(dir, {recursive: true, force: true});
    await rename(partial, dir);
  } catch (error) {
    await rm(partial, {recursive: true, force: true});
    throw new Error(`vitrine-pack shard failed: ${(error.stderr || error.message).trim()}`);
  }
  log(`cut ${path.relative(process.cwd(), dir)} (${shards} shards)`);
  return dir;
}
