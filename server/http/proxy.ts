/**
 * The CORS fallback for COG reads: `GET /api/proxy?url=<object URL>` forwards one byte range to an allow-listed
 * bucket host and streams the answer back with the headers a cross-origin isolated page needs. It exists because
 * whether DEA's buckets answer browser CORS range requests is not guaranteed; the PWA reads directly first.
 *
 * Not an open proxy: exact host allow-list, no redirects followed, allow-listed names that resolve to private
 * addresses refused at connect time (so DNS tricks cannot reach the internal network), one range of at most
 * `maxBytes` per request, and a timeout.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { GeoCropError, type ErrorCode } from '../../shared/contract/errors';
import { publicReadCors } from './public-cors';

/** Default largest range per request, bytes (a 1024 px uint16 DEFLATE tile is 1–2 MiB). */
export const PROXY_MAX_BYTES = 16 * 1024 * 1024;
/** Default socket idle timeout towards the bucket, ms. */
export const PROXY_TIMEOUT_MS = 30_000;

/** Options of {@link proxyRoutes}. */
export interface ProxyOptions {
  /** Hosts the proxy may read from, as `URL.host` spells them (`bucket.s3.af-south-1.amazonaws.com`, `10.0.0.5:9000`). */
  allowHosts: readonly string[];
  /** Largest range per request, bytes; default {@link PROXY_MAX_BYTES}. */
  maxBytes?: number;
  /** Idle timeout of the connection to the bucket, ms; default {@link PROXY_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/** Request headers passed on to the bucket: the range and its validators, nothing identifying the user. */
const FORWARD_REQUEST = ['range', 'if-range', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since'];
/** Response headers passed back. */
const FORWARD_RESPONSE = ['content-type', 'content-length', 'content-range', 'etag', 'last-modified', 'accept-ranges', 'cache-control', 'expires', 'retry-after'];

/**
 * The proxy route; mount it at `/api/proxy`.
 *
 * @example
 * app.route('/api/proxy', proxyRoutes({ allowHosts: config.proxyHosts }));
 * // GET /api/proxy?url=https%3A%2F%2Fdeafrica-sentinel-2.s3.af-south-1.amazonaws.com%2F...%2FB04.tif  Range: bytes=0-16383
 */
export function proxyRoutes(opts: ProxyOptions): Hono {
  const allowed = new Set(opts.allowHosts.map(normalizeHost));
  const maxBytes = opts.maxBytes ?? PROXY_MAX_BYTES;
  const timeoutMs = opts.timeoutMs ?? PROXY_TIMEOUT_MS;
  const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 32 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 32 }) };
  const app = new Hono();
  app.use('*', publicReadCors());
  app.on(['GET', 'HEAD'], '/', async (c) => {
    const target = checkTarget(c.req.query('url'), allowed);
    if (target instanceof Response) return target;
    const range = checkRange(c.req.header('Range'), maxBytes);
    if (range instanceof Response) return range;
    const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': 'GeoCrop-proxy' };
    for (const name of FORWARD_REQUEST) {
      const v = c.req.header(name);
      if (v !== undefined) headers[name] = v;
    }
    return forward(c, target, headers, { maxBytes, timeoutMs, agent: agents[target.protocol as 'http:' | 'https:'] });
  });
  app.all('/', () => jsonError(405, 'INVALID_REQUEST', 'The proxy answers GET and HEAD only.', undefined, { Allow: 'GET, HEAD, OPTIONS' }));
  return app;
}

/** The target URL, or the refusal to send. */
function checkTarget(raw: string | undefined, allowed: ReadonlySet<string>): URL | Response {
  if (!raw) return jsonError(400, 'INVALID_REQUEST', 'Add ?url=<the http(s) URL of the object to read>, percent-encoded.');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return jsonError(400, 'INVALID_REQUEST', `The url parameter is not an absolute URL: ${raw.slice(0, 200)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return jsonError(400, 'INVALID_REQUEST', `The proxy reads http(s) URLs only, not ${url.protocol}`);
  if (url.username || url.password) return jsonError(400, 'INVALID_REQUEST', 'The url must not carry credentials.');
  if (raw.length > 4096) return jsonError(400, 'INVALID_REQUEST', 'The url is longer than 4096 characters.');
  if (!allowed.has(normalizeHost(url.host))) {
    return jsonError(403, 'INVALID_REQUEST', `The proxy does not read from ${url.host}. Allowed hosts: ${[...allowed].join(', ') || '(none)'}; add a public bucket's host to GEOCROP_PROXY_HOSTS.`, { host: url.host });
  }
  url.hash = '';
  return url;
}

