// Loads the wasm engine. The .wasm is found, in this order: options.wasmBinary (bytes),
// options.wasmUrl, or the file named vitrine.wasm beside this script (import.meta.url in
// an ES module build, document.currentScript in the script-tag build).
// 'vitrine-core' is the Emscripten ES module factory; the build (js/build.mjs) points it
// at the compiled output and bundles it in.
import createVitrineCore from 'vitrine-core';

import {VitrineError} from './errors.js';

export async function loadCore({wasmUrl, wasmBinary, wasmIntegrity} = {}) {
  const moduleOptions = {
    locateFile: (file) => String(wasmUrl ?? file),
    onAbort: () => {},
    print: () => {},
    printErr: () => {},
  };
  if (wasmBinary) {
    moduleOptions.wasmBinary = wasmBinary;
  } else if (wasmIntegrity && typeof fetch === 'function') {
    // Subresource Integrity for the .wasm too: the browser refuses bytes whose hash differs.
    moduleOptions.instantiateWasm = (imports, receive) => {
      const response =
          fetch(String(wasmUrl), {integrity: wasmIntegrity, credentials: 'same-origin'});
      WebAssembly.instantiateStreaming(response, imports)
          .then(
              ({instance, module}) => receive(instance, module),
              (error) => moduleOptions.fail(error));
      return {};
    };
  }
  try {
    return await new Promise((resolve, reject) => {
      moduleOptions.fail = reject;
      createVitrineCore(moduleOptions).then(resolve, reject);
    });
  } catch (cause) {
    const error = new VitrineError(
        'load_failed', `could not load the Vitrine engine from ${wasmUrl}: ${cause}`);
    error.cause = cause;
    throw error;
  }
}
