// v.autofill in the main bundle: a few lines that load the autofill chunk on first use, so
// pages that never fill a checkout do not download it. Consent is checked here first:
// without the `autofill` purpose nothing is loaded, read, offered or stored.
import {loadFeature} from '../feature-loader.js';

// host: { base, VitrineError, allowed(), read(), write(profile), remove() }
export function autofillFacade(host) {
  let module = null;
  let loading = null;
  const load = () => {
    loading ??= loadFeature('autofill', host.base).then((m) => m.createAutofill(host)).then((a) => {
      module = a;
      return a;
    });
    return loading;
  };
  const denied = () => Promise.reject(new host.VitrineError(
      'permission_denied', 'saving checkout details needs the autofill purpose'));
  return Object.freeze({
    load: () => load().then(() => undefined),
    save: (profile) => (host.allowed() ? load().then((a) => a.save(profile)) : denied()),
    get: () => (host.allowed() ? load().then((a) => a.get()) : Promise.resolve(null)),
    forget: () => host.remove(),
    fill: (root, options) =>
        (host.allowed() ? load().then((a) => a.fill(root, options)) :
                          Promise.resolve({filled: [], skipped: []})),
    detect: (root) => {
      if (!module) {
        throw new host.VitrineError(
            'failed_precondition', 'autofill.detect needs the module: await v.autofill.load()');
      }
      return module.detect(root);
    },
  });
}
