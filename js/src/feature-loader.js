// Loads an on-demand feature chunk (dist/vitrine-<name>.mjs) from beside the package. base
// is either the folder's URL (the script tag: beside its script; or the shop's featureBase)
// or, by default in the ES module build, a table { file: URL } of every run-time file written
// as new URL('./file', import.meta.url) (js/build.mjs, 'vitrine-chunk-urls'): webpack 5 and
// Vite follow that pattern and emit the files themselves. A page that never uses the feature
// never fetches it.
export function featureUrl(file, base) {
  // The table names every file js/build.mjs emits (RUNTIME_FILES).
  return typeof base === 'object' ? base[file] : new URL(file, base).href;
}

export function loadFeature(name, base) {
  // The comments keep bundlers from following this import: the chunk is fetched by URL at
  // run time, it is not a module of the shop's bundle (js/build.mjs puts them back after
  // minifying, which drops comments).
  return import(
      /* webpackIgnore: true */ /* @vite-ignore */ featureUrl(`vitrine-${name}.mjs`, base));
}
