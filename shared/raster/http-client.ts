/**
 * The HTTP side of COG reading: byte-range requests with GeoCrop's retry rules, byte counting, integrity checks,
 * and the CORS fallback through the server proxy, packaged as a geotiff.js custom client.
 *
 * geotiff.js's own fetch client cannot be used: it neither retries nor reports error codes, and its block cache
 * turns every failure into an anonymous "Request failed". This client records what went wrong so the reader can
 * rethrow the real error (see {@link CogHttpClient.failures}).
 */
import { BaseClient, BaseResponse } from 'geotiff';
import { abortError, GeoCropError, throwIfAborted } from '../contract/errors';
import { DEFAULT_RETRY, fetchWithRetry, type FetchFn, type RetryPolicy } from '../net/fetch-retry';
import type { ByteStats } from './byte-stats';
import { proxiedUrl } from './href';

/** Largest single range the client asks for; anything bigger means a corrupt header asked for nonsense, bytes. */
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

/** What the client needs from its reader context. */
export interface RangeIo {
  fetch: FetchFn;
  stats: ByteStats;
  /** e.g. `/api/proxy?url={url}`; without it there is no CORS fallback. */
  proxyTemplate?: string;
  /** Origin that a relative `proxyTemplate` is resolved against. */
  base?: string;
  /** Hosts (`host[:port]`) that failed direct reads and are read through the proxy from now on; shared per context. */
  proxiedHosts: Set<string>;
  policy?: Partial<RetryPolicy>;
}

/** One answered byte range. */
export interface RangePart {
  data: ArrayBuffer;
  /** First and last byte (inclusive) the server sent. */
  start: number;
  end: number;
  /** File size from `Content-Range`, bytes. */
  total: number;
  etag: string | null;
}

/** True for the AbortError every long call rejects with (ours, fetch's or geotiff.js's). */
export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/**
 * A `fetch` that reads directly and, when that fails with a network error (the `TypeError` a browser reports for a
 * CORS refusal) and a proxy is configured, repeats the request through the proxy. A host whose proxied request
 * succeeded is remembered in `io.proxiedHosts`, so later requests skip the doomed direct attempt.
 */
export function routedFetch(io: RangeIo, viaProxy: WeakSet<Response>): FetchFn {
  const send = async (url: string, init: RequestInit | undefined, proxied: boolean): Promise<Response> => {
    io.stats.requests++;
    if (proxied) io.stats.viaProxy++;
    const res = await io.fetch(url, init);
    if (proxied) viaProxy.add(res);
    return res;
  };
  return async (url, init) => {
    const host = new URL(url).host;
    if (io.proxyTemplate && io.proxiedHosts.has(host)) return send(proxiedUrl(io.proxyTemplate, url, io.base), init, true);
    try {
      return await send(url, init, false);
    } catch (err) {
      // A timeout or an abort is not a CORS refusal: only a TypeError from fetch itself is.
      if (!(err instanceof TypeError) || !io.proxyTemplate || init?.signal?.aborted) throw err;
      const res = await send(proxiedUrl(io.proxyTemplate, url, io.base), init, true);
      if (res.ok) io.proxiedHosts.add(host);
      return res;
    }
  };
}

/**
 * Fetches bytes `[offset, offset + length)` of `url` (one Range request, retried per the policy, including a
 * body that breaks off), counting requests and bytes into `io.stats`.
 *
 * @throws GeoCropError `NOT_FOUND` (404/410), `READ_FAILED` (any other failure, naming the file and the reason)
 * @throws AbortError when `signal` fires, also while the body streams in
 */
