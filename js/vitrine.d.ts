// Types for the `vitrine` package. Hand-written (Emscripten 3.1.6 has no --emit-tsd);
// checked by tests/types/usage.ts in `make test` (make test-types).

export type Purpose = 'history'|'personalization'|'measurement'|'autofill';
export type Purposes = Record<Purpose, boolean>;

export interface VitrineOptions {
  /** Where local data lives. Default 'indexeddb'; falls back to memory when unavailable. */
  storage?: 'indexeddb'|'memory';
  /**
   * Where consent comes from. Default 'manual': call consent.set(). 'tcf' (IAB TCF v2.2),
   * 'gcm' (Google Consent Mode v2 in dataLayer), 'shopify' (Customer Privacy API).
   * Everything starts denied.
   */
  consent?: 'manual'|'tcf'|'gcm'|'shopify';
  /**
   * Your privacy policy's version: a decision under another version counts as none. Default '1'.
   */
  policyVersion?: string;
  /** Database and tab-channel name. Default 'vitrine'. */
  namespace?: string;
  /** Read GA4 ecommerce events from a dataLayer array. Default false (the script tag: true). */
  captureDataLayer?: boolean;
  /** The dataLayer to read. Default window.dataLayer (created if missing). */
  dataLayer?: unknown[];
  /** Where the .wasm file is. Default: vitrine.wasm beside the module. */
  wasmUrl?: string|URL;
  /**
   * Where on-demand chunks (vitrine-autofill.mjs and .wasm, vitrine-rules.mjs) are.
   * Default: beside the module (the script tag: beside vitrine.js).
   */
  featureBase?: string|URL;
  /**
   * The collector that receives the aggregated, privatized reports (POST, no credentials).
   * Without it nothing is ever sent; with it, only while `measurement` is granted and
   * neither Global Privacy Control nor Do Not Track is on. Script tag: data-endpoint.
   */
  endpoint?: string;
  /** The .wasm bytes themselves, instead of a URL. */
  wasmBinary?: ArrayBuffer|Uint8Array;
  /**
   * The model pack: a URL (fetched without credentials) or its bytes. Optional: recently
   * viewed works without one. A pack that fails to load is reported as an 'error' event and
   * createVitrine still resolves; recommend() then returns [].
   */
  pack?: string|URL|ArrayBuffer|Uint8Array;
  /**
   * Where shard `index` (kind 'shard') or directory block `index` (kind 'block', heads cut
   * with `--block`) of a sharded pack is (docs/pack-format.md#sharded-packs). Default:
   * `shards/<digest>.vpk` (`.vdb` for a block) beside the pack URL. Needed when `pack` is
   * given as bytes.
   */
  shardUrl?: (index: number, digest: string, kind: 'shard'|'block') => string | URL;
  /** The clock, in ms since the epoch. Default Date.now. */
  now?: () => number;
}

/** A GA4 ecommerce item (fields Vitrine reads; others are ignored). */
export interface EventItem {
  item_id: string|number;
  item_name?: string;
  item_brand?: string;
  item_category?: string;
  item_variant?: string;
  price?: number;
  quantity?: number;
  [field: string]: unknown;
}

export type EventName =
    |'view_item'|'view_item_list'|'select_item'|'add_to_cart'|'remove_from_cart'|'view_cart'|
    'begin_checkout'|'add_shipping_info'|'add_payment_info'|'purchase'|'refund'|'search';

/** Either { event, items } or the dataLayer shape { event, ecommerce: { items } }. */
export interface VitrineEvent {
  event: EventName|string;
  items?: EventItem[];
  ecommerce?: {items?: EventItem[]; [field: string]: unknown}|null;
  search_term?: string;
  [field: string]: unknown;
}

export type Status =|{
  ok: true;
  queued?: boolean
}
|{
  ok: false;
  code: string;
  error: string
};

export interface RecentlyViewedOptions {
  /** 1 to 50. Default 50. */
  limit?: number;
  /** Leave this item out (the product on screen). */
  excludeItem?: string;
  /** Leave out items bought on this device. Default false. */
  excludePurchased?: boolean;
  /** Only views newer than this. Default 30. */
  maxAgeDays?: number;
}

export interface RecentlyViewedItem {
  itemId: string;
  name: string;
  category: string;
  /** The latest price the shop reported, or null. */
  price: number|null;
  /** Time of the last view, ms since the epoch. */
  lastSeen: number;
  views: number;
}

export type RecommendContext = 'home'|'item'|'cart';

