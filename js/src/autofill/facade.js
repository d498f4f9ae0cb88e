// v.autofill in the main bundle: loads the autofill chunk on first use, so pages that never
// fill a checkout do not download it. Consent is checked here first: without the `autofill`
// purpose nothing is loaded, read, offered or stored.
import {loadFeature} from '../feature-loader.js';

// Where the saved details live (sealed: storage/crypto.js).
export const AUTOFILL_RECORD = {
  store: 'autofill',
  key: 'profile',
  format: 'vitrine.autofill',
  version: 1
};
export const parseJson = (bytes) => JSON.parse(new TextDecoder().decode(bytes));

// host: { base, VitrineError, consent, allowed(), state(job) } (see index.js)
export function autofillFacade(host) {
  let module = null;
  let loading = null;
  const load = () =>
      (loading ??= loadFeature('autofill', host.base)
                       .then((m) => m.createAutofill({...host, record: AUTOFILL_RECORD}))
                       .then((a) => (module = a)));
  const use = (fn, otherwise) => (host.allowed() ? load().then(fn) : otherwise());
  return Object.freeze({
    load: () => load().then(() => {}),
    // What the script tag's data-autofill="on" calls on a checkout page.
    offer: (root) => load().then((a) => a.offer(root)),
    save: (profile) => use(
        (a) => a.save(profile),
        () => Promise.reject(new host.VitrineError('permission_denied', 'autofill not granted'))),
    get: () => use((a) => a.get(), async () => null),
    forget: () => host.state((s) => s.removeRecord(AUTOFILL_RECORD)),
    fill: (root, options) =>
        use((a) => a.fill(root, options), async () => ({filled: [], skipped: []})),
    detect: (root) => {
      if (!module)
        throw new host.VitrineError('failed_precondition', 'await v.autofill.load() first');
      return module.detect(root);
    },
  });
}
