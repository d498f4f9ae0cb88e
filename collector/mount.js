// The collector inside another node:http server (the demo shop): its paths under /vitrine/,
// and the database opened by open() or on the first request that needs it (the demo shop
// opens it at start, since its pages send reports).
import {createCollector} from './collector.js';

const PATHS = new Set(['/vitrine/collect', '/vitrine/estimates', '/vitrine/dashboard']);

export function mountCollector(options = {}) {
  let opening = null;
  return {
    owns: (url) => PATHS.has(String(url).split('?')[0]),
    // Opens the database now: opening it holds the server's event loop for seconds (PGlite),
    // which a shop serving pages that send reports must not do under a shopper's request.
    async open() {
      opening ??= createCollector({...options, basePath: '/vitrine'});
      await opening;
    },
    async handle(req, res) {
      opening ??= createCollector({...options, basePath: '/vitrine'});
      return (await opening).handle(req, res);
    },
    async close() {
      if (opening) await (await opening).close();
    },
  };
}
