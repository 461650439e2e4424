import { mkdir, mkdtemp, open, readdir, readlink, rm, symlink, writeFile, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COG_CONTENT_TYPE } from './content-type';
import { sendFileRange, serveFiles } from './range-files';
import { listen, rawRequest, type Listening } from './test-listen';

const COG_BYTES = 3 * 1024 * 1024 + 123; // multi-MB, and not a multiple of the read chunk
const SPARSE_BYTES = 50 * 1024 * 1024;
const MARK_AT = 25_000_000;

let tmp: string;
let server: Listening;
let cog: Buffer;
const marker = Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 7 + 3) & 0xff));

function pattern(n: number): Buffer {
  const b = Buffer.alloc(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

async function get(p: string, headers: Record<string, string> = {}, method = 'GET') {
  const res = await fetch(server.url + p, { method, headers });
  const body = Buffer.from(await res.arrayBuffer());
  return { res, body };
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'geocrop-range-'));
  const root = path.join(tmp, 's3');
  await mkdir(path.join(root, 'bucket', 'deep', 'er'), { recursive: true });
  cog = pattern(COG_BYTES);
  await writeFile(path.join(root, 'bucket', 'deep', 'er', 'B04.tif'), cog);
  await writeFile(path.join(root, 'bucket', 'small.json'), '{"hello":"world"}');
  await writeFile(path.join(root, 'bucket', 'fields.geojson'), '{"type":"FeatureCollection","features":[]}');
  await writeFile(path.join(root, 'bucket', 'empty.bin'), '');
  await writeFile(path.join(tmp, 'secret.txt'), 'TOP SECRET');
  await symlink(path.join(tmp, 'secret.txt'), path.join(root, 'bucket', 'escape.txt'));
  const sparse = await open(path.join(root, 'bucket', 'sparse.bin'), 'w');
  await sparse.truncate(SPARSE_BYTES); // a hole: 50 MB on paper, nothing on disk
  await sparse.write(marker, 0, marker.length, MARK_AT);
  await sparse.close();

  const app = new Hono();
  app.route('/demo/s3', serveFiles({ root }));
  app.get('/demo/truth/fields.geojson', (c) => sendFileRange(c, path.join(root, 'bucket', 'fields.geojson'), { cors: true }));
  app.all('*', (c) => c.json({ code: 'NOT_FOUND' }, 404));
  server = await listen(app);
});

afterAll(async () => {
  await server?.close();
  await rm(tmp, { recursive: true, force: true });
});

const COG = '/demo/s3/bucket/deep/er/B04.tif';