/** One `bytes=a-b` or `bytes=-n` range within the cap; no header is fine (the size is checked on the answer). */
function checkRange(header: string | undefined, maxBytes: number): Response | undefined {
  if (header === undefined) return undefined;
  const hint = `Ask for one range of at most ${maxBytes} bytes, e.g. "bytes=0-${maxBytes - 1}".`;
  const m = /^\s*bytes\s*=\s*(?:(\d+)-(\d+)|-(\d+))\s*$/i.exec(header);
  if (!m) {
    const why = /^\s*bytes\s*=\s*\d+-\s*$/i.test(header) ? 'an open-ended range' : header.includes(',') ? 'several ranges' : 'a malformed range';
    return jsonError(416, 'RANGE_NOT_SATISFIABLE', `The proxy cannot serve ${why} ("${header.slice(0, 100)}"). ${hint}`, { range: header });
  }
  const length = m[3] !== undefined ? Number(m[3]) : Number(m[2]) - Number(m[1]) + 1;
  if (!(length > 0)) return jsonError(416, 'RANGE_NOT_SATISFIABLE', `The range "${header}" is empty or reversed. ${hint}`, { range: header });
  if (length > maxBytes) return jsonError(416, 'RANGE_NOT_SATISFIABLE', `The range "${header}" asks for ${length} bytes; the proxy serves at most ${maxBytes} per request. ${hint}`, { range: header, maxBytes });
  return undefined;
}

interface ForwardOptions {
  maxBytes: number;
  timeoutMs: number;
  agent: http.Agent;
}

function forward(c: Context, target: URL, headers: Record<string, string>, opts: ForwardOptions): Promise<Response> {
  const mod = target.protocol === 'https:' ? https : http;
  return new Promise<Response>((resolve) => {
    const client = c.req.raw.signal;
    const req = mod.request(target, { method: c.req.method, headers, agent: opts.agent, lookup: publicOnlyLookup, signal: client });
    let settled = false;
    const fail = (status: number, code: ErrorCode, message: string) => {
      if (settled) return;
      settled = true;
      req.destroy();
      resolve(jsonError(status, code, message, { url: target.href }));
    };
    req.setTimeout(opts.timeoutMs, () => {
      if (settled) req.destroy(new Error(`no data for ${opts.timeoutMs} ms`));
      else fail(504, 'READ_FAILED', `${target.host} did not answer within ${opts.timeoutMs} ms. Try again later.`);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPRIVATE') fail(403, 'INVALID_REQUEST', `${err.message}; the proxy does not read from private addresses.`);
      else fail(502, 'READ_FAILED', `Could not read from ${target.host}: ${err.message}. Try again later.`);
    });
    req.on('response', (up) => {
      const status = up.statusCode ?? 502;
      if (status >= 300 && status < 400 && status !== 304) {
        up.resume();
        fail(502, 'READ_FAILED', `${target.host} answered a redirect (HTTP ${status}); the proxy does not follow redirects. Use the object's final URL.`);
        return;
      }
      const declared = up.headers['content-length'] === undefined ? null : Number(up.headers['content-length']);
      if (c.req.method === 'GET' && status < 300 && declared !== null && declared > opts.maxBytes) {
        up.destroy();
        fail(413, 'INVALID_REQUEST', `The answer would be ${declared} bytes; the proxy passes at most ${opts.maxBytes} per request. Send a Range header.`);
        return;
      }
      settled = true;
      const out = new Headers();
      for (const name of FORWARD_RESPONSE) {
        const v = up.headers[name];
        if (typeof v === 'string') out.set(name, v);
      }
      const bodyless = c.req.method === 'HEAD' || status === 204 || status === 304;
      if (bodyless) up.resume();
      resolve(new Response(bodyless ? null : cappedBody(up, declared ?? opts.maxBytes), { status, headers: out }));
    });
    req.end();
  });
}

/** The upstream body as a web stream that errors (cutting the client off) instead of passing more than `limit` bytes. */
function cappedBody(up: http.IncomingMessage, limit: number): ReadableStream<Uint8Array> {
  let seen = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > limit) {
        up.destroy();
        controller.error(new Error(`upstream sent more than ${limit} bytes`));
      } else controller.enqueue(chunk);
    },
  });
  return (Readable.toWeb(up) as unknown as ReadableStream<Uint8Array>).pipeThrough(counter);
}

/** Blocks of addresses a public bucket host never resolves to (RFC 6890 special-purpose ranges). */
const PRIVATE = new net.BlockList();
for (const [addr, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  PRIVATE.addSubnet(addr, prefix, 'ipv4');
}
for (const [addr, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) PRIVATE.addSubnet(addr, prefix, 'ipv6');

/** True for loopback, private, link-local, CGNAT, multicast and other non-public addresses (IPv4-mapped included). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  const family = net.isIP(address);
  return family === 0 || PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * DNS lookup for the proxy's connections that refuses private addresses. It runs when the socket connects, so the
 * address checked is the address used. IP literals skip DNS: an allow-listed literal is the operator's choice.
 */
const publicOnlyLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const refused = addresses.find((a) => isPrivateAddress(a.address));
    if (refused) {
      const e: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${refused.address}`);
      e.code = 'EPRIVATE';
      return callback(e, '', 0);
    }
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
};

function normalizeHost(host: string): string {
  return host.trim().toLowerCase();
}

function jsonError(status: number, code: ErrorCode, message: string, details?: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  const err = new GeoCropError(code, message, details);
  return new Response(JSON.stringify({ error: err.toJSON() }), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  });
}
