/**
 * Absolute URLs and the link objects the API adds to collections and items. Like Explorer (which forces
 * `_external=True` on every `url_for`), every href is absolute: request origin + mount path + route.
 */
import type { Context } from 'hono';
import { basePath } from 'hono/route';
import type { StacCollectionDoc, StacItemDoc } from './types';

/** STAC version written on documents that do not say. */
export const STAC_VERSION = '1.0.0';
const JSON_TYPE = 'application/json';
const GEOJSON_TYPE = 'application/geo+json';

/** URL builder for one request. */
export interface ApiUrls {
  /** The landing page URL (the API root). */
  root: string;
  /** Absolute URL of a path below the root (`/search`). */
  href(path: string): string;
  collection(id: string): string;
  item(collection: string, id: string): string;
}

/**
 * URLs for the current request. The mount prefix comes from `mountPath` when given, else from Hono's routing
 * (`basePath(c)`), so the same sub-app works under `/demo/stac`, `/stac` or the server root.
 */
export function apiUrls(c: Context, mountPath?: string): ApiUrls {
  const origin = new URL(c.req.url).origin;
  const prefix = (mountPath ?? basePath(c)).replace(/\/+$/, '');
  const href = (path: string) => `${origin}${prefix}${path}`;
  return {
    root: prefix === '' ? `${origin}/` : `${origin}${prefix}`,
    href,
    collection: (id) => href(`/collections/${encodeURIComponent(id)}`),
    item: (collection, id) => href(`/collections/${encodeURIComponent(collection)}/items/${encodeURIComponent(id)}`),
  };
}

/** An item as served: stored JSON plus self/root/parent/collection links (other stored links kept). */
export function renderItem(doc: StacItemDoc, collection: string, urls: ApiUrls): Record<string, unknown> {
  const ours = new Set(['self', 'root', 'parent', 'collection']);
  const kept = (Array.isArray(doc.links) ? doc.links : []).filter(
    (l) => !(l && typeof l === 'object' && ours.has(String((l as { rel?: unknown }).rel))),
  );
  const collectionUrl = urls.collection(collection);
  return {
    stac_version: STAC_VERSION,
    ...doc,
    collection,
    links: [
      { rel: 'self', type: GEOJSON_TYPE, href: urls.item(collection, doc.id) },
      { rel: 'root', type: JSON_TYPE, href: urls.root },
      { rel: 'parent', type: JSON_TYPE, href: collectionUrl },
      { rel: 'collection', type: JSON_TYPE, href: collectionUrl },
      ...kept,
    ],
  };
}

/** A collection as served, with the links Explorer gives it (root, self, items, queryables) plus parent. */
export function renderCollection(doc: StacCollectionDoc, urls: ApiUrls, title?: string): Record<string, unknown> {
  const self = urls.collection(doc.id);
  return {
    stac_version: STAC_VERSION,
    type: 'Collection',
    ...doc,
    links: [
      { rel: 'root', type: JSON_TYPE, href: urls.root, ...(title ? { title } : {}) },
      { rel: 'parent', type: JSON_TYPE, href: urls.root },
      { rel: 'self', type: JSON_TYPE, href: self },
      { rel: 'items', type: GEOJSON_TYPE, href: `${self}/items` },
      { rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables', type: 'application/schema+json', href: `${self}/queryables` },
    ],
  };
}
