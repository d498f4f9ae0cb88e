// Loads the wasm engine. The .wasm is found, in this order: options.wasmBinary (bytes),
// options.wasmUrl, or the file named vitrine.wasm beside this script (import.meta.url in
// an ES module build, document.currentScript in the script-tag build).
// 'vitrine-core' is the Emscripten ES module factory; the build (js/build.mjs) points it
// at the compiled output and bundles it in.
import createVitrineCore from 'vitrine-core';

import {VitrineError} from './errors.js';

export async function loadCore({wasmUrl, wasmBinary} = {}) {
  const moduleOptions = {
    locateFile: (file) => String(wasmUrl ?? file),
    onAbort: () => {},
    print: () => {},
    printErr: () => {},
  };
  if (wasmBinary) moduleOptions.wasmBinary = wasmBinary;
  try {
    return await createVitrineCore(moduleOptions);
  } catch (cause) {
    const error = new VitrineError(
        'load_failed', `could not load the Vitrine engine from ${wasmUrl}: ${cause}`);
    error.cause = cause;
    throw error;
  }
}
