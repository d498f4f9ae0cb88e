// The consent sources a shop can name (options.consent). Apart from the adapters so that
// validating the option does not bundle them: they load on demand (vitrine-consent.mjs).
export const CONSENT_SOURCES = ['tcf', 'gcm', 'shopify'];
