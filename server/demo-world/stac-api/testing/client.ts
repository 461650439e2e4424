/**
 * TEST SUPPORT: a tiny STAC API client for tests: GET/POST JSON, and "follow every next link" the way
 * pystac-client does (GET links as they are; POST links by merging `body` into the previous body).
 */
export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface JsonResponse {
  status: number;
  contentType: string;
  body: Record<string, unknown>;
}

export async function call(fetcher: Fetch, url: string, init?: RequestInit): Promise<JsonResponse> {
  const res = await fetcher(url, init);
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`non-JSON response (${res.status}) from ${url}: ${text.slice(0, 200)}`);
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body };
}

export const postJson = (fetcher: Fetch, url: string, body: unknown) =>
  call(fetcher, url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

interface Link {
  rel: string;
  href: string;
  method?: string;
  merge?: boolean;
  body?: Record<string, unknown>;
}

/** Every page of a search, following `next` links until there is none. */
export async function allPages(
  fetcher: Fetch,
  first: { url: string; method?: 'GET' | 'POST'; body?: Record<string, unknown> },
  maxPages = 500,
): Promise<JsonResponse[]> {
  const pages: JsonResponse[] = [];
  let url: string | null = first.url;
  let method = first.method ?? 'GET';
  let body = first.body ?? {};
  while (url) {
    if (pages.length >= maxPages) throw new Error('too many pages: paging does not terminate');
    const page: JsonResponse = method === 'POST' ? await postJson(fetcher, url, body) : await call(fetcher, url);
    if (page.status !== 200) throw new Error(`page ${pages.length} failed: ${page.status} ${JSON.stringify(page.body)}`);
    pages.push(page);
    const next = ((page.body.links ?? []) as Link[]).find((l) => l.rel === 'next');
    if (!next) break;
    url = next.href;
    method = next.method === 'POST' ? 'POST' : 'GET';
    body = next.method === 'POST' ? (next.merge ? { ...body, ...next.body } : { ...next.body }) : {};
  }
  return pages;
}

/** Feature ids of all pages, in order. */
export const featureIds = (pages: readonly JsonResponse[]): string[] =>
  pages.flatMap((p) => (p.body.features as { id: string }[]).map((f) => f.id));
