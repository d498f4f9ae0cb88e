// The collector inside another node:http server (the demo shop): its paths under /vitrine/,
// and the database opened on the first request that needs it, so that a shop server that
// never receives a report never starts PostgreSQL.
import {createCollector} from './collector.js';

const PATHS = new Set(['/vitrine/collect', '/vitrine/estimates', '/vitrine/dashboard']);

export function mountCollector(options = {}) {
  let opening = null;
  return {
    owns: (url) => PATHS.has(String(url).split('?')[0]),
    async handle(req, res) {
      opening ??= createCollector({...options, basePath: '/vitrine'});
      return (await opening).handle(req, res);
    },
    async close() {
      if (opening) await (await opening).close();
    },
  };
}