describe('serveFiles: full answers', () => {
  it('GET streams the whole object with validators and S3-like headers', async () => {
    const { res, body } = await get(COG);
    expect(res.status).toBe(200);
    expect(body.equals(cog)).toBe(true);
    expect(res.headers.get('content-length')).toBe(String(COG_BYTES));
    expect(res.headers.get('content-type')).toBe(COG_CONTENT_TYPE);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+"$/);
    expect(Date.parse(res.headers.get('last-modified') ?? '')).toBeGreaterThan(0);
  });

  it('HEAD answers the headers of GET without a body', async () => {
    const { res, body } = await get(COG, {}, 'HEAD');
    expect(res.status).toBe(200);
    expect(body.length).toBe(0);
    expect(res.headers.get('content-length')).toBe(String(COG_BYTES));
    expect(res.headers.get('etag')).toMatch(/^"/);
  });

  it('types JSON and GeoJSON by extension', async () => {
    expect((await get('/demo/s3/bucket/small.json')).res.headers.get('content-type')).toBe('application/json');
    expect((await get('/demo/s3/bucket/fields.geojson')).res.headers.get('content-type')).toBe('application/geo+json');
  });

  it('serves an empty object', async () => {
    const { res, body } = await get('/demo/s3/bucket/empty.bin');
    expect(res.status).toBe(200);
    expect(body.length).toBe(0);
    expect(res.headers.get('content-length')).toBe('0');
  });

  it('ignores Range units other than bytes', async () => {
    const { res, body } = await get('/demo/s3/bucket/small.json', { Range: 'items=0-1' });
    expect(res.status).toBe(200);
    expect(body.toString()).toBe('{"hello":"world"}');
  });

  it('refuses methods other than GET and HEAD', async () => {
    const res = await fetch(server.url + COG, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('serveFiles: ranges', () => {
  const size = COG_BYTES;
  it.each([
    ['bytes=0-99', 0, 99],
    ['bytes=1000000-', 1000000, size - 1],
    ['bytes=-500', size - 500, size - 1],
    ['bytes=65530-65545', 65530, 65545], // across a read-chunk boundary
    ['bytes=100-999999999', 100, size - 1], // end clamped
    ['bytes=-99999999', 0, size - 1], // suffix longer than the object
  ])('%s → 206 with exact bytes', async (range, start, end) => {
    const { res, body } = await get(COG, { Range: range });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`);
    expect(res.headers.get('content-length')).toBe(String(end - start + 1));
    expect(res.headers.get('content-type')).toBe(COG_CONTENT_TYPE);
    expect(body.equals(cog.subarray(start, end + 1))).toBe(true);
  });

  it('HEAD with a Range answers the 206 headers', async () => {
    const { res, body } = await get(COG, { Range: 'bytes=10-19' }, 'HEAD');
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 10-19/${size}`);
    expect(res.headers.get('content-length')).toBe('10');
    expect(body.length).toBe(0);
  });

  it.each(['bytes=4000000-', 'bytes=5-2', 'bytes=abc', 'bytes=', 'bytes=-0', 'bytes=0-1,zz'])('%s → 416 with bytes */size', async (range) => {
    const { res, body } = await get(COG, { Range: range });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe(`bytes */${size}`);
    expect(JSON.parse(body.toString())).toMatchObject({ code: 'InvalidRange' });
  });

  it('416 for any range of an empty object', async () => {
    const { res } = await get('/demo/s3/bucket/empty.bin', { Range: 'bytes=0-' });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe('bytes */0');
  });

  it('several ranges → multipart/byteranges that parses back to the exact bytes', async () => {
    const { res, body } = await get(COG, { Range: 'bytes=0-9, 70000-70099,-5' });
    expect(res.status).toBe(206);
    const type = res.headers.get('content-type') ?? '';
    const boundary = /^multipart\/byteranges; boundary=(\S+)$/.exec(type)?.[1];
    expect(boundary).toBeTruthy();
    expect(res.headers.get('content-length')).toBe(String(body.length));
    const parts = parseMultipart(body, boundary!);
    expect(parts.map((p) => p.headers['content-range'])).toEqual([`bytes 0-9/${size}`, `bytes 70000-70099/${size}`, `bytes ${size - 5}-${size - 1}/${size}`]);
    expect(parts.every((p) => p.headers['content-type'] === COG_CONTENT_TYPE)).toBe(true);
    expect(parts[0].data.equals(cog.subarray(0, 10))).toBe(true);
    expect(parts[1].data.equals(cog.subarray(70000, 70100))).toBe(true);
    expect(parts[2].data.equals(cog.subarray(size - 5))).toBe(true);
  });
});

describe('serveFiles: conditional requests', () => {
  it('If-None-Match with the ETag → 304 (also weak form and lists); another ETag → 200', async () => {
    const etag = (await get(COG, {}, 'HEAD')).res.headers.get('etag')!;
    for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
      const { res, body } = await get(COG, { 'If-None-Match': inm });
      expect(res.status, inm).toBe(304);
      expect(body.length).toBe(0);
      expect(res.headers.get('etag')).toBe(etag);
    }
    expect((await get(COG, { 'If-None-Match': '"other"' }, 'HEAD')).res.status).toBe(200);
  });

  it('If-Modified-Since → 304 when not modified', async () => {
    const lastModified = (await get(COG, {}, 'HEAD')).res.headers.get('last-modified')!;
    expect((await get(COG, { 'If-Modified-Since': lastModified }, 'HEAD')).res.status).toBe(304);
    expect((await get(COG, { 'If-Modified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT' }, 'HEAD')).res.status).toBe(200);
  });

  it('If-Range: matching ETag or date → 206; a stale ETag → full 200', async () => {
    const head = (await get(COG, {}, 'HEAD')).res.headers;
    const etag = head.get('etag')!;
    const match = await get(COG, { Range: 'bytes=0-9', 'If-Range': etag });
    expect(match.res.status).toBe(206);
    expect(match.body.equals(cog.subarray(0, 10))).toBe(true);
    expect((await get(COG, { Range: 'bytes=0-9', 'If-Range': head.get('last-modified')! }, 'HEAD')).res.status).toBe(206);
    const stale = await get(COG, { Range: 'bytes=0-9', 'If-Range': '"stale"' });
    expect(stale.res.status).toBe(200);
    expect(stale.body.length).toBe(COG_BYTES);
    expect((await get(COG, { Range: 'bytes=0-9', 'If-Range': `W/${etag}` }, 'HEAD')).res.status).toBe(200);
  });
});

describe('serveFiles: CORS like a public bucket', () => {
  it('answers a preflight for ranged GETs', async () => {
    const res = await fetch(server.url + COG, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range,if-none-match' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD');
    expect(res.headers.get('access-control-allow-headers')).toBe('range,if-none-match');
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    const plain = await fetch(server.url + COG, { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' } });
    expect(plain.headers.get('access-control-allow-headers')).toBe('Range, If-None-Match, If-Range, Content-Type');
  });

  it('exposes range headers and allows cross-origin embedding on every answer', async () => {
    for (const [p, h] of [
      [COG, { Range: 'bytes=0-0' }],
      ['/demo/s3/bucket/missing.tif', {}],
      [COG, { Range: 'bytes=9999999-' }],
    ] as const) {
      const { res } = await get(p, { Origin: 'https://app.example', ...h });
      expect(res.headers.get('access-control-allow-origin'), p).toBe('*');
      expect(res.headers.get('access-control-expose-headers')).toContain('Content-Range, Content-Length, ETag, Accept-Ranges, Last-Modified');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    }
  });

  it('sendFileRange serves other routes the same way', async () => {
    const { res, body } = await get('/demo/truth/fields.geojson', { Range: 'bytes=1-6' });
    expect(res.status).toBe(206);
    expect(body.toString()).toBe('"type"');
    expect(res.headers.get('content-type')).toBe('application/geo+json');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('serveFiles: refusals', () => {
  it.each([
    '/demo/s3/bucket/..%2f..%2fsecret.txt',
    '/demo/s3/bucket/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/demo/s3/%2F' + encodeURIComponent(os.tmpdir().slice(1)) + '%2Fsecret.txt',
    '/demo/s3/bucket/a%00b.tif',
    '/demo/s3/bucket/..%5c..%5csecret.txt',
    '/demo/s3/bucket/%zz',
    '/demo/s3/bucket//small.json',
    '/demo/s3/bucket/escape.txt', // a symlink leading out of the store
  ])('%s → 400 STAC/GeoCrop-style error', async (p) => {
    const res = await rawRequest(server.port, p);
    expect(res.status).toBe(400);
    expect(res.body.toString()).not.toContain('TOP SECRET');
    const json = JSON.parse(res.body.toString());
    expect(json).toMatchObject({ code: 'INVALID_REQUEST', description: expect.any(String), message: expect.any(String) });
  });

  it('whole ".." segments (literal or %2E%2E) are normalised away by the URL parser and never escape the store', async () => {
    for (const p of ['/demo/s3/bucket/../../secret.txt', '/demo/s3/bucket/../../../secret.txt', '/demo/s3/bucket/%2E%2E/%2E%2E/secret.txt']) {
      const res = await rawRequest(server.port, p);
      expect(res.status).not.toBe(200);
      expect(res.body.toString()).not.toContain('TOP SECRET');
    }
  });

  it('missing objects and folders → 404 NoSuchKey', async () => {
    for (const p of ['/demo/s3/bucket/missing.tif', '/demo/s3/bucket/deep', '/demo/s3/nobucket/x.tif', '/demo/s3/bucket/small.json/x']) {
      const { res, body } = await get(p);
      expect(res.status, p).toBe(404);
      expect(JSON.parse(body.toString())).toMatchObject({ code: 'NoSuchKey', message: expect.stringContaining('does not exist') });
    }
  });
});

describe('serveFiles: never reads a whole file', () => {
  it('reads about 100 bytes from disk to answer a 100-byte range of a 50 MB file', async () => {
    const probe = await open(path.join(tmp, 'secret.txt'), 'r');
    const proto = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    let bytesRead = 0;
    const real = proto.read;
    const spy = vi.spyOn(proto, 'read').mockImplementation(async function (this: FileHandle, ...args: Parameters<FileHandle['read']>) {
      const r = await (real as (...a: unknown[]) => Promise<{ bytesRead: number }>).apply(this, args);
      bytesRead += r.bytesRead;
      return r as never;
    });
    const readFileSpy = vi.spyOn(proto, 'readFile');
    try {
      const { res, body } = await get('/demo/s3/bucket/sparse.bin', { Range: `bytes=${MARK_AT}-${MARK_AT + 99}` });
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes ${MARK_AT}-${MARK_AT + 99}/${SPARSE_BYTES}`);
      expect(body.equals(marker)).toBe(true);
      expect(bytesRead).toBe(100);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(readFileSpy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      readFileSpy.mockRestore();
    }
  });

  it('closes the file when a client abandons a large download', async () => {
    // Count descriptors open on that very file (socket descriptors come and go with the connection).
    const fds = async () => {
      const links = await Promise.all((await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
      return links.filter((l) => l.endsWith('sparse.bin')).length;
    };
    const controller = new AbortController();
    const res = await fetch(server.url + '/demo/s3/bucket/sparse.bin', { signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    expect(await fds()).toBe(1);
    controller.abort();
    await reader.cancel().catch(() => undefined);
    await vi.waitFor(async () => expect(await fds()).toBe(0), { timeout: 2000, interval: 20 });
  });
});

/** Splits a multipart/byteranges body into parts (headers lower-cased). */
function parseMultipart(body: Buffer, boundary: string): { headers: Record<string, string>; data: Buffer }[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { headers: Record<string, string>; data: Buffer }[] = [];
  let at = body.indexOf(delimiter);
  expect(at).toBe(0);
  for (;;) {
    const afterDelim = at + delimiter.length;
    if (body.subarray(afterDelim, afterDelim + 2).toString() === '--') {
      expect(body.subarray(afterDelim).toString()).toBe('--\r\n');
      return parts;
    }
    expect(body.subarray(afterDelim, afterDelim + 2).toString()).toBe('\r\n');
    const headerEnd = body.indexOf('\r\n\r\n', afterDelim);
    const headers: Record<string, string> = {};
    for (const line of body.subarray(afterDelim + 2, headerEnd).toString().split('\r\n')) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    parts.push({ headers, data: body.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
}
