/**
 * Item Search parameters, read from a GET query string or a POST JSON body into one validated request.
 *
 * Accepted forms follow DEA Explorer (`cubedash/_stac.py` `_handle_search_request`, `_array_arg`):
 * lists as `a,b` or a JSON array string in GET and arrays in POST; `collection`/`product` (singular, legacy)
 * add to `collections`; `time` is the pre-1.0 name of `datetime`; an empty `collections=` means "all";
 * an empty `ids=` matches nothing. Every bad value is a 400 that names the parameter.
 */
import type { Geometry } from 'geojson';
import type { Cql2Expression } from './cql2-types';
import { parseCql2Text } from './cql2-text';
import { parseDatetimeRange, type DatetimeRange } from './datetime-range';
import { badRequest } from './errors';

/** A validated search. */
export interface SearchRequest {
  /** null = every collection. */
  collections: string[] | null;
  /** null = any id; [] = none. */
  ids: string[] | null;
  bbox: [number, number, number, number] | null;
  intersects: Geometry | null;
  datetime: DatetimeRange | null;
  limit: number;
  /** Explorer's `_o`: how many matches to skip. */
  offset: number;
  /** cql2-json (cql2-text is converted on the way in). */
  filter: Cql2Expression | null;
}

/** Page-size limits. */
export interface LimitOptions {
  defaultLimit: number;
  maxLimit: number;
}

type Source = 'GET' | 'POST';
type Params = { has(name: string): boolean; get(name: string): unknown };

const GEOMETRY_TYPES = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'];
const CRS84 = ['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 'http://www.opengis.net/def/crs/EPSG/0/4326'];

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v));

/** `a,b` / `["a","b"]` / an array → strings. */
function stringList(name: string, raw: unknown): string[] {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    const s = raw.trim();
    if (s.startsWith('[')) {
      try {
        value = JSON.parse(s);
      } catch {
        throw badRequest(`Invalid ${name}: ${show(raw)} is not a JSON array; use a comma-separated list`);
      }
    } else {
      value = s.split(',').map((p) => p.trim()).filter((p) => p !== '');
    }
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw badRequest(`Invalid ${name}: expected a list of strings, got ${show(raw)}`);
  }
  return value.map((v) => v.trim()).filter((v) => v !== '');
}

function parseBbox(raw: unknown): [number, number, number, number] {
  let nums: unknown = raw;
  if (typeof raw === 'string') {
    const s = raw.trim();
    if (s.startsWith('[')) {
      try {
        nums = JSON.parse(s);
      } catch {
        nums = null;
      }
    } else {
      nums = s.split(',').map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
    }
  }
  const usage = 'expected 4 numbers west,south,east,north (lon/lat degrees, e.g. bbox=29.9,-17.9,30.1,-17.7)';
  if (!Array.isArray(nums) || !nums.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw badRequest(`Invalid bbox ${show(raw)}: ${usage}`);
  }
  if (nums.length !== 4) {
    throw badRequest(`Invalid bbox ${show(raw)}: expected bbox of size 4 [min lon, min lat, max lon, max lat], got ${nums.length} numbers`);
  }
  const [w, s, e, n] = nums as number[];
  if (w < -180 || e > 180 || w > 180 || e < -180) {
    throw badRequest(`Invalid bbox ${show(raw)}: longitudes must be within -180..180 (order is west,south,east,north)`);
  }
  if (s < -90 || n > 90 || s > 90 || n < -90) {
    throw badRequest(`Invalid bbox ${show(raw)}: latitudes must be within -90..90 (order is west,south,east,north)`);
  }
  if (s > n) throw badRequest(`Invalid bbox ${show(raw)}: south (${s}) is greater than north (${n}); order is west,south,east,north`);
  if (w > e) {
    throw badRequest(`Invalid bbox ${show(raw)}: west (${w}) is greater than east (${e}); order is west,south,east,north (boxes across the antimeridian are not supported)`);
  }
  return [w, s, e, n];
}

function checkPosition(p: unknown, where: string): void {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw badRequest(`Invalid intersects: ${where} must be a [lon, lat] position, got ${show(p)}`);
  }
  if (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90) {
    throw badRequest(`Invalid intersects: ${where} ${show(p)} is outside lon -180..180 / lat -90..90 (GeoJSON is [lon, lat])`);
  }
}

function checkArray(v: unknown, depth: number, where: string, ring: boolean): void {
  if (!Array.isArray(v)) throw badRequest(`Invalid intersects: ${where} must be an array`);
  if (depth === 0) return checkPosition(v, where);
  if (ring && depth === 1 && v.length < 4) throw badRequest(`Invalid intersects: ${where} is a polygon ring with fewer than 4 positions`);
  v.forEach((x, i) => checkArray(x, depth - 1, `${where}[${i}]`, ring));
}

function parseIntersects(raw: unknown): Geometry {
  let g: unknown = raw;
  if (typeof raw === 'string') {
    try {
      g = JSON.parse(raw);
    } catch {
      throw badRequest('Invalid intersects: not valid JSON; expected a GeoJSON geometry object');
    }
  }
  if (typeof g !== 'object' || g === null || Array.isArray(g)) {
    throw badRequest('Invalid intersects: expected a GeoJSON geometry object {"type": ..., "coordinates": ...}');
  }
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  if (typeof type !== 'string' || !GEOMETRY_TYPES.includes(type)) {
    throw badRequest(`Invalid intersects: unsupported geometry type ${show(type)}; use one of ${GEOMETRY_TYPES.join(', ')}`);
  }
  const depth = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 }[type]!;
  checkArray(coordinates, depth, 'coordinates', type.endsWith('Polygon'));
  if ((type === 'MultiPoint' || type === 'LineString') && (coordinates as unknown[]).length < (type === 'LineString' ? 2 : 1)) {
    throw badRequest(`Invalid intersects: ${type} has too few positions`);
  }
  return { type, coordinates } as Geometry;
}