export interface RecommendOptions {
  /**
   * 'home': "for you" from the history; 'item': similar to itemId; 'cart': goes well with the
   * cart. Default 'home'.
   */
  context?: RecommendContext;
  /** The product on the page (context 'item'). */
  itemId?: string;
  /** The cart as the page knows it (context 'cart'); default: the cart seen in the history. */
  itemIds?: string[];
  /** 1 to 50. Default 8. */
  limit?: number;
  filter?: {
    /** Only items of this category (the pack's item_category). */
    category?: string;
    /** At most this many items per category (diversity). Default: no cap. */
    maxPerCategory?: number;
    /** Default true. */
    excludePurchased?: boolean;
    /** Default true. */
    excludeInCart?: boolean;
    /** Default true. */
    excludeUnavailable?: boolean;
    /** Never these items (say, the ones already shown on the page). At most 200. */
    excludeItems?: string[];
  };
}

export type ReasonSource = 'co_view'|'co_purchase'|'embedding'|'re_view'|'popularity'|'segment';

export interface Recommendation {
  itemId: string;
  /** Relative score of this call; 0 for popular fillers. */
  score: number;
  /** Why: the history or context item behind it (itemId), or the category it is popular in. */
  reason: {source: ReasonSource; itemId?: string; category?: string};
}

export interface PackSummary {
  items: number;
  categories: number;
  embeddingDim: number;
  bytes: number;
  /** A shard head: its shard count; 0 for a whole pack. */
  shards: number;
}

/** recommend()'s list, with the shards it would read that are not loaded yet. */
export type Recommendations = Recommendation[]&{readonly missingShards: number[]};

export interface Stats {
  accepted: number;
  rejected: number;
  historyEntries: number;
}

export interface VitrineErrorEvent {
  code: string;
  message: string;
  error: unknown;
}

export interface ConsentLogEntry {
  purpose: Purpose;
  value: boolean;
  /** ms since the epoch */
  time: number;
  policyVersion: string;
  source: string;
}

export interface ConsentApi {
  /** Grants or withdraws purposes; withdrawing erases that purpose's data at once. */
  set(change: Partial<Purposes>): Promise<Purposes>;
  get(): Purposes;
  /** True until the shopper decided under the current policy version. */
  readonly required: boolean;
  /** The last 200 changes (3 years). */
  log(): ConsentLogEntry[];
  readonly source: 'manual'|'tcf'|'gcm'|'shopify';
}

export interface Interest {
  category: string;
  /** Share of the interest mass, 0..1. */
  weight: number;
}

/** The shopper's export (docs/formats.md#export). */
export interface VitrineExport {
  format: 'vitrine.export';
  version: 1;
  exportedAt: string;
  namespace: string;
  consent: {purposes: Purposes; policyVersion: string | null; log: ConsentLogEntry[]};
  history: {
    items: {id: string; name: string; category: string; price: number | null}[];
    events: {time: number; event: EventName; itemId: string; quantity: number}[];
    searches: {time: number; term: string}[];
  };
  profile: {interests: Interest[]; removedInterests: string[]};
  savedDetails: CheckoutProfile[];
  sent: unknown[];
}

export interface CheckoutAddress {
  line1: string;
  line2?: string;
  city: string;
  /** ISO 3166-2 ("US-CA", "JP-13") where the country has regions, else free text. */
  region?: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2 (save() also takes a code or a name in several languages). */
  country: string;
}

/** The checkout profile; save() takes national phone numbers, region and country names. */
export interface CheckoutProfile {
  givenName: string;
  familyName: string;
  organization?: string;
  email?: string;
  /** E.164 once saved; save() also takes a national number of the shipping country. */
  tel?: string;
  shipping: CheckoutAddress;
  /** Omitted: the same as shipping. */
  billing?: CheckoutAddress&{
    givenName?: string;
    familyName?: string;
    organization?: string
  };
}

export interface DetectedField {
  element: HTMLInputElement|HTMLSelectElement|HTMLTextAreaElement;
  /** An autocomplete token ('given-name', 'postal-code', ...), 'cc' for a card field, or null. */
  field: string|null;
  /** 'shipping', 'billing' or a section-* name. */
  section: string;
}

export interface FillResult {
  filled: {element: Element; field: string; section: string}[];
  /**
   * why: 'card', 'hidden', 'offscreen', 'honeypot', 'disabled', 'readonly', 'filled',
   * 'no-value', 'no-option', 'same', 'unknown'.
   */
  skipped: {element: Element; field: string | null; why: string}[];
}

