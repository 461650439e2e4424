import { afterEach, describe, expect, it, vi } from 'vitest';
import { GeoCropError } from '../contract/errors';
import { fetchWithRetry, isRetryableStatus, retryAfterMs, sleep, type FetchFn, type FetchRetryOptions, type RetryInfo } from './fetch-retry';

const URL_ = 'https://stac.test/search';
const OPTS: FetchRetryOptions = { errorCode: 'STAC_UNAVAILABLE', what: 'STAC search page 1', policy: { baseDelayMs: 1 } };

type Answer = Error | (() => Response);

/** A scripted fetch: answers in order (the last one repeats); records every call. */
function scripted(...answers: Answer[]) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fn: FetchFn = async (url, init) => {
    calls.push({ url, init });
    const a = answers[Math.min(calls.length - 1, answers.length - 1)];
    if (a instanceof Error) throw a;
    return a();
  };
  return { fn, calls };
}

/** A fresh response of `code` per call. */
const status = (code: number, headers: Record<string, string> = {}) => () => new Response(`status ${code}`, { status: code, headers });

/** Never answers; rejects with the signal's reason if `honour`, else hangs forever (a fetch that ignores signals). */
function hanging(honour: boolean) {
  const calls: RequestInit[] = [];
  const fn: FetchFn = (_url, init) => {
    calls.push(init!);
    return new Promise((_, reject) => {
      if (honour) init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason), { once: true });
    });
  };
  return { fn, calls };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('isRetryableStatus / retryAfterMs', () => {
  it('retries 408, 429 and 5xx except 501', () => {
    expect([408, 429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 204, 301, 304, 400, 401, 403, 404, 416, 422, 501].some(isRetryableStatus)).toBe(false);
  });

  it('reads delta-seconds and HTTP-dates', () => {
    const now = Date.UTC(2024, 0, 1, 0, 0, 0);
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs(' 0.25 ', now)).toBe(250);
    expect(retryAfterMs('Mon, 01 Jan 2024 00:00:03 GMT', now)).toBe(3000);
    expect(retryAfterMs('Sun, 31 Dec 2023 23:59:00 GMT', now)).toBe(0); // in the past: no wait
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
    expect(retryAfterMs('', now)).toBeNull();
  });
});

describe('fetchWithRetry: what is retried', () => {
  it('returns the first answer that is not retryable, passing method, headers and body', async () => {
    const { fn, calls } = scripted(() => new Response('{"ok":1}', { status: 200 }));
    const res = await fetchWithRetry(fn, URL_, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' }, OPTS);
    expect(await res.json()).toEqual({ ok: 1 });
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe(URL_);
    expect(calls[0].init).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { 'Content-Type': 'application/json' } });
    expect(calls[0].init!.signal).toBeInstanceOf(AbortSignal);
  });

  it('retries 503 and 500, then succeeds on the third attempt', async () => {
    const { fn, calls } = scripted(status(503), status(500), status(200));
    const retries: RetryInfo[] = [];
    const res = await fetchWithRetry(fn, URL_, {}, { ...OPTS, onRetry: (r) => retries.push(r) });
    expect(res.status).toBe(200);
    expect(calls).toHaveLength(3);
    expect(retries.map((r) => [r.attempt, r.reason, r.url])).toEqual([[1, 'HTTP 503', URL_], [2, 'HTTP 500', URL_]]);
  });

  it('retries network errors, and resends the same body', async () => {
    const { fn, calls } = scripted(new TypeError('fetch failed'), status(200));
    const retries: RetryInfo[] = [];
    await fetchWithRetry(fn, URL_, { method: 'POST', body: 'x' }, { ...OPTS, onRetry: (r) => retries.push(r) });
    expect(calls.map((c) => c.init!.body)).toEqual(['x', 'x']);
    expect(retries[0].reason).toBe('network error: fetch failed');
  });

  it('gives up after `attempts` with the caller\'s error code, naming what, the URL and the last reason', async () => {
    const { fn, calls } = scripted(status(500));
    const err = (await rejection(fetchWithRetry(fn, URL_, {}, OPTS))) as GeoCropError;
    expect(err).toBeInstanceOf(GeoCropError);
    expect(err.code).toBe('STAC_UNAVAILABLE');
    expect(err.message).toContain('STAC search page 1 failed after 3 attempts (HTTP 500)');
    expect(err.message).toContain(URL_);
    expect(err.details).toEqual({ url: URL_, attempts: 3, reason: 'HTTP 500' });
    expect(calls).toHaveLength(3);

    const five = scripted(new TypeError('ECONNRESET'));
    const err5 = (await rejection(fetchWithRetry(five.fn, URL_, {}, { ...OPTS, errorCode: 'READ_FAILED', policy: { attempts: 5, baseDelayMs: 1 } }))) as GeoCropError;
    expect([err5.code, five.calls.length, err5.details!.reason]).toEqual(['READ_FAILED', 5, 'network error: ECONNRESET']);
  });

  it('does not retry 4xx (nor 501): the caller gets the answer after one request', async () => {
    for (const code of [400, 401, 403, 404, 416, 422, 501]) {
      const { fn, calls } = scripted(status(code), status(200));
      const res = await fetchWithRetry(fn, URL_, {}, OPTS);
      expect([code, res.status, calls.length]).toEqual([code, code, 1]);
    }
  });

  it('cancels the body of an answer it retries (frees the connection)', async () => {
    let cancelled = 0;
    const body = () => new ReadableStream({ pull: () => undefined, cancel: () => void cancelled++ });
    const { fn } = scripted(() => new Response(body(), { status: 502 }), status(200));
    await fetchWithRetry(fn, URL_, {}, OPTS);
    expect(cancelled).toBe(1);
  });

  it('does not stall on a retried answer whose body cancel never settles (a tee\'d clone)', async () => {
    const original = new Response('busy', { status: 503 });
    const { fn, calls } = scripted(() => original.clone(), status(200));
    expect((await fetchWithRetry(fn, URL_, {}, OPTS)).status).toBe(200);
    expect(calls).toHaveLength(2);
  });

  it('makes at least one attempt even when attempts < 1', async () => {
    const { fn, calls } = scripted(status(200));
    await fetchWithRetry(fn, URL_, {}, { ...OPTS, policy: { attempts: 0 } });
    expect(calls).toHaveLength(1);
  });
});

