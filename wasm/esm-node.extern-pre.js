// EXPORT_ES6 output still calls require() and reads __dirname under Node. Define them
// from import.meta.url without an import statement or top-level await, so bundlers
// (esbuild, vite) keep working. In a browser both stay undefined and are never used.
var require = typeof process === 'object' && process.getBuiltinModule && import.meta.url ?
    process.getBuiltinModule('module').createRequire(import.meta.url) :
    undefined;
var __dirname =
    require ? require('path').dirname(require('url').fileURLToPath(import.meta.url)) : undefined;
