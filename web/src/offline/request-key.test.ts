// Which requests the offline cache keys, and how: ranges, POST bodies, proxied COG reads.
import { describe, expect, it } from 'vitest';
import { proxiedUrl } from '../../../shared/raster/href';
import { describeRequest, proxyUnwrapper } from './request-key';

const COG = 'https://b.s3.af-south-1.amazonaws.com/tiles/36/K/B04.tif';

describe('describeRequest', () => {
  it('keys GETs by URL, and range GETs by URL and range', async () => {
    expect(await describeRequest('https://geocrop.test/api/config')).toEqual({ key: 'GET https://geocrop.test/api/config', method: 'GET', url: 'https://geocrop.test/api/config' });
    const ranged = await describeRequest(COG, { headers: { Range: 'bytes=8192-16383' } });
    expect(ranged).toEqual({ key: `GET ${COG} bytes=8192-16383`, method: 'GET', url: COG, range: { start: 8192, end: 16383 } });
    // Any header form fetch accepts.
    expect((await describeRequest(COG, { headers: new Headers([['range', 'bytes=0-1']]) }))?.key).toBe(`GET ${COG} bytes=0-1`);
  });

  it('keys POSTs by a hash of their body: equal bytes, equal key; other bytes, other key', async () => {
    const url = 'https://geocrop.test/stac/search';
    const body = JSON.stringify({ collections: ['s2_l2a_c1'], bbox: [30, -18, 30.1, -17.9] });
    const a = await describeRequest(url, { method: 'POST', body });
    const b = await describeRequest(url, { method: 'post', body: new TextEncoder().encode(body) });
    const c = await describeRequest(url, { method: 'POST', body: body.replace('30.1', '30.2') });
    expect(a?.key).toMatch(/^POST https:\/\/geocrop\.test\/stac\/search sha256:[0-9a-f]{64}$/);
    expect(b?.key).toBe(a?.key);
    expect(c?.key).not.toBe(a?.key);
    expect(a?.range).toBeUndefined();
  });

  it('refuses what it cannot key: other methods, other Range forms, ranged POSTs, streamed bodies', async () => {
    expect(await describeRequest(COG, { method: 'PUT', body: 'x' })).toBeNull();
    expect(await describeRequest(COG, { method: 'HEAD' })).toBeNull();
    for (const range of ['bytes=100-', 'bytes=-500', 'bytes=0-1,5-9', 'bytes=9-3', 'items=0-1']) {
      expect(await describeRequest(COG, { headers: { Range: range } }), range).toBeNull();
    }
    expect(await describeRequest(COG, { method: 'POST', headers: { Range: 'bytes=0-1' }, body: 'x' })).toBeNull();
    expect(await describeRequest(COG, { method: 'POST', body: new ReadableStream() })).toBeNull();
  });
});

describe('proxyUnwrapper', () => {
  it('keys a proxied URL as its target, whatever the target holds, and leaves other URLs alone', async () => {
    const base = 'http://localhost:8787';
    const unwrap = proxyUnwrapper('/api/proxy?url={url}', base);
    const odd = 'https://b.example/a b/%25x?y=1&z=#f';
    for (const target of [COG, odd]) expect(unwrap(proxiedUrl('/api/proxy?url={url}', target, base))).toBe(target);
    expect(unwrap(COG)).toBe(COG);
    expect(unwrap(`${base}/api/proxy?url=%E0%A4%A`)).toBe(`${base}/api/proxy?url=%E0%A4%A`); // malformed: left as is
    const proxied = proxiedUrl('/api/proxy?url={url}', COG, base);
    const viaProxy = await describeRequest(proxied, { headers: { Range: 'bytes=0-9' } }, unwrap);
    const direct = await describeRequest(COG, { headers: { Range: 'bytes=0-9' } }, unwrap);
    expect(viaProxy?.key).toBe(direct?.key);
  });

  it('handles templates with text after the URL, and no template at all', () => {
    const unwrap = proxyUnwrapper('https://proxy.example/fetch/{url}/raw');
    expect(unwrap(proxiedUrl('https://proxy.example/fetch/{url}/raw', COG))).toBe(COG);
    expect(proxyUnwrapper(undefined)('https://proxy.example/fetch/x/raw')).toBe('https://proxy.example/fetch/x/raw');
  });
});
