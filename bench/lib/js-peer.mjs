// A JavaScript peer of the engine's recommendation scoring (issue 15): the same pack
// (.vpk, docs/pack-format.md) read with typed arrays over its ArrayBuffer, the same scoring
// as core/src/recommend.cpp (neighbourhood, embeddings, and the statistics scorer with the
// learned fusion of core/src/recommend/stats_scorer.cpp), written as plain JavaScript with
// no wasm. It exists so the benchmark can show what the wasm build buys
// (bench/js_peer.mjs); it is not part of the package.
//
// Its lists equal the engine's, item for item and score for score: the engine computes in
// float32 in a fixed order, and every float32 operation here is rounded with Math.fround
// in that same order (a double operation on two floats, rounded once to float, is the
// float operation). log and exp are the engine's own polynomials (core/src/detmath.hpp).
//
// Left out: removed interests (the engine's profile), sharded packs, price bands (POPB),
// the DPAR parameters (read by nobody here). Section checksums are checked only with
// {verifyChecksums: true}; every offset, length and id is checked at open, so a bad pack
// gives an Error naming the section, never an out-of-range read.
const F = Math.fround;
const NO_ITEM = 0xffffffff;
const MAGIC = 'VTRNPACK';
const MAX_ID_BYTES = 256;

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  throw new Error('js-peer: typed arrays over the pack need a little-endian host');
}

// --- reading -------------------------------------------------------------------------

function corrupt(what) {
  return new Error(`model pack: ${what}`);
}

