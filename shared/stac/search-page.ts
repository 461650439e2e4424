/**
 * One STAC search page on the wire: the request (GET or POST), reading the answer into features and a `next`
 * link, and turning a refusal into a GeoCropError whose message quotes the server. Paging itself is in
 * `search.ts`.
 */
import { abortError, GeoCropError } from '../contract/errors';

/** A search request as sent: the first POST, or what a `next` link asks for. */
export interface PageRequest {
  method: 'GET' | 'POST';
  /** Absolute URL. */
  url: string;
  /** JSON body (POST only). */
  body: Readonly<Record<string, unknown>> | null;
}

/** What one page gave. */
export interface SearchPage {
  /** Raw features, unvalidated. */
  features: unknown[];
  /** The request for the next page, or null on the last page. */
  next: PageRequest | null;
  /** The server's `numberMatched` (or pre-1.0 `context.matched`), or null when it does not say. */
  matched: number | null;
}

const MAX_QUOTE = 300;

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_QUOTE ? `${flat.slice(0, MAX_QUOTE)}…` : flat;
}

/** `fetch` init for a page request (JSON in, GeoJSON out). */
export function pageInit(req: PageRequest): RequestInit {
  const accept = { Accept: 'application/geo+json, application/json;q=0.9' };
  if (req.method === 'GET') return { method: 'GET', headers: accept };
  return { method: 'POST', headers: { ...accept, 'Content-Type': 'application/json' }, body: JSON.stringify(req.body ?? {}) };
}

/** A key that is equal for two requests that would fetch the same page (the paging-loop guard). */
export function requestKey(req: PageRequest): string {
  return `${req.method} ${req.url} ${req.body ? JSON.stringify(req.body) : ''}`;
}

/**
 * The server's own words from an error body: STAC API / Explorer `description`, or `message`, `detail`,
 * `title`; else the start of the text.
 */
function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    for (const key of ['description', 'message', 'detail', 'title']) {
      const v = body?.[key];
      if (typeof v === 'string' && v.trim() !== '') return quote(v);
    }
  } catch {
    // Not JSON: quote the text itself.
  }
  return quote(text) || '(empty body)';
}

async function readText(res: Response, url: string, what: string, signal?: AbortSignal): Promise<string> {
  try {
    return await res.text();
  } catch (err) {
    if (signal?.aborted) throw abortError(signal);
    throw new GeoCropError('STAC_UNAVAILABLE', `The connection broke while reading ${what} from ${url} (${(err as Error).message}); try again later.`, {
      url,
    });
  }
}

/**
 * The GeoCropError for a refusal that retrying cannot fix: 404/410 → `STAC_NOT_FOUND` (wrong STAC URL),
 * other 4xx → `STAC_BAD_PARAMETER` (the server disliked the search), anything else → `STAC_UNAVAILABLE`.
 */
export async function refusalError(res: Response, req: PageRequest, stacUrl: string, what: string, signal?: AbortSignal): Promise<GeoCropError> {
  const said = serverMessage(await readText(res, req.url, what, signal));
  const details = { url: req.url, method: req.method, status: res.status, serverMessage: said };
  if (res.status === 404 || res.status === 410) {
    return new GeoCropError(
      'STAC_NOT_FOUND',
      `The STAC API answered ${res.status} for ${req.method} ${req.url}: ${said}. Check the STAC URL (${stacUrl}): it must be the API root ` +
        '(such as https://explorer.digitalearth.africa/stac), whose /search accepts POST.',
      details,
    );
  }
  if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 403) {
    return new GeoCropError(
      'STAC_BAD_PARAMETER',
      `The STAC API at ${stacUrl} rejected ${what} (HTTP ${res.status}): ${said}. Change the search parameter the server names.`,
      details,
    );
  }
  return new GeoCropError(
    'STAC_UNAVAILABLE',
    `The STAC API at ${stacUrl} answered HTTP ${res.status} to ${what}: ${said}. ` +
      (res.status === 401 || res.status === 403 ? 'It refuses access: check the STAC URL, which must be a public STAC API.' : 'Try again later.'),
    details,
  );
}

function matchedOf(body: Record<string, unknown>): number | null {
  if (typeof body.numberMatched === 'number') return body.numberMatched;
  const context = body.context as Record<string, unknown> | undefined;
  return typeof context?.matched === 'number' ? context.matched : null;
}

/**
 * The request a `next` link asks for. POST links carry a `body` that replaces the previous one, or (with
 * `merge: true`, as DEA Explorer's `{"_o": offset}`) is merged into it; a POST link without a body repeats the
 * previous body. GET links are followed as they are; relative hrefs resolve against the current URL.
 */
export function nextRequest(links: unknown, current: PageRequest, stacUrl: string): PageRequest | null {
  if (!Array.isArray(links)) return null;
  const link = links.find((l) => l && typeof l === 'object' && (l as { rel?: unknown }).rel === 'next') as Record<string, unknown> | undefined;
  if (!link) return null;
  const method = typeof link.method === 'string' ? link.method.toUpperCase() : 'GET';
  const bad = (why: string) =>
    new GeoCropError('STAC_UNAVAILABLE', `The STAC API at ${stacUrl} sent a next-page link that cannot be followed (${why}): ${quote(JSON.stringify(link))}.`, {
      link,
    });
  if (method !== 'GET' && method !== 'POST') throw bad(`method ${method}`);
  const href = typeof link.href === 'string' && link.href !== '' ? link.href : method === 'POST' ? current.url : null;
  if (href === null) throw bad('no href');
  let url: string;
  try {
    url = new URL(href, current.url).toString();
  } catch {
    throw bad(`href ${JSON.stringify(href)} is not a URL`);
  }
  if (method === 'GET') return { method, url, body: null };
  const linkBody = link.body && typeof link.body === 'object' && !Array.isArray(link.body) ? (link.body as Record<string, unknown>) : null;
  const body = link.merge === true || linkBody === null ? { ...current.body, ...linkBody } : linkBody;
  return { method, url, body };
}

/**
 * Reads a 2xx search answer: JSON with a `features` array.
 *
 * @throws GeoCropError `STAC_UNAVAILABLE` when the answer is not JSON or not an ItemCollection (typically a
 *   proxy's HTML page, or a STAC URL that is not the API root).
 */
export async function readSearchPage(res: Response, req: PageRequest, stacUrl: string, what: string, signal?: AbortSignal): Promise<SearchPage> {
  const text = await readText(res, req.url, what, signal);
  const type = res.headers.get('content-type') ?? 'no Content-Type';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new GeoCropError(
      'STAC_UNAVAILABLE',
      `The STAC API at ${stacUrl} answered ${what} with something that is not JSON (${type}: "${quote(text.slice(0, 200))}"). ` +
        'Check that the STAC URL is the API root (such as https://explorer.digitalearth.africa/stac) and not a web page or proxy.',
      { url: req.url, status: res.status, contentType: type },
    );
  }
  if (!body || typeof body !== 'object' || !Array.isArray((body as { features?: unknown }).features)) {
    throw new GeoCropError(
      'STAC_UNAVAILABLE',
      `The STAC API at ${stacUrl} answered ${what} with JSON that is not a STAC ItemCollection (no "features" array). ` +
        'Check that the STAC URL is the API root, whose /search returns items.',
      { url: req.url, status: res.status },
    );
  }
  const page = body as Record<string, unknown>;
  return { features: page.features as unknown[], next: nextRequest(page.links, req, stacUrl), matched: matchedOf(page) };
}
