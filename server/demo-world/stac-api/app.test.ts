import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSceneItem } from '../../../shared/stac';
import { createStacApi } from './app';
import { allPages, call, featureIds, postJson, type Fetch } from './testing/client';
import { syntheticCatalog } from './testing/synthetic-catalog';
import type { StacItemDoc } from './types';

const BASE = 'http://localhost/demo/stac';
const { catalog, items } = syntheticCatalog();

function mounted(): Fetch {
  const server = new Hono();
  server.get('/', (c) => c.text('GeoCrop server root'));
  server.route('/demo/stac', createStacApi(catalog));
  return async (url, init) => server.request(url, init);
}
const fetcher = mounted();
const get = (path: string) => call(fetcher, `${BASE}${path}`);
const post = (path: string, body: unknown) => postJson(fetcher, `${BASE}${path}`, body);

// Oracle: the catalog sorted the way Explorer sorts (datetime, then id).
const time = (i: StacItemDoc) => Date.parse(i.properties.datetime as string);
const sorted = [...items].sort((a, b) => time(a) - time(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const cloud = (i: StacItemDoc) => i.properties['eo:cloud_cover'] as number | null | undefined;
const expectIds = (keep: (i: StacItemDoc) => boolean) => sorted.filter(keep).map((i) => i.id);
const ids = (r: { body: Record<string, unknown> }) => (r.body.features as { id: string }[]).map((f) => f.id);
const hrefs = (r: { body: Record<string, unknown> }) => (r.body.links as { href: string }[]).map((l) => l.href);

describe('landing page, conformance, collections, items', () => {
  it('landing page: Catalog, conformance classes, absolute links under the mount prefix', async () => {
    const r = await get('');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ type: 'Catalog', stac_version: '1.0.0', id: 'geocrop-demo-world' });
    expect(r.body.conformsTo).toEqual(expect.arrayContaining([
      'https://api.stacspec.org/v1.0.0/core',
      'https://api.stacspec.org/v1.0.0/item-search',
      'https://api.stacspec.org/v1.0.0/ogcapi-features',
      'https://api.stacspec.org/v1.0.0/item-search#filter',
      'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
      'http://www.opengis.net/spec/cql2/1.0/conf/cql2-json',
      'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
    ]));
    const links = r.body.links as { rel: string; href: string; method?: string }[];
    const rel = (name: string) => links.filter((l) => l.rel === name);
    expect(rel('self')[0].href).toBe(BASE);
    expect(rel('root')[0].href).toBe(BASE);
    expect(rel('data')[0].href).toBe(`${BASE}/collections`);
    expect(rel('conformance')[0].href).toBe(`${BASE}/conformance`);
    expect(rel('search').map((l) => [l.method, l.href])).toEqual([['GET', `${BASE}/search`], ['POST', `${BASE}/search`]]);
    expect(rel('child').map((l) => l.href)).toEqual([`${BASE}/collections/s2_l2a_c1`, `${BASE}/collections/s2_l2a`]);
    for (const l of links) expect(l.href.startsWith(BASE)).toBe(true);
    // Trailing slash, as Explorer's strict_slashes=False.
    expect((await get('/')).body.type).toBe('Catalog');
  });

  it('conformance and collections', async () => {
    expect((await get('/conformance')).body.conformsTo).toContain('https://api.stacspec.org/v1.0.0/core');
    const cols = await get('/collections');
    expect((cols.body.collections as { id: string }[]).map((c) => c.id)).toEqual(['s2_l2a_c1', 's2_l2a']);
    expect(hrefs(cols)).toEqual([`${BASE}/collections`, BASE, BASE]);
    const c1 = await get('/collections/s2_l2a_c1');
    expect(c1.status).toBe(200);
    expect(c1.body).toMatchObject({ type: 'Collection', id: 's2_l2a_c1', license: 'CC-BY-4.0' });
    expect(c1.body.links).toEqual(expect.arrayContaining([
      expect.objectContaining({ rel: 'self', href: `${BASE}/collections/s2_l2a_c1` }),
      expect.objectContaining({ rel: 'items', href: `${BASE}/collections/s2_l2a_c1/items` }),
      expect.objectContaining({ rel: 'root', href: BASE }),
    ]));
    const q = await get('/collections/s2_l2a_c1/queryables');
    expect((q.body.properties as Record<string, unknown>)['eo:cloud_cover']).toEqual({ type: 'number' });
  });

  it('unknown collection → 404 JSON (collections, items, queryables)', async () => {
    for (const path of ['/collections/nope', '/collections/nope/items', '/collections/nope/queryables']) {
      const r = await get(path);
      expect(r.status, path).toBe(404);
      expect(r.contentType).toContain('application/json');
      expect(r.body.code).toBe('NotFound');
      expect(r.body.description).toContain('"nope"');
    }
    const other = await get('/no/such/endpoint');
    expect([other.status, other.body.code]).toEqual([404, 'NotFound']);
    const wrongMethod = await call(fetcher, `${BASE}/collections`, { method: 'DELETE' });
    expect([wrongMethod.status, wrongMethod.body.code]).toEqual([405, 'MethodNotAllowed']);
  });

  it('single item: links, 404 for unknown id, 404 naming the right collection', async () => {
    const doc = sorted.find((i) => i.collection === 's2_l2a')!;
    const r = await get(`/collections/s2_l2a/items/${doc.id}`);
    expect(r.status).toBe(200);
    expect(r.contentType).toContain('application/geo+json');
    expect(r.body).toMatchObject({ id: doc.id, collection: 's2_l2a', properties: doc.properties, assets: doc.assets });
    expect(r.body.links).toEqual([
      { rel: 'self', type: 'application/geo+json', href: `${BASE}/collections/s2_l2a/items/${doc.id}` },
      { rel: 'root', type: 'application/json', href: BASE },
      { rel: 'parent', type: 'application/json', href: `${BASE}/collections/s2_l2a` },
      { rel: 'collection', type: 'application/json', href: `${BASE}/collections/s2_l2a` },
    ]);
    const missing = await get('/collections/s2_l2a/items/37296b9a-e6ec-4bfd-ab80-cc32902429d1');
    expect([missing.status, missing.body.code]).toEqual([404, 'NotFound']);
    expect(missing.body.description).toContain('No dataset found');
    const wrong = await get(`/collections/s2_l2a_c1/items/${doc.id}`);
    expect(wrong.status).toBe(404);
    expect(wrong.body.description).toContain(`Perhaps you meant collection s2_l2a: ${BASE}/collections/s2_l2a/items/${doc.id}`);
  });

  it('served items parse with the shared scene parser', async () => {
    const r = await get('/search?limit=1000');
    for (const f of r.body.features as unknown[]) {
      const scene = parseSceneItem(f);
      expect(scene.bands.red?.scale).toBe(1e-4);
    }
  });
});