export async function fetchRange(io: RangeIo, url: string, offset: number, length: number, signal?: AbortSignal): Promise<RangePart> {
  const policy = { ...DEFAULT_RETRY, ...io.policy };
  const last = offset + length - 1;
  const viaProxy = new WeakSet<Response>();
  const fetchFn = routedFetch(io, viaProxy);
  let reason = '';
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    const res = await fetchWithRetry(fetchFn, url, { headers: { Range: `bytes=${offset}-${last}` } }, { errorCode: 'READ_FAILED', what: `Reading bytes ${offset}-${last} of a COG`, policy: io.policy }, signal);
    if (res.status !== 206) throw await statusError(res, url, offset, last, viaProxy.has(res));
    const cr = parseContentRange(res.headers.get('content-range'));
    if (!cr || cr.start !== offset || cr.end < cr.start || (cr.end < last && cr.end !== cr.total - 1) || cr.end > last) {
      await res.body?.cancel().catch(() => undefined);
      throw new GeoCropError('READ_FAILED', `Reading ${url} failed: asked for bytes ${offset}-${last}, the server answered "Content-Range: ${res.headers.get('content-range')}". The server or a proxy in between mangles range requests.`, { url, offset, length });
    }
    try {
      const data = await readBody(res, cr.end - cr.start + 1, signal, policy.timeoutMs, (n) => (io.stats.bytesFetched += n));
      return { data, start: cr.start, end: cr.end, total: cr.total, etag: res.headers.get('etag') };
    } catch (err) {
      if (!(err instanceof BodyError)) throw err;
      reason = err.message;
    }
  }
  throw new GeoCropError('READ_FAILED', `Reading bytes ${offset}-${last} of ${url} failed after ${policy.attempts} attempts: the download broke off (${reason}). Check the connection and try again.`, { url, offset, length, reason });
}

/** `bytes a-b/total` → numbers; null when absent, malformed or of unknown total. */
export function parseContentRange(header: string | null): { start: number; end: number; total: number } | null {
  const m = header ? /^\s*bytes\s+(\d+)-(\d+)\/(\d+)\s*$/i.exec(header) : null;
  return m ? { start: Number(m[1]), end: Number(m[2]), total: Number(m[3]) } : null;
}

/** A body that broke off or stalled: worth another attempt, unlike an HTTP error status. */
class BodyError extends Error {}

/** Reads exactly `expected` bytes; cancels the stream on abort, on overflow and after `idleMs` without data. */
async function readBody(res: Response, expected: number, signal: AbortSignal | undefined, idleMs: number, onBytes: (n: number) => void): Promise<ArrayBuffer> {
  throwIfAborted(signal);
  if (!res.body) throw new BodyError('the response has no body');
  const reader = res.body.getReader();
  const out = new Uint8Array(expected);
  let filled = 0;
  let stop: 'abort' | 'idle' | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = (why: 'abort' | 'idle') => {
    stop ??= why;
    reader.cancel().catch(() => undefined);
  };
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => cancel('idle'), idleMs);
  };
  const onAbort = () => cancel('abort');
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    arm();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (err) {
        if (signal?.aborted) throw abortError(signal);
        throw new BodyError((err as Error).message || String(err));
      }
      if (stop === 'abort' || signal?.aborted) throw abortError(signal);
      if (stop === 'idle') throw new BodyError(`no data for ${idleMs} ms`);
      if (chunk.done) break;
      onBytes(chunk.value.byteLength);
      if (filled + chunk.value.byteLength > expected) {
        cancel('idle');
        throw new BodyError(`the server sent more than the ${expected} bytes it announced`);
      }
      out.set(chunk.value, filled);
      filled += chunk.value.byteLength;
      arm();
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
  if (filled !== expected) throw new BodyError(`the body ended after ${filled} of ${expected} bytes`);
  return out.buffer;
}

/** The error for a non-206 answer, with the server's (or the proxy's) own message when it sent one. */
async function statusError(res: Response, url: string, first: number, last: number, proxied: boolean): Promise<GeoCropError> {
  const said = await serverMessage(res);
  const via = proxied ? ' through the GeoCrop proxy' : '';
  const details = { url, status: res.status, offset: first, length: last - first + 1, viaProxy: proxied, ...(said ? { serverMessage: said } : {}) };
  const quote = said ? ` (server said: ${said})` : '';
  switch (res.status) {
    case 200:
      return new GeoCropError('READ_FAILED', `Reading ${url}${via} failed: the server ignored the Range request and sent the whole file. COGs must be served by a server that supports HTTP range requests.`, details);
    case 404:
    case 410:
      return new GeoCropError('NOT_FOUND', `COG not found: ${url} (HTTP ${res.status})${quote}. The STAC item points to a file that does not exist; check the S3 URL template or choose another scene.`, details);
    case 401:
    case 403:
      return new GeoCropError('READ_FAILED', `Access to ${url} was refused${via} (HTTP ${res.status})${quote}. The bucket must allow public reads${proxied ? ', and the proxy must allow its host (GEOCROP_PROXY_HOSTS)' : ''}.`, details);
    case 416:
      return new GeoCropError('READ_FAILED', `Reading bytes ${first}-${last} of ${url}${via} failed (HTTP 416)${quote}: the file is shorter than its header says, so it is truncated or was replaced while being read.`, details);
    default:
      return new GeoCropError('READ_FAILED', `Reading ${url}${via} failed with HTTP ${res.status}${quote}.`, details);
  }
}

