/**
 * Loads what the first page shows about the demo world, and turns every failure into a sentence a person can act
 * on. Kept free of React so it is tested in Node.
 */
import { GeoCropError } from '../../shared/contract/errors';

/** `/healthz` answer. */
export interface Health {
  ok: boolean;
  demo: {
    seed: number;
    /** Season start years (2022 = Sep 2022 → May 2023). */
    seasons: number[];
    /** Number of scenes in the demo world. */
    scenes: number;
    /** False while the demo world is still being generated. */
    ready: boolean;
  };
}

/** The parts of a STAC collection the page lists. */
export interface CollectionSummary {
  id: string;
  title: string;
  /** Item count when the API publishes one. */
  itemCount?: number;
  /** First temporal interval as ISO strings; `null` = open end. */
  temporal?: { start: string | null; end: string | null };
}

/** Where the page reads from (same origin as the page). */
export const DEMO_URLS = {
  health: '/healthz',
  collections: '/demo/stac/collections',
  stacLanding: '/demo/stac',
  truth: [
    { href: '/demo/truth/classes.tif', label: 'Crop classes raster (classes.tif, COG)' },
    { href: '/demo/truth/fields.geojson', label: 'Field boundaries (fields.geojson)' },
    { href: '/demo/truth/classes.json', label: 'Class legend (classes.json)' },
  ],
} as const;

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Fetches and checks `/healthz`. Rejects with a {@link GeoCropError} whose message is fit for the page. */
export async function loadHealth(fetchFn: FetchLike, signal?: AbortSignal): Promise<Health> {
  const body = await getJson(fetchFn, DEMO_URLS.health, 'the server status', signal);
  const demo = isObject(body) && isObject(body.demo) ? body.demo : undefined;
  if (!isObject(body) || !demo || typeof demo.ready !== 'boolean') {
    throw new GeoCropError('READ_FAILED', 'The server status did not look as expected (no "demo" section). Is this a GeoCrop server?');
  }
  return {
    ok: body.ok === true,
    demo: {
      seed: typeof demo.seed === 'number' ? demo.seed : NaN,
      seasons: Array.isArray(demo.seasons) ? demo.seasons.filter((y): y is number => typeof y === 'number') : [],
      scenes: typeof demo.scenes === 'number' ? demo.scenes : NaN,
      ready: demo.ready,
    },
  };
}

/** Fetches `/demo/stac/collections` and keeps what the page shows. */
export async function loadCollections(fetchFn: FetchLike, signal?: AbortSignal): Promise<CollectionSummary[]> {
  const body = await getJson(fetchFn, DEMO_URLS.collections, 'the list of collections', signal);
  if (!isObject(body) || !Array.isArray(body.collections)) {
    throw new GeoCropError('STAC_UNAVAILABLE', 'The STAC API answered, but not with a list of collections.');
  }
  return body.collections.filter(isObject).map((c) => {
    const id = typeof c.id === 'string' ? c.id : '(no id)';
    const interval = isObject(c.extent) && isObject(c.extent.temporal) && Array.isArray(c.extent.temporal.interval) ? c.extent.temporal.interval[0] : undefined;
    const count = [c['geocrop:item_count'], c.item_count, c.numberMatched].find((n): n is number => typeof n === 'number');
    return {
      id,
      title: typeof c.title === 'string' && c.title.trim() ? c.title : id,
      ...(count !== undefined ? { itemCount: count } : {}),
      ...(Array.isArray(interval) ? { temporal: { start: isoOrNull(interval[0]), end: isoOrNull(interval[1]) } } : {}),
    };
  });
}

/** "2022-09-01 → 2023-05-31", with "open" for a missing end. */
export function formatInterval(t: { start: string | null; end: string | null }): string {
  const day = (s: string | null) => (s ? s.slice(0, 10) : 'open');
  return `${day(t.start)} → ${day(t.end)}`;
}

/** "2022/23" for the season starting in 2022. */
export function formatSeason(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;
}

/** A sentence for any error a loader rejected with. */
export function describeError(err: unknown): string {
  if (err instanceof GeoCropError) return err.message;
  if (err instanceof TypeError) return 'Could not reach the GeoCrop server. Check that it is running (npm start) and that you are online, then try again.';
  return err instanceof Error && err.message ? err.message : 'Something went wrong.';
}

async function getJson(fetchFn: FetchLike, url: string, what: string, signal?: AbortSignal): Promise<unknown> {
  const res = await fetchFn(url, { signal, headers: { Accept: 'application/json' } });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
    if (res.ok) throw new GeoCropError('READ_FAILED', `The server's answer for ${what} was not valid JSON.`, { url });
  }
  if (!res.ok) {
    const said = isObject(body) ? (body.message ?? body.description) : undefined;
    const reason = res.status === 404 ? 'it was not found' : res.status >= 500 ? 'the server had a problem' : 'the request was refused';
    const detail = typeof said === 'string' && said ? ` The server said: "${said}"` : '';
    throw new GeoCropError(res.status === 404 ? 'NOT_FOUND' : 'READ_FAILED', `Could not load ${what}: ${reason} (HTTP ${res.status}).${detail}`, { url, status: res.status });
  }
  return body;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isoOrNull(v: unknown): string | null {
  return typeof v === 'string' && v ? v : null;
}
