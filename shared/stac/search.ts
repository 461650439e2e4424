/**
 * STAC Item Search against DEA Explorer's API (or the demo world's copy of it): one POST `/search`, then every
 * `next` link, each request through {@link fetchWithRetry}. Explorer facts this follows: page size default 20,
 * at most 1000 (more is a 400); POST paging by `{"method":"POST","merge":true,"body":{"_o":offset}}`; no Query
 * extension, so cloud cover is filtered with CQL2 (`filter` + `filter-lang: cql2-json`).
 */
import { GeoCropError, throwIfAborted } from '../contract/errors';
import { fetchWithRetry, type FetchFn, type RetryInfo, type RetryPolicy } from '../net/fetch-retry';
import { pageInit, readSearchPage, refusalError, requestKey, type PageRequest } from './search-page';

/** Largest page size DEA Explorer accepts; a larger `limit` is a 400 there. */
export const STAC_MAX_PAGE_SIZE = 1000;
/** Page size GeoCrop asks for: half the maximum, so a page stays a few MB of JSON. */
export const DEFAULT_PAGE_SIZE = 500;
/** Pages followed before giving up (200 × 500 items is far more than any AOI and season need). */
export const DEFAULT_MAX_PAGES = 200;

/** What to search for. */
export interface StacSearchParams {
  /** The API root, e.g. `https://explorer.digitalearth.africa/stac` (a trailing slash is fine). */
  stacUrl: string;
  /** Collection ids, e.g. `['s2_l2a_c1']`; at least one. */
  collections: readonly string[];
  /** `[west, south, east, north]`, degrees (WGS 84). */
  bbox: readonly [number, number, number, number];
  /** Closed interval `start/end` (RFC 3339), e.g. `2022-09-01T00:00:00Z/2023-05-31T23:59:59Z`. */
  datetime: string;
  /**
   * Largest `eo:cloud_cover` kept, percent (0–100), sent as a CQL2 filter. Omit (or 100) for no filter: items
   * without `eo:cloud_cover` are then kept too.
   */
  maxCloudCover?: number;
  /** Page size, 1..{@link STAC_MAX_PAGE_SIZE}. Default {@link DEFAULT_PAGE_SIZE}. */
  limit?: number;
}

/** Progress after each page. */
export interface StacPageInfo {
  /** The searched collection ids, comma-separated (one id in a season search). */
  collection: string;
  /** Page number, from 1. */
  page: number;
  /** Features on this page. */
  items: number;
  /** Features so far, this page included. */
  total: number;
  /** The server's total match count, or null when it does not say. */
  matched: number | null;
}

/** Options of {@link searchItems}. */
export interface StacSearchOptions {
  /** Retry settings for every request (default: 3 attempts, backoff from 400 ms, 30 s timeout). */
  retry?: Partial<RetryPolicy>;
  /** Pages followed before failing with `STAC_UNAVAILABLE`. Default {@link DEFAULT_MAX_PAGES}. */
  maxPages?: number;
  onPage?: (info: StacPageInfo) => void;
  onRetry?: (info: RetryInfo) => void;
  /** Jitter source for the retry backoff, 0..1 (tests). */
  random?: () => number;
}

/** All pages of one search. */
export interface StacSearchResult {
  /** Raw features of every page, in the server's order, unvalidated. */
  features: unknown[];
  /** Pages read. */
  pages: number;
  /** HTTP requests made, retries included. */
  requests: number;
  /** The server's total match count from the first page, or null when it does not say. */
  matched: number | null;
}

/** The CQL2-JSON filter `eo:cloud_cover <= maxCloudCover` (percent). */
export function cloudCoverFilter(maxCloudCover: number): Record<string, unknown> {
  return { op: '<=', args: [{ property: 'eo:cloud_cover' }, maxCloudCover] };
}

function checkParams(params: StacSearchParams): { root: string; limit: number } {
  const bad = (message: string, details: Record<string, unknown>) => new GeoCropError('STAC_BAD_PARAMETER', message, details);
  const root = params.stacUrl.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/i.test(root)) {
    throw bad(`The STAC URL ${JSON.stringify(params.stacUrl)} is not an http(s) URL; give the API root, such as https://explorer.digitalearth.africa/stac.`, {
      stacUrl: params.stacUrl,
    });
  }
  const limit = params.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > STAC_MAX_PAGE_SIZE) {
    throw bad(`The STAC page size must be a whole number from 1 to ${STAC_MAX_PAGE_SIZE} (DEA Explorer's maximum; got ${limit}); more items come by paging.`, { limit });
  }
  if (params.collections.length === 0) throw bad('Give at least one STAC collection to search, such as s2_l2a_c1.', {});
  const c = params.maxCloudCover;
  if (c !== undefined && !(c >= 0 && c <= 100)) {
    throw new GeoCropError('INVALID_REQUEST', `The cloud-cover limit must be a percentage from 0 to 100 (got ${c}).`, { maxCloudCover: c });
  }
  return { root, limit };
}

