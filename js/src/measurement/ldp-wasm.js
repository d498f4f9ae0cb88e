// The local differential privacy mechanisms (privacy/ldp, C++) as the small standalone wasm
// vitrine-measurement.wasm: no Embind and no glue, so the measurement chunk stays light.
// Randomness: crypto.getRandomValues, handed to the module as env.random_fill.
import {VitrineError} from '../errors.js';

async function wasmBytes(source) {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return source;
  const url = String(source);
  if (url.startsWith('file:')) {
    // Node only (tests, server-side use): no import of node: modules in a browser bundle.
    return process.getBuiltinModule('fs').promises.readFile(new URL(url));
  }
  const res = await fetch(url, {credentials: 'omit'});
  if (!res.ok) throw new VitrineError('unavailable', `measurement wasm: HTTP ${res.status}`);
  return res.arrayBuffer();
}

// Resolves to {catalogue, value(typeIndex, measured), report(typeIndex, value, memo) ->
// {answer, json}}.
export async function loadLdp(source) {
  if (typeof crypto?.getRandomValues !== 'function') {
    throw new VitrineError('unsupported', 'crypto.getRandomValues is required for measurement');
  }
  const module = await WebAssembly.compile(await wasmBytes(source));
  let memory = null;
  const imports = {};
  // Anything the C++ runtime imports besides our random source must never be reached.
  for (const {module: m, name, kind} of WebAssembly.Module.imports(module)) {
    if (kind !== 'function') continue;
    imports[m] ??= {};
    imports[m][name] = () => {
      throw new VitrineError('internal', `measurement wasm called ${m}.${name}`);
    };
  }
  imports.env ??= {};
  imports.env.random_fill = (ptr, len) => {
    crypto.getRandomValues(new Uint8Array(memory.buffer, ptr, len));
  };
  const instance = await WebAssembly.instantiate(module, imports);
  const x = instance.exports;
  memory = x.memory;
  x._initialize?.();
  const io = () => new Uint8Array(memory.buffer, x.vt_io(), 4096);
  const text = (bytes) => new TextDecoder().decode(bytes);
  const catalogue = JSON.parse(text(io().slice(0, x.vt_catalogue())));
  return {
    catalogue,
    // The value to report for a measured number (days, views, a category index): the
    // type's bucket (privacy/ldp ReportType::value_of), or -1.
    value: (typeIndex, measured) => x.vt_value(typeIndex, measured),
    // memo: the Uint8Array answer of an earlier report of this type and value, or null.
    report(typeIndex, value, memo) {
      // A stored answer that is not bytes of a plausible size is ignored (a fresh one is
      // drawn); the C++ side checks the rest (well_formed, fuzzed: tests/fuzz/ldp_memo_fuzz).
      const stored = memo instanceof Uint8Array && memo.length <= 512 ? memo : null;
      if (stored) io().set(stored);
      const n = x.vt_report(typeIndex, value, stored ? stored.length : 0);
      if (n < 0) throw new VitrineError('invalid_argument', 'bad report type or value');
      const buf = io().slice(0, n);
      const len = buf[0] | (buf[1] << 8);
      return {answer: buf.slice(2, 2 + len), json: text(buf.subarray(2 + len))};
    },
  };
}
