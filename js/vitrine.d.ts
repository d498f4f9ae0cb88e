// Types for the `vitrine` package. Hand-written (Emscripten 3.1.6 has no --emit-tsd);
// checked by tests/types/usage.ts in `make test`.

export type Purpose = 'history' | 'personalization' | 'measurement' | 'autofill';
export type Purposes = Record<Purpose, boolean>;

export interface VitrineOptions {
  /** Where local data lives. Default 'indexeddb'; falls back to memory when unavailable. */
  storage?: 'indexeddb' | 'memory';
  /** Where consent comes from. Default 'manual': call consent.set(). Everything starts denied. */
  consent?: 'manual';
  /** Database and tab-channel name. Default 'vitrine'. */
  namespace?: string;
  /** Read GA4 ecommerce events from a dataLayer array. Default false (the script tag: true). */
  captureDataLayer?: boolean;
  /** The dataLayer to read. Default window.dataLayer (created if missing). */
  dataLayer?: unknown[];
  /** Where the .wasm file is. Default: vitrine.wasm beside the module. */
  wasmUrl?: string | URL;
  /** The .wasm bytes themselves, instead of a URL. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /**
   * The model pack: a URL (fetched without credentials) or its bytes. Optional: recently
   * viewed works without one. A pack that fails to load is reported as an 'error' event and
   * createVitrine still resolves; recommend() then returns [].
   */
  pack?: string | URL | ArrayBuffer | Uint8Array;
  /** The clock, in ms since the epoch. Default Date.now. */
  now?: () => number;
}

/** A GA4 ecommerce item (fields Vitrine reads; others are ignored). */
export interface EventItem {
  item_id: string | number;
  item_name?: string;
  item_brand?: string;
  item_category?: string;
  item_variant?: string;
  price?: number;
  quantity?: number;
  [field: string]: unknown;
}

export type EventName =
    | 'view_item' | 'view_item_list' | 'select_item' | 'add_to_cart' | 'remove_from_cart'
    | 'view_cart' | 'begin_checkout' | 'add_shipping_info' | 'add_payment_info' | 'purchase'
    | 'refund' | 'search';

/** Either { event, items } or the dataLayer shape { event, ecommerce: { items } }. */
export interface VitrineEvent {
  event: EventName | string;
  items?: EventItem[];
  ecommerce?: {items?: EventItem[]; [field: string]: unknown} | null;
  search_term?: string;
  [field: string]: unknown;
}

export type Status =
    | {ok: true; queued?: boolean}
    | {ok: false; code: string; error: string};

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
  price: number | null;
  /** Time of the last view, ms since the epoch. */
  lastSeen: number;
  views: number;
}

export type RecommendContext = 'home' | 'item' | 'cart';

export interface RecommendOptions {
  /** 'home': "for you" from the history; 'item': similar to itemId; 'cart': goes well with the cart. Default 'home'. */
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
  };
}

export type ReasonSource = 'co_view' | 'co_purchase' | 'embedding' | 're_view' | 'popularity' | 'segment';

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
}

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

export interface ConsentApi {
  /** Grants or withdraws purposes; withdrawing erases that purpose's data at once. */
  set(change: Partial<Purposes>): Promise<Purposes>;
  get(): Purposes;
}

export interface Vitrine {
  track(event: VitrineEvent): Status;
  recentlyViewed(options?: RecentlyViewedOptions): RecentlyViewedItem[];
  /** Uses the history only with the 'personalization' purpose. [] when no pack is loaded. */
  recommend(options?: RecommendOptions): Recommendation[];
  /** Loads or replaces the pack; rejects on a bad pack and keeps the one in use. */
  loadPack(source: string | URL | ArrayBuffer | Uint8Array): Promise<PackSummary>;
  /** The loaded pack, or null. */
  readonly pack: PackSummary | null;
  stats(): Stats;
  readonly consent: ConsentApi;
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
  readonly consent: {set(change: Partial<Purposes>): Promise<Purposes>; get(): Purposes};
  recentlyViewed(options?: RecentlyViewedOptions): RecentlyViewedItem[];
  recommend(options?: RecommendOptions): Recommendation[];
  stats(): Stats;
  on: Vitrine['on'];
  flush(): Promise<void>;
}

declare global {
  interface Window {
    vitrine?: VitrineGlobal;
  }
}