describe('item search', () => {
  it('default page of 20, numberMatched, numberReturned, context, search links', async () => {
    const r = await get('/search');
    expect(r.status).toBe(200);
    expect(r.contentType).toContain('application/geo+json');
    expect(r.body).toMatchObject({
      type: 'FeatureCollection', numberMatched: 400, numberReturned: 20,
      context: { page: 0, limit: 20, returned: 20, matched: 400 },
    });
    expect(ids(r)).toEqual(sorted.slice(0, 20).map((i) => i.id));
    const links = r.body.links as { rel: string; href: string; method?: string }[];
    expect(links[0]).toEqual({
      rel: 'next', title: 'Next page of Items', type: 'application/geo+json', method: 'GET',
      href: `${BASE}/search?limit=20&_o=20`,
    });
    expect(links.filter((l) => l.rel === 'search').map((l) => l.method)).toEqual(['GET', 'POST']);
  });

  it('GET paging through every page returns each item exactly once, in order', async () => {
    const pages = await allPages(fetcher, { url: `${BASE}/search?limit=37` });
    expect(pages).toHaveLength(Math.ceil(400 / 37));
    const got = featureIds(pages);
    expect(got).toEqual(sorted.map((i) => i.id));
    expect(new Set(got).size).toBe(400);
    for (const [n, p] of pages.entries()) {
      expect(p.body.numberMatched).toBe(400);
      expect((p.body.context as { page: number }).page).toBe(n);
    }
    expect(pages.at(-1)!.body.links).not.toContainEqual(expect.objectContaining({ rel: 'next' }));
  });

  it('GET paging keeps every query parameter (filter, bbox, datetime, collections)', async () => {
    const q = new URLSearchParams({
      collections: 's2_l2a_c1', bbox: '25,-23,31,-15', datetime: '2022-06-01T00:00:00Z/2024-06-01T00:00:00Z',
      filter: 'eo:cloud_cover < 60', limit: '7',
    });
    const pages = await allPages(fetcher, { url: `${BASE}/search?${q}` });
    const want = expectIds((i) =>
      i.collection === 's2_l2a_c1' && (i.bbox as number[])[0] <= 31 && time(i) >= Date.UTC(2022, 5, 1) &&
      time(i) <= Date.UTC(2024, 5, 1) && typeof cloud(i) === 'number' && cloud(i)! < 60);
    expect(want.length).toBeGreaterThan(20);
    expect(featureIds(pages)).toEqual(want);
    expect(pages[0].body.numberMatched).toBe(want.length);
  });

  it('POST paging with merge: each item once, total = numberMatched', async () => {
    const body = {
      collections: ['s2_l2a_c1', 's2_l2a'], limit: 25,
      filter: { op: 'and', args: [{ op: '<=', args: [{ property: 'eo:cloud_cover' }, 50] }, { op: '>', args: [{ property: 'eo:cloud_cover' }, 0] }] },
    };
    const first = await post('/search', body);
    const next = (first.body.links as Record<string, unknown>[]).find((l) => l.rel === 'next');
    expect(next).toEqual({
      rel: 'next', title: 'Next page of Items', type: 'application/geo+json', method: 'POST', merge: true,
      href: `${BASE}/search`, body: { _o: 25 },
    });
    const pages = await allPages(fetcher, { url: `${BASE}/search`, method: 'POST', body });
    const want = expectIds((i) => typeof cloud(i) === 'number' && cloud(i)! <= 50 && cloud(i)! > 0);
    expect(featureIds(pages)).toEqual(want);
    expect(pages.reduce((n, p) => n + (p.body.numberReturned as number), 0)).toBe(pages[0].body.numberMatched);
  });

  it('/collections/{id}/items: bbox, datetime, limit and paging', async () => {
    const pages = await allPages(fetcher, {
      url: `${BASE}/collections/s2_l2a/items?bbox=29.5,-19.5,33.5,-17&datetime=2023-01-01/..&limit=5`,
    });
    const box = (i: StacItemDoc) => i.bbox as number[];
    const want = expectIds((i) =>
      i.collection === 's2_l2a' && time(i) >= Date.UTC(2023, 0, 1) && box(i)[2] >= 29.5 && box(i)[0] <= 33.5 &&
      box(i)[3] >= -19.5 && box(i)[1] <= -17);
    expect(want.length).toBeGreaterThan(5);
    expect(featureIds(pages)).toEqual(want);
    expect(pages[0].body.links).toContainEqual(expect.objectContaining({ rel: 'next', href: expect.stringContaining(`${BASE}/collections/s2_l2a/items?`) }));
  });

  it('collections, ids, unknown collections (match nothing, like Explorer)', async () => {
    const legacy = await get('/search?collections=s2_l2a&limit=1000');
    expect(ids(legacy)).toEqual(expectIds((i) => i.collection === 's2_l2a'));
    const both = await get('/search?collections=s2_l2a_c1,s2_l2a&limit=1');
    expect(both.body.numberMatched).toBe(400);
    const unknown = await get('/search?collections=does_not_exist');
    expect([unknown.status, unknown.body.numberMatched, ids(unknown)]).toEqual([200, 0, []]);
    const mixed = await post('/search', { collections: ['does_not_exist', 's2_l2a'], limit: 1 });
    expect(mixed.body.numberMatched).toBe(160);
    const empty = await get('/search?collections=&limit=1');
    expect(empty.body.numberMatched).toBe(400);
    const pick = [sorted[5].id, sorted[100].id, sorted[300].id];
    expect(ids(await get(`/search?ids=${pick.join(',')}`))).toEqual(pick);
    expect(ids(await post('/search', { ids: [pick[2], pick[0]] }))).toEqual([pick[0], pick[2]]);
    expect((await get('/search?ids=')).body.numberMatched).toBe(0);
    // ids combine with the other parameters (newer Explorer / STAC API 1.0).
    expect((await get(`/search?ids=${pick[0]}&datetime=1975-01-01/1976-01-01`)).body.numberMatched).toBe(0);
  });

  it('bbox and intersects (GET JSON string and POST object) agree with geometry', async () => {
    const polygon = { type: 'Polygon', coordinates: [[[29.8, -18.5], [31.2, -18.5], [31.2, -17.5], [29.8, -17.5], [29.8, -18.5]]] };
    const viaPost = await post('/search', { intersects: polygon, limit: 1000 });
    const viaGet = await get(`/search?limit=1000&intersects=${encodeURIComponent(JSON.stringify(polygon))}`);
    const viaBbox = await get('/search?limit=1000&bbox=29.8,-18.5,31.2,-17.5');
    const viaBboxJson = await get(`/search?limit=1000&bbox=${encodeURIComponent('[29.8, -18.5, 31.2, -17.5]')}`);
    const box = (i: StacItemDoc) => i.bbox as number[];
    const want = expectIds((i) => box(i)[0] <= 31.2 && box(i)[2] >= 29.8 && box(i)[1] <= -17.5 && box(i)[3] >= -18.5);
    expect(want.length).toBeGreaterThan(0);
    for (const r of [viaPost, viaGet, viaBbox, viaBboxJson]) expect(ids(r)).toEqual(want);
    const point = await post('/search', { intersects: { type: 'Point', coordinates: [30.4, -17.6] }, limit: 1000 });
    expect(ids(point)).toEqual(expectIds((i) => box(i)[0] <= 30.4 && box(i)[2] >= 30.4 && box(i)[1] <= -17.6 && box(i)[3] >= -17.6));
    const nowhere = await get('/search?bbox=-10,40,-9,41');
    expect(nowhere.body.numberMatched).toBe(0);
  });

  it('datetime: instants, whole days, intervals, open ends', async () => {
    const target = sorted[150];
    const t = time(target);
    const dt = target.properties.datetime as string;
    const at = await get(`/search?limit=1000&datetime=${encodeURIComponent(dt)}`);
    expect(ids(at)).toEqual(expectIds((i) => time(i) >= t && time(i) <= t + 1000));
    const day = dt.slice(0, 10);
    const dayStart = Date.parse(`${day}T00:00:00Z`);
    const wholeDay = expectIds((i) => time(i) >= dayStart && time(i) <= dayStart + 86_400_000);
    expect(ids(await get(`/search?limit=1000&datetime=${day}`))).toEqual(wholeDay);
    expect(ids(await post('/search', { datetime: `${day}T00:00:00Z`, limit: 1000 }))).toEqual(wholeDay);
    const from = Date.UTC(2023, 2, 1);
    const to = Date.UTC(2023, 8, 30, 23, 59, 59);
    const closed = expectIds((i) => time(i) >= from && time(i) <= to);
    expect((await get('/search?limit=1&datetime=2023-03-01T00:00:00Z/2023-09-30T23:59:59Z')).body.numberMatched).toBe(closed.length);
    expect((await get('/search?limit=1&datetime=2023-03-01T02:00:00%2B02:00/2023-09-30T23:59:59Z')).body.numberMatched).toBe(closed.length);
    const after = expectIds((i) => time(i) >= from).length;
    const before = expectIds((i) => time(i) <= to).length;
    expect((await get('/search?limit=1&datetime=2023-03-01T00:00:00Z/..')).body.numberMatched).toBe(after);
    expect((await get('/search?limit=1&datetime=2023-03-01T00:00:00Z/')).body.numberMatched).toBe(after);
    expect((await get('/search?limit=1&datetime=../2023-09-30T23:59:59Z')).body.numberMatched).toBe(before);
    expect((await get('/search?limit=1&datetime=/2023-09-30T23:59:59Z')).body.numberMatched).toBe(before);
    expect((await get('/search?limit=1&datetime=../..')).body.numberMatched).toBe(400);
    // `time` is Explorer's pre-1.0 name for datetime.
    expect((await post('/search', { time: '2023-03-01T00:00:00Z/..', limit: 1 })).body.numberMatched).toBe(after);
  });

  it('limit 1000 is accepted; 1001, 0 and non-integers are 400s naming the maximum', async () => {
    const ok = await get('/search?limit=1000');
    expect([ok.status, ok.body.numberReturned]).toEqual([200, 400]);
    const big = await get('/search?limit=1001');
    expect(big.status).toBe(400);
    expect(big.body).toEqual({ code: 'BadRequest', name: 'Bad Request', description: 'Max page size is 1000. Use the next links instead of a large limit.' });
    expect((await post('/search', { limit: 1001 })).status).toBe(400);
    for (const bad of ['0', '-5', 'abc', '2.5']) {
      const r = await get(`/search?limit=${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.body.description).toMatch(bad === '0' || bad === '-5' ? /1000/ : /limit/);
    }
  });
});

describe('CQL2 filter', () => {
  const cases: { text: string; json: unknown; keep: (i: StacItemDoc) => boolean }[] = [
    {
      text: 'eo:cloud_cover <= 50 AND eo:cloud_cover > 0',
      json: { op: 'and', args: [{ op: '<=', args: [{ property: 'eo:cloud_cover' }, 50] }, { op: '>', args: [{ property: 'eo:cloud_cover' }, 0] }] },
      keep: (i) => typeof cloud(i) === 'number' && cloud(i)! <= 50 && cloud(i)! > 0,
    },
    {
      text: 'eo:cloud_cover IS NULL',
      json: { op: 'isNull', args: [{ property: 'eo:cloud_cover' }] },
      keep: (i) => cloud(i) === null || cloud(i) === undefined,
    },
    {
      text: 'properties.eo:cloud_cover BETWEEN 10 AND 20 OR platform = \'sentinel-2b\'',
      json: { op: 'or', args: [
        { op: 'between', args: [{ property: 'properties.eo:cloud_cover' }, 10, 20] },
        { op: '=', args: [{ property: 'platform' }, 'sentinel-2b'] },
      ] },
      keep: (i) => (typeof cloud(i) === 'number' && cloud(i)! >= 10 && cloud(i)! <= 20) || i.properties.platform === 'sentinel-2b',
    },
    {
      text: 'NOT (eo:cloud_cover > 30) AND "odc:region_code" IN (\'36KSF\', \'35KRU\')',
      json: { op: 'and', args: [
        { op: 'not', args: [{ op: '>', args: [{ property: 'eo:cloud_cover' }, 30] }] },
        { op: 'in', args: [{ property: 'odc:region_code' }, ['36KSF', '35KRU']] },
      ] },
      keep: (i) => !(typeof cloud(i) === 'number' && cloud(i)! > 30) && ['36KSF', '35KRU'].includes(i.properties['odc:region_code'] as string),
    },
    {
      text: "datetime >= TIMESTAMP('2024-01-01T00:00:00Z') AND title LIKE 'S2A_MSIL2A%' AND eo:cloud_cover <> 5",
      json: { op: 'and', args: [
        { op: '>=', args: [{ property: 'datetime' }, { timestamp: '2024-01-01T00:00:00Z' }] },
        { op: 'like', args: [{ property: 'title' }, 'S2A_MSIL2A%'] },
        { op: '<>', args: [{ property: 'eo:cloud_cover' }, 5] },
      ] },
      keep: (i) => time(i) >= Date.UTC(2024, 0, 1) && (i.properties.title as string).startsWith('S2A_MSIL2A') && typeof cloud(i) === 'number' && cloud(i) !== 5,
    },
    {
      text: "sentinel:boa_offset_applied = false and collection = 's2_l2a'",
      json: { op: 'and', args: [{ op: '=', args: [{ property: 'sentinel:boa_offset_applied' }, false] }, { op: '=', args: [{ property: 'collection' }, 's2_l2a'] }] },
      keep: (i) => i.properties['sentinel:boa_offset_applied'] === false && i.collection === 's2_l2a',
    },
  ];

  it.each(cases.map((c, n) => [n, c] as const))('case %i: cql2-text (GET), cql2-json (GET and POST) and the oracle agree', async (_n, c) => {
    const want = expectIds(c.keep);
    expect(want.length).toBeGreaterThan(0);
    const text = await get(`/search?limit=1000&filter=${encodeURIComponent(c.text)}`);
    const textExplicit = await get(`/search?limit=1000&filter-lang=cql2-text&filter=${encodeURIComponent(c.text)}`);
    const jsonGet = await get(`/search?limit=1000&filter-lang=cql2-json&filter=${encodeURIComponent(JSON.stringify(c.json))}`);
    const jsonPost = await post('/search', { limit: 1000, filter: c.json });
    const textPost = await post('/search', { limit: 1000, 'filter-lang': 'cql2-text', filter: c.text });
    for (const r of [text, textExplicit, jsonGet, jsonPost, textPost]) {
      expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
      expect(ids(r)).toEqual(want);
    }
  });

  it('unknown property, operator or syntax → 400 naming it', async () => {
    const bad: [string, string][] = [
      ['eo:cloud_covr < 10', 'eo:cloud_covr'],
      ['eo:cloud_cover << 10', '"<"'],
      ['eo:cloud_cover <', 'end of filter'],
      ["eo:cloud_cover = 'unterminated", 'unterminated string'],
      ['(eo:cloud_cover < 10', "')'"],
      ['eo:cloud_cover < 10 AND', 'end of filter'],
      ['eo:cloud_cover', 'comparison'],
      ['S_INTERSECTS(geometry, POINT(30 -17))', '"("'],
    ];
    for (const [text, fragment] of bad) {
      const r = await get(`/search?filter=${encodeURIComponent(text)}`);
      expect(r.status, text).toBe(400);
      expect(r.body.code).toBe('BadRequest');
      expect(r.body.description, text).toContain(fragment);
    }
    const badJson: [unknown, string][] = [
      [{ op: 's_intersects', args: [{ property: 'geometry' }, { type: 'Point', coordinates: [30, -17] }] }, '"s_intersects"'],
      [{ op: '<', args: [{ property: 'nope' }, 1] }, '"nope"'],
      [{ op: '<', args: [{ property: 'eo:cloud_cover' }] }, '2 argument'],
      [{ op: 'and' }, 'args'],
      ['eo:cloud_cover < 5', 'cql2-text'],
      [{ op: '=', args: [{ property: 'datetime' }, { timestamp: 'yesterday' }] }, 'yesterday'],
    ];
    for (const [filter, fragment] of badJson) {
      const r = await post('/search', { filter });
      expect(r.status, JSON.stringify(filter)).toBe(400);
      expect(r.body.description, JSON.stringify(filter)).toContain(fragment);
    }
    const jsonAsText = await get(`/search?filter=${encodeURIComponent('{"op":"=","args":[{"property":"platform"},"x"]}')}`);
    expect([jsonAsText.status, jsonAsText.body.description]).toEqual([400, expect.stringContaining('filter-lang=cql2-json')]);
    const lang = await get('/search?filter=x&filter-lang=cql-json');
    expect([lang.status, lang.body.description]).toEqual([400, expect.stringContaining('filter-lang')]);
  });

  it('the Query extension is refused with a pointer to filter', async () => {
    for (const r of [
      await post('/search', { query: { 'eo:cloud_cover': { lte: 10 } } }),
      await get(`/search?query=${encodeURIComponent('{"eo:cloud_cover":{"lt":10}}')}`),
    ]) {
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('BadRequest');
      expect(r.body.description).toMatch(/Query extension.*not supported.*filter/);
    }
  });
});

describe('bad input is always a JSON 400, never a 500 or HTML', () => {
  const badGets: [string, string][] = [
    ['bbox=1,2,3', 'bbox'],
    ['bbox=1,2,3,4,5,6', 'bbox'],
    ['bbox=a,b,c,d', 'bbox'],
    ['bbox=-17.85,29.96,-17.75,30.06,', 'bbox'],
    ['bbox=30,-17,29,-18', 'west'],
    ['bbox=29,-17,30,-18', 'south'],
    ['bbox=-200,-17,30,-16', 'longitudes'],
    ['bbox=29,-95,30,-16', 'latitudes'],
    ['bbox=[1,2,3', 'bbox'],
    ['datetime=yesterday', 'datetime'],
    ['datetime=2023-02-30', 'datetime'],
    ['datetime=2023-01-01T25:00:00Z', 'datetime'],
    ['datetime=2023-05-01/2023-01-01', 'starts after it ends'],
    ['datetime=2023-01-01/2023-02-01/2023-03-01', 'datetime'],
    ['limit=1001', 'Max page size is 1000'],
    ['_o=-1', '_o'],
    ['_o=x', '_o'],
    ['intersects=nonsense', 'intersects'],
    ['intersects=' + encodeURIComponent('{"type":"Polygon","coordinates":[[[0,0],[1,1]]]}'), 'intersects'],
    ['intersects=' + encodeURIComponent('{"type":"Point","coordinates":[-17.8,31]}') + '&bbox=1,2,3,4', 'bbox and intersects'],
    ['intersects=' + encodeURIComponent('{"type":"Point","coordinates":[200,10]}'), 'outside'],
    ['intersects=' + encodeURIComponent('{"type":"GeometryCollection","geometries":[]}'), 'GeometryCollection'],
    ['ids=' + encodeURIComponent('["a",1]'), 'ids'],
    ['collections=' + encodeURIComponent('[1,2]'), 'collections'],
    ['filter-lang=cql2-json&filter=' + encodeURIComponent('{"op":'), 'cql2-json'],
    ['filter=x&filter-crs=EPSG:32736', 'filter-crs'],
    ['sortby=-datetime', 'sortby'],
  ];

  it.each(badGets)('GET /search?%s', async (query, fragment) => {
    const r = await get(`/search?${query}`);
    expect(r.status).toBe(400);
    expect(r.contentType).toContain('application/json');
    expect(r.body.code).toBe('BadRequest');
    expect(r.body.description).toContain(fragment);
  });

  it('bad POST bodies', async () => {
    const raw = async (body: string) => call(fetcher, `${BASE}/search`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    for (const body of ['{not json', '[1,2]', '"text"', 'null']) {
      const r = await raw(body);
      expect(r.status, body).toBe(400);
      expect(r.body.code).toBe('BadRequest');
    }
    const cases: [unknown, string][] = [
      [{ bbox: '29,-18,30' }, 'bbox'],
      [{ bbox: [29, -18, 30, 'x'] }, 'bbox'],
      [{ limit: '20' }, 'limit'],
      [{ limit: 1.5 }, 'limit'],
      [{ _o: -3 }, '_o'],
      [{ datetime: 2023 }, 'datetime'],
      [{ collections: [1] }, 'collections'],
      [{ collections: { a: 1 } }, 'collections'],
      [{ intersects: [30, -17] }, 'intersects'],
      [{ intersects: { type: 'Polygon' } }, 'intersects'],
      [{ filter: { op: 'between', args: [{ property: 'eo:cloud_cover' }, 1] } }, '3 argument'],
      [{ filter: { op: 'in', args: [{ property: 'eo:cloud_cover' }, 5] } }, 'in'],
      [{ 'filter-lang': 'cql2-text', filter: { op: '=' } }, 'string'],
      [{ collection: 5 }, 'collection'],
    ];
    for (const [body, fragment] of cases) {
      const r = await post('/search', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.description, JSON.stringify(body)).toContain(fragment);
    }
    // An empty body is an unconstrained search, as in Explorer.
    expect((await raw('')).body.numberMatched).toBe(400);
  });
});

describe('efficiency', () => {
  let fresh: ReturnType<typeof syntheticCatalog>;
  beforeAll(() => {
    fresh = syntheticCatalog(1200, 800, 7);
  });

  it('indexes each collection once per catalog, however many requests and API instances', async () => {
    const a = createStacApi(fresh.catalog);
    const b = createStacApi(fresh.catalog, { basePath: '/other' });
    const t0 = performance.now();
    for (let n = 0; n < 30; n++) {
      const r = await (n % 2 ? a : b).request(`http://h/search?limit=100&_o=${n * 10}&filter=${encodeURIComponent('eo:cloud_cover < 40')}`);
      expect(r.status).toBe(200);
    }
    const ms = performance.now() - t0;
    expect(fresh.itemsCalls.count).toBe(2);
    // 2,000 items, 30 filtered searches: well under a second on the CI machines.
    expect(ms).toBeLessThan(5000);
  });

  it('basePath option overrides the routing prefix; an unmounted app links from the origin root', async () => {
    const b = createStacApi(fresh.catalog, { basePath: '/proxied/stac/' });
    const r = await (await b.request('http://h:9/')).json() as { links: { rel: string; href: string }[] };
    expect(r.links.find((l) => l.rel === 'data')!.href).toBe('http://h:9/proxied/stac/collections');
    const plain = createStacApi(fresh.catalog);
    const p = await (await plain.request('http://h:9/')).json() as { links: { rel: string; href: string }[] };
    expect(p.links.find((l) => l.rel === 'self')!.href).toBe('http://h:9/');
    expect(p.links.find((l) => l.rel === 'data')!.href).toBe('http://h:9/collections');
  });

  it('rejects inconsistent options at creation', () => {
    expect(() => createStacApi(fresh.catalog, { defaultLimit: 0 })).toThrow(RangeError);
    expect(() => createStacApi(fresh.catalog, { defaultLimit: 50, maxLimit: 10 })).toThrow(RangeError);
  });
});