describe('fetchWithRetry: waits', () => {
  it('honours Retry-After in seconds on 429 (no second request before it has passed)', async () => {
    vi.useFakeTimers();
    const { fn, calls } = scripted(status(429, { 'Retry-After': '2' }), status(200));
    const retries: RetryInfo[] = [];
    const p = fetchWithRetry(fn, URL_, {}, { ...OPTS, random: () => 0, onRetry: (r) => retries.push(r) });
    await vi.advanceTimersByTimeAsync(1999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await p).status).toBe(200);
    expect(calls).toHaveLength(2);
    expect(retries).toEqual([{ url: URL_, attempt: 1, reason: 'HTTP 429', delayMs: 2000 }]);
  });

  it('honours Retry-After as an HTTP-date on 503', async () => {
    vi.useFakeTimers({ now: Date.UTC(2024, 0, 1, 0, 0, 0) });
    const { fn, calls } = scripted(status(503, { 'Retry-After': 'Mon, 01 Jan 2024 00:00:03 GMT' }), status(200));
    const retries: RetryInfo[] = [];
    const p = fetchWithRetry(fn, URL_, {}, { ...OPTS, random: () => 0, onRetry: (r) => retries.push(r) });
    await vi.advanceTimersByTimeAsync(2999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(calls).toHaveLength(2);
    expect(retries[0].delayMs).toBe(3000);
  });

  it('really waits a short Retry-After (real clock)', async () => {
    const { fn, calls } = scripted(status(429, { 'Retry-After': '0.08' }), status(200));
    const t0 = performance.now();
    await fetchWithRetry(fn, URL_, {}, { ...OPTS, random: () => 0 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(75);
    expect(calls).toHaveLength(2);
  });

  it('caps Retry-After at maxDelayMs, ignores it on a 500, and never waits less than the backoff', async () => {
    const delays = async (answer: Answer, policy: FetchRetryOptions['policy'], random: number) => {
      const retries: RetryInfo[] = [];
      const { fn } = scripted(answer, status(200));
      await fetchWithRetry(fn, URL_, {}, { ...OPTS, policy, random: () => random, onRetry: (r) => retries.push(r) });
      return retries.map((r) => r.delayMs);
    };
    expect(await delays(status(429, { 'Retry-After': '120' }), { baseDelayMs: 1, maxDelayMs: 30 }, 0)).toEqual([30]);
    expect(await delays(status(500, { 'Retry-After': '120' }), { baseDelayMs: 10, maxDelayMs: 30 }, 0)).toEqual([0]);
    expect(await delays(status(429, { 'Retry-After': '0.005' }), { baseDelayMs: 40 }, 0.5)).toEqual([20]);
  });

  it('full jitter: the wait before retry n is random × baseDelayMs × 2^(n−1), capped at maxDelayMs', async () => {
    const delays = async (random: () => number, policy: FetchRetryOptions['policy']) => {
      const retries: RetryInfo[] = [];
      const { fn } = scripted(status(500));
      await rejection(fetchWithRetry(fn, URL_, {}, { ...OPTS, policy, random, onRetry: (r) => retries.push(r) }));
      return retries.map((r) => r.delayMs);
    };
    expect(await delays(() => 0, { attempts: 4, baseDelayMs: 8 })).toEqual([0, 0, 0]);
    expect(await delays(() => 0.5, { attempts: 4, baseDelayMs: 8 })).toEqual([4, 8, 16]);
    expect(await delays(() => 0.999, { attempts: 4, baseDelayMs: 8 })).toEqual([7.992, 15.984, 31.968]);
    expect(await delays(() => 0.999, { attempts: 4, baseDelayMs: 8, maxDelayMs: 10 })).toEqual([7.992, 10, 10]);
    // The default source (Math.random) stays inside the bounds.
    const real = await delays(Math.random, { attempts: 6, baseDelayMs: 1 });
    real.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(2 ** i);
    });
  });
});

