/**
 * What the demo STAC API serves from: a catalog of collections and their items, held in memory.
 */
import type { Geometry } from 'geojson';

/** A STAC Collection document without `links` (the API adds absolute links per request). */
export interface StacCollectionDoc {
  id: string;
  type?: 'Collection';
  stac_version?: string;
  title?: string;
  description?: string;
  license?: string;
  extent?: unknown;
  [key: string]: unknown;
}

/**
 * A STAC Item as the demo world stores it: Explorer-shaped (UUID `id`, `properties.title` = EO3 label,
 * per-asset `proj:*`), with `links: []`; the API adds self/root/parent/collection links per request.
 */
export interface StacItemDoc {
  type: 'Feature';
  id: string;
  collection?: string;
  stac_version?: string;
  geometry: Geometry | null;
  bbox?: number[];
  properties: { datetime?: string | null; start_datetime?: string; [key: string]: unknown };
  assets: Record<string, unknown>;
  links?: unknown[];
  [key: string]: unknown;
}

/**
 * The data behind the API. Treated as immutable: the API indexes it once (per catalog object) on first use.
 */
export interface StacCatalog {
  collections(): readonly StacCollectionDoc[];
  /** Items of one collection, in any order. */
  items(collectionId: string): readonly StacItemDoc[];
}

/** Options of {@link createStacApi}. */
export interface StacApiOptions {
  /** Landing page title. */
  title?: string;
  /** Page size when a request gives no `limit` (Explorer: 20). */
  defaultLimit?: number;
  /** Largest accepted `limit`; larger is a 400 (Explorer: 1000). */
  maxLimit?: number;
  /**
   * Path the API is mounted at (e.g. `/demo/stac`). Default: read from Hono's routing at request time, so
   * `app.route('/anything', createStacApi(catalog))` works unchanged.
   */
  basePath?: string;
}
