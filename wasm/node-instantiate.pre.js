// Node 20 has a global fetch, and Emscripten 3.1.6 then tries to fetch the .wasm by
// file path, which fails. In Node only, read the file ourselves (a path, a file: URL
// or a data: URI), unless the caller already supplied the bytes or an instantiate hook.
// Any failure aborts, which rejects the module's promise (never a silent hang).
// Node's names are quoted: the Closure Compiler (--closure 1) renames what it has no
// externs for.
if (typeof process === 'object' && process['versions'] && process['versions']['node'] &&
    !Module['wasmBinary'] && !Module['instantiateWasm']) {
  Module['instantiateWasm'] = function(imports, receive) {
    new Promise(function(resolve) {
      var where = Module['locateFile'] ? Module['locateFile']('vitrine-core.wasm', '') :
                                         'vitrine-core.wasm';
      var fs = require('fs');
      if (where.indexOf('data:') === 0) {
        resolve(Buffer['from'](where.slice(where.indexOf(',') + 1), 'base64'));
      } else {
        resolve(fs['promises']['readFile'](where.indexOf('file:') === 0 ? new URL(where) : where));
      }
    })
        .then(function(bytes) {
          return WebAssembly.instantiate(bytes, imports);
        })
        .then(
            function(r) {
              receive(r.instance, r.module);
            },
            function(e) {
              // abort() rejects the module promise, then throws: swallow the throw here so
              // it does not become an unhandled rejection.
              try {
                abort(e);
              } catch (ignored) {
              }
            });
    return {};
  };
}
