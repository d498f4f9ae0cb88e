// The autofill chunk (dist/vitrine-autofill.mjs), loaded by facade.js on first use: the
// checkout profile through the core's normalizer (wasm), detection and filling.
import {featureUrl} from '../feature-loader.js';
import {AUTOFILL} from '../purposes.js';

import {detect} from './detect.js';
import {fillForm} from './fill.js';
import {offer} from './offer.js';
import {loadAutofillWasm} from './wasm.js';

export async function createAutofill(host) {
  const {VitrineError} = host;
  const call = await loadAutofillWasm(featureUrl('vitrine-autofill.wasm', host.base), VitrineError);
  const normalize = (profile) => {
    if (profile === null || typeof profile !== 'object' || Array.isArray(profile)) {
      throw new VitrineError('invalid_argument', 'profile must be an object');
    }
    let answer;
    try {
      answer = call({op: 'normalize', profile});
    } catch (error) {
      throw new VitrineError('invalid_argument', `profile is not JSON data: ${error.message}`);
    }
    if (!answer.ok) {
      throw Object.assign(new VitrineError(answer.code, answer.message), {field: answer.field});
    }
    return answer.profile;
  };
  // The stored record goes through the core's normalizer too: one it refuses (damaged or
  // hostile) is quarantined by readSealed, and data_loss thrown.
  const check = (bytes) => {
    let answer;
    try {
      answer = call({op: 'normalize', profile: JSON.parse(new TextDecoder().decode(bytes))});
    } catch (error) {
      answer = {message: error.message};
    }
    if (!answer.ok) {
      throw new VitrineError('data_loss', `saved checkout details refused: ${answer.message}`);
    }
    return answer.profile;
  };
  const get = () => host.state((state) => state.readSealed(host.record, check));
  const write = (profile) => host.state((state) => state.lock(async () => {
    // Another tab may have withdrawn the purpose a moment ago.
    if (!((await state.readConsent())?.bits & AUTOFILL)) return null;
    await state.writeSealed(host.record, new TextEncoder().encode(JSON.stringify(profile)));
    return true;
  }));
  const checkRoot = (root) => {
    if (typeof root?.querySelectorAll !== 'function') {
      throw new VitrineError('invalid_argument', 'root must be a document or an element');
    }
    return root;
  };
  const api = {
    async save(profile) {
      const normalized = normalize(profile);
      if (!(await write(normalized))) {
        throw new VitrineError('permission_denied', 'the autofill purpose is not granted');
      }
      return normalized;
    },
    get,
    detect: (root = document) => detect(checkRoot(root)),
    async fill(root = document, {section} = {}) {
      checkRoot(root);
      if (section !== undefined && typeof section !== 'string') {
        throw new VitrineError('invalid_argument', 'section must be a string');
      }
      const profile = await get();
      if (!profile) return {filled: [], skipped: []};
      const values = call({op: 'values', profile});
      return fillForm(
          root, section, values,
          (kind, country, want, options) =>
              call({op: 'matchOption', kind, country, want, options}).index);
    },
    // data-autofill="on" (script tag): the fill offer and the remember box on checkout forms.
    offer: (root = document) => offer(checkRoot(root), api, host.consent, VitrineError),
  };
  return api;
}
