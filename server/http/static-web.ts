/**
 * Serves the built PWA: cross-origin isolated (COOP/COEP on every answer, so WASM threads and SharedArrayBuffer
 * work), SPA fallback to `index.html`, immutable caching for Vite's hashed assets, no caching for the entry points.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import { sendFileRange } from './range-files';
import { safePathSegments } from './safe-path';

/** Headers that make a document cross-origin isolated (`crossOriginIsolated === true`). */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Files that must be revalidated on every load: they name the current hashed assets and the service worker. */
const NO_CACHE_FILES = new Set(['index.html', 'sw.js', 'registerSW.js', 'manifest.webmanifest']);

/** Cache policies, by kind of file. */
export const WEB_CACHE = {
  /** Vite's content-hashed output under `assets/`: a new build gets new names. */
  hashed: 'public, max-age=31536000, immutable',
  /** Entry points (`index.html`, the service worker, the manifest). */
  entry: 'no-cache',
  /** Everything else (icons from `public/`). */
  other: 'public, max-age=3600',
} as const;

/** URL prefixes the PWA never answers, so a mistyped API path gets a 404 instead of the app's HTML. */
export const DEFAULT_WEB_EXCLUDES: readonly string[] = ['/api/', '/demo/', '/healthz'];

/** Options of {@link staticWeb}. */
export interface StaticWebOptions {
  /** Folder of the Vite build (`GEOCROP_WEB_DIR`, default `dist/web`). */
  dir: string;
  /** Path prefixes left to other routes; default {@link DEFAULT_WEB_EXCLUDES}. */
  exclude?: readonly string[];
}

/** Middleware adding {@link ISOLATION_HEADERS} to every response that passes through it. */
export function crossOriginIsolation(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) c.res.headers.set(name, value);
  };
}

/**
 * The PWA as a Hono sub-app; mount it LAST (`app.route('/', staticWeb({ dir: config.webDir }))`) so API routes win.
 * Answers 503 with a hint to run `npm run build` while the build folder has no `index.html`.
 */
export function staticWeb(opts: StaticWebOptions): Hono {
  const dir = path.resolve(opts.dir);
  const exclude = opts.exclude ?? DEFAULT_WEB_EXCLUDES;
  const app = new Hono();
  app.use('*', crossOriginIsolation());
  app.on(['GET', 'HEAD'], '*', async (c) => {
    const pathname = new URL(c.req.url).pathname;
    if (exclude.some((p) => pathname === p.replace(/\/$/, '') || pathname.startsWith(p))) {
      return c.json({ code: 'NOT_FOUND', message: `No route for ${pathname}.` }, 404);
    }
    const index = path.join(dir, 'index.html');
    if (!(await isFile(index))) {
      return c.text(`The GeoCrop web app is not built yet: run \`npm run build\` (looked for ${index}).\n`, 503, { 'Retry-After': '30' });
    }

    const rel = pathname.replace(/^\/+/, '');
    if (rel === '' || rel.endsWith('/')) return sendFileRange(c, index, { cacheControl: WEB_CACHE.entry, contentType: 'text/html; charset=utf-8' });
    const parsed = safePathSegments(rel);
    if ('error' in parsed) return c.json({ code: 'INVALID_REQUEST', message: parsed.error }, 400);
    const segments = parsed.segments;
    const file = path.join(dir, ...segments);

    if (await isFile(file)) return sendFileRange(c, file, { cacheControl: cacheControlFor(segments) });
    // Client-side routes (/jobs/42) get the app; a missing file with an extension (/assets/x.js) is a real 404.
    if (!path.extname(segments[segments.length - 1])) {
      return sendFileRange(c, index, { cacheControl: WEB_CACHE.entry, contentType: 'text/html; charset=utf-8' });
    }
    return c.text(`Not found: ${pathname}\n`, 404);
  });
  return app;
}

function cacheControlFor(segments: readonly string[]): string {
  const name = segments[segments.length - 1];
  if (segments.length === 1 && NO_CACHE_FILES.has(name)) return WEB_CACHE.entry;
  if (segments[0] === 'assets' || /^workbox-[A-Za-z0-9_-]{8,}\.js$/.test(name)) return WEB_CACHE.hashed;
  return WEB_CACHE.other;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}
