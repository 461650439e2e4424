import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStacApi } from './app';
import { allPages, call, featureIds, postJson, type Fetch } from './testing/client';
import { syntheticCatalog } from './testing/synthetic-catalog';

// The same API over a real HTTP socket: links must carry the real host:port, paging must work with fetch.
const { catalog, items } = syntheticCatalog();
let server: ServerType;
let base = '';
const fetcher: Fetch = (url, init) => fetch(url, init);

beforeAll(async () => {
  const app = new Hono();
  app.route('/demo/stac', createStacApi(catalog, { title: 'Socket test' }));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      base = `http://127.0.0.1:${info.port}/demo/stac`;
      resolve();
    });
  });
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
});

describe('STAC API over a real socket', () => {
  it('landing page links are absolute with the real host and port', async () => {
    const r = await call(fetcher, base);
    expect(r.status).toBe(200);
    expect(r.body.title).toBe('Socket test');
    const links = r.body.links as { rel: string; href: string }[];
    expect(links.find((l) => l.rel === 'self')!.href).toBe(base);
    for (const l of links) expect(l.href.startsWith(base)).toBe(true);
  });

  it('GET paging over HTTP: every item once, total = numberMatched', async () => {
    const pages = await allPages(fetcher, { url: `${base}/search?limit=60&filter=${encodeURIComponent('eo:cloud_cover >= 25')}` });
    const want = items.filter((i) => typeof i.properties['eo:cloud_cover'] === 'number' && (i.properties['eo:cloud_cover'] as number) >= 25);
    const got = featureIds(pages);
    expect(new Set(got)).toEqual(new Set(want.map((i) => i.id)));
    expect(got).toHaveLength(want.length);
    expect(pages[0].body.numberMatched).toBe(want.length);
    const first = (pages[0].body.features as { links: { rel: string; href: string }[] }[])[0];
    expect(first.links.find((l) => l.rel === 'self')!.href).toMatch(new RegExp(`^${base}/collections/s2_l2a(_c1)?/items/`));
  });

  it('POST paging with merge over HTTP', async () => {
    const body = { collections: ['s2_l2a'], datetime: '2023-01-01T00:00:00Z/..', limit: 9 };
    const pages = await allPages(fetcher, { url: `${base}/search`, method: 'POST', body });
    const want = items.filter((i) => i.collection === 's2_l2a' && Date.parse(i.properties.datetime as string) >= Date.UTC(2023, 0, 1));
    expect(featureIds(pages).sort()).toEqual(want.map((i) => i.id).sort());
    expect(pages.length).toBe(Math.ceil(want.length / 9));
    const next = (pages[0].body.links as Record<string, unknown>[]).find((l) => l.rel === 'next');
    expect(next).toMatchObject({ method: 'POST', merge: true, href: `${base}/search`, body: { _o: 9 } });
  });

  it('errors are JSON over HTTP too', async () => {
    const r = await postJson(fetcher, `${base}/search`, { limit: 5000 });
    expect([r.status, r.contentType.startsWith('application/json'), r.body.code]).toEqual([400, true, 'BadRequest']);
    const broken = await call(fetcher, `${base}/search`, { method: 'POST', body: '{oops', headers: { 'Content-Type': 'application/json' } });
    expect([broken.status, broken.body.code]).toEqual([400, 'BadRequest']);
    const missing = await call(fetcher, `${base}/collections/nope/items/x`);
    expect([missing.status, missing.body.code]).toEqual([404, 'NotFound']);
  });
});
