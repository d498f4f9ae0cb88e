// Where reports live: PostgreSQL. Embedded by default (PGlite: PostgreSQL compiled to wasm,
// running in this process, on a directory or in memory), or a PostgreSQL server when a
// connection string is given (DATABASE_URL). The same SQL runs on both.
const MIGRATION = `
CREATE TABLE IF NOT EXISTS vitrine_reports (
  id      bytea   PRIMARY KEY,  -- the report's own random id: deduplication of retries
  type    text    NOT NULL,
  version integer NOT NULL,
  day     date    NOT NULL,     -- the day it arrived (UTC); no finer time is kept
  y_int   integer,              -- GRR answer
  y_bits  bytea,                -- OUE answer, bit v at byte v/8, bit v%8 (get_bit order)
  CHECK ((y_int IS NULL) <> (y_bits IS NULL))
);
CREATE INDEX IF NOT EXISTS vitrine_reports_type_day ON vitrine_reports (type, version, day);
`;

const INSERT = `
INSERT INTO vitrine_reports (id, type, version, day, y_int, y_bits)
SELECT decode(x.id, 'hex'), x.type, x.version, $6::date, x.y_int, decode(x.y_bits, 'hex')
FROM unnest($1::text[], $2::text[], $3::integer[], $4::integer[], $5::text[])
  AS x(id, type, version, y_int, y_bits)
ON CONFLICT (id) DO NOTHING
RETURNING encode(id, 'hex') AS id`;

// The de-biased estimate of every value on every day, with its variance and a 95%
// interval, in SQL (Wang et al. 2017; the same formulas as privacy/ldp/mechanism.cpp):
// count = (support - n q) / (p - q); var = (c p (1-p) + (n - c) q (1-q)) / (p - q)^2 with
// c the estimate clamped to [0, n]. Days with fewer than k reports are not released.
function estimatesSql(mechanism) {
  const support = mechanism === 'grr' ? '(r.y_int = g.v)::integer' : 'get_bit(r.y_bits, g.v)';
  return `
WITH s AS (
  SELECT r.day, g.v, count(*)::float8 AS n, sum(${support})::float8 AS support
  FROM vitrine_reports r CROSS JOIN generate_series(0, $3::integer - 1) AS g(v)
  WHERE r.type = $1 AND r.version = $2
  GROUP BY r.day, g.v
), e AS (
  SELECT day, v, n, (support - n * $5::float8) / ($4::float8 - $5::float8) AS est FROM s
  WHERE n >= $6
), c AS (
  SELECT day, v, n, est, greatest(least(est, n), 0) AS cl FROM e
)
SELECT to_char(day, 'YYYY-MM-DD') AS day, v, n::bigint AS n, est,
       sqrt((cl * $4 * (1 - $4) + (n - cl) * $5 * (1 - $5)) / (($4 - $5) * ($4 - $5))) AS sd
FROM c ORDER BY day, v`;
}

class PgliteDb {
  constructor(db) {
    this.db = db;
  }
  async query(sql, params = []) {
    return (await this.db.query(sql, params)).rows;
  }
  async exec(sql) {
    await this.db.exec(sql);
  }
  async close() {
    await this.db.close();
  }
}

class ServerDb {
  constructor(pool) {
    this.pool = pool;
  }
  async query(sql, params = []) {
    return (await this.pool.query(sql, params)).rows;
  }
  async exec(sql) {
    await this.pool.query(sql);
  }
  async close() {
    await this.pool.end();
  }
}

// {databaseUrl} for a server (npm pg), else {dataDir} for PGlite (undefined: in memory).
export async function openDatabase({databaseUrl, dataDir} = {}) {
  let db;
  if (databaseUrl) {
    const {default: pg} = await import('pg');
    db = new ServerDb(new pg.Pool({connectionString: databaseUrl, max: 4}));
  } else {
    const {PGlite} = await import('@electric-sql/pglite');
    db = new PgliteDb(await PGlite.create(dataDir));
  }
  await db.exec(MIGRATION);
  return db;
}

export class ReportStore {
  constructor(db) {
    this.db = db;
  }

  // Stores validated reports under `day` ('YYYY-MM-DD'); returns the set of ids that were
  // new (the others were already stored). One statement: all or nothing.
  async insert(reports, day) {
    const rows = await this.db.query(INSERT, [
      reports.map((r) => r.id), reports.map((r) => r.type.name), reports.map((r) => r.type.version),
      reports.map((r) => r.value), reports.map((r) => r.bits), day
    ]);
    return new Set(rows.map((r) => r.id));
  }

  async count() {
    const [row] = await this.db.query('SELECT count(*)::integer AS n FROM vitrine_reports');
    return row.n;
  }

  async ids() {
    const rows = await this.db.query('SELECT encode(id, \'hex\') AS id FROM vitrine_reports');
    return new Set(rows.map((r) => r.id));
  }

  // [{day, n, values: [{v, count, sd, low, high, share}]}] for days with at least k reports.
  async estimates(type, k) {
    const rows = await this.db.query(
        estimatesSql(type.mechanism), [type.name, type.version, type.domain, type.p, type.q, k]);
    const days = new Map();
    for (const r of rows) {
      if (!days.has(r.day)) days.set(r.day, {day: r.day, n: Number(r.n), values: []});
      const d = days.get(r.day);
      d.values.push({
        v: r.v,
        count: r.est,
        sd: r.sd,
        low: r.est - 1.96 * r.sd,
        high: r.est + 1.96 * r.sd,
        share: r.est / d.n,
      });
    }
    return [...days.values()];
  }

  close() {
    return this.db.close();
  }
}