let crcTable = null;
function crc32(bytes) {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; ++n) {
      let c = n;
      for (let k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; ++i) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// A typed array over `count` elements at byte `offset` of the buffer: a view when the
// offset is aligned (the builder aligns sections), else a copy (SSTA's inner tables follow
// N-byte code arrays, so they are often unaligned).
function typed(Type, u8, offset, count) {
  const at = u8.byteOffset + offset;
  if (at % Type.BYTES_PER_ELEMENT === 0) return new Type(u8.buffer, at, count);
  return new Type(u8.slice(offset, offset + count * Type.BYTES_PER_ELEMENT).buffer);
}

// 256 dequantization values, finite and >= 0.
function table256(u8, offset, name) {
  const t = typed(Float32Array, u8, offset, 256);
  for (let k = 0; k < 256; ++k) {
    if (!Number.isFinite(t[k]) || t[k] < 0) throw corrupt(`bad table in ${name}`);
  }
  return t;
}

// Offsets start at 0, never decrease and end at `end`.
function checkOffsets(offs, end, name) {
  let prev = offs[0];
  if (prev !== 0) throw corrupt(`bad offsets in ${name}`);
  for (let k = 1; k < offs.length; ++k) {
    if (offs[k] < prev) throw corrupt(`bad offsets in ${name}`);
    prev = offs[k];
  }
  if (prev !== end) throw corrupt(`bad offsets in ${name}`);
}

function checkIds(ids, n, name) {
  for (let k = 0; k < ids.length; ++k) {
    if (ids[k] >= n) throw corrupt(`item out of range in ${name}`);
  }
}

// Strings 1..256 bytes, strictly increasing bytewise (binary search needs the order).
function checkSorted(offs, bytes, name) {
  for (let k = 0; k + 1 < offs.length; ++k) {
    const a = offs[k], b = offs[k + 1];
    if (b === a || b - a > MAX_ID_BYTES) throw corrupt(`empty or too long string in ${name}`);
    if (k > 0 && compareBytes(bytes, offs[k - 1], a, bytes, a, b) >= 0) {
      throw corrupt(`strings not sorted in ${name}`);
    }
  }
}

function compareBytes(x, xa, xb, y, ya, yb) {
  const len = Math.min(xb - xa, yb - ya);
  for (let k = 0; k < len; ++k) {
    const d = x[xa + k] - y[ya + k];
    if (d !== 0) return d;
  }
  return (xb - xa) - (yb - ya);
}

// A relation (RSEQ, RCOV, RBUY, or one of SSTA's): row i is [rowPtr[i], rowPtr[i + 1]) of
// ids and codes, weight = table[code]. Rows are strongest first.
function relation(u8, at, n, nnz, width, name) {
  const table = table256(u8, at, name);
  const rowPtr = typed(Uint32Array, u8, at + 1024, n + 1);
  checkOffsets(rowPtr, nnz, name);
  const idAt = at + 1024 + 4 * (n + 1);
  const ids = typed(width === 4 ? Uint32Array : Uint16Array, u8, idAt, nnz);
  checkIds(ids, n, name);
  const codes = u8.subarray(idAt + width * nnz, idAt + (width + 1) * nnz);
  return {table, rowPtr, ids, codes};
}

const EMPTY_RELATION = {
  table: new Float32Array(256),
  rowPtr: new Uint32Array(0),
  ids: new Uint32Array(0),
  codes: new Uint8Array(0)
};

export class PeerPack {
  // bytes: an ArrayBuffer or a Uint8Array (read in place, not copied).
  static open(bytes, {verifyChecksums = false} = {}) {
    // A plain Uint8Array view (a node Buffer's slice() would not copy).
    const u8 = ArrayBuffer.isView(bytes) ?
        new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) :
        new Uint8Array(bytes);
    return new PeerPack(u8, verifyChecksums);
  }

  constructor(u8, verifyChecksums) {
    const size = u8.length;
    if (size < 32) throw corrupt('truncated header');
    for (let k = 0; k < 8; ++k) {
      if (u8[k] !== MAGIC.charCodeAt(k)) throw corrupt('bad magic (not a Vitrine pack)');
    }
    const dv = new DataView(u8.buffer, u8.byteOffset, size);
    const u32 = (at) => dv.getUint32(at, true);
    const version = u32(8);
    if (version !== 1) throw corrupt(`unsupported version ${version}`);
    const nsec = u32(12);
    if (nsec > 64) throw corrupt('too many sections');
    if (32 + 16 * nsec > size) throw corrupt('truncated section table');
    if (u32(24) !== size)
      throw corrupt(`size mismatch: header says ${u32(24)}, buffer has ${size}`);
    const n = u32(16), nc = u32(20);
    if (n >= NO_ITEM || nc >= NO_ITEM) throw corrupt('bad counts');
    if (verifyChecksums) {
      const head = new Uint8Array(28 + 16 * nsec);
      head.set(u8.subarray(0, 28));
      head.set(u8.subarray(32, 32 + 16 * nsec), 28);
      if (crc32(head) !== u32(28)) throw corrupt('header checksum mismatch');
    }
    const sections = new Map();
    for (let s = 0; s < nsec; ++s) {
      const e = 32 + 16 * s;
      const tag = String.fromCharCode(u8[e], u8[e + 1], u8[e + 2], u8[e + 3]);
      const off = u32(e + 4), len = u32(e + 8);
      if (off < 32 + 16 * nsec || off + len > size) throw corrupt(`section ${tag} out of bounds`);
      if (sections.has(tag)) throw corrupt(`duplicate section ${tag}`);
      if (verifyChecksums && crc32(u8.subarray(off, off + len)) !== u32(e + 12)) {
        throw corrupt(`checksum mismatch in section ${tag}`);
      }
      sections.set(tag, {off, len});
    }
    const need = (tag, len) => {
      const s = sections.get(tag);
      if (s === undefined) throw corrupt(`missing section ${tag}`);
      if (len !== undefined && s.len !== len) throw corrupt(`bad length of section ${tag}`);
      return s;
    };
    this.bytes = u8;
    this.items = n;
    this.categories = nc;
    need('META', 32);

    const idof = need('IDOF', 4 * (n + 1)), idst = need('IDST');
    this.idOffsets = typed(Uint32Array, u8, idof.off, n + 1);
    this.idBytes = u8.subarray(idst.off, idst.off + idst.len);
    checkOffsets(this.idOffsets, idst.len, 'IDOF');
    checkSorted(this.idOffsets, this.idBytes, 'IDST');
    const ctof = need('CTOF', 4 * (nc + 1)), ctst = need('CTST');
    this.catOffsets = typed(Uint32Array, u8, ctof.off, nc + 1);
    this.catBytes = u8.subarray(ctst.off, ctst.off + ctst.len);
    checkOffsets(this.catOffsets, ctst.len, 'CTOF');
    checkSorted(this.catOffsets, this.catBytes, 'CTST');

    this.itemCategory = typed(Uint32Array, u8, need('ICAT', 4 * n).off, n);
    for (let i = 0; i < n; ++i) {
      const c = this.itemCategory[i];
      if (c !== NO_ITEM && c >= nc) throw corrupt('item category out of range');
    }
    need('IPRC', 4 * n);
    const iflg = need('IFLG', n);
    this.itemFlags = u8.subarray(iflg.off, iflg.off + n);

    const popq = need('POPQ', 1024 + n);
    this.popTable = table256(u8, popq.off, 'POPQ');
    this.popCodes = u8.subarray(popq.off + 1024, popq.off + 1024 + n);
    const popt = need('POPT');
    if (popt.len % 4 !== 0 || popt.len / 4 > n) throw corrupt('bad length of section POPT');
    this.topIds = typed(Uint32Array, u8, popt.off, popt.len / 4);
    checkIds(this.topIds, n, 'POPT');
    const pops = need('POPS');
    if (pops.len < 4 * (nc + 1) || (pops.len - 4 * (nc + 1)) % 4 !== 0) {
      throw corrupt('bad length of section POPS');
    }
    this.segPtr = typed(Uint32Array, u8, pops.off, nc + 1);
    const m = (pops.len - 4 * (nc + 1)) / 4;
    checkOffsets(this.segPtr, m, 'POPS');
    this.segIds = typed(Uint32Array, u8, pops.off + 4 * (nc + 1), m);
    checkIds(this.segIds, n, 'POPS');

    // Relations: 0 co_view_seq (RSEQ), 1 co_view (RCOV), 2 co_purchase (RBUY).
    this.relations = ['RSEQ', 'RCOV', 'RBUY'].map((tag) => {
      const s = sections.get(tag);
      if (s === undefined) return EMPTY_RELATION;
      if (s.len < 1040) throw corrupt(`truncated relation ${tag}`);
      const rows = u32(s.off), nnz = u32(s.off + 4), width = u32(s.off + 8);
      if (rows !== n) throw corrupt(`relation ${tag} row count differs from item count`);
      if (width !== 4 && !(width === 2 && n <= 65536)) throw corrupt(`bad id width in ${tag}`);
      if (s.len !== 1040 + 4 * (n + 1) + (width + 1) * nnz) {
        throw corrupt(`bad length of relation ${tag}`);
      }
      return relation(u8, s.off + 16, n, nnz, width, tag);
    });

    this.embeddingDim = 0;
    const embd = sections.get('EMBD');
    if (embd !== undefined) {
      if (embd.len < 8) throw corrupt('truncated embeddings');
      const dim = u32(embd.off), scale = dv.getFloat32(embd.off + 4, true);
      if (dim === 0 || dim > 1024) throw corrupt('bad embedding dimension');
      if (!Number.isFinite(scale) || scale <= 0) throw corrupt('bad embedding scale');
      if (embd.len !== 8 + dim * n) throw corrupt('bad length of section EMBD');
      this.embeddingDim = dim;
      this.embeddings = new Int8Array(u8.buffer, u8.byteOffset + embd.off + 8, dim * n);
    }
    this.clusters = null;  // EIDX: the embeddings in clusters
    const eidx = sections.get('EIDX');
    if (eidx !== undefined && this.embeddingDim > 0 && eidx.len >= 16 && u32(eidx.off) === 1) {
      this.clusters = readClusters(dv, eidx, n, this.embeddingDim);
    }

    this.stats = null;  // SSTA: {values: [{table, codes} | null] x 8, relations: [...] x 4}
    this.fusion = null;
    const ssta = sections.get('SSTA');
    if (ssta !== undefined) this.stats = readStats(u8, dv, ssta, n);
    const fusn = sections.get('FUSN');
    if (fusn !== undefined) this.fusion = readFusion(u8, dv, fusn, this.stats !== null);
  }

  // Dense id of a string item id, or -1 (binary search over the sorted, UTF-8 ids).
  find(itemId) {
    return search(encoder.encode(itemId), this.idOffsets, this.idBytes, this.items);
  }
  findCategory(name) {
    return search(encoder.encode(name), this.catOffsets, this.catBytes, this.categories);
  }
  itemId(item) {
    return decoder.decode(this.idBytes.subarray(this.idOffsets[item], this.idOffsets[item + 1]));
  }
  categoryName(c) {
    return decoder.decode(this.catBytes.subarray(this.catOffsets[c], this.catOffsets[c + 1]));
  }
  popularity(item) {
    return this.popTable[this.popCodes[item]];
  }
  available(item) {
    return (this.itemFlags[item] & 1) !== 0;
  }
  // A session statistic (SSTA value s) of an item; 0 when the pack lacks it.
  stat(s, item) {
    const v = this.stats.values[s];
    return v === null ? 0 : v.table[v.codes[item]];
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function search(key, offs, bytes, count) {
  let lo = 0, hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareBytes(bytes, offs[mid], offs[mid + 1], key, 0, key.length);
    if (c < 0) {
      lo = mid + 1;
    } else if (c > 0) {
      hi = mid;
    } else {
      return mid;
    }
  }
  return -1;
}

// SSTA: layout 1 only (another layout is ignored, as the engine does).
function readStats(u8, dv, s, n) {
  if (s.len < 32) throw corrupt('truncated section SSTA');
  const u32 = (at) => dv.getUint32(at, true);
  if (u32(s.off) !== 1) return null;
  if (u32(s.off + 4) !== n || u32(s.off + 8) !== 8 || u32(s.off + 12) !== 4) {
    throw corrupt('bad counts in SSTA');
  }
  const parts = u32(s.off + 28);
  if (!(parts & 1) || parts > 0xfff) throw corrupt('bad parts in SSTA');
  let at = s.off + 32;
  const end = s.off + s.len;
  const take = (len) => {
    if (at + len > end) throw corrupt('truncated section SSTA');
    const start = at;
    at += len;
    return start;
  };
  const values = [];
  for (let v = 0; v < 8; ++v) {
    if (!(parts & (1 << v))) {
      values.push(null);
      continue;
    }
    const p = take(1024 + n);
    values.push({table: table256(u8, p, 'SSTA'), codes: u8.subarray(p + 1024, p + 1024 + n)});
  }
  const relations = [];
  for (let r = 0; r < 4; ++r) {
    if (!(parts & (1 << (8 + r)))) {
      relations.push(null);
      continue;
    }
    const p = take(8 + 1024 + 4 * (n + 1));
    const nnz = u32(p), width = u32(p + 4);
    if (width !== 4 && !(width === 2 && n <= 65536)) throw corrupt('bad id width in SSTA');
    take((width + 1) * nnz);
    relations.push(relation(u8, p + 8, n, nnz, width, 'SSTA'));
  }
  if (at !== end) throw corrupt('bad length of section SSTA');
  return {values, relations};
}

// FUSN: layout 1; used only with SSTA, 14 hand weights and features this scorer knows.
function readFusion(u8, dv, s, hasStats) {
  if (s.len < 24) throw corrupt('truncated section FUSN');
  const u32 = (at) => dv.getUint32(at, true);
  if (u32(s.off) !== 1) return null;
  const nf = u32(s.off + 4), nh = u32(s.off + 8), candidates = u32(s.off + 12);
  const hand = u32(s.off + 16), neighbours = u32(s.off + 20);
  if (nf === 0 || nf > 256 || nh > 256 || candidates === 0 || candidates > 1000 || hand > 256 ||
      neighbours > 1000) {
    throw corrupt('bad sizes in FUSN');
  }
  const floats = hand + 3 * nf + nh * nf + 2 * nh;
  if (s.len !== 24 + 4 * nf + 4 * floats) throw corrupt('bad length of section FUSN');
  const ids = typed(Uint32Array, u8, s.off + 24, nf);
  const f = typed(Float32Array, u8, s.off + 24 + 4 * nf, floats);
  for (let k = 0; k < floats; ++k) {
    if (!Number.isFinite(f[k])) throw corrupt('non-finite weight in FUSN');
  }
  if (!hasStats || hand !== STATS_KEYS.length) return null;
  for (const id of ids) {
    if (id >= FEATURE_KINDS) return null;  // a feature this scorer cannot compute
  }
  let at = 0;
  const next = (len) => f.subarray(at, (at += len));
  const handWeights = {};
  next(hand).forEach((v, k) => {
    handWeights[STATS_KEYS[k]] = v;
  });
  return {
    candidates,
    neighbours: neighbours !== 0 ? neighbours : CLASSIC_CANDIDATES,
    ids,
    hand: handWeights,
    mean: next(nf),
    scale: next(nf),
    u: next(nf),
    w: next(nh * nf),
    b: next(nh),
    v: next(nh)
  };
}

// --- the engine's deterministic log and exp (core/src/detmath.hpp) ------------------------

const f64 = new Float64Array(1);
const f64Bits = new Uint32Array(f64.buffer);

// 2^e for an integer e in [-1022, 1023], from its bits.
function pow2(e) {
  f64Bits[0] = 0;
  f64Bits[1] = (e + 1023) << 20;
  return f64[0];
}

function detLog(x) {
  if (!(x > 0)) return -1e30;
  // frexp: x = m * 2^e, m in [0.5, 1), read from the bits (exact).
  let shift = 0;
  if (x < 2.2250738585072014e-308) {  // subnormal: scale into the normal range first
    x *= 18446744073709551616;        // 2^64
    shift = 64;
  }
  f64[0] = x;
  let e = ((f64Bits[1] >>> 20) & 0x7ff) - 1022 - shift;
  f64Bits[1] = (f64Bits[1] & 0x800fffff) | (1022 << 20);
  let m = f64[0];
  if (m < 0.70710678118654752) {
    m *= 2;
    --e;
  }
  const s = (m - 1) / (m + 1), s2 = s * s;
  let p = 1 / 15;
  p = p * s2 + 1 / 13;
  p = p * s2 + 1 / 11;
  p = p * s2 + 1 / 9;
  p = p * s2 + 1 / 7;
  p = p * s2 + 1 / 5;
  p = p * s2 + 1 / 3;
  p = p * s2 + 1;
  return 2 * s * p + e * 0.69314718055994531;
}

const EXP_COEFFS = [
  1 / 39916800, 1 / 3628800, 1 / 362880, 1 / 40320, 1 / 5040, 1 / 720, 1 / 120, 1 / 24, 1 / 6,
  1 / 2, 1, 1
];

function detExp(x) {
  if (x < -700) x = -700;
  if (x > 700) x = 700;
  const k = Math.floor(x * 1.4426950408889634 + 0.5);
  const r = x - k * 0.69314718055994531;
  let p = 1 / 479001600;
  for (const c of EXP_COEFFS) p = p * r + c;
  // ldexp: two exact power-of-two steps (2^k alone underflows below k = -1022).
  const h = Math.trunc(k / 2);
  return p * pow2(h) * pow2(k - h);
}

const detPow = (x, a) => (x > 0 ? detExp(a * detLog(x)) : 0);
const flog = (x) => F(detLog(x));

// lrint: to nearest, ties to even.
function rint(x) {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// Section EIDX, checked as core/src/pack.cpp does.
function readClusters(dv, s, n, dim) {
  const u32 = (o) => dv.getUint32(o, true);
  const k = u32(s.off + 4);
  if (u32(s.off + 8) !== dim || u32(s.off + 12) !== 0) throw corrupt('bad EIDX header');
  if (k === 0 || k > n) throw corrupt('bad EIDX cluster count');
  if (s.len !== 16 + 4 * (k * dim + k + (k + 1) + n)) throw corrupt('bad length of section EIDX');
  const at = s.off + 16;
  const floats = (o, len) =>
      Float32Array.from({length: len}, (_, i) => dv.getFloat32(o + 4 * i, true));
  const centres = floats(at, k * dim), radius = floats(at + 4 * k * dim, k);
  const offsets = Uint32Array.from({length: k + 1}, (_, i) => u32(at + 4 * (k * dim + k + i)));
  const members = Uint32Array.from({length: n}, (_, i) => u32(at + 4 * (k * dim + 2 * k + 1 + i)));
  if (!centres.every(Number.isFinite)) throw corrupt('bad EIDX centre');
  if (!radius.every((r) => r >= 0 && Number.isFinite(r))) throw corrupt('bad EIDX radius');
  for (let c = 0; c < k; ++c) {
    if (offsets[c + 1] < offsets[c]) throw corrupt('EIDX offsets not ascending');
  }
  if (offsets[0] !== 0 || offsets[k] !== n) throw corrupt('EIDX offsets do not cover the items');
  const seen = new Uint8Array(n);
  for (const m of members) {
    if (m >= n || seen[m]) throw corrupt('EIDX members are not the items once each');
    seen[m] = 1;
  }
  return {count: k, centres, radius, offsets, members};
}

// out[r] = the dot of query with row r: the hot loop of the embedding pass, on its own so
// the JIT optimizes it apart from the selection after it.
function dotRows(query, rows, count, dim, out) {
  for (let r = 0, o = 0; r < count; ++r, o += dim) {
    let d = 0;
    for (let k = 0; k < dim; ++k) d += query[k] * rows[o + k];
    out[r] = d;
  }
}

// out[t] = the dot of query with row ids[a + t], t < count.
function dotGather(query, rows, dim, ids, a, count, out) {
  for (let t = 0; t < count; ++t) {
    const o = ids[a + t] * dim;
    let d = 0;
    for (let k = 0; k < dim; ++k) d += query[k] * rows[o + k];
    out[t] = d;
  }
}

// --- scoring ---------------------------------------------------------------------------

export const SOURCES = ['co_view', 'co_purchase', 'embedding', 're_view', 'popularity', 'segment'];
const CO_VIEW = 0, CO_PURCHASE = 1, EMBEDDING = 2, RE_VIEW = 3, POPULARITY = 4, SEGMENT = 5;
const SEQ = 0, COV = 1, BUY = 2;

// Event names as the package's track() takes them: seed weight class of each.
const CART_EVENTS =
    new Set(['add_to_cart', 'begin_checkout', 'add_shipping_info', 'add_payment_info']);
const VIEW_EVENTS = new Set(['view_item', 'select_item']);
// The events the engine's history keeps (core/src/history.cpp): the others never reach
// its scoring.
const KEPT_EVENTS = new Set([
  'view_item', 'select_item', 'add_to_cart', 'remove_from_cart', 'begin_checkout', 'purchase',
  'refund'
]);

// core/include/vitrine/recommend.hpp, ScoringWeights and StatsWeights (float32 values).
export const DEFAULT_WEIGHTS = Object.freeze({
  historyItems: 20,
  recency: F(0.65),
  coViewSeq: F(0.4),
  coView: F(0.4),
  coPurchase: F(0.5),
  reView: 2,
  reViewLast: 0.5,
  twoHop: F(0.1),
  twoHopSeeds: 2,
  twoHopFanout: 10,
  embedding: F(0.2),
  view: 1,
  cart: 1.5,
  purchase: 0.5,
  contextItem: 2,
  cartComplement: 2,
});
const STATS_KEYS = [
  'contextItems', 'decay', 'forward', 'backward', 'cooccur', 'immediate', 'twoHop', 'repeat',
  'repeatBase', 'immediateRepeat', 'rowExp', 'cooccurPop', 'popBoost', 'twoHopFanout'
];
export const DEFAULT_STATS_WEIGHTS = Object.freeze({
  contextItems: 10,
  decay: F(0.6),
  forward: 1,
  backward: F(0.3),
  cooccur: 1,
  immediate: 0,
  twoHop: 1,
  repeat: 4,
  repeatBase: F(0.4),
  immediateRepeat: 0,
  rowExp: 0.75,
  cooccurPop: 0,
  popBoost: F(-0.1),
  twoHopFanout: 10,
});
const FEATURE_KINDS = 32;
const CLASSIC_CANDIDATES = 50;
const EMBEDDING_CANDIDATES = 200;
const TOUCHED = 1, EXCLUDED = 2, CHOSEN = 4;

function typeWeight(w, event) {
  if (CART_EVENTS.has(event)) return w.cart;
  if (event === 'purchase') return w.purchase;
  if (VIEW_EVENTS.has(event)) return w.view;
  return 0;  // lists, searches, removals, refunds: not a sign of interest in the item
}

// Sorts the `k` first of list[0..len) by `before` (a strict total order), leaving the
// rest in any order: a bounded heap, then a sort of the k kept.
function partialSort(list, len, k, before) {
  const cmp = (a, b) => (before(a, b) ? -1 : 1);
  if (k >= len) {
    list.subarray(0, len).sort(cmp);
    return;
  }
  if (k === 0) return;
  // Max-heap of the k best so far, the worst at the root.
  const sift = (i) => {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let worst = i;
      if (l < k && before(list[worst], list[l])) worst = l;
      if (r < k && before(list[worst], list[r])) worst = r;
      if (worst === i) return;
      const t = list[i];
      list[i] = list[worst];
      list[worst] = t;
      i = worst;
    }
  };
  for (let i = (k >> 1) - 1; i >= 0; --i) sift(i);
  for (let i = k; i < len; ++i) {
    if (before(list[i], list[0])) {
      const t = list[0];
      list[0] = list[i];
      list[i] = t;
      sift(0);
    }
  }
  list.subarray(0, k).sort(cmp);
}

// The statistics scorer (SSTA) and the fusion (FUSN): core/src/recommend/stats_scorer.cpp.
class StatsScorer {
  constructor(pack) {
    const n = pack.items;
    this.pack = pack;
    this.score = new Float32Array(n);
    this.parts = new Float32Array(n * 6);
    this.best = new Float32Array(n);
    this.bestItem = new Uint32Array(n).fill(NO_ITEM);
    this.bestPart = new Uint8Array(n);
    this.links = new Uint8Array(n);
    this.lastForward = new Float32Array(n);  // the parts from the last context item
    this.lastCooccur = new Float32Array(n);
    this.occ = new Uint32Array(n);
    this.dist = new Uint32Array(n);
    this.touched = new Uint32Array(n);
    this.touchedCount = 0;
    this.history = [];
    this.contextCount = 0;
    this.length = 0;
  }

  add(j, part, value, reason) {
    if (!(value > 0)) return;
    if (this.score[j] === 0 && this.best[j] === 0) this.touched[this.touchedCount++] = j;
    this.parts[j * 6 + part] += value;
    this.score[j] += value;
    if (value > this.best[j]) {
      this.best[j] = value;
      this.bestItem[j] = reason;
      this.bestPart[j] = part;
    }
  }

  sourceOf(j) {
    return this.bestPart[j] === 5 ? RE_VIEW : CO_VIEW;
  }

  // A relation row of item i and its sum: SSTA's own, or RSEQ (forward) / RCOV
  // (co-occurrence) summed over their kept entries in a compact pack.
  rowOf(rel, i) {
    const pack = this.pack;
    const own = pack.stats.relations[rel];
    if (own !== null) {
      // Values 4..7: sums of forward, backward, co-occurrence, immediate.
      const sumStat = [4, 5, 7, 6][rel];
      return {r: own, a: own.rowPtr[i], b: own.rowPtr[i + 1], sum: pack.stat(sumStat, i)};
    }
    const r = rel === 0 ? pack.relations[SEQ] : rel === 3 ? pack.relations[COV] : EMPTY_RELATION;
    if (r.rowPtr.length === 0) return {r, a: 0, b: 0, sum: 0};
    const a = r.rowPtr[i], b = r.rowPtr[i + 1];
    let sum = 0;
    for (let m = a; m < b; ++m) sum = F(sum + r.table[r.codes[m]]);
    return {r, a, b, sum};
  }

  run(items, w) {
    const pack = this.pack;
    const n = pack.items;
    for (let t = 0; t < this.touchedCount; ++t) {
      const j = this.touched[t];
      this.score[j] = 0;
      this.best[j] = 0;
      this.bestItem[j] = NO_ITEM;
      this.bestPart[j] = 0;
      this.links[j] = 0;
      this.lastForward[j] = this.lastCooccur[j] = 0;
      this.parts.fill(0, j * 6, j * 6 + 6);
    }
    this.touchedCount = 0;
    for (const j of this.history) this.occ[j] = this.dist[j] = 0;
    const history = (this.history = []);
    let length = 0;
    for (const j of items) {
      if (this.occ[j] === 0) history.push(j);
      ++this.occ[j];
      this.dist[j] = length++;
    }
    for (const j of history) this.dist[j] = length - 1 - this.dist[j];
    this.length = length;

    const maxCtx = Math.trunc(Math.max(0, w.contextItems));
    this.contextCount = 0;
    let wd = 1;
    let fromEnd = 0;
    const spread = (i, rel, part, weight, byPop, last) => {
      if (!(weight > 0)) return;
      const {r, a, b, sum} = this.rowOf(rel, i);
      if (!(sum > 0)) return;
      const unit = F(F(wd * weight) * F(1 / detPow(sum, w.rowExp)));
      for (let m = a; m < b; ++m) {
        const j = r.ids[m];
        let v = F(unit * r.table[r.codes[m]]);
        if (byPop) v = F(v / F(detPow(1 + pack.stat(0, j), w.cooccurPop)));
        this.add(j, part, v, i);
        if (part <= 2 && this.links[j] < 255) ++this.links[j];
        if (last && part === 0 && v > 0) this.lastForward[j] += v;
        if (last && part === 2 && v > 0) this.lastCooccur[j] += v;
      }
    };
    for (let k = items.length; k-- > 0 && this.contextCount < maxCtx;) {
      const i = items[k];
      if (this.dist[i] !== fromEnd++) continue;  // context only at its latest occurrence
      const last = this.contextCount === 0;
      spread(i, 0, 0, w.forward, false, last);
      spread(i, 1, 1, w.backward, false, last);
      spread(i, 3, 2, w.cooccur, true, last);
      if (last) {
        spread(i, 2, 3, w.immediate, false, last);
        if (w.twoHop > 0) {  // P(k | i) P(j | k) over the first fanout forward neighbours
          const row = this.rowOf(0, i);
          const ni = row.sum > 0 ? F(1 / row.sum) : 0;
          const fan = Math.min(row.b - row.a, Math.trunc(Math.max(0, w.twoHopFanout)));
          for (let m = 0; m < fan; ++m) {
            const k2 = row.r.ids[row.a + m];
            const pk = F(row.r.table[row.r.codes[row.a + m]] * ni);
            const r2 = this.rowOf(0, k2);
            const unit = r2.sum > 0 ? F(F(F(wd * w.twoHop) * pk) / r2.sum) : 0;
            for (let q = r2.a; q < r2.b; ++q) {
              const j = r2.r.ids[q];
              if (j !== i) this.add(j, 4, F(unit * r2.r.table[r2.r.codes[q]]), i);
            }
          }
        }
      }
      wd = F(wd * w.decay);
      ++this.contextCount;
    }
    for (const j of history) {  // shoppers come back to items, some more than others
      let d = 1;
      for (let s = 0; s < this.dist[j] && s < 64; ++s) d = F(d * w.decay);
      let v = F(F(w.repeat * d) * F(w.repeatBase + pack.stat(2, j)));
      if (this.dist[j] === 0) v = F(v + F(w.immediateRepeat * pack.stat(3, j)));
      this.add(j, 5, v, j);
    }
    if (w.popBoost !== 0) {
      for (let t = 0; t < this.touchedCount; ++t) {
        const j = this.touched[t];
        this.score[j] *= F(detPow(1 + pack.stat(0, j), w.popBoost));
      }
    }
  }

  before = (a, b) => {
    if (this.score[a] !== this.score[b]) return this.score[a] > this.score[b];
    const pa = this.pack.popularity(a), pb = this.pack.popularity(b);
    if (pa !== pb) return pa > pb;
    return a < b;
  };

  top(limit) {
    const list = this.touched.slice(0, this.touchedCount);
    const k = Math.min(limit, list.length);
    partialSort(list, list.length, k, this.before);
    return Array.from(list.subarray(0, k));
  }

  // Features 0..25, 29 and 30 of candidate j at `rank` in the top list.
  features(j, rank, x) {
    const p = this.pack;
    const o = j * 6;
    const eps = F(1e-4);
    const ls = flog(this.score[j] + 1e-6);
    const len = flog(Math.max(1, this.length));
    const inHistory = this.occ[j] > 0;
    const last = inHistory && this.dist[j] === 0;
    const pop = p.stat(0, j), rec = p.stat(1, j), rep = p.stat(2, j), irep = p.stat(3, j);
    x[0] = ls;
    x[1] = flog(1 + rank);
    for (let k = 0; k < 6; ++k) x[2 + k] = flog(this.parts[o + k] + eps);
    x[8] = this.contextCount ? F(this.links[j] / this.contextCount) : 0;
    x[9] = inHistory ? 1 : 0;
    x[10] = last ? 1 : 0;
    x[11] = inHistory ? flog(1 + this.dist[j]) : 0;
    x[12] = flog(1 + this.occ[j]);
    x[13] = flog(1 + pop);
    x[14] = flog(1 + rec);
    x[15] = F(x[14] - x[13]);
    x[16] = rep;
    x[17] = irep;
    x[18] = len;
    x[19] = inHistory ? rep : 0;
    x[20] = last ? irep : 0;
    x[21] = F(ls * len);
    x[22] = flog(this.best[j] + eps);
    x[23] = flog(1 + p.stat(5, j));
    x[24] = F(1 / F(1 + rank));
    x[25] = flog(this.parts[o] + this.parts[o + 3] + eps);
    x[29] = flog(this.lastForward[j] + eps);
    x[30] = flog(this.lastCooccur[j] + eps);
  }

  fused(x) {
    const f = this.pack.fusion;
    const nf = f.ids.length, nh = f.b.length;
    const z = this.z ?? (this.z = new Float32Array(FEATURE_KINDS));
    for (let k = 0; k < nf; ++k) z[k] = F(x[f.ids[k]] - f.mean[k]) * f.scale[k];
    let s = 0;
    for (let k = 0; k < nf; ++k) s = F(s + F(f.u[k] * z[k]));
    for (let m = 0; m < nh; ++m) {
      let a = f.b[m];
      for (let k = 0; k < nf; ++k) a = F(a + F(f.w[m * nf + k] * z[k]));
      s = F(s + F(f.v[m] * (a > 0 ? a : 0)));
    }
    return s;
  }
}

// Keeps per-item scratch between calls, as the engine's Recommender. One per pack.
export class PeerRecommender {
  constructor(pack) {
    const n = pack.items;
    this.pack = pack;
    this.score = new Float32Array(n);
    this.best = new Float32Array(n);
    this.bestItem = new Uint32Array(n).fill(NO_ITEM);
    this.bestSource = new Uint8Array(n);
    this.flags = new Uint8Array(n);
    this.touched = new Uint32Array(n);
    this.touchedCount = 0;
    this.marked = [];
    this.stats = pack.stats !== null ? new StatsScorer(pack) : null;
    this.features = new Float32Array(FEATURE_KINDS);
  }

  // The package's recommend(): history = [{itemId, event}] oldest first (what track()
  // recorded), options = {context, itemId, itemIds, limit, filter}. Returns
  // [{itemId, score, reason: {source, itemId?, category?}}].
  recommend(history, options = {}) {
    const pack = this.pack;
    const {context = 'home', itemId = '', itemIds = [], limit = 8, filter = {}} = options;
    if (!['home', 'item', 'cart'].includes(context)) throw new Error(`bad context ${context}`);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new Error('limit must be from 1 to 100');
    }
    if (context === 'item' && itemId === '') throw new Error('context \'item\' needs an itemId');
    const request = {
      context,
      item: NO_ITEM,
      cart: [],
      limit,
      category: NO_ITEM,
      excludedItems: [],
      maxPerCategory: filter.maxPerCategory ?? 0,
      excludePurchased: filter.excludePurchased ?? true,
      excludeInCart: filter.excludeInCart ?? true,
      excludeUnavailable: filter.excludeUnavailable ?? true,
      weights: options.weights ?? DEFAULT_WEIGHTS,
      scorer: options.scorer ?? 'automatic',
      stats: options.stats ?? DEFAULT_STATS_WEIGHTS,
    };
    const dense = (id) => {
      const d = pack.find(id);
      return d < 0 ? NO_ITEM : d;
    };
    if (context === 'item') request.item = dense(itemId);
    for (const id of itemIds) {
      const d = pack.find(id);
      if (d >= 0) request.cart.push(d);
    }
    for (const id of filter.excludeItems ?? []) {
      const d = pack.find(id);
      if (d >= 0) request.excludedItems.push(d);
    }
    if (filter.category) {
      const c = pack.findCategory(filter.category);
      if (c < 0) return [];
      request.category = c;
    }
    // One lookup per distinct history item, as the engine does on each call.
    const ids = new Map();
    const signals = [];
    for (const {itemId: id, event} of history) {
      if (!KEPT_EVENTS.has(event)) continue;
      let d = ids.get(id);
      if (d === undefined) ids.set(id, (d = pack.find(id)));
      if (d >= 0) signals.push({item: d, event});
    }
    return this.recommendDense(signals, request).map((r) => {
      const reason = {source: SOURCES[r.source]};
      if (r.reasonItem !== NO_ITEM) reason.itemId = pack.itemId(r.reasonItem);
      if (r.category !== NO_ITEM) reason.category = pack.categoryName(r.category);
      return {itemId: pack.itemId(r.item), score: r.score, reason};
    });
  }

  add(j, value, source, reasonItem) {
    if (!(this.flags[j] & TOUCHED)) {
      this.flags[j] |= TOUCHED;
      this.touched[this.touchedCount++] = j;
    }
    this.score[j] += value;
    if (value > this.best[j]) {
      this.best[j] = value;
      this.bestItem[j] = reasonItem;
      this.bestSource[j] = source;
    }
  }

  // A seed spreads `weight` over its row, each entry over the row's strongest.
  addRow(rel, seed, weight, source, reason = NO_ITEM) {
    const r = this.pack.relations[rel];
    if (r.rowPtr.length === 0 || weight <= 0) return;
    const a = r.rowPtr[seed], b = r.rowPtr[seed + 1];
    if (a === b) return;
    const top = r.table[r.codes[a]];
    if (!(top > 0)) return;
    const unit = F(weight / top);
    if (reason === NO_ITEM) reason = seed;
    for (let k = a; k < b; ++k) this.add(r.ids[k], F(unit * r.table[r.codes[k]]), source, reason);
  }

  // Dense pass: the int8 dot of every item with the seeds' weighted sum, requantized to
  // int8; the 200 strongest become candidates (a min-heap, lowest dot at the root).
  embeddingPass(seedItems, seedWeights, weight) {
    const pack = this.pack;
    const dim = pack.embeddingDim, n = pack.items, emb = pack.embeddings;
    if (dim === 0 || weight <= 0 || seedItems.length === 0) return;
    const q = new Float32Array(dim);
    for (let s = 0; s < seedItems.length; ++s) {
      const o = seedItems[s] * dim, sw = seedWeights[s];
      for (let k = 0; k < dim; ++k) q[k] += F(sw * emb[o + k]);
    }
    let mx = 0;
    for (const v of q) mx = Math.max(mx, Math.abs(v));
    if (!(mx > 0)) return;
    const qi = new Int32Array(dim);
    const unit = F(127 / mx);
    let qq = 0;
    for (let k = 0; k < dim; ++k) {
      qi[k] = rint(F(q[k] * unit));
      qq += qi[k] * qi[k];
    }
    this.queryNorm2 = qq;
    this.queryI8 = qi;
    const heapDot = new Int32Array(EMBEDDING_CANDIDATES),
          heapItem = new Uint32Array(EMBEDDING_CANDIDATES);
    let size = 0;
    // Worse: a lower dot, or the same dot and a higher id (items come in id order).
    const worse = (x, y) =>
        heapDot[x] < heapDot[y] || (heapDot[x] === heapDot[y] && heapItem[x] > heapItem[y]);
    const swap = (x, y) => {
      const d = heapDot[x], i = heapItem[x];
      heapDot[x] = heapDot[y];
      heapItem[x] = heapItem[y];
      heapDot[y] = d;
      heapItem[y] = i;
    };
    const insert = (d, j) => {
      if (size === EMBEDDING_CANDIDATES) {
        heapDot[0] = d;
        heapItem[0] = j;
        for (let i = 0;;) {  // sift down
          const l = 2 * i + 1, r = l + 1;
          let m = i;
          if (l < size && worse(l, m)) m = l;
          if (r < size && worse(r, m)) m = r;
          if (m === i) break;
          swap(i, m);
          i = m;
        }
      } else {
        heapDot[size] = d;
        heapItem[size] = j;
        for (let i = size++; i > 0;) {  // sift up
          const p = (i - 1) >> 1;
          if (!worse(i, p)) break;
          swap(i, p);
          i = p;
        }
      }
    };
    const full = () => size === EMBEDDING_CANDIDATES;
    const clusters = pack.clusters;
    if (clusters === null) {
      const dots = this.dots ?? (this.dots = new Int32Array(n));
      dotRows(qi, emb, n, dim, dots);
      for (let j = 0; j < n; ++j) {
        const d = dots[j];
        if (d > 0 && !(full() && d <= heapDot[0])) insert(d, j);
      }
    } else {
      // EIDX: clusters by the bound q.centre + |q| radius on their members' dots, best
      // first, until the bound falls below the worst kept dot (the same list).
      const {count, centres, radius, offsets, members} = clusters;
      const qn = Math.sqrt(qq);
      const order = [];
      for (let c = 0; c < count; ++c) {
        let qc = 0;
        for (let k = 0, o = c * dim; k < dim; ++k) qc += qi[k] * centres[o + k];
        const spread = qn * radius[c];
        const bound = qc + spread + 1e-6 * (Math.abs(qc) + spread) + 1e-6;
        if (bound >= 1) order.push({bound, c});
      }
      order.sort((a, b) => b.bound - a.bound || a.c - b.c);
      const dots = this.dots ?? (this.dots = new Int32Array(n));
      for (const {bound, c} of order) {
        if (full() && bound < heapDot[0]) break;
        const a = offsets[c], m = offsets[c + 1] - a;
        dotGather(qi, emb, dim, members, a, m, dots);
        for (let t = 0; t < m; ++t) {
          const d = dots[t], j = members[a + t];
          if (d <= 0) continue;
          if (full() && (d < heapDot[0] || (d === heapDot[0] && j > heapItem[0]))) continue;
          insert(d, j);
        }
      }
    }
    const order = Array.from({length: size}, (_, k) => k);
    order.sort((x, y) => (worse(y, x) ? -1 : 1));
    // Rows are L2-normalized by the builder: dot / |q| is a cosine (times the row scale).
    const inv = F(weight / F(F(Math.sqrt(qq)) * 127));
    const reason = seedItems[0];
    for (const k of order) this.add(heapItem[k], F(heapDot[k] * inv), EMBEDDING, reason);
  }

  // Context::home from the statistics; fused: the statistics' top and the neighbourhood
  // scorer's top 50, reranked by the pack's fusion.
  statsPass(signals, request, fused) {
    const sc = this.stats;
    const pack = this.pack;
    const items = [];
    for (const s of signals) {
      if (typeWeight(request.weights, s.event) > 0) items.push(s.item);
    }
    sc.run(items, fused ? pack.fusion.hand : request.stats);
    if (!fused) {
      for (let t = 0; t < sc.touchedCount; ++t) {
        const j = sc.touched[t];
        this.add(j, sc.score[j], sc.sourceOf(j), sc.bestItem[j]);
      }
      return;
    }
    const classic = new Uint32Array(this.touchedCount);
    let nClassic = 0;
    for (let t = 0; t < this.touchedCount; ++t) {
      const j = this.touched[t];
      if (this.score[j] > 0) classic[nClassic++] = j;
    }
    const nk = Math.min(nClassic, pack.fusion.neighbours);
    partialSort(classic, nClassic, nk, this.before);
    const top = Array.from(classic.subarray(0, nk));
    const cmax = nk > 0 ? this.score[top[0]] : 0;
    const cands = sc.top(pack.fusion.candidates);
    const fromStats = cands.length;
    const inStats = new Set(cands);
    for (const j of top) {
      if (!inStats.has(j)) cands.push(j);
    }
    const x = this.features;
    const scores = new Float64Array(cands.length);
    let mx = F(-1e30);
    for (let r = 0; r < cands.length; ++r) {
      const j = cands[r];
      sc.features(j, Math.min(r, fromStats), x);
      const c = top.indexOf(j);
      const score = this.score[j];
      x[26] = flog(score + 1e-4);
      x[27] = cmax > 0 ? F(score / cmax) : 0;
      x[28] = flog(1 + (c < 0 ? nk : c));
      // Cosine of the candidate's embedding to the query of the embedding pass.
      if (this.queryNorm2 > 0) {
        const dim = pack.embeddingDim, o = j * dim, e = pack.embeddings, q = this.queryI8;
        let ee = 0, dot = 0;
        for (let k = 0; k < dim; ++k) {
          ee += e[o + k] * e[o + k];
          dot += q[k] * e[o + k];
        }
        const nn = this.queryNorm2 * ee;
        x[31] = nn > 0 ? F(dot * detExp(-0.5 * detLog(nn))) : 0;
      } else {
        x[31] = 0;
      }
      scores[r] = sc.fused(x);
      mx = Math.max(mx, scores[r]);
    }
    // Reasons: the statistics' strongest part, else the neighbourhood scorer's.
    const reasons = cands.map(
        (j) => sc.bestItem[j] !== NO_ITEM ? [sc.sourceOf(j), sc.bestItem[j]] :
                                            [this.bestSource[j], this.bestItem[j]]);
    for (let t = 0; t < this.touchedCount; ++t) {  // only the fused candidates keep a score
      const j = this.touched[t];
      this.score[j] = 0;
      this.best[j] = 0;
      this.bestItem[j] = NO_ITEM;
    }
    for (let r = 0; r < cands.length; ++r) {
      const v = Math.max(F(1e-30), F(detExp(scores[r] - mx)));
      this.add(cands[r], v, reasons[r][0], reasons[r][1]);
    }
  }

  // Ranking: score, then popularity, then dense id (a total order, as the engine's).
  before = (a, b) => {
    if (this.score[a] !== this.score[b]) return this.score[a] > this.score[b];
    const pa = this.pack.popularity(a), pb = this.pack.popularity(b);
    if (pa !== pb) return pa > pb;
    return a < b;
  };

  // core/src/recommend.cpp, Recommender::recommend. signals: [{item (dense), event}].
  recommendDense(signals, request) {
    const pack = this.pack;
    const n = pack.items;
    const w = request.weights;
    const out = [];
    const limit = Math.min(request.limit, 1000);
    if (n === 0 || limit === 0) return out;
    const flags = this.flags;

    for (let t = 0; t < this.touchedCount; ++t) {
      const j = this.touched[t];
      this.score[j] = 0;
      this.best[j] = 0;
      this.bestItem[j] = NO_ITEM;
      flags[j] = 0;
    }
    this.touchedCount = 0;
    const marked = (this.marked = []);  // flagged items without a score
    const exclude = (j) => {
      if (j >= n) return;
      if (!flags[j]) marked.push(j);
      flags[j] |= EXCLUDED;
    };

    // The cart from the history (oldest first), unless the page gives it.
    let cart = [];
    for (const s of signals) {
      if (s.event === 'add_to_cart') {
        if (!cart.includes(s.item)) cart.push(s.item);
      } else if (s.event === 'remove_from_cart' || s.event === 'purchase') {
        cart = cart.filter((j) => j !== s.item);
      }
      if (s.event === 'purchase' && request.excludePurchased) exclude(s.item);
    }
    if (request.cart.length !== 0) {
      cart = [];
      for (const j of request.cart) {
        if (j < n && !cart.includes(j)) cart.push(j);
      }
    }
    if (request.excludeInCart) cart.forEach(exclude);
    if (request.context === 'item') exclude(request.item);
    request.excludedItems.forEach(exclude);

    // Seeds: (item, weight), strongest context first.
    const seedItems = [], seedWeights = [];
    if (request.context === 'item' && request.item < n) {
      seedItems.push(request.item);
      seedWeights.push(w.contextItem);
    }
    if (request.context === 'cart') {
      let r = 1;
      for (let c = cart.length - 1; c >= 0; --c) {
        this.addRow(BUY, cart[c], F(F(r * w.cartComplement) * w.coPurchase), CO_PURCHASE);
        seedItems.push(cart[c]);
        seedWeights.push(F(r * w.cart));
        r = F(r * w.recency);
      }
    }
    const contextSeeds = seedItems.length;
    for (let k = signals.length, r = 1, used = 0; k-- > 0 && used < w.historyItems;) {
      const tw = typeWeight(w, signals[k].event);
      if (tw <= 0) continue;
      seedItems.push(signals[k].item);
      seedWeights.push(F(r * tw));
      r = F(r * w.recency);
      ++used;
    }

    const fusable = this.stats !== null && pack.fusion !== null;
    const useStats = this.stats !== null && request.context === 'home' &&
        request.scorer !== 'neighbourhood' && (request.scorer !== 'fused' || fusable);
    const fused = useStats && request.scorer !== 'statistics' && fusable;
    const classic = !useStats || fused;  // the fusion reads the neighbourhood scores
    for (let k = 0; k < seedItems.length && classic; ++k) {
      const item = seedItems[k], sw = seedWeights[k];
      this.addRow(SEQ, item, F(sw * w.coViewSeq), CO_VIEW);
      this.addRow(COV, item, F(sw * w.coView), CO_VIEW);
      this.addRow(BUY, item, F(sw * w.coPurchase), CO_PURCHASE);
      // Two steps along the sequential relation from the first seeds.
      const seq = pack.relations[SEQ];
      if (k < w.twoHopSeeds && w.twoHop > 0 && seq.rowPtr.length !== 0) {
        const a = seq.rowPtr[item], b = seq.rowPtr[item + 1];
        const fan = Math.min(b - a, w.twoHopFanout);
        for (let m = 0; m < fan; ++m) {
          const hop =
              F(F(F(sw * w.twoHop) * seq.table[seq.codes[a + m]]) / seq.table[seq.codes[a]]);
          this.addRow(SEQ, seq.ids[a + m], hop, CO_VIEW, item);
        }
      }
      // Shoppers come back to what they saw; not for the page's own item or the cart.
      if (k >= contextSeeds) {
        const rv = k === contextSeeds ? F(w.reView * w.reViewLast) : w.reView;
        this.add(item, F(sw * rv), RE_VIEW, item);
      }
    }
    this.queryNorm2 = 0;
    if (classic && w.embedding > 0 && pack.embeddingDim > 0) {
      this.embeddingPass(seedItems, seedWeights, w.embedding);
    }
    if (useStats) this.statsPass(signals, request, fused);

    // Filters.
    const allowed = (j) => {
      if (flags[j] & (EXCLUDED | CHOSEN)) return false;
      if (request.excludeUnavailable && !pack.available(j)) return false;
      if (request.category !== NO_ITEM && pack.itemCategory[j] !== request.category) return false;
      return true;
    };
    const cand = new Uint32Array(this.touchedCount);
    let nCand = 0;
    for (let t = 0; t < this.touchedCount; ++t) {
      const j = this.touched[t];
      if (this.score[j] > 0 && allowed(j)) cand[nCand++] = j;
    }
    const capped = request.maxPerCategory !== 0 && pack.categories !== 0;
    const perCategory = new Map();  // the diversity cap's counts
    const capOk = (j) => {
      if (!capped) return true;
      const c = pack.itemCategory[j];
      if (c === NO_ITEM) return true;
      const used = perCategory.get(c) ?? 0;
      if (used >= request.maxPerCategory) return false;
      perCategory.set(c, used + 1);
      return true;
    };
    const choose = (j, score, source, reasonItem, category) => {
      if (!flags[j]) marked.push(j);
      flags[j] |= CHOSEN;
      out.push({item: j, score, source, reasonItem, category});
    };

    // Rank only what can be used: the top `limit`, a margin with a diversity cap; the
    // rest only if the cap rejects too many.
    const head = capped ? limit * 2 + 8 : limit;
    let sorted = Math.min(nCand, head);
    partialSort(cand, nCand, sorted, this.before);
    for (let k = 0; k < nCand && out.length < limit; ++k) {
      if (k === sorted) {
        cand.subarray(sorted, nCand).sort((a, b) => (this.before(a, b) ? -1 : 1));
        sorted = nCand;
      }
      const j = cand[k];
      if (!capOk(j)) continue;
      choose(j, this.score[j], this.bestSource[j], this.bestItem[j], NO_ITEM);
    }

    // Top up with popular items: the requested category, the first seed's category, then
    // the whole shop.
    const fill = (ids, a, b, source, category) => {
      for (let k = a; k < b && out.length < limit; ++k) {
        const j = ids[k];
        if (!allowed(j) || !capOk(j)) continue;
        choose(j, 0, source, NO_ITEM, category);
      }
    };
    const segment = (c) => fill(pack.segIds, pack.segPtr[c], pack.segPtr[c + 1], SEGMENT, c);
    if (out.length < limit) {
      if (request.category !== NO_ITEM) {
        segment(request.category);
      } else {
        const anchor = seedItems.length !== 0 ? seedItems[0] : NO_ITEM;
        const c = anchor < n ? pack.itemCategory[anchor] : NO_ITEM;
        if (c !== NO_ITEM) segment(c);
        fill(pack.topIds, 0, pack.topIds.length, POPULARITY, NO_ITEM);
      }
    }

    for (const j of marked) {
      if (!(flags[j] & TOUCHED)) flags[j] = 0;
    }
    for (let t = 0; t < this.touchedCount; ++t) flags[this.touched[t]] &= TOUCHED;
    return out;
  }
}
