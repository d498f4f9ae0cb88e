// The personalization features the Vitrine class wires up: segments, rerank, experiments,
// and the rule pack facade (its evaluator and triggers load on demand, only when a pack is
// given: js/src/rules/). `host` is what the instance lends them:
//   now(), personal(), segments() -> { segments, evidence }, interests(), emit(name, data),
//   on(name, fn), read(name) -> Promise<value>, write(name, value[, merge]) -> Promise,
//   featureBase.
import {VitrineError} from '../errors.js';
import {loadFeature} from '../feature-loader.js';

import {expose, newSeed, pickVariant, readVariants, validRecord} from './experiments.js';
import {rerank, rerankArgs} from './rerank.js';

export function personalFeatures(host) {
  let experiments = null;         // { seed, exposures } once personalization allows it
  const definitions = new Map();  // experiment name -> variant entries (from the rule pack)
  let rules = null;               // Promise of the rules controller, once a pack is given

  const forget = () => {
    experiments = null;
  };
  host.on('consent', () => {
    if (!host.personal()) forget();
  });
  host.on('feature', (name) => {
    if (name === 'experiments') load();
  });

  async function load() {
    if (!host.personal()) return forget();
    const stored = await host.read('experiments');
    if (validRecord(stored)) {
      experiments = stored;
    } else if (stored === undefined && experiments === null) {
      return;  // made on first use
    }
  }

  function experiment(name, options = {}) {
    const given = options?.variants;
    const entries = readVariants(name, given ?? Object.fromEntries(definitions.get(name) ?? []));
    if (!host.personal()) return {variant: null};
    experiments ??= {seed: newSeed(), exposures: {}};
    const variant = pickVariant(experiments.seed, name, entries);
    expose(experiments, name, variant, host.now());
    const record = experiments;
    host.write('experiments', record).catch(() => {});
    return {variant};
  }

  return {
    load,
    experiment,
    experimentsLog: () => structuredClone(experiments?.exposures ?? {}),
    experimentsRecord: () => (experiments ? structuredClone(experiments) : null),
    rerank(results, options) {
      const maxShift = rerankArgs(results, options);
      if (!host.personal()) return results.map((r) => ({...r, reason: null, shift: 0}));
      const {segments, evidence} = host.segments();
      const categories = segments.affinities.categories ?? [];
      return rerank(results, maxShift, {
        // One engine call: the segments carry the top interests with their weights.
        interests:
            categories.map((category, i) => ({category, weight: evidence.categoryWeights[i]})),
        brands: segments.affinities.brands,
        priceBand: segments.affinities.priceBand,
        priceBands: evidence.priceBands,  // the pack's, or the defaults
      });
    },
    rules: Object.freeze({
      // Resolves to { rules, triggers }; a bad pack rejects with invalid_argument naming the
      // JSON path, and the pack in use stays.
      load: (source) => {
        rules ??= loadFeature('rules', host.featureBase).then((m) => m.startRules(host, {
          defineExperiment: (name, variants) => definitions.set(name, readVariants(name, variants)),
        }));
        return rules.then((controller) => controller.load(source));
      },
      // The page the shopper is on, for conditions on `page.*` (e.g. { type: 'product' }).
      setPage: (page) => {
        if (page === null || typeof page !== 'object') {
          throw new VitrineError('invalid_argument', 'setPage takes an object');
        }
        host.page = {...page};
      },
      // Decisions so far in this page: [{ ruleId, trigger, fired, reason, time }].
      decisions: async () => (rules ? (await rules).decisions() : []),
    }),
  };
}
