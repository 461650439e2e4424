/**
 * The catalog, indexed once: items sorted by (datetime, id) globally and per collection, an id lookup, each
 * item's lon/lat bbox for spatial prefiltering, and the property names CQL2 filters may use.
 *
 * Cached per catalog object (WeakMap), so every request after the first, and every API instance over the same
 * catalog, reuses it. The catalog is treated as immutable.
 */
import { bbox } from '@turf/turf';
import type { Geometry } from 'geojson';
import type { FilterTarget } from './cql2-filter';
import type { StacCatalog, StacCollectionDoc, StacItemDoc } from './types';

/** One item with what searching needs precomputed. */
export interface IndexedItem extends FilterTarget {
  doc: StacItemDoc;
  geometry: Geometry | null;
  /** `[west, south, east, north]` degrees, or null for items without geometry. */
  bbox: readonly [number, number, number, number] | null;
}

/** The index of one catalog. */
export interface CatalogIndex {
  collections: readonly StacCollectionDoc[];
  collectionById: ReadonlyMap<string, StacCollectionDoc>;
  /** Every item, sorted by time then id. */
  all: readonly IndexedItem[];
  /** Items per collection, sorted by time then id. */
  byCollection: ReadonlyMap<string, readonly IndexedItem[]>;
  /** Items by id (an id may, in principle, exist in several collections). */
  byId: ReadonlyMap<string, readonly IndexedItem[]>;
  /** Property names found in any item (for CQL2 validation and /queryables), with their JSON type. */
  queryables: ReadonlyMap<string, 'number' | 'string' | 'boolean'>;
}

const cache = new WeakMap<StacCatalog, CatalogIndex>();

/** (time, id) order: what Explorer sorts search results by (`center_time, id`), stable across pages. */
export function compareItems(a: IndexedItem, b: IndexedItem): number {
  return a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || (a.collection < b.collection ? -1 : a.collection > b.collection ? 1 : 0);
}

function itemTime(doc: StacItemDoc, collection: string): number {
  const raw = doc.properties?.datetime ?? doc.properties?.start_datetime;
  const ms = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new Error(`demo catalog item ${JSON.stringify(doc.id)} in ${collection} has no valid properties.datetime`);
  }
  return ms;
}

function itemBbox(doc: StacItemDoc): IndexedItem['bbox'] {
  const b = doc.bbox;
  if (Array.isArray(b) && (b.length === 4 || b.length === 6)) {
    return b.length === 4 ? [b[0], b[1], b[2], b[3]] : [b[0], b[1], b[3], b[4]];
  }
  if (!doc.geometry) return null;
  const [w, s, e, n] = bbox(doc.geometry);
  return [w, s, e, n];
}

function build(catalog: StacCatalog): CatalogIndex {
  const collections = [...catalog.collections()];
  const collectionById = new Map(collections.map((c) => [c.id, c]));
  const byCollection = new Map<string, IndexedItem[]>();
  const byId = new Map<string, IndexedItem[]>();
  const queryables = new Map<string, 'number' | 'string' | 'boolean'>();
  const all: IndexedItem[] = [];
  for (const c of collections) {
    const items: IndexedItem[] = catalog.items(c.id).map((doc) => ({
      doc,
      id: doc.id,
      collection: c.id,
      time: itemTime(doc, c.id),
      properties: doc.properties ?? {},
      geometry: doc.geometry ?? null,
      bbox: itemBbox(doc),
    }));
    items.sort(compareItems);
    byCollection.set(c.id, items);
    for (const it of items) {
      all.push(it);
      const same = byId.get(it.id);
      if (same) same.push(it);
      else byId.set(it.id, [it]);
      for (const [key, value] of Object.entries(it.properties)) {
        const t = typeof value;
        if (!queryables.has(key) && (t === 'number' || t === 'string' || t === 'boolean')) {
          queryables.set(key, t as 'number' | 'string' | 'boolean');
        }
      }
    }
  }
  all.sort(compareItems);
  return { collections, collectionById, all, byCollection, byId, queryables };
}

/** The (cached) index of a catalog. */
export function indexCatalog(catalog: StacCatalog): CatalogIndex {
  let index = cache.get(catalog);
  if (!index) {
    index = build(catalog);
    cache.set(catalog, index);
  }
  return index;
}

/** First position in `items` (sorted by time) whose time is ≥ `ms`. */
export function lowerBound(items: readonly IndexedItem[], ms: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].time < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position in `items` (sorted by time) whose time is > `ms`. */
export function upperBound(items: readonly IndexedItem[], ms: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].time <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
