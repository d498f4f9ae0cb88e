// Loading a model pack: a URL (fetched), an ArrayBuffer or a Uint8Array. The bytes are
// copied once, straight into wasm memory, and the engine checks every offset and
// checksum before using them; a bad pack leaves the previous one in use.
import {check, VitrineError} from './errors.js';

async function fetchOk(url, what) {
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
  return response;
}

async function fetchBytes(url, what) {
  return new Uint8Array(await (await fetchOk(url, what)).arrayBuffer());
}

// A pack's body as the chunks it arrived in: Response.arrayBuffer() joins a large body in
// one main-thread task (50-60 ms for 40 MB in Chromium), and the bytes go into wasm memory
// anyway, a slice at a time.
async function fetchChunks(url, what) {
  const response = await fetchOk(url, what);
  if (!response.body) return [new Uint8Array(await response.arrayBuffer())];
  const reader = response.body.getReader();
  const chunks = [];
  try {
    for (;;) {
      const {done, value} = await reader.read();
      if (done) return chunks;
      chunks.push(value);
    }
  } catch (cause) {
    throw Object.assign(
        new VitrineError('pack_unavailable', `could not read the ${what} ${url}: ${cause}`),
        {cause});
  }
}

async function packChunks(source) {
  if (source instanceof Uint8Array) return [source];
  if (source instanceof ArrayBuffer) return [new Uint8Array(source)];
  if (typeof source === 'string' || source instanceof URL) return fetchChunks(source, 'pack');
  throw new VitrineError('invalid_argument', 'pack must be a URL, an ArrayBuffer or a Uint8Array');
}

// Lets the page's other tasks run: scheduler.yield() where the browser has it, else a
// message to ourselves (setTimeout(0) is clamped to 4 ms once nested).
function yieldToPage() {
  if (typeof globalThis.scheduler?.yield === 'function') return globalThis.scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

// Copying a large pack into wasm memory and checking every section's checksum are the bulk
// of opening it (a 40 MB pack: tens of ms each, more on a phone), so both run in slices of
// about SLICE_MS with the page's own work in between: no long task (> 50 ms) at any pack
// size (docs/benchmarks.md, Long tasks).
const SLICE_MS = 8;
const COPY_BYTES = 1 << 20;
const CHECK_BYTES = 1 << 20;
const PREPARE_BYTES = 512 << 10;

// Runs step() until it returns true, yielding to the page every SLICE_MS.
async function inSlices(step, stillOpen) {
  for (;;) {
    const start = performance.now();
    do {
      if (step()) return;
    } while (performance.now() - start < SLICE_MS);
    await yieldToPage();
    stillOpen();  // the instance may have been closed (and its engine freed) meanwhile
  }
}

// Returns { items, categories, embeddingDim, bytes, shards }. Callers run one at a time
// (the engine stages one pack). stillOpen() throws once the instance is closed.
export async function loadPack(core, engine, source, stillOpen) {
  const chunks = await packChunks(source);
  stillOpen();
  const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  if (size === 0) throw new VitrineError('data_loss', 'the pack is empty');
  check(core.packBuffer(engine, size));
  let chunk = 0;   // the chunk being copied
  let within = 0;  // its bytes copied so far
  let copied = 0;  // all bytes copied so far
  await inSlices(() => {
    const part = chunks[chunk].subarray(within, within + COPY_BYTES);
    // A view taken now: wasm memory may have grown (and an older view gone stale) meanwhile.
    core.stagedPackView(engine).set(part, copied);
    copied += part.length;
    within += part.length;
    if (within === chunks[chunk].length) {
      ++chunk;
      within = 0;
    }
    return chunk === chunks.length;
  }, stillOpen);
  await inSlices(() => check(core.verifyPack(engine, CHECK_BYTES)).done, stillOpen);
  // Opening in a task of its own: on a cold page (code not optimized yet) it took 20-45 ms
  // for a 200k-item pack.
  await yieldToPage();
  stillOpen();
  const {ok, ...summary} = check(core.openPack(engine));
  // The recommender's per-item state, fresh memory set a slice at a time (else set by the
  // first recommend()): for a 200k-item pack it took one 30-50 ms task when cold.
  await yieldToPage();
  stillOpen();
  await inSlices(() => core.prepareRecommender(engine, PREPARE_BYTES), stillOpen);
  return summary;
}

// Sharded packs (docs/pack-format.md#sharded-packs): where a file of the head loaded from
// `source` is, shard `index` (kind 'shard', .vpk) or directory block `index` (kind 'block',
// .vdb). shardUrl(index, digest, kind) wins; else shards/<digest>.<ext> beside the head.
export function partLocation(source, shardUrl, index, digest, kind) {
  if (shardUrl) return String(shardUrl(index, digest, kind));
  if (typeof source !== 'string' && !(source instanceof URL)) {
    throw new VitrineError(
        'invalid_argument', 'a sharded pack given as bytes needs the shardUrl option');
  }
  const file = `shards/${digest}.${kind === 'block' ? 'vdb' : 'vpk'}`;
  return new URL(file, new URL(source, globalThis.location?.href)).href;
}

// Shard `index`: with a two-level directory its block first (once per block: `blocks` maps
// a block index to its load in flight or done), then the shard itself.
export async function fetchShard(core, engine, {source, shardUrl, blocks}, index) {
  let file = check(core.shardFile(engine, index));
  if (file.loaded) return;
  if (file.digest === undefined) {
    let block = blocks.get(file.block);
    if (block === undefined) {
      const url = partLocation(source, shardUrl, file.block, file.blockDigest, 'block');
      block = loadPart(core, engine, url, 'pack directory block', 'addShardBlock');
      blocks.set(file.block, block);
      block.catch(() => blocks.delete(file.block));  // a later call may try again
    }
    await block;
    file = check(core.shardFile(engine, index));
  }
  await loadPart(
      core, engine, partLocation(source, shardUrl, index, file.digest, 'shard'), 'pack shard',
      'addShard');
}

// Fetches a shard (or a directory block) and hands it to the engine, which checks its
// SHA-256 against the head (or the block) and a shard's bytes as a pack before joining it;
// a bad file changes nothing.
async function loadPart(core, engine, url, what, add) {
  const bytes = await fetchBytes(url, what);
  if (bytes.length === 0) throw new VitrineError('data_loss', `the ${what} ${url} is empty`);
  check(core.shardBuffer(engine, bytes.length)).view.set(bytes);
  check(core[add](engine));
}