/** Checkout autofill, loaded on demand; everything needs the 'autofill' purpose. */
export interface AutofillApi {
  /** Loads the chunk now (detect() needs it; the other calls load it themselves). */
  load(): Promise<void>;
  /** Rejects: permission_denied without 'autofill'; invalid_argument with `field`. */
  save(profile: CheckoutProfile): Promise<CheckoutProfile>;
  get(): Promise<CheckoutProfile|null>;
  forget(): Promise<void>;
  /** Throws failed_precondition until the chunk is loaded. */
  detect(root?: ParentNode): DetectedField[];
  fill(root?: ParentNode, options?: {section?: string}): Promise<FillResult>;
  /**
   * What the script tag's data-autofill="on" calls on a checkout page: a "fill in my saved
   * details" button (with the purpose and saved details) and a "remember my details" box.
   */
  offer(root?: ParentNode): Promise<void>;
}

export interface PrivacyApi {
  export(): Promise<VitrineExport>;
/**
 * Restores an export's history, replacing the one on the device (needs 'history'), and its
 * removed interests (kept only with 'personalization'). All or nothing.
 */
import(document: VitrineExport|string): Promise<void>;
  /** Deletes every record, the key and the database; all tabs are told. */
  erase(): Promise<void>;
  /** Forgets one product; resolves to the number of history entries removed. */
  removeItem(itemId: string): Promise<number>;
  /** [] without 'personalization'. */
  interests(): Interest[];
  removedInterests(): string[];
  removeInterest(category: string): Promise<void>;
  restoreInterest(category: string): Promise<void>;
  segments(): {segments: Segments; evidence: SegmentEvidence | null};
  experiments(): Record < string, {
    variant: string;
    first: number;
    last: number;
    count: number
  }
  > ;
  /**
   * The reports sent from this device (measurement), oldest first: each its type, the
   * privatized answer `y` exactly as sent, its epsilon, the UTC day number it was made
   * (reports are made on the first visit of a day, about the last day with a visit before)
   * and the day it was sent. Kept 30 days.
   */
  sent(): Promise<SentReport[]>;
  /** Today's privacy budget: epsilon spent of the daily budget; null when measurement is off. */
  ledger(): Promise<{day: number; spent: number; budget: number}|null>;
  enforceRetention(): Promise<{history: number; quarantine: number}>;
  storedCounts():
      Promise<Record<'consent'|'history'|'profile'|'autofill'|'sent'|'quarantine', number>|null>;
}

export interface SentReport {
  type: string;
  version: number;
  epsilon: number;
  day: number;
  sentDay: number;
  y: string|number;
}

export type Level = 'low'|'medium'|'high';
export interface Segments {
  lifecycle: 'new'|'returning'|'customer'|'repeat'|'lapsed'|null;
  recency: 'today'|'2d'|'7d'|'14d'|'30d'|'older'|null;
  engagement: Level|null;
  valueTier: Level|null;
  predictedValue: number|null;
  affinities: {categories: string[]|null; brands: string[] | null; priceBand: Level | null};
}
export interface SegmentEvidence {
  visits: number;
  visits30d: number;
  itemEvents30d: number;
  previousVisit: number|null;
  orders: number;
  orderValue: number;
  lastOrder: number|null;
  expectedOrders: number|null;
  priceShares: [number, number, number];
  priceBands: [number, number];
  cart: {count: number; value: number; categories: string[] | null; updated: number | null};
}
export interface RuleAction {
  type: 'offer'|'message'|'reminder'|'free_shipping_nudge';
  text: string;
  cta?: string;
  offer?: {
    id: string; text: string;
    code?: string;
    percent?: number;
    freeShipping?: boolean; tier: number
  };
}
export interface ActionEvent {
  ruleId: string;
  action: RuleAction;
  reason: string;
}
export interface RulesApi {
  /** Loads or replaces a rule pack (docs/rules.md); a bad one rejects and the old stays. */
  load(source: string|URL|object): Promise<{rules: string[]; triggers: string[]}>;
  setPage(page: Record<string, unknown>): void;
  decisions(): Promise<
      Array<{ruleId: string; trigger: string; fired: boolean; reason: string; time: number}>>;
}
export interface RerankInput {
  itemId: string;
  category?: string;
  brand?: string;
  price?: number;
}
export type Reranked<T> = T&{
  reason: {source: 'category'|'brand'|'priceBand'; [key: string]: string}|null;
  shift: number;
};