/** The message inside a JSON (`{error:{message}}`, `{message}`) or S3 XML (`<Message>`) error body, if any. */
async function serverMessage(res: Response): Promise<string | undefined> {
  let text: string;
  try {
    text = (await res.text()).slice(0, 4096);
  } catch {
    return undefined;
  }
  try {
    const json = JSON.parse(text) as { error?: { message?: unknown }; message?: unknown };
    const msg = json.error?.message ?? json.message;
    if (typeof msg === 'string') return msg;
  } catch {
    // not JSON
  }
  return /<Message>([^<]{1,500})<\/Message>/.exec(text)?.[1];
}

/** A 206 answer handed to geotiff.js. */
class RangeResponse extends BaseResponse {
  constructor(private readonly part: RangePart) {
    super();
  }

  override get ok(): boolean {
    return true;
  }

  override get status(): number {
    return 206;
  }

  override getHeader(name: string): string | undefined {
    const n = name.toLowerCase();
    if (n === 'content-range') return `bytes ${this.part.start}-${this.part.end}/${this.part.total}`;
    if (n === 'content-type') return 'application/octet-stream';
    if (n === 'etag') return this.part.etag ?? undefined;
    return undefined;
  }

  override async getData(): Promise<ArrayBuffer> {
    return this.part.data;
  }
}

/**
 * The geotiff.js client of one COG. Besides fetching, it pins the file's identity: every answer must report the
 * same size and ETag as the first, so a file replaced mid-read fails loudly instead of mixing two versions.
 */
export class CogHttpClient extends BaseClient {
  /** File size from the first `Content-Range`, bytes; null before the first answer. */
  fileSize: number | null = null;
  private etag: string | null = null;
  /**
   * Every non-abort error this client threw, oldest first. geotiff.js's block cache replaces them with "Request
   * failed"; the reader looks here to report the real cause.
   */
  readonly failures: Error[] = [];
  /** Signal for requests geotiff.js sends without one (IFD parsing while the header is read). */
  fallbackSignal: AbortSignal | undefined;

  constructor(url: string, readonly io: RangeIo) {
    super(url);
  }

  override async request(options: RequestInit = {}): Promise<BaseResponse> {
    const signal = options.signal ?? this.fallbackSignal;
    try {
      const { offset, length } = parseRangeHeader(new Headers(options.headers).get('range'), this.url);
      const part = await fetchRange(this.io, this.url, offset, length, signal);
      this.pinIdentity(part);
      return new RangeResponse(part);
    } catch (err) {
      if (!isAbortError(err)) this.failures.push(err as Error);
      throw err;
    }
  }

  private pinIdentity(part: RangePart): void {
    if (this.fileSize === null) {
      this.fileSize = part.total;
      this.etag = part.etag;
      return;
    }
    if (part.total !== this.fileSize || (this.etag !== null && part.etag !== null && part.etag !== this.etag)) {
      throw new GeoCropError('READ_FAILED', `${this.url} changed while being read (size ${this.fileSize} → ${part.total} bytes, ETag ${this.etag} → ${part.etag}). Start the run again.`, {
        url: this.url,
        size: [this.fileSize, part.total],
        etag: [this.etag, part.etag],
      });
    }
  }
}

/** geotiff.js sends one `bytes=a-b` range per request (maxRanges 0); anything else is a bug or a corrupt header. */
function parseRangeHeader(header: string | null, url: string): { offset: number; length: number } {
  const m = header ? /^bytes=(\d+)-(\d+)$/.exec(header) : null;
  const offset = m ? Number(m[1]) : NaN;
  const length = m ? Number(m[2]) - offset + 1 : NaN;
  if (!(length > 0) || !Number.isSafeInteger(offset)) {
    throw new GeoCropError('READ_FAILED', `Reading ${url} failed: the TIFF reader asked for an invalid byte range (${header ?? 'none'}).`, { url, range: header });
  }
  if (length > MAX_REQUEST_BYTES) {
    throw new GeoCropError('READ_FAILED', `Reading ${url} failed: its header asks for ${length} bytes in one piece (limit ${MAX_REQUEST_BYTES}); the file is corrupt or not a Cloud Optimized GeoTIFF.`, { url, range: header });
  }
  return { offset, length };
}
