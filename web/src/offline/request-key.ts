/**
 * Which requests can be saved for offline use, and under which key: method + URL + byte range, plus a SHA-256 of
 * the body for a POST (a STAC search). A COG read through the CORS proxy is keyed as its target URL: the object is
 * the same, and an offline run must find it whichever route the online run happened to take.
 */
import { proxiedUrl } from '../../../shared/raster/href';

/** A request the cache can answer. */
export interface CacheRequest {
  /** Store key, e.g. `GET https://host/a.tif bytes=0-8191` or `POST https://host/stac/search sha256:…`. */
  key: string;
  method: 'GET' | 'POST';
  /** The URL in the key: the target of a proxied URL, else the URL itself. */
  url: string;
  /** The byte range asked for (first and last byte, inclusive), when the request had one `bytes=a-b` Range. */
  range?: { start: number; end: number };
}

const encoder = new TextEncoder();

/** The bytes of a body that can be hashed; null for streams, forms and blobs (never saved). */
function bodyBytes(body: BodyInit | null | undefined): Uint8Array | null {
  if (body == null) return new Uint8Array(0);
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof URLSearchParams) return encoder.encode(body.toString());
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return null;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.slice()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The cache's view of a request, or null when it cannot be saved: a method other than GET and POST, a Range header
 * other than one `bytes=a-b`, a ranged POST, or a body that is not a string or bytes.
 *
 * @param canonicalUrl maps a URL to the one its key uses (see {@link proxyUnwrapper}); default: itself.
 * @example
 * await describeRequest('https://b.s3.af-south-1.amazonaws.com/x.tif', { headers: { Range: 'bytes=0-8191' } });
 * // → { key: 'GET https://b.s3.af-south-1.amazonaws.com/x.tif bytes=0-8191', method: 'GET', url: …, range: { start: 0, end: 8191 } }
 */
export async function describeRequest(url: string, init?: RequestInit, canonicalUrl: (url: string) => string = (u) => u): Promise<CacheRequest | null> {
  const method = (init?.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'POST') return null;
  const target = canonicalUrl(url);
  const rangeHeader = new Headers(init?.headers).get('range');
  if (rangeHeader !== null) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(rangeHeader.trim());
    if (!m || method !== 'GET' || Number(m[2]) < Number(m[1])) return null;
    const range = { start: Number(m[1]), end: Number(m[2]) };
    return { key: `GET ${target} bytes=${range.start}-${range.end}`, method, url: target, range };
  }
  if (method === 'GET') return { key: `GET ${target}`, method, url: target };
  const bytes = bodyBytes(init?.body);
  return bytes ? { key: `POST ${target} sha256:${await sha256Hex(bytes)}`, method, url: target } : null;
}

/**
 * The inverse of `proxiedUrl(proxyTemplate, target, base)`: a proxied URL → its target; any other URL unchanged.
 *
 * @param proxyTemplate e.g. `/api/proxy?url={url}`; undefined: no proxy, every URL stays as it is.
 * @example
 * const unwrap = proxyUnwrapper('/api/proxy?url={url}', 'http://localhost:8787');
 * unwrap('http://localhost:8787/api/proxy?url=https%3A%2F%2Fb.example%2Fk.tif'); // → 'https://b.example/k.tif'
 */
export function proxyUnwrapper(proxyTemplate: string | undefined, base?: string): (url: string) => string {
  if (!proxyTemplate) return (url) => url;
  const marker = 'geocrop-proxy-target';
  const sample = proxiedUrl(proxyTemplate, marker, base);
  const at = sample.indexOf(marker);
  const prefix = sample.slice(0, at);
  const suffix = sample.slice(at + marker.length);
  return (url) => {
    if (!url.startsWith(prefix) || !url.endsWith(suffix) || url.length < prefix.length + suffix.length) return url;
    try {
      return decodeURIComponent(url.slice(prefix.length, url.length - suffix.length));
    } catch {
      return url;
    }
  };
}
