/**
 * The demo world's STAC API: a Hono sub-app that answers like DEA Explorer's `/stac` (opendatacube/
 * datacube-explorer `cubedash/_stac.py`), so GeoCrop's STAC client is exercised against the same behaviour
 * offline. Mount it anywhere: `app.route('/demo/stac', createStacApi(catalog))`.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { basePath } from 'hono/route';
import { indexCatalog, type CatalogIndex, type IndexedItem } from './catalog-index';
import { badRequest, errorResponse, notFound, onStacError } from './errors';
import { apiUrls, renderCollection, renderItem, STAC_VERSION, type ApiUrls } from './links';
import { runSearch } from './search';
import { searchFromBody, searchFromQuery, type LimitOptions, type SearchRequest } from './search-request';
import type { StacApiOptions, StacCatalog } from './types';

/** Conformance classes: STAC API core, collections, features, item search, and the Filter extension (CQL2). */
export const CONFORMS_TO: readonly string[] = Object.freeze([
  'https://api.stacspec.org/v1.0.0/core',
  'https://api.stacspec.org/v1.0.0/collections',
  'https://api.stacspec.org/v1.0.0/ogcapi-features',
  'https://api.stacspec.org/v1.0.0/item-search',
  'https://api.stacspec.org/v1.0.0/item-search#filter',
  'https://api.stacspec.org/v1.0.0/ogcapi-features#filter',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2',
  'http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators',
  'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
  'http://www.opengis.net/spec/cql2/1.0/conf/cql2-json',
]);

const JSON_TYPE = 'application/json';
const GEOJSON_TYPE = 'application/geo+json';

function geojson(c: Context, body: unknown): Response {
  return c.body(JSON.stringify(body), 200, { 'Content-Type': GEOJSON_TYPE });
}

async function readJsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The search body is not valid JSON');
  }
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`createStacApi: ${name} must be a positive integer, got ${v}`);
  return v;
}

/** JSON Schema of the properties a filter may use (those present in the given items). */
function queryablesDoc(id: string, title: string, items: readonly IndexedItem[], index: CatalogIndex): unknown {
  const properties: Record<string, unknown> = {
    id: { title: 'Item ID', type: 'string' },
    collection: { title: 'Collection', type: 'string' },
    datetime: { title: 'Acquisition time', type: 'string', format: 'date-time' },
  };
  const seen = new Set<string>();
  for (const it of items) for (const k of Object.keys(it.properties)) seen.add(k);
  for (const k of [...seen].sort()) {
    const type = index.queryables.get(k);
    if (type && k !== 'datetime') properties[k] = { type };
  }
  return {
    $schema: 'https://json-schema.org/draft/2019-09/schema',
    $id: id,
    type: 'object',
    title,
    properties,
    // Unknown properties are rejected by the filter (a 400 naming them), so say so.
    additionalProperties: false,
  };
}

/**
 * Creates the STAC API over a catalog.
 *
 * Endpoints (relative to the mount path): `GET /` landing page, `GET /conformance`, `GET /queryables`,
 * `GET /collections`, `GET /collections/{id}`, `GET /collections/{id}/queryables`,
 * `GET /collections/{id}/items`, `GET /collections/{id}/items/{itemId}`, `GET|POST /search`.
 *
 * @example
 * const app = new Hono();
 * app.route('/demo/stac', createStacApi(catalog, { title: 'GeoCrop demo world' }));
 * // GET /demo/stac/search?collections=s2_l2a_c1&bbox=29.9,-17.9,30.1,-17.7&filter=eo:cloud_cover<=50
 */