function parseInteger(name: string, raw: unknown, source: Source): number {
  const value = source === 'GET' && typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw badRequest(`Invalid ${name} ${show(raw)}: expected an integer`);
  }
  return value;
}

function parseLimit(params: Params, source: Source, opts: LimitOptions): number {
  if (!params.has('limit') || params.get('limit') === '' || params.get('limit') === null) return opts.defaultLimit;
  const limit = parseInteger('limit', params.get('limit'), source);
  if (limit > opts.maxLimit) {
    throw badRequest(`Max page size is ${opts.maxLimit}. Use the next links instead of a large limit.`);
  }
  if (limit < 1) throw badRequest(`Invalid limit ${limit}: it must be between 1 and ${opts.maxLimit} (the maximum page size)`);
  return limit;
}

function parseFilter(params: Params, source: Source): Cql2Expression | null {
  if (!params.has('filter')) return null;
  const raw = params.get('filter');
  if (raw === null || raw === '') return null;
  const langRaw = params.get('filter-lang');
  const lang = langRaw === undefined || langRaw === null || langRaw === '' ? (source === 'GET' ? 'cql2-text' : 'cql2-json') : langRaw;
  if (lang !== 'cql2-text' && lang !== 'cql2-json') {
    throw badRequest(`Unsupported filter-lang ${show(lang)}: use cql2-text or cql2-json`);
  }
  const crs = params.get('filter-crs');
  if (crs !== undefined && crs !== null && crs !== '' && !CRS84.includes(String(crs))) {
    throw badRequest(`Unsupported filter-crs ${show(crs)}: only ${CRS84[0]} is supported`);
  }
  if (lang === 'cql2-text') {
    if (typeof raw !== 'string') throw badRequest('Invalid filter: with filter-lang=cql2-text the filter must be a string');
    if (raw.trim().startsWith('{') && (langRaw === undefined || langRaw === null || langRaw === '')) {
      throw badRequest('Invalid filter: it looks like cql2-json, but GET filters default to cql2-text; add filter-lang=cql2-json');
    }
    return parseCql2Text(raw);
  }
  if (typeof raw === 'string') {
    try {
      return JSON.parse(raw) as Cql2Expression;
    } catch {
      throw badRequest(
        `Invalid filter: with filter-lang=cql2-json the filter must be JSON${source === 'POST' ? ' (send filter-lang=cql2-text for a text filter)' : ''}`,
      );
    }
  }
  return raw as Cql2Expression;
}

function parse(params: Params, source: Source, opts: LimitOptions): SearchRequest {
  if (params.has('query')) {
    throw badRequest(
      "The Query extension ('query') is not supported (as on DEA Explorer): use 'filter' with CQL2 instead, " +
        "e.g. filter=eo:cloud_cover <= 50 (GET, cql2-text) or {\"filter\": {\"op\": \"<=\", \"args\": [{\"property\": \"eo:cloud_cover\"}, 50]}} (POST, cql2-json)",
    );
  }
  if (params.has('sortby')) {
    throw badRequest("'sortby' is not supported by this STAC API: results are always sorted by datetime, then id");
  }

  let collections: string[] | null = null;
  if (params.has('collections')) {
    const list = stringList('collections', params.get('collections') ?? '');
    if (list.length > 0) collections = list;
  }
  for (const legacy of ['collection', 'product']) {
    if (params.has(legacy)) {
      const v = params.get(legacy);
      if (typeof v !== 'string') throw badRequest(`Invalid ${legacy} ${show(v)}: expected a collection id`);
      if (v.trim() !== '') collections = [...(collections ?? []), v.trim()];
      break;
    }
  }

  const ids = params.has('ids') ? stringList('ids', params.get('ids') ?? '') : null;
  const bboxRaw = params.get('bbox');
  const bbox = bboxRaw === undefined || bboxRaw === null || bboxRaw === '' ? null : parseBbox(bboxRaw);
  const intersectsRaw = params.get('intersects');
  const intersects = intersectsRaw === undefined || intersectsRaw === null || intersectsRaw === '' ? null : parseIntersects(intersectsRaw);
  if (bbox && intersects) {
    throw badRequest('bbox and intersects cannot be used together: give one spatial filter');
  }

  const dt = params.get('datetime') ?? params.get('time');
  if (dt !== undefined && dt !== null && typeof dt !== 'string') {
    throw badRequest(`Invalid datetime ${show(dt)}: expected a string like 2023-01-01T00:00:00Z/2023-03-31T23:59:59Z`);
  }
  const datetime = typeof dt === 'string' ? parseDatetimeRange(dt) : null;

  const limit = parseLimit(params, source, opts);
  const o = params.get('_o');
  const offset = o === undefined || o === null || o === '' ? 0 : parseInteger('_o', o, source);
  if (offset < 0) throw badRequest(`Invalid _o ${offset}: the page offset must be 0 or more`);

  return { collections, ids, bbox, intersects, datetime, limit, offset, filter: parseFilter(params, source) };
}

/** Reads a GET query string (first value of each parameter). */
export function searchFromQuery(query: URLSearchParams, opts: LimitOptions): SearchRequest {
  return parse({ has: (n) => query.has(n), get: (n) => query.get(n) ?? undefined }, 'GET', opts);
}

/** Reads a POST JSON body (already parsed). */
export function searchFromBody(body: unknown, opts: LimitOptions): SearchRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The search body must be a JSON object');
  }
  const o = body as Record<string, unknown>;
  return parse({ has: (n) => Object.hasOwn(o, n) && o[n] !== undefined, get: (n) => o[n] }, 'POST', opts);
}
