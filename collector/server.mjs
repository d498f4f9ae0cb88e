#!/usr/bin/env node
// The collector on its own: node collector/server.mjs [--port 8081] [--host 127.0.0.1]
//   [--data-dir DIR] [--k 50]. With DATABASE_URL set it uses that PostgreSQL server;
// otherwise an embedded PostgreSQL (PGlite) in DIR (default: in memory).
import http from 'node:http';
import {parseArgs} from 'node:util';

import {createCollector} from './collector.js';

const {values} = parseArgs({
  options: {
    port: {type: 'string', default: '8081'},
    host: {type: 'string', default: '127.0.0.1'},
    'data-dir': {type: 'string'},
    k: {type: 'string', default: '50'},
    'reports-per-second': {type: 'string', default: '5000'},
  },
});
const collector = await createCollector({
  dataDir: values['data-dir'],
  k: Number(values.k),
  reportsPerSecond: Number(values['reports-per-second']),
  basePath: '',
});
const server = http.createServer(async (req, res) => {
  if (!(await collector.handle(req, res))) {
    res.writeHead(404, {'content-type': 'text/plain'});
    res.end('not found\n');
  }
});
server.listen(Number(values.port), values.host, () => {
  const {port} = server.address();
  // The line tests and scripts wait for.
  console.log(`collector listening on http://${values.host}:${port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => collector.close().then(() => process.exit(0))));
}
