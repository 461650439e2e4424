/**
 * The per-run state of COG reading: where hrefs point, how to fetch, the byte counters, the hosts that need the
 * CORS proxy, and the open COG handles (so each file's header is read once per run). One context per run; drop it
 * when the run ends.
 */
import type { FetchFn, RetryPolicy } from '../net/fetch-retry';
import { createByteStats, type ByteStats } from './byte-stats';
import type { CogHandle } from './cog-reader';
import { proxiedUrl, resolveHref } from './href';
import { inflateZlib, type InflateFn } from './tile-decode';

/**
 * geotiff.js fetches whole aligned blocks of this many bytes, merging adjacent missing blocks into one request.
 * Measured with readCogWindow against the demo object store over a socket: 48 windows of 2 km × 2 km at 10 m on
 * four bands of one demo-world date (744 × 1056 px, 512 px DEFLATE uint16 tiles of 8–232 KiB); bytes fetched ÷
 * TileByteCounts of the intersecting tiles:
 *
 * | block  | 4 KiB | 8 KiB | 16 KiB | 32 KiB | 64 KiB (geotiff.js default) |
 * |--------|-------|-------|--------|--------|-----------------------------|
 * | ratio  | 1.022 | 1.047 | 1.078  | 1.156  | 1.300                       |
 *
 * Requests per window barely change (1.42 at ≤ 32 KiB, 1.27 at 64 KiB) because runs of blocks are merged. Over a
 * whole season run the header of every file counts too (fetched, but not tile bytes): `npm run bench` measured a
 * 2 km season at 1.114 with 16 KiB blocks, so 8 KiB it is. A COG header (GDAL layout: ghost area, IFDs and tile
 * tables) is a few KiB even for a 10980 px band, so it still comes in one or two requests. The byte-ratio test in
 * cog-reader.test.ts measures the ratio on a 2048 px Sentinel-2-like COG from the project's writer.
 */
export const DEFAULT_BLOCK_SIZE = 8 * 1024;

/** Options of {@link createReaderContext}. */
export interface ReaderOptions {
  /** The platform's `fetch` (or a test double). */
  fetch: FetchFn;
  /** How `s3://bucket/key` hrefs become URLs, e.g. `https://{bucket}.s3.af-south-1.amazonaws.com/{key}`. */
  s3Template: string;
  /** Origin that relative templates are resolved against (the page's or Worker's `location.origin`). */
  base?: string;
  /** CORS fallback route, e.g. `/api/proxy?url={url}`; omit to never use a proxy. */
  proxyTemplate?: string;
  /** Retry policy of every request (default: `DEFAULT_RETRY`). */
  policy?: Partial<RetryPolicy>;
  /** Counters to add to (default: fresh ones, see {@link ReaderContext.stats}). */
  stats?: ByteStats;
  /** geotiff.js block size, bytes (default {@link DEFAULT_BLOCK_SIZE}). */
  blockSize?: number;
  /** DEFLATE decoder for COG tiles (default fflate; Node passes its zlib, several times faster). */
  inflate?: InflateFn;
}

/** State shared by every read of one run. Not serialisable: it lives where the reads happen. */
export interface ReaderContext {
  readonly fetch: FetchFn;
  readonly s3Template: string;
  readonly base?: string;
  readonly proxyTemplate?: string;
  readonly policy?: Partial<RetryPolicy>;
  readonly blockSize: number;
  readonly inflate: InflateFn;
  /** Plain mutable counters; snapshot with `{ ...ctx.stats }`. */
  readonly stats: ByteStats;
  /** Hosts read through the proxy after a direct read failed (`host[:port]`). */
  readonly proxiedHosts: Set<string>;
  /** Open (or opening) COGs by URL. */
  readonly handles: Map<string, Promise<CogHandle>>;
}

/**
 * Creates the reading state of one run. Templates are checked here, so a misconfiguration fails before the
 * first read.
 *
 * @throws GeoCropError `INVALID_REQUEST` for a template without its placeholder, or a relative one without `base`
 * @example
 * const ctx = createReaderContext({ fetch: globalThis.fetch.bind(globalThis), s3Template: config.s3HttpsTemplate,
 *   base: self.location.origin, proxyTemplate: '/api/proxy?url={url}' });
 * const cog = await openCog(band.href, ctx, signal);
 */
export function createReaderContext(opts: ReaderOptions): ReaderContext {
  // Resolving a sample href validates the templates now rather than at the first read.
  const sample = resolveHref('s3://bucket/key.tif', opts.s3Template, opts.base);
  if (opts.proxyTemplate !== undefined) proxiedUrl(opts.proxyTemplate, sample, opts.base);
  const blockSize = opts.blockSize ?? DEFAULT_BLOCK_SIZE;
  if (!Number.isInteger(blockSize) || blockSize < 1024) throw new RangeError(`blockSize must be an integer >= 1024 bytes, got ${blockSize}`);
  return {
    fetch: opts.fetch,
    s3Template: opts.s3Template,
    base: opts.base,
    proxyTemplate: opts.proxyTemplate,
    policy: opts.policy,
    blockSize,
    inflate: opts.inflate ?? inflateZlib,
    stats: opts.stats ?? createByteStats(),
    proxiedHosts: new Set(),
    handles: new Map(),
  };
}
