// Features a page may not use are separate chunks (dist/vitrine-<name>.mjs), fetched only
// when first called. baseUrl: import.meta.url in the ES module build, the script tag's own
// src in the script-tag build (options.featureBase).
export function loadFeature(name, baseUrl) {
  return import(new URL(`vitrine-${name}.mjs`, baseUrl).href);
}
