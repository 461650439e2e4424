/**
 * Fault injection for reliability tests and demos: latency, 500s, 429s with `Retry-After`, and truncated or
 * corrupted COGs, switchable at boot (config) and at run time (`/demo/faults`). Random faults come from a seeded
 * PRNG so a failing test can be replayed exactly.
 */
import { mulberry32 } from '../../shared/random';
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { GeoCropError } from '../../shared/contract/errors';
import { composeTransforms, type ByteTransform } from './file-body';
import { PUBLIC_READ_HEADERS } from './public-cors';

/** Validates fault settings, for the runtime route and for {@link FaultInjector.update}. */
export const faultSettingsSchema = z.object({
  /** Added to every matching request, in milliseconds. */
  latencyMs: z.number().int().min(0).max(600_000),
  /** Probability (0..1) of answering 500. */
  errorRate: z.number().min(0).max(1),
  /** Probability (0..1) of answering 429 with `Retry-After`. */
  rate429: z.number().min(0).max(1),
  /** `Retry-After` of the 429 answers, in seconds. */
  retryAfterS: z.number().int().min(0).max(86_400),
  /** Keys (`<bucket>/<key>`) containing any of these substrings are served cut at half their length. */
  truncate: z.array(z.string().min(1).max(500)).max(100),
  /** Keys containing any of these substrings are served with every byte after the first 16 garbled. */
  corrupt: z.array(z.string().min(1).max(500)).max(100),
  /** Seed of the PRNG behind `errorRate` and `rate429` (unsigned 32-bit). */
  seed: z.number().int().min(0).max(0xffff_ffff),
});

/** Current fault settings; all zero/empty means "no faults". */
export type FaultSettings = z.infer<typeof faultSettingsSchema>;

/** No faults. */
export const NO_FAULTS: Readonly<FaultSettings> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  rate429: 0,
  retryAfterS: 1,
  truncate: [],
  corrupt: [],
  seed: 1,
});

/** URL path prefixes the middleware acts on by default: the demo object store and the demo STAC API. */
export const DEFAULT_FAULT_PREFIXES: readonly string[] = ['/demo/s3/', '/demo/stac/'];

/** A switchable source of injected faults. */
export interface FaultInjector {
  /** A copy of the current settings. */
  settings(): FaultSettings;
  /** Validates and applies a partial update; a new `seed` restarts the random sequence. Throws `INVALID_REQUEST`. */
  update(partial: Partial<FaultSettings>): FaultSettings;
  /** Back to the settings the injector was created with (and their random sequence). */
  reset(): FaultSettings;
  /**
   * Middleware adding latency (abort-aware), 500s and 429s to requests whose path starts with one of `prefixes`
   * (default {@link DEFAULT_FAULT_PREFIXES}); CORS preflights pass untouched so browsers see the real status.
   */
  middleware(opts?: { prefixes?: readonly string[] }): MiddlewareHandler;
  /** The byte transform (truncate and/or corrupt) for an object key `<bucket>/<key>`, if any setting matches it. */
  transformFor(key: string): ByteTransform | undefined;
}

/** Serves an object as if it had been cut at half its length (an interrupted upload or copy). */
export const TRUNCATE_HALF: ByteTransform = { tag: 'truncated', size: (realSize) => Math.floor(realSize / 2) };

/** Bytes before this offset stay intact, so the file still looks like a TIFF and fails only when decoded. */
export const CORRUPT_FROM_BYTE = 16;

/** Garbles every byte from {@link CORRUPT_FROM_BYTE} on with a position-dependent XOR (never 0, so every byte changes). */
export const CORRUPT_XOR: ByteTransform = {
  tag: 'corrupt',
  size: (realSize) => realSize,
  apply(chunk, position) {
    for (let i = Math.max(0, CORRUPT_FROM_BYTE - position); i < chunk.length; i++) chunk[i] ^= 0xa5 ^ ((position + i) & 0x3f);
  },
};

/**
 * Creates a fault injector starting from `initial` (typically `config.faults`).
 *
 * @example
 * const faults = createFaultInjector(config.faults);
 * app.use(faults.middleware());                          // latency, 500, 429 on /demo/s3/* and /demo/stac/*
 * app.route('/demo/s3', serveFiles({ root, faults }));   // truncate / corrupt
 * app.route('/demo/faults', faultRoutes(faults));        // GET / PUT / DELETE at run time
 */
