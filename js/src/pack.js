// Loading a model pack: a URL (fetched), an ArrayBuffer or a Uint8Array. The bytes are
// copied once, straight into wasm memory, and the engine checks every offset and
// checksum before using them; a bad pack leaves the previous one in use.
import {check, VitrineError} from './errors.js';

async function fetchBytes(url, what) {
  let response;
  try {
    // Public, static files: no cookies or credentials go with them. Shards are immutable
    // (their SHA-256 is in the name), so the browser's HTTP cache serves them again.
    response = await fetch(url, {credentials: 'omit'});
  } catch (cause) {
    throw Object.assign(
        new VitrineError('pack_unavailable', `could not fetch the ${what} ${url}: ${cause}`),
        {cause});
  }
  if (!response.ok) {
    throw new VitrineError(
        'pack_unavailable', `could not fetch the ${what} ${url}: HTTP ${response.status}`);
  }
  return new Uint8Array(await response.arrayBuffer());
}

async function packBytes(source) {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof source === 'string' || source instanceof URL) return fetchBytes(source, 'pack');
  throw new VitrineError('invalid_argument', 'pack must be a URL, an ArrayBuffer or a Uint8Array');
}

// Returns { items, categories, embeddingDim, bytes, shards }.
export async function loadPack(core, engine, source) {
  const bytes = await packBytes(source);
  if (bytes.length === 0) throw new VitrineError('data_loss', 'the pack is empty');
  const target = check(core.packBuffer(engine, bytes.length)).view;
  target.set(bytes);
  const {ok, ...summary} = check(core.openPack(engine));
  return summary;
}

// Sharded packs (docs/pack-format.md#sharded-packs): where shard k of the head loaded from
// `source` is. shardUrl(index, digest) wins; else shards/<digest>.vpk beside the head.
export function shardLocation(core, engine, source, shardUrl, index) {
  const {digest} = check(core.shardFile(engine, index));
  if (shardUrl) return String(shardUrl(index, digest));
  if (typeof source !== 'string' && !(source instanceof URL)) {
    throw new VitrineError(
        'invalid_argument', 'a sharded pack given as bytes needs the shardUrl option');
  }
  return new URL(`shards/${digest}.vpk`, new URL(source, globalThis.location?.href)).href;
}

// Fetches a shard and hands it to the engine, which checks its SHA-256 against the head
// and its bytes as a pack before joining it; a bad shard changes nothing.
export async function loadShard(core, engine, url) {
  const bytes = await fetchBytes(url, 'pack shard');
  if (bytes.length === 0) throw new VitrineError('data_loss', `the pack shard ${url} is empty`);
  check(core.shardBuffer(engine, bytes.length)).view.set(bytes);
  check(core.addShard(engine));
}
