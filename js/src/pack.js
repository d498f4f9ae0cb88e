// Loading a model pack: a URL (fetched), an ArrayBuffer or a Uint8Array. The bytes are
// copied once, straight into wasm memory, and the engine checks every offset and
// checksum before using them; a bad pack leaves the previous one in use.
import {check, VitrineError} from './errors.js';

async function packBytes(source) {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof source === 'string' || source instanceof URL) {
    let response;
    try {
      // The pack is a public, static file: no cookies or credentials go with it.
      response = await fetch(source, {credentials: 'omit'});
    } catch (cause) {
      throw Object.assign(
          new VitrineError('pack_unavailable', `could not fetch the pack ${source}: ${cause}`),
          {cause});
    }
    if (!response.ok) {
      throw new VitrineError(
          'pack_unavailable', `could not fetch the pack ${source}: HTTP ${response.status}`);
    }
    return new Uint8Array(await response.arrayBuffer());
  }
  throw new VitrineError('invalid_argument', 'pack must be a URL, an ArrayBuffer or a Uint8Array');
}

// Returns { items, categories, embeddingDim, bytes }.
export async function loadPack(core, engine, source) {
  const bytes = await packBytes(source);
  if (bytes.length === 0) throw new VitrineError('data_loss', 'the pack is empty');
  const target = check(core.packBuffer(engine, bytes.length)).view;
  target.set(bytes);
  const {ok, ...summary} = check(core.openPack(engine));
  return summary;
}