export function createStacApi(catalog: StacCatalog, opts: StacApiOptions = {}): Hono {
  const limits: LimitOptions = {
    defaultLimit: positiveInt('defaultLimit', opts.defaultLimit ?? 20),
    maxLimit: positiveInt('maxLimit', opts.maxLimit ?? 1000),
  };
  if (limits.defaultLimit > limits.maxLimit) throw new RangeError('createStacApi: defaultLimit exceeds maxLimit');
  const title = opts.title ?? 'GeoCrop demo world STAC API';
  const urls = (c: Context): ApiUrls => apiUrls(c, opts.basePath);
  const index = () => indexCatalog(catalog);

  const app = new Hono();
  app.onError(onStacError);
  app.notFound((c) => errorResponse(c, 404, `No STAC endpoint at ${c.req.path}`));

  const landing = (c: Context) => {
    const u = urls(c);
    const { collections } = index();
    return c.json({
      stac_version: STAC_VERSION,
      type: 'Catalog',
      id: 'geocrop-demo-world',
      title,
      description: 'Local stand-in for the DE Africa Explorer STAC API (same search, paging, filter and error behaviour).',
      conformsTo: CONFORMS_TO,
      links: [
        { rel: 'self', type: JSON_TYPE, href: u.root },
        { rel: 'root', type: JSON_TYPE, href: u.root, title },
        { rel: 'data', type: JSON_TYPE, href: u.href('/collections'), title: 'Collections' },
        { rel: 'children', type: JSON_TYPE, href: u.href('/collections'), title: 'Collections' },
        { rel: 'conformance', type: JSON_TYPE, href: u.href('/conformance'), title: 'Conformance classes' },
        { rel: 'search', type: GEOJSON_TYPE, href: u.href('/search'), title: 'Item Search', method: 'GET' },
        { rel: 'search', type: GEOJSON_TYPE, href: u.href('/search'), title: 'Item Search', method: 'POST' },
        { rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables', type: 'application/schema+json', href: u.href('/queryables'), title: 'Queryables' },
        ...collections.map((col) => ({
          rel: 'child', type: JSON_TYPE, href: u.collection(col.id), title: typeof col.title === 'string' ? col.title : col.id,
        })),
      ],
    });
  };

  /** A page of matches as an Explorer-style FeatureCollection. */
  const page = (c: Context, req: SearchRequest, matches: IndexedItem[], next: (offset: number) => Record<string, unknown>, links: Record<string, unknown>[]) => {
    const u = urls(c);
    const returned = matches.slice(req.offset, req.offset + req.limit);
    const out: Record<string, unknown>[] = [];
    if (req.offset + req.limit < matches.length) {
      out.push({ rel: 'next', title: 'Next page of Items', type: GEOJSON_TYPE, ...next(req.offset + req.limit) });
    }
    return geojson(c, {
      type: 'FeatureCollection',
      features: returned.map((it) => renderItem(it.doc, it.collection, u)),
      links: [...out, ...links],
      numberMatched: matches.length,
      numberReturned: returned.length,
      // Explorer still writes the pre-1.0 `context` object next to numberMatched/numberReturned.
      context: { page: Math.floor(req.offset / req.limit), limit: req.limit, returned: returned.length, matched: matches.length },
    });
  };

  /** GET paging: the same query with `_o` (and `limit`) set, as Explorer's `next_page_url`. */
  const getNext = (c: Context, limit: number) => (offset: number) => {
    const next = new URL(c.req.url);
    next.searchParams.set('limit', String(limit));
    next.searchParams.set('_o', String(offset));
    return { method: 'GET', href: next.toString() };
  };

  const searchLinks = (u: ApiUrls) => [
    { rel: 'root', type: JSON_TYPE, href: u.root },
    { rel: 'search', type: GEOJSON_TYPE, href: u.href('/search'), title: 'Search', method: 'GET' },
    { rel: 'search', type: GEOJSON_TYPE, href: u.href('/search'), title: 'Search', method: 'POST' },
  ];

  app.get('/', landing);

  app.get('/conformance', (c) => c.json({ conformsTo: CONFORMS_TO }));

  app.get('/queryables', (c) => c.json(queryablesDoc(urls(c).href('/queryables'), `Queryables of ${title}`, index().all, index())));

  app.get('/collections', (c) => {
    const u = urls(c);
    return c.json({
      collections: index().collections.map((col) => renderCollection(col, u, title)),
      links: [
        { rel: 'self', type: JSON_TYPE, href: u.href('/collections') },
        { rel: 'root', type: JSON_TYPE, href: u.root },
        { rel: 'parent', type: JSON_TYPE, href: u.root },
      ],
    });
  });

  app.get('/collections/:collectionId', (c) => {
    const id = c.req.param('collectionId');
    const col = index().collectionById.get(id);
    if (!col) throw notFound(`Unknown collection ${JSON.stringify(id)}`);
    return c.json(renderCollection(col, urls(c), title));
  });

  app.get('/collections/:collectionId/queryables', (c) => {
    const id = c.req.param('collectionId');
    const ix = index();
    const items = ix.byCollection.get(id);
    if (!items) throw notFound(`Unknown collection ${JSON.stringify(id)}`);
    return c.json(queryablesDoc(`${urls(c).collection(id)}/queryables`, `Queryables for ${id}`, items, ix));
  });

  app.get('/collections/:collectionId/items', (c) => {
    const id = c.req.param('collectionId');
    const ix = index();
    if (!ix.collectionById.has(id)) throw notFound(`Product ${JSON.stringify(id)} not found`);
    const req = { ...searchFromQuery(new URL(c.req.url).searchParams, limits), collections: [id] };
    const u = urls(c);
    return page(c, req, runSearch(ix, req), getNext(c, req.limit), [
      { rel: 'self', type: GEOJSON_TYPE, href: c.req.url },
      { rel: 'root', type: JSON_TYPE, href: u.root },
      { rel: 'parent', type: JSON_TYPE, href: u.collection(id) },
      { rel: 'collection', type: JSON_TYPE, href: u.collection(id) },
    ]);
  });

  app.get('/collections/:collectionId/items/:itemId', (c) => {
    const collection = c.req.param('collectionId');
    const itemId = c.req.param('itemId');
    const u = urls(c);
    const found = index().byId.get(itemId);
    if (!found) throw notFound(`No dataset found with id ${JSON.stringify(itemId)}`);
    const match = found.find((it) => it.collection === collection);
    if (!match) {
      // Explorer answers 404 (not a redirect) and names the right collection.
      const actual = found[0].collection;
      throw notFound(`No such dataset in collection.\nPerhaps you meant collection ${actual}: ${u.item(actual, itemId)}`);
    }
    return geojson(c, renderItem(match.doc, match.collection, u));
  });

  app.get('/search', (c) => {
    const req = searchFromQuery(new URL(c.req.url).searchParams, limits);
    return page(c, req, runSearch(index(), req), getNext(c, req.limit), searchLinks(urls(c)));
  });

  app.post('/search', async (c) => {
    const req = searchFromBody(await readJsonBody(c), limits);
    // POST paging as Explorer: repeat your own body, merged with the new offset.
    const next = (offset: number) => ({ method: 'POST', href: c.req.url, merge: true, body: { _o: offset } });
    return page(c, req, runSearch(index(), req), next, searchLinks(urls(c)));
  });

  // Mounted sub-apps do not get their own notFound handler, so answer every other path here: JSON, never HTML.
  app.all('*', (c) => {
    const prefix = (opts.basePath ?? basePath(c)).replace(/\/+$/, '');
    const rel = c.req.path.slice(prefix.length).replace(/\/+$/, '') || '/';
    if (rel === '/' && c.req.method === 'GET') return landing(c);
    const known = /^\/(conformance|queryables|search|collections(\/[^/]+(\/queryables|\/items(\/[^/]+)?)?)?)?$/.test(rel);
    if (known) return errorResponse(c, 405, `Method ${c.req.method} is not allowed on ${c.req.path}`);
    return errorResponse(c, 404, `No STAC endpoint at ${c.req.path}`);
  });

  return app;
}
