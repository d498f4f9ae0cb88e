// The autofill wasm module (dist/vitrine-autofill.wasm, C ABI of wasm/autofill_abi.cpp):
// JSON in, JSON out. No Emscripten glue: the few imports it declares are stubs.
async function bytesOrResponse(url) {
  if (url.startsWith('file:')) {
    const {readFile} = await import('node:fs/promises');
    return readFile(new URL(url));
  }
  return fetch(url, {credentials: 'same-origin'});
}

export async function loadAutofillWasm(url, VitrineError) {
  let module;
  try {
    const source = await bytesOrResponse(url);
    module = source instanceof Response && WebAssembly.compileStreaming ?
        await WebAssembly.compileStreaming(source) :
        await WebAssembly.compile(source instanceof Response ? await source.arrayBuffer() : source);
  } catch (cause) {
    throw Object.assign(
        new VitrineError('load_failed', `could not load the autofill module from ${url}`), {cause});
  }
  const imports = {};
  for (const {module: from, name, kind} of WebAssembly.Module.imports(module)) {
    if (kind !== 'function') continue;
    // Only exit/abort paths would call these (the module does no I/O).
    (imports[from] ??= {})[name] = /exit|abort/.test(name) ? () => {
      throw new VitrineError('internal', `autofill module: ${name}`);
    } : () => 0;
  }
  const {exports} = await WebAssembly.instantiate(module, imports);
  exports._initialize?.();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return (request) => {
    const bytes = encoder.encode(JSON.stringify(request));
    const ptr = exports.vaf_alloc(bytes.length);
    new Uint8Array(exports.memory.buffer, ptr, bytes.length).set(bytes);
    const out = exports.vaf_call(ptr, bytes.length);
    const text =
        decoder.decode(new Uint8Array(exports.memory.buffer, out, exports.vaf_result_len()));
    exports.vaf_free(ptr);
    return JSON.parse(text);
  };
}
