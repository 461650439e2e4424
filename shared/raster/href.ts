/**
 * Turning STAC asset hrefs into URLs a browser or Node can fetch. DEA items say `s3://bucket/key`; the public
 * HTTPS form is configurable (`GEOCROP_S3_HTTPS_TEMPLATE`), because the demo world serves its own bucket from a
 * same-origin path and a deployment may put a CDN in front of the buckets.
 */
import { GeoCropError } from '../contract/errors';

/** S3 bucket names: DNS-like, plus the `_` and upper case of legacy us-east-1 buckets. */
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

/**
 * The fetchable URL of a STAC asset href.
 *
 * - `s3://bucket/key` → `s3Template` with `{bucket}` and `{key}` substituted. Each `/`-separated segment of the key
 *   is percent-encoded on its own (so `/` stays a path separator and `?`, `#`, `%`, spaces and non-ASCII survive).
 * - `http(s)://…` → unchanged (after checking it parses).
 * - A template that is a path (`/demo/s3/{bucket}/{key}`) is resolved against `base` (the page or Worker origin).
 *
 * @param href asset href from a STAC item
 * @param s3Template e.g. `https://{bucket}.s3.af-south-1.amazonaws.com/{key}` or `/demo/s3/{bucket}/{key}`
 * @param base absolute URL that relative results are resolved against (e.g. `self.location.origin`)
 * @throws GeoCropError `INVALID_ITEM` for hrefs GeoCrop cannot fetch (other schemes, keys with `.`/`..` segments);
 *   `INVALID_REQUEST` for a template without `{key}` or a relative result without `base`
 * @example
 * resolveHref('s3://deafrica-sentinel-2/sentinel-s2-l2a-cogs/36/K/SF/2023/1/B04.tif', 'https://{bucket}.s3.af-south-1.amazonaws.com/{key}');
 * // → 'https://deafrica-sentinel-2.s3.af-south-1.amazonaws.com/sentinel-s2-l2a-cogs/36/K/SF/2023/1/B04.tif'
 * resolveHref('s3://geocrop-demo-world/a/B04.tif', '/demo/s3/{bucket}/{key}', 'http://localhost:8787');
 * // → 'http://localhost:8787/demo/s3/geocrop-demo-world/a/B04.tif'
 */
export function resolveHref(href: string, s3Template: string, base?: string): string {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(href)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    absoluteHttpUrl(href, undefined, `asset href "${truncate(href)}"`);
    return href;
  }
  if (scheme !== 's3') {
    throw new GeoCropError(
      'INVALID_ITEM',
      `Cannot read asset href "${truncate(href)}": only s3://bucket/key and http(s):// hrefs are supported${scheme ? ` (got ${scheme}:)` : ' (it has no scheme)'}.`,
      { href },
    );
  }
  const { bucket, key } = parseS3(href);
  if (!s3Template.includes('{key}')) {
    throw new GeoCropError('INVALID_REQUEST', `The S3 URL template "${s3Template}" has no {key} placeholder; use e.g. https://{bucket}.s3.af-south-1.amazonaws.com/{key}.`, { s3Template });
  }
  const encodedKey = key.split('/').map(encodeURIComponent).join('/');
  // Function replacers: a `$&` or `$1` inside a key must not be read as a replacement pattern.
  const filled = s3Template.replaceAll('{bucket}', () => bucket).replaceAll('{key}', () => encodedKey);
  return absoluteHttpUrl(filled, base, `S3 URL template "${s3Template}"`);
}

/**
 * The URL of `url` through a proxy route: `{url}` in `proxyTemplate` becomes the percent-encoded target URL.
 * A relative template (`/api/proxy?url={url}`) is resolved against `base`.
 *
 * @throws GeoCropError `INVALID_REQUEST` when the template lacks `{url}` or is relative without `base`
 * @example
 * proxiedUrl('/api/proxy?url={url}', 'https://b.s3.af-south-1.amazonaws.com/k.tif', 'http://localhost:8787');
 * // → 'http://localhost:8787/api/proxy?url=https%3A%2F%2Fb.s3.af-south-1.amazonaws.com%2Fk.tif'
 */
export function proxiedUrl(proxyTemplate: string, url: string, base?: string): string {
  if (!proxyTemplate.includes('{url}')) {
    throw new GeoCropError('INVALID_REQUEST', `The proxy URL template "${proxyTemplate}" has no {url} placeholder; use e.g. /api/proxy?url={url}.`, { proxyTemplate });
  }
  return absoluteHttpUrl(proxyTemplate.replaceAll('{url}', () => encodeURIComponent(url)), base, `proxy URL template "${proxyTemplate}"`);
}

function parseS3(href: string): { bucket: string; key: string } {
  const rest = href.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? '' : rest.slice(slash + 1);
  if (!BUCKET.test(bucket) || key === '') {
    throw new GeoCropError('INVALID_ITEM', `Cannot read asset href "${truncate(href)}": expected s3://<bucket>/<key> with a valid bucket name and a non-empty key.`, { href });
  }
  // URL parsers collapse "." and ".." path segments (encoded or not), so such a key would address another object.
  if (key.split('/').some((s) => s === '.' || s === '..')) {
    throw new GeoCropError('INVALID_ITEM', `Cannot read asset href "${truncate(href)}": its key has "." or ".." path segments, which cannot be fetched over HTTP.`, { href });
  }
  return { bucket, key };
}

function absoluteHttpUrl(candidate: string, base: string | undefined, what: string): string {
  let url: URL;
  try {
    url = base === undefined ? new URL(candidate) : new URL(candidate, base);
  } catch {
    const hint = base === undefined && candidate.startsWith('/') ? ' It is a path: pass the page or Worker origin as the base URL.' : '';
    throw new GeoCropError('INVALID_REQUEST', `The ${what} does not give an absolute http(s) URL ("${truncate(candidate)}").${hint}`, { url: candidate, base });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GeoCropError('INVALID_REQUEST', `The ${what} gives a ${url.protocol} URL; only http and https can be fetched.`, { url: candidate });
  }
  return url.href;
}

function truncate(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