export function createFaultInjector(initial: Partial<FaultSettings> = {}): FaultInjector {
  const boot = validate({ ...NO_FAULTS, ...initial });
  let current = boot;
  let random = mulberry32(current.seed);

  return {
    settings: () => structuredClone(current),
    update(partial) {
      const next = validate({ ...current, ...partial }, partial);
      if (partial.seed !== undefined) random = mulberry32(next.seed);
      current = next;
      return structuredClone(current);
    },
    reset() {
      current = boot;
      random = mulberry32(current.seed);
      return structuredClone(current);
    },
    middleware(opts = {}) {
      const prefixes = opts.prefixes ?? DEFAULT_FAULT_PREFIXES;
      return async (c, next) => {
        const p = c.req.path;
        // "/demo/stac/" also covers the landing page "/demo/stac", as Hono's "/demo/stac/*" pattern does.
        if (c.req.method === 'OPTIONS' || !prefixes.some((x) => p.startsWith(x) || p === x.replace(/\/$/, ''))) return next();
        const s = current;
        // Two draws per request, always, so the sequence of outcomes depends only on the order of requests.
        const errorDraw = random();
        const draw429 = random();
        if (s.latencyMs > 0 && !(await delay(s.latencyMs, c.req.raw.signal))) {
          return new Response(null, { status: 499 }); // the client left; nobody reads this
        }
        if (errorDraw < s.errorRate) return faultResponse(500, 'InternalError', 'Injected fault: internal error. Retry the request.');
        if (draw429 < s.rate429) {
          return faultResponse(429, 'SlowDown', `Injected fault: too many requests. Retry after ${s.retryAfterS} s.`, { 'Retry-After': String(s.retryAfterS) });
        }
        return next();
      };
    },
    transformFor(key) {
      const s = current;
      const hit = (subs: readonly string[]) => subs.some((sub) => key.includes(sub));
      return composeTransforms([...(hit(s.truncate) ? [TRUNCATE_HALF] : []), ...(hit(s.corrupt) ? [CORRUPT_XOR] : [])]);
    },
  };
}

/**
 * JSON routes to read and switch faults at run time; mount at `/demo/faults`:
 * `GET` → settings, `PUT` (partial settings) → updated settings or 400 naming each bad field, `DELETE` → boot settings.
 */
export function faultRoutes(faults: FaultInjector): Hono {
  const app = new Hono();
  app.get('/', (c) => c.json(faults.settings()));
  app.put('/', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json(new GeoCropError('INVALID_REQUEST', 'The body must be a JSON object of fault settings.').toJSON(), 400);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return c.json(new GeoCropError('INVALID_REQUEST', 'The body must be a JSON object of fault settings.').toJSON(), 400);
    }
    try {
      return c.json(faults.update(body as Partial<FaultSettings>));
    } catch (err) {
      if (err instanceof GeoCropError) return c.json(err.toJSON(), 400);
      throw err;
    }
  });
  app.delete('/', (c) => c.json(faults.reset()));
  return app;
}

/** Validates complete settings; field errors name the fields of `reported` (what the caller sent). */
function validate(settings: unknown, reported?: object): FaultSettings {
  const strict = faultSettingsSchema.strict();
  const result = reported ? strict.partial().safeParse(reported) : strict.safeParse(settings);
  if (!result.success) {
    const fields = result.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((k) => ({ field: k, message: `unknown setting; expected one of ${Object.keys(faultSettingsSchema.shape).join(', ')}` }))
        : [{ field: issue.path.map(String).join('.') || '(body)', message: issue.message }],
    );
    const list = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
    throw new GeoCropError('INVALID_REQUEST', `Invalid fault settings: ${list}`, { fields });
  }
  return faultSettingsSchema.parse(settings);
}

function faultResponse(status: number, code: string, message: string, extra: Record<string, string> = {}): Response {
  // CORS headers too: without them a browser reports an opaque network error instead of the status to retry on.
  return new Response(JSON.stringify({ code, message, injected: true }), {
    status,
    headers: { ...PUBLIC_READ_HEADERS, 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...extra },
  });
}

/** Resolves true after `ms`, or false as soon as `signal` fires. */
function delay(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Re-exported: the fault injector's PRNG is the project's one. */
export { mulberry32 };
