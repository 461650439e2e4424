/**
 * Files over HTTP with the Range semantics of S3: the demo world's object store, and the one place in the server
 * that knows how to answer a byte range. Other routes (ground truth, the built PWA) reuse {@link sendFileRange}.
 */
import { randomBytes } from 'node:crypto';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Stats } from 'node:fs';
import { Hono, type Context } from 'hono';
import { GeoCropError } from '../../shared/contract/errors';
import { contentRange, parseRange, type ByteRange } from './byte-ranges';
import { contentTypeFor } from './content-type';
import { bodyLength, fileBodyStream, type BodyPart, type ByteTransform } from './file-body';
import { addPublicReadHeaders, publicReadCors } from './public-cors';
import { safePathSegments } from './safe-path';

/** Cache policy of demo objects: an hour, like a CDN in front of a bucket. */
export const OBJECT_CACHE_CONTROL = 'public, max-age=3600';

/** Options of {@link sendFileRange}. */
export interface SendFileOptions {
  /** Overrides the type guessed from the extension. */
  contentType?: string;
  /** `Cache-Control` of every answer; default {@link OBJECT_CACHE_CONTROL}. */
  cacheControl?: string;
  /** Serve a modified view of the file (fault injection); sizes and ETag follow the transform. */
  transform?: ByteTransform;
  /** Add the public-bucket CORS and CORP headers to every answer. */
  cors?: boolean;
  /** More headers for every answer (e.g. COOP/COEP for the PWA). */
  headers?: Record<string, string>;
  /** Name used in the 404 message; default the file's base name. */
  key?: string;
  /** Stops reading when it fires; default the request's signal, which fires when the client disconnects. */
  signal?: AbortSignal;
}

/**
 * Answers a GET or HEAD for one file: 200 streamed, 206 for one range, 206 `multipart/byteranges` for several,
 * 416 for unsatisfiable or malformed ranges, 304 for a matching `If-None-Match` / `If-Modified-Since`, and a
 * full 200 when `If-Range` no longer matches. Reads only the requested bytes, never the whole file.
 *
 * A missing file (or a directory) is a 404 `{"code":"NoSuchKey"}` as S3 answers it.
 *
 * @example
 * app.get('/demo/truth/classes.tif', (c) => sendFileRange(c, join(demoDir, 'truth/classes.tif'), { cors: true }));
 */
export async function sendFileRange(c: Context, filePath: string, opts: SendFileOptions = {}): Promise<Response> {
  const common = new Headers(opts.headers);
  if (opts.cors) addPublicReadHeaders(common);
  const method = c.req.method;
  if (method !== 'GET' && method !== 'HEAD') {
    common.set('Allow', 'GET, HEAD');
    return s3Error(405, 'MethodNotAllowed', `${method} is not allowed on this object; use GET or HEAD.`, common);
  }

  const file = await openRegularFile(filePath);
  if (!file) return s3Error(404, 'NoSuchKey', `The specified key does not exist: ${opts.key ?? path.basename(filePath)}`, common);
  let handedOver = false;
  try {
    const { handle, stats } = file;
    const transform = opts.transform;
    const size = transform ? Math.min(stats.size, transform.size(stats.size)) : stats.size;
    const etag = strongEtag(stats, transform);
    const lastModified = stats.mtime.toUTCString();
    common.set('ETag', etag);
    common.set('Last-Modified', lastModified);
    common.set('Cache-Control', opts.cacheControl ?? OBJECT_CACHE_CONTROL);
    common.set('Accept-Ranges', 'bytes');

    if (notModified(c, etag, stats.mtime)) return new Response(null, { status: 304, headers: common });

    const contentType = opts.contentType ?? contentTypeFor(filePath);
    let rangeHeader = c.req.header('Range');
    const ifRange = c.req.header('If-Range');
    // A stale If-Range means "my cached copy is outdated": send the whole current object instead of patching it.
    if (rangeHeader !== undefined && ifRange !== undefined && !ifRangeMatches(ifRange, etag, stats.mtime)) rangeHeader = undefined;
    const request = parseRange(rangeHeader, size);

    if (request.kind === 'unsatisfiable') {
      common.set('Content-Range', `bytes */${size}`);
      return s3Error(416, 'InvalidRange', `The requested range is not satisfiable: ${request.reason}`, common);
    }

    let status = 200;
    let parts: BodyPart[];
    if (request.kind === 'none') {
      common.set('Content-Type', contentType);
      parts = size > 0 ? [{ start: 0, end: size - 1 }] : [];
    } else if (request.ranges.length === 1) {
      status = 206;
      common.set('Content-Type', contentType);
      common.set('Content-Range', contentRange(request.ranges[0], size));
      parts = [request.ranges[0]];
    } else {
      status = 206;
      const boundary = `geocrop-${randomBytes(12).toString('hex')}`;
      common.set('Content-Type', `multipart/byteranges; boundary=${boundary}`);
      parts = multipartParts(request.ranges, size, contentType, boundary);
    }
    common.set('Content-Length', String(bodyLength(parts)));

    if (method === 'HEAD' || parts.length === 0) return new Response(null, { status, headers: common });
    const body = fileBodyStream(handle, parts, { transform, signal: opts.signal ?? c.req.raw.signal });
    handedOver = true;
    return new Response(body, { status, headers: common });
  } finally {
    if (!handedOver) await file.handle.close().catch(() => undefined);
  }
}

/** Options of {@link serveFiles}. */
export interface ServeFilesOptions {
  /** Folder holding one sub-folder per bucket. */
  root: string;
  /** Source of per-key byte transforms (truncated / corrupted objects); see `createFaultInjector`. */
  faults?: { transformFor(key: string): ByteTransform | undefined };
  /** `Cache-Control` of objects; default {@link OBJECT_CACHE_CONTROL}. */
  cacheControl?: string;
}

