/**
 * CORS as a public S3 bucket configured for browser reads answers it, so the PWA meets the same rules against
 * the demo world as against DEA's buckets (and a page served with COEP `require-corp` may still read the bytes).
 */
import type { MiddlewareHandler } from 'hono';

/** Response headers a browser needs to read a cross-origin object, its ranges and its validators. */
export const PUBLIC_READ_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Content-Range, Content-Length, ETag, Accept-Ranges, Last-Modified, Retry-After',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/** Request headers allowed when the preflight does not list any (the ones a COG reader sends). */
export const ALLOWED_REQUEST_HEADERS = 'Range, If-None-Match, If-Range, Content-Type';

/** How long, in seconds, a browser may cache a preflight answer (Chromium caps it at 7200). */
export const PREFLIGHT_MAX_AGE_S = 3000;

/** Copies {@link PUBLIC_READ_HEADERS} onto a headers object, leaving headers already set alone. */
export function addPublicReadHeaders(headers: Headers): void {
  for (const [name, value] of Object.entries(PUBLIC_READ_HEADERS)) if (!headers.has(name)) headers.set(name, value);
}

/**
 * Middleware: answers `OPTIONS` preflights (GET and HEAD only, requested headers echoed, as an S3 CORS rule with
 * `AllowedHeaders: ["*"]` does) and adds {@link PUBLIC_READ_HEADERS} to every other response.
 */
export function publicReadCors(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') {
      return new Response(null, {
        status: 204,
        headers: {
          ...PUBLIC_READ_HEADERS,
          'Access-Control-Allow-Methods': 'GET, HEAD',
          'Access-Control-Allow-Headers': c.req.header('Access-Control-Request-Headers') || ALLOWED_REQUEST_HEADERS,
          'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_S),
          Allow: 'GET, HEAD, OPTIONS',
          // The echoed header list varies per request, so caches must key on it.
          Vary: 'Access-Control-Request-Headers',
        },
      });
    }
    await next();
    try {
      addPublicReadHeaders(c.res.headers);
    } catch {
      // Headers of a Response that came from fetch() are immutable: copy it once to decorate it.
      c.res = new Response(c.res.body, c.res);
      addPublicReadHeaders(c.res.headers);
    }
  };
}