/** The POST `/search` body: Explorer accepts exactly these (no `query`, no `sortby`). */
export function searchBody(params: StacSearchParams): Record<string, unknown> {
  const body: Record<string, unknown> = {
    collections: [...params.collections],
    bbox: [...params.bbox],
    datetime: params.datetime,
    limit: params.limit ?? DEFAULT_PAGE_SIZE,
  };
  if (params.maxCloudCover !== undefined && params.maxCloudCover < 100) {
    body.filter = cloudCoverFilter(params.maxCloudCover);
    body['filter-lang'] = 'cql2-json';
  }
  return body;
}

/**
 * Runs one STAC Item Search and follows its `next` links to the end.
 *
 * @param fetchFn the platform's `fetch` (or a test double / an in-process app's `fetch`).
 * @throws GeoCropError `STAC_BAD_PARAMETER` (the server answered 4xx, quoting it; or bad params),
 *   `STAC_NOT_FOUND` (404: wrong STAC URL), `STAC_UNAVAILABLE` (every retry failed, a non-JSON answer, a paging
 *   loop, more than `maxPages` pages), `INVALID_REQUEST` (cloud limit outside 0–100).
 * @throws AbortError when `signal` fires.
 * @example
 * const { features } = await searchItems(fetch, {
 *   stacUrl: 'https://explorer.digitalearth.africa/stac', collections: ['s2_l2a_c1'],
 *   bbox: [29.9, -17.9, 30.1, -17.7], datetime: '2022-09-01T00:00:00Z/2023-05-31T23:59:59Z', maxCloudCover: 80,
 * }, {}, signal);
 */
export async function searchItems(fetchFn: FetchFn, params: StacSearchParams, opts: StacSearchOptions = {}, signal?: AbortSignal): Promise<StacSearchResult> {
  const { root } = checkParams(params);
  const maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
  const label = params.collections.join(',');
  let requests = 0;
  const counted: FetchFn = (url, init) => {
    requests++;
    return fetchFn(url, init);
  };
  const features: unknown[] = [];
  const seen = new Set<string>();
  let matched: number | null = null;
  let req: PageRequest | null = { method: 'POST', url: `${root}/search`, body: searchBody(params) };
  let pages = 0;
  while (req) {
    throwIfAborted(signal);
    const page: number = pages + 1;
    const key = requestKey(req);
    if (seen.has(key)) {
      throw new GeoCropError(
        'STAC_UNAVAILABLE',
        `The STAC API at ${root} sent a next-page link back to a page already read (page ${page} of ${label} repeats an earlier request): ` +
          'its paging is broken, so the search would never end. Report it to the STAC API operator or use another STAC URL.',
        { url: req.url, method: req.method, body: req.body, page },
      );
    }
    if (page > maxPages) {
      throw new GeoCropError(
        'STAC_UNAVAILABLE',
        `The STAC search of ${label} at ${root} still had more pages after ${maxPages} pages (${features.length} items): ` +
          'narrow the search (a smaller AOI, or a lower cloud-cover limit) or raise maxPages.',
        { maxPages, items: features.length },
      );
    }
    seen.add(key);
    const what = `STAC search page ${page} (${label})`;
    const res = await fetchWithRetry(counted, req.url, pageInit(req), { errorCode: 'STAC_UNAVAILABLE', what, policy: opts.retry, onRetry: opts.onRetry, random: opts.random }, signal);
    if (!res.ok) throw await refusalError(res, req, root, what, signal);
    const got = await readSearchPage(res, req, root, what, signal);
    pages = page;
    if (page === 1) matched = got.matched;
    features.push(...got.features);
    opts.onPage?.({ collection: label, page, items: got.features.length, total: features.length, matched: got.matched ?? matched });
    req = got.next;
  }
  return { features, pages, requests, matched };
}
