import { describe, expect, it } from 'vitest';
import { GeoCropError } from '../contract/errors';
import { proxiedUrl, resolveHref } from './href';

const DEA = 'https://{bucket}.s3.af-south-1.amazonaws.com/{key}';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof GeoCropError ? `${err.code}: ${err.message}` : String(err);
  }
  return undefined;
}

describe('resolveHref', () => {
  it('maps a DEA s3:// href to the public HTTPS URL, keeping the key path', () => {
    expect(resolveHref('s3://deafrica-sentinel-2/sentinel-s2-l2a-cogs/36/K/SF/2023/1/S2A_36KSF_20230104_0_L2A/B04.tif', DEA)).toBe(
      'https://deafrica-sentinel-2.s3.af-south-1.amazonaws.com/sentinel-s2-l2a-cogs/36/K/SF/2023/1/S2A_36KSF_20230104_0_L2A/B04.tif',
    );
  });

  it('percent-encodes each key segment: spaces, ?, #, %, +, non-ASCII and $-patterns survive', () => {
    const url = resolveHref('s3://b-1/a b/c?d#e/100%/x+y/é/$&$1.tif', DEA);
    expect(url).toBe('https://b-1.s3.af-south-1.amazonaws.com/a%20b/c%3Fd%23e/100%25/x%2By/%C3%A9/%24%26%241.tif');
    // What the server decodes is the original key again.
    expect(decodeURIComponent(new URL(url).pathname.slice(1))).toBe('a b/c?d#e/100%/x+y/é/$&$1.tif');
  });

  it('keeps empty key segments (S3 keys may contain //)', () => {
    expect(resolveHref('s3://bucket/a//b.tif', DEA)).toBe('https://bucket.s3.af-south-1.amazonaws.com/a//b.tif');
  });

  it('resolves a path template against the base (the demo world, a Worker origin)', () => {
    expect(resolveHref('s3://geocrop-demo-world/x/B04.tif', '/demo/s3/{bucket}/{key}', 'http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787/demo/s3/geocrop-demo-world/x/B04.tif');
    expect(resolveHref('s3://geocrop-demo-world/x/B04.tif', '/demo/s3/{bucket}/{key}', 'https://geocrop.example/app/index.html')).toBe('https://geocrop.example/demo/s3/geocrop-demo-world/x/B04.tif');
    expect(codeOf(() => resolveHref('s3://b/k.tif', '/demo/s3/{bucket}/{key}'))).toMatch(/^INVALID_REQUEST: .*is a path: pass the page or Worker origin/);
  });

  it('returns http(s) hrefs unchanged', () => {
    for (const href of ['https://sentinel-cogs.s3.us-west-2.amazonaws.com/a/B04.tif', 'http://127.0.0.1:9/x%20y.tif?versionId=3']) {
      expect(resolveHref(href, DEA)).toBe(href);
    }
  });

  it('rejects other schemes, bad s3 hrefs and dot segments with INVALID_ITEM naming the href', () => {
    expect(codeOf(() => resolveHref('gs://bucket/key.tif', DEA))).toMatch(/^INVALID_ITEM: .*"gs:\/\/bucket\/key.tif".*only s3:\/\/bucket\/key and http\(s\):\/\/.*\(got gs:\)/);
    expect(codeOf(() => resolveHref('./B04.tif', DEA))).toMatch(/^INVALID_ITEM: .*it has no scheme/);
    expect(codeOf(() => resolveHref('file:///etc/passwd', DEA))).toMatch(/^INVALID_ITEM: .*\(got file:\)/);
    expect(codeOf(() => resolveHref('s3://bucket', DEA))).toMatch(/^INVALID_ITEM: .*non-empty key/);
    expect(codeOf(() => resolveHref('s3://bucket/', DEA))).toMatch(/^INVALID_ITEM/);
    expect(codeOf(() => resolveHref('s3:///key.tif', DEA))).toMatch(/^INVALID_ITEM: .*valid bucket name/);
    expect(codeOf(() => resolveHref('s3://bucket/a/../../other/key.tif', DEA))).toMatch(/^INVALID_ITEM: .*"\." or "\.\." path segments/);
    expect(codeOf(() => resolveHref('https://', DEA))).toMatch(/^INVALID_REQUEST/);
  });

  it('rejects templates without {key} or that do not give an http(s) URL', () => {
    expect(codeOf(() => resolveHref('s3://b/k.tif', 'https://{bucket}.example.org/'))).toMatch(/^INVALID_REQUEST: .*no \{key\} placeholder/);
    expect(codeOf(() => resolveHref('s3://b/k.tif', 'ftp://{bucket}/{key}'))).toMatch(/^INVALID_REQUEST: .*ftp: URL/);
  });
});

describe('proxiedUrl', () => {
  it('puts the encoded target URL into the template and resolves it against the base', () => {
    const target = 'https://deafrica-sentinel-2.s3.af-south-1.amazonaws.com/a b/B04.tif?x=1&y=2';
    const url = proxiedUrl('/api/proxy?url={url}', target, 'http://localhost:8787');
    expect(new URL(url).searchParams.get('url')).toBe(target);
    expect(url.startsWith('http://localhost:8787/api/proxy?url=https%3A%2F%2F')).toBe(true);
    expect(codeOf(() => proxiedUrl('/api/proxy', target, 'http://localhost:8787'))).toMatch(/^INVALID_REQUEST: .*no \{url\} placeholder/);
  });
});