/** What the web components show for one item (docs/api.md#web-components-vwidgets). */
export interface WidgetProduct {
  name: string;
  price?: number;
  image?: string;
  url?: string;
}

export interface WidgetOptions {
  /** The shop's product data; null leaves the item out. */
  lookup?: (itemId: string) => WidgetProduct | null | Promise<WidgetProduct|null>;
  /** URL patterns with {id}. */
  itemUrl?: string;
  imageUrl?: string;
  /** ISO 4217, e.g. 'EUR'. */
  currency?: string;
  /** The shop's words over the built-in ones: { de: { title_recent: '...' } }. */
  texts?: Record<string, Record<string, string>>;
  /** false: never push select_item to window.dataLayer (clicks then go to track()). */
  dataLayer?: boolean;
}

/** The custom elements, loaded on demand (vitrine-widgets.mjs). */
export interface WidgetsApi {
  /** Sets the options (if given) and defines the custom elements. */
  define(options?: WidgetOptions): Promise<void>;
  /** Sets options; defined components re-render. */
  configure(options: WidgetOptions): void;
  readonly options: WidgetOptions;
}

export interface Vitrine {
  /** Every field null without 'personalization'. */
  segments(): Segments;
  readonly rules: RulesApi;
  /** The pack's bestsellers for the shopper's own segment (everyone's without consent). */
  bestsellers(options?: {limit?: number}):
      {segment: {kind: 'category'|'priceBand'|'all'; value: string | null}; items: string[]};
  rerank<T extends RerankInput>(results: T[], options?: {maxShift?: number}): Array<Reranked<T>>;
  /** { variant: null } without 'personalization'. */
  experiment(name: string, options?: {variants?: Record<string, number>}): {variant: string|null};
  on(name: 'action', listener: (detail: ActionEvent) => void): () => void;
  track(event: VitrineEvent): Status;
  recentlyViewed(options?: RecentlyViewedOptions): RecentlyViewedItem[];
  /**
   * Uses the history only with the 'personalization' purpose. [] when no pack is loaded.
   * With a sharded pack, `missingShards` lists the shards not loaded yet that it would read.
   */
  recommend(options?: RecommendOptions): Recommendations;
  /** recommend() after fetching the shards it needs; rejects when a shard fails. */
  recommendAsync(options?: RecommendOptions): Promise<Recommendations>;
  /** Fetches and adds shards of the sharded pack in use (indices from missingShards). */
  loadShards(indices: number[]): Promise<void>;
  /** Loads or replaces the pack; rejects on a bad pack and keeps the one in use. */
  loadPack(source: string|URL|ArrayBuffer|Uint8Array): Promise<PackSummary>;
  /** The loaded pack, or null. */
  readonly pack: PackSummary|null;
  stats(): Stats;
  readonly consent: ConsentApi;
  readonly privacy: PrivacyApi;
  readonly autofill: AutofillApi;
  readonly widgets: WidgetsApi;
  on(name: 'change', listener: (detail: {reason: string}) => void): () => void;
  on(name: 'consent', listener: (purposes: Purposes) => void): () => void;
  on(name: 'error', listener: (detail: VitrineErrorEvent) => void): () => void;
  /** Resolves when every local write started so far is committed. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export declare class VitrineError extends Error {
  readonly code: string;
}

export declare const PURPOSES: readonly Purpose[];

export declare function createVitrine(options?: VitrineOptions): Promise<Vitrine>;

/** The script tag's global. */
export interface VitrineGlobal {
  readonly ready: Promise<Vitrine>;
  track(event: VitrineEvent): Status;
  readonly consent: Pick<ConsentApi, 'set'|'get'|'required'|'log'>;
  readonly privacy: PrivacyApi;
  readonly autofill: AutofillApi;
  readonly widgets: {
    define(options?: WidgetOptions): Promise<void>;
    configure(options: WidgetOptions): Promise<void>;
  };
  loadPack(source: string|URL|ArrayBuffer|Uint8Array): Promise<PackSummary>;
  recentlyViewed(options?: RecentlyViewedOptions): RecentlyViewedItem[];
  recommend(options?: RecommendOptions): Recommendations;
  recommendAsync(options?: RecommendOptions): Promise<Recommendations>;
  segments(): Segments;
  bestsellers: Vitrine['bestsellers'];
  rerank: Vitrine['rerank'];
  experiment: Vitrine['experiment'];
  readonly rules: RulesApi;
  stats(): Stats;
  on: Vitrine['on'];
  flush(): Promise<void>;
}

declare global {
  interface Window {
    vitrine?: VitrineGlobal;
  }
}
