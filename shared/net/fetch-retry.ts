/**
 * One HTTP request with the retry rules every GeoCrop download follows (seed plan §6.1: "retry 3 times with
 * exponential backoff"): network errors, per-attempt timeouts, 429 (honouring `Retry-After`) and 5xx are retried
 * with exponential backoff and full jitter; any other answer is returned to the caller, who knows what a 404 or
 * 416 means for it. Written here rather than taken from a library because it must run unchanged in a Worker and in
 * Node, abort on the caller's signal during waits, and report failures as GeoCropError codes.
 */
import { abortError, GeoCropError, throwIfAborted, type ErrorCode } from '../contract/errors';

/** A `fetch`-compatible function (the platform's, or a test double). */
export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/** Retry and timeout settings. */
export interface RetryPolicy {
  /** Total attempts, first included. Default 3. */
  attempts: number;
  /** Backoff before retry n (1-based) is a random delay in `[0, baseDelayMs * 2^(n-1)]`, ms. Default 400. */
  baseDelayMs: number;
  /** Upper bound of any single wait, including a server's `Retry-After`, ms. Default 8000. */
  maxDelayMs: number;
  /** Per-attempt timeout (until headers arrive), ms. Default 30000. */
  timeoutMs: number;
}

/** The defaults of {@link RetryPolicy}. */
export const DEFAULT_RETRY: RetryPolicy = Object.freeze({ attempts: 3, baseDelayMs: 400, maxDelayMs: 8000, timeoutMs: 30_000 });

/** What a retry is about to do (for logs and progress). */
export interface RetryInfo {
  url: string;
  /** The attempt that failed (1-based). */
  attempt: number;
  /** Why: `HTTP 503`, `timeout`, `network error: ...`. */
  reason: string;
  /** Wait before the next attempt, ms. */
  delayMs: number;
}

/** Options of {@link fetchWithRetry}. */
export interface FetchRetryOptions {
  policy?: Partial<RetryPolicy>;
  /** Error code thrown when every attempt failed (e.g. `STAC_UNAVAILABLE`, `READ_FAILED`). */
  errorCode: ErrorCode;
  /** What was being fetched, for the error message (e.g. `STAC search page 2`). */
  what: string;
  onRetry?: (info: RetryInfo) => void;
  /** Source of jitter, 0..1 (inject for deterministic tests). Default `Math.random`. */
  random?: () => number;
}

/** Statuses worth another attempt: rate limiting and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status <= 599 && status !== 501);
}

/** `Retry-After` as milliseconds (delta-seconds or HTTP-date), or null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Waits `ms`, rejecting with the AbortError as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The signal one attempt runs under: fires on the caller's abort or the attempt's timeout. Where
 * `AbortSignal.any` exists the caller's signal stays linked after the headers arrived, so aborting also stops
 * the body download; elsewhere the link is cut then (`release`), because a listener left on a long-lived job
 * signal by every request would pile up.
 */
function attemptSignal(caller: AbortSignal | undefined, timeout: AbortSignal): { signal: AbortSignal; release: () => void } {
  if (!caller) return { signal: timeout, release: () => undefined };
  if (typeof AbortSignal.any === 'function') return { signal: AbortSignal.any([caller, timeout]), release: () => undefined };
  const linked = new AbortController();
  const forward = (from: AbortSignal) => () => linked.abort(from.reason);
  const onCaller = forward(caller);
  const onTimeout = forward(timeout);
  caller.addEventListener('abort', onCaller, { once: true });
  timeout.addEventListener('abort', onTimeout, { once: true });
  if (caller.aborted) onCaller();
  return {
    signal: linked.signal,
    release: () => {
      caller.removeEventListener('abort', onCaller);
      timeout.removeEventListener('abort', onTimeout);
    },
  };
}

/**
 * `response`, or a rejection with `signal.reason` as soon as `signal` fires, even if the fetch function ignores
 * its signal (test doubles, in-process apps, some polyfills); a response that arrives too late is discarded.
 */
function unlessAborted(response: Promise<Response>, signal: AbortSignal): Promise<Response> {
  const discard = (late: Response) => void late.body?.cancel().catch(() => undefined);
  if (signal.aborted) {
    response.then(discard, () => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason);
      response.then(discard, () => undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    response.then(
      (res) => {
        signal.removeEventListener('abort', onAbort);
        resolve(res);
      },
      (err) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/**
 * Fetches `url`, retrying per {@link RetryPolicy}. Resolves with the first response that is not retryable (any
 * 2xx, 3xx or non-retryable 4xx); the caller checks its status and reads the body. `init.body` is sent again on
 * every attempt, so it must be replayable (a string or bytes, not a stream).
 *
 * The per-attempt timeout ends when the headers arrive; the caller's `signal` keeps governing the body download
 * (where the platform has `AbortSignal.any`: Node ≥ 20.3 and current browsers).
 *
 * @throws GeoCropError `opts.errorCode` when every attempt failed, naming `what`, the URL and the last reason.
 * @throws AbortError when `signal` fires (also during a backoff wait or an attempt in flight).
 * @example
 * const res = await fetchWithRetry(fetch, url, { headers: { Range: 'bytes=0-65535' } }, { errorCode: 'READ_FAILED', what: 'COG header' }, signal);
 */
export async function fetchWithRetry(fetchFn: FetchFn, url: string, init: RequestInit, opts: FetchRetryOptions, signal?: AbortSignal): Promise<Response> {
  const policy = { ...DEFAULT_RETRY, ...opts.policy };
  const attempts = Math.max(1, Math.floor(policy.attempts));
  const random = opts.random ?? Math.random;
  let lastReason = 'no attempt made';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    throwIfAborted(signal);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new DOMException('timeout', 'TimeoutError')), policy.timeoutMs);
    const link = attemptSignal(signal, timeout.signal);
    let waitMs: number | null = null;
    try {
      const res = await unlessAborted(fetchFn(url, { ...init, signal: link.signal }), link.signal);
      if (!isRetryableStatus(res.status)) return res;
      lastReason = `HTTP ${res.status}`;
      waitMs = res.status === 429 || res.status === 503 ? retryAfterMs(res.headers.get('retry-after')) : null;
      // Free the connection: the body of an error answer is not needed. Not awaited: cancelling a tee'd clone
      // (a caching layer's answer) settles only when its twin is cancelled too, which may be never.
      void res.body?.cancel().catch(() => undefined);
    } catch (err) {
      if (signal?.aborted) throw abortError(signal);
      lastReason = timeout.signal.aborted ? `timeout after ${policy.timeoutMs} ms` : `network error: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      clearTimeout(timer);
      link.release();
    }
    if (attempt === attempts) break;
    const backoff = random() * policy.baseDelayMs * 2 ** (attempt - 1);
    const delayMs = Math.min(policy.maxDelayMs, Math.max(waitMs ?? 0, backoff));
    opts.onRetry?.({ url, attempt, reason: lastReason, delayMs });
    await sleep(delayMs, signal);
  }
  throw new GeoCropError(opts.errorCode, `${opts.what} failed after ${attempts} attempts (${lastReason}): ${url}. The server may be down or overloaded; try again later.`, {
    url,
    attempts,
    reason: lastReason,
  });
}