/**
 * A read-only, S3-like object server: `GET|HEAD <mount>/<bucket>/<key...>` answers the file `<root>/<bucket>/<key>`
 * through {@link sendFileRange}, with public-bucket CORS. Mount it at a literal prefix. Fault latency and error
 * statuses come from `faults.middleware()`, which the server mounts in front of it.
 *
 * @example
 * app.route('/demo/s3', serveFiles({ root: join(config.demo.dir, 's3'), faults }));
 * // GET /demo/s3/deafrica-sentinel-2/sentinel-s2-l2a-cogs/.../B04.tif  →  <root>/deafrica-sentinel-2/sentinel-s2-l2a-cogs/.../B04.tif
 */
export function serveFiles(opts: ServeFilesOptions): Hono {
  const app = new Hono();
  const rootPath = path.resolve(opts.root);
  app.use('*', publicReadCors());
  app.all('*', async (c) => {
    const prefix = c.req.routePath.replace(/\*$/, '');
    const pathname = new URL(c.req.url).pathname;
    const parsed = parseObjectPath(pathname.startsWith(prefix) ? pathname.slice(prefix.length) : pathname);
    if ('error' in parsed) return badRequest(parsed.error, pathname);
    const key = `${parsed.bucket}/${parsed.key}`;
    // Resolved per request: the demo world may be generated (or regenerated) after the server started.
    const root = await realpath(rootPath).catch(() => rootPath);
    const filePath = path.join(root, parsed.bucket, ...parsed.key.split('/'));
    // Symlinks inside the store must not lead outside it.
    const real = await realpath(filePath).catch(() => filePath);
    if (!isInside(root, real)) return badRequest('The key resolves outside the object store.', pathname);
    return sendFileRange(c, real, { key, cors: true, cacheControl: opts.cacheControl, transform: opts.faults?.transformFor(key) });
  });
  return app;
}

/**
 * Splits the still percent-encoded path after the mount point into bucket and key, with the refusals of
 * {@link safePathSegments} (traversal, absolute paths, NUL, ...).
 */
export function parseObjectPath(encoded: string): { bucket: string; key: string } | { error: string } {
  const parsed = safePathSegments(encoded);
  if ('error' in parsed) return parsed;
  if (parsed.segments.length < 2) return { error: 'Expected /<bucket>/<key>.' };
  return { bucket: parsed.segments[0], key: parsed.segments.slice(1).join('/') };
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

async function openRegularFile(filePath: string): Promise<{ handle: FileHandle; stats: Stats } | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(filePath, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'ENAMETOOLONG') return undefined;
    throw err;
  }
  // Stat the handle, not the path, so size and ETag describe the very file we are about to read.
  const stats = await handle.stat();
  if (stats.isFile()) return { handle, stats };
  await handle.close();
  return undefined;
}

/** Strong validator from inode, size and mtime (µs), plus the transform's tag when bytes are altered. */
function strongEtag(stats: Stats, transform?: ByteTransform): string {
  const mtimeUs = Math.floor(stats.mtimeMs * 1000);
  const tag = transform ? `-${transform.tag.replace(/[^A-Za-z0-9+_-]/g, '')}` : '';
  return `"${stats.ino.toString(16)}-${stats.size.toString(16)}-${mtimeUs.toString(16)}${tag}"`;
}

/** RFC 9110 §13.1.2/§13.1.3: If-None-Match (weak comparison, `*`) wins over If-Modified-Since. */
function notModified(c: Context, etag: string, mtime: Date): boolean {
  const inm = c.req.header('If-None-Match');
  if (inm !== undefined) {
    if (inm.trim() === '*') return true;
    const opaque = etag.replace(/^W\//, '');
    return inm.split(',').some((t) => t.trim().replace(/^W\//, '') === opaque);
  }
  const ims = c.req.header('If-Modified-Since');
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return Number.isFinite(since) && Math.floor(mtime.getTime() / 1000) * 1000 <= since;
}

/** RFC 9110 §13.1.5: an entity tag must match strongly; a date must equal Last-Modified exactly. */
function ifRangeMatches(ifRange: string, etag: string, mtime: Date): boolean {
  const v = ifRange.trim();
  if (v.startsWith('W/')) return false;
  if (v.startsWith('"')) return v === etag;
  const date = Date.parse(v);
  return Number.isFinite(date) && date === Math.floor(mtime.getTime() / 1000) * 1000;
}

const encoder = new TextEncoder();

/** Body parts of a `multipart/byteranges` payload (RFC 9110 §14.6): a header block before each range, a close delimiter. */
function multipartParts(ranges: readonly ByteRange[], size: number, contentType: string, boundary: string): BodyPart[] {
  const parts: BodyPart[] = [];
  ranges.forEach((range, i) => {
    const head = `${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${contentType}\r\nContent-Range: ${contentRange(range, size)}\r\n\r\n`;
    parts.push(encoder.encode(head), range);
  });
  parts.push(encoder.encode(`\r\n--${boundary}--\r\n`));
  return parts;
}

/** An S3-style JSON error (`{"code":"NoSuchKey","message":...}`). */
function s3Error(status: number, code: string, message: string, headers: Headers): Response {
  const out = new Headers(headers);
  out.set('Content-Type', 'application/json');
  out.set('Cache-Control', 'no-store');
  return new Response(JSON.stringify({ code, message }), { status, headers: out });
}

/** A refused path: a GeoCrop error body that also carries STAC's `description` field. */
function badRequest(message: string, pathname: string): Response {
  const err = new GeoCropError('INVALID_REQUEST', message, { path: pathname });
  return new Response(JSON.stringify({ ...err.toJSON(), description: message }), {
    status: err.status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });
}
