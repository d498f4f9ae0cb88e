// Loads an on-demand feature chunk (dist/vitrine-<name>.mjs) from beside the package:
// baseUrl is import.meta.url in the ES module build, the script's own src in the
// script-tag build (options.featureBase). A page that never uses the feature never
// fetches it.
export function loadFeature(name, baseUrl) {
  return import(
      /* webpackIgnore: true */ /* @vite-ignore */ new URL(`vitrine-${name}.mjs`, baseUrl).href);
}