describe('fetchWithRetry: timeouts and abort', () => {
  it('times out an attempt that does not answer, aborting its signal, and retries it', async () => {
    const { fn, calls } = hanging(true);
    const err = (await rejection(fetchWithRetry(fn, URL_, {}, { ...OPTS, policy: { attempts: 2, timeoutMs: 30, baseDelayMs: 1 } }))) as GeoCropError;
    expect(err.code).toBe('STAC_UNAVAILABLE');
    expect(err.details!.reason).toBe('timeout after 30 ms');
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.signal!.aborted && (c.signal!.reason as Error).name === 'TimeoutError')).toBe(true);
  });

  it('times out even when the fetch function ignores its signal, then succeeds on the next attempt', async () => {
    let n = 0;
    const fn: FetchFn = () => (++n === 1 ? new Promise<Response>(() => undefined) : Promise.resolve(status(200)()));
    const t0 = performance.now();
    const res = await fetchWithRetry(fn, URL_, {}, { ...OPTS, policy: { timeoutMs: 40, baseDelayMs: 1 } });
    expect([res.status, n]).toEqual([200, 2]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(35);
  });

  it('rejects at once, without a request, when the signal has already fired', async () => {
    const { fn, calls } = scripted(status(200));
    const err = await rejection(fetchWithRetry(fn, URL_, {}, OPTS, AbortSignal.abort()));
    expect((err as Error).name).toBe('AbortError');
    expect(calls).toHaveLength(0);
  });

  it('abort during a backoff wait rejects with the AbortError within 100 ms, without another request', async () => {
    const { fn, calls } = scripted(status(500));
    const ac = new AbortController();
    const reason = new DOMException('user cancelled', 'AbortError');
    const p = rejection(fetchWithRetry(fn, URL_, {}, { ...OPTS, random: () => 1, policy: { baseDelayMs: 10_000, maxDelayMs: 10_000 } }, ac.signal));
    await sleep(20);
    const t0 = performance.now();
    ac.abort(reason);
    const err = await p;
    expect(performance.now() - t0).toBeLessThan(100);
    expect(err).toBe(reason);
    expect(calls).toHaveLength(1);
  });

  it('abort during an attempt in flight rejects within 100 ms even if the fetch ignores its signal', async () => {
    const { fn, calls } = hanging(false);
    const ac = new AbortController();
    const p = rejection(fetchWithRetry(fn, URL_, {}, OPTS, ac.signal));
    await sleep(10);
    const t0 = performance.now();
    ac.abort();
    const err = await p;
    expect(performance.now() - t0).toBeLessThan(100);
    expect((err as Error).name).toBe('AbortError');
    expect(calls).toHaveLength(1);
    expect(calls[0].signal!.aborted).toBe(true);
  });

  it('after the headers arrive, the caller\'s abort still reaches the body download but the timeout does not', async () => {
    const { fn, calls } = scripted(status(200));
    const ac = new AbortController();
    await fetchWithRetry(fn, URL_, {}, { ...OPTS, policy: { timeoutMs: 20 } }, ac.signal);
    await sleep(50);
    const signal = calls[0].init!.signal!;
    expect(signal.aborted).toBe(false);
    ac.abort();
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).name).toBe('AbortError');
  });
});
