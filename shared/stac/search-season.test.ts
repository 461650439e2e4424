import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { createStacApi, type StacCatalog, type StacItemDoc } from '../../server/demo-world/stac-api';
import { SYNTHETIC_COLLECTIONS, syntheticCatalog } from '../../server/demo-world/stac-api/testing/synthetic-catalog';
import { aoiBBox, type Aoi } from '../contract/aoi';
import { GeoCropError } from '../contract/errors';
import type { FetchFn } from '../net/fetch-retry';
import type { StacPageInfo } from './search';
import { searchSeasonScenes, seasonDatetime, seasonLabel, type SeasonSceneCounts } from './search-season';
import { eo3ToExplorerItem, type Eo3Document } from './testing/eo3-to-stac';

// searchSeasonScenes against the demo world's STAC API (in-process through app.fetch), plus real DEA items
// served by a fake Explorer page.

const STAC = 'http://demo.test/stac';
const { items: synthetic } = syntheticCatalog();
/** Inside tile 36KSF: every synthetic 36KSF footprint covers this circle, no other tile comes near. */
const AOI: Aoi = { lon: 30.4, lat: -17.6, radius_m: 3000 };
const SEASON_START = Date.UTC(2022, 8, 1);
const SEASON_END = Date.UTC(2023, 4, 31, 23, 59, 59);

interface Logged {
  url: string;
  body: Record<string, unknown>;
}

function catalogOf(docs: readonly StacItemDoc[]): StacCatalog {
  return { collections: () => SYNTHETIC_COLLECTIONS, items: (id) => docs.filter((d) => d.collection === id) };
}

function demoApi(docs: readonly StacItemDoc[]) {
  const app = new Hono();
  app.route('/stac', createStacApi(catalogOf(docs)));
  const log: Logged[] = [];
  const fetchFn: FetchFn = async (url, init) => {
    log.push({ url, body: JSON.parse(init!.body as string) });
    return app.fetch(new Request(url, init));
  };
  return { fetchFn, log };
}

const prop = (d: StacItemDoc, k: string) => d.properties[k];
const dayKey = (d: StacItemDoc) => `${prop(d, 'odc:region_code')}/${(prop(d, 'datetime') as string).slice(0, 10)}`;
const inSeason = (d: StacItemDoc) => {
  const t = Date.parse(prop(d, 'datetime') as string);
  return t >= SEASON_START && t <= SEASON_END;
};
const cloudAtMost = (max: number) => (d: StacItemDoc) => typeof prop(d, 'eo:cloud_cover') === 'number' && (prop(d, 'eo:cloud_cover') as number) <= max;
const over36KSF = (d: StacItemDoc) => prop(d, 'odc:region_code') === '36KSF';

/** A new item from a synthetic one of the same collection, with what the test needs changed. */
function craft(collection: 's2_l2a_c1' | 's2_l2a', o: { id: string; datetime: string; tile?: string; cloud?: number; box?: [number, number, number, number] }): StacItemDoc {
  const template = structuredClone(synthetic.find((d) => d.collection === collection && over36KSF(d))!);
  const [w, s, e, n] = o.box ?? [29.95, -18.05, 30.85, -17.15];
  return {
    ...template,
    id: o.id,
    geometry: { type: 'Polygon', coordinates: [[[w, n], [e, n], [e, s], [w, s], [w, n]]] },
    bbox: [w, s, e, n],
    properties: { ...template.properties, datetime: o.datetime, 'odc:region_code': o.tile ?? '36KSF', 'eo:cloud_cover': o.cloud ?? 10 },
  };
}

/** Scene ids in the documented order: datetime, then tile, then id. */
const sortedIds = (docs: StacItemDoc[]) =>
  docs
    .map((d) => ({ t: Date.parse(prop(d, 'datetime') as string), tile: prop(d, 'odc:region_code') as string, id: d.id }))
    .sort((a, b) => a.t - b.t || a.tile.localeCompare(b.tile) || a.id.localeCompare(b.id))
    .map((x) => x.id);

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('searchSeasonScenes against the demo STAC API', () => {
  // Legacy twins (same tile and day, a few seconds apart) of two in-season Collection 1 scenes.
  const c1InAoi = synthetic.filter((d) => d.collection === 's2_l2a_c1' && over36KSF(d) && inSeason(d) && cloudAtMost(80)(d));
  const twins = c1InAoi.slice(0, 2).map((d, i) =>
    craft('s2_l2a', { id: `legacy-twin-${i}`, datetime: new Date(Date.parse(prop(d, 'datetime') as string) + 3000).toISOString(), cloud: 20 }),
  );
  const docs = [...synthetic, ...twins];

  it('keeps Collection 1, fills other days from legacy, sorted by datetime then tile; both searched in parallel', async () => {
    const { fetchFn, log } = demoApi(docs);
    const { scenes, skipped, counts } = await searchSeasonScenes(fetchFn, { stacUrl: STAC, aoi: AOI, year: 2022 }, { pageSize: 2 });

    const candidates = docs.filter((d) => over36KSF(d) && inSeason(d) && cloudAtMost(80)(d));
    const c1 = candidates.filter((d) => d.collection === 's2_l2a_c1');
    const c1Days = new Set(c1.map(dayKey));
    const legacy = candidates.filter((d) => d.collection === 's2_l2a');
    const legacyKept = legacy.filter((d) => !c1Days.has(dayKey(d)));
    expect(c1.length).toBeGreaterThan(2);
    expect(legacyKept.length).toBeGreaterThan(0);

    expect(scenes.map((s) => s.id)).toEqual(sortedIds([...c1, ...legacyKept]));
    expect(scenes.map((s) => s.id)).not.toContain('legacy-twin-0');
    expect(scenes.filter((s) => s.collection === 's2_l2a').map((s) => s.id).sort()).toEqual(legacyKept.map((d) => d.id).sort());
    expect(scenes.every((s) => Object.isFrozen(s) && s.tile === '36KSF')).toBe(true);
    expect(skipped).toEqual([]);
    expect(counts).toMatchObject({
      returned: { s2_l2a_c1: c1.length, s2_l2a: legacy.length },
      replaced: legacy.length - legacyKept.length,
      duplicates: 0, invalid: 0, outsideAoi: 0, overCloudLimit: 0, scenes: scenes.length,
      pages: Math.ceil(c1.length / 2) + Math.ceil(legacy.length / 2),
    });
    expect(counts.replaced).toBeGreaterThanOrEqual(2);
    expect(counts.requests).toBe(log.length);
    // Parallel: the first page of each collection is asked for before any second page.
    expect(log.slice(0, 2).map((l) => [l.body.collections, l.body._o])).toEqual([[['s2_l2a_c1'], undefined], [['s2_l2a'], undefined]]);
  });

  it('asks the server for the AOI box, the season window and the cloud filter, and gets only scenes under it', async () => {
    const { fetchFn, log } = demoApi(docs);
    const { scenes, counts } = await searchSeasonScenes(fetchFn, { stacUrl: STAC, aoi: AOI, year: 2022, maxCloudCover: 30 });
    for (const collection of ['s2_l2a_c1', 's2_l2a']) {
      expect(log.find((l) => (l.body.collections as string[])[0] === collection)!.body).toEqual({
        collections: [collection], bbox: aoiBBox(AOI), datetime: '2022-09-01T00:00:00Z/2023-05-31T23:59:59Z', limit: 500,
        filter: { op: '<=', args: [{ property: 'eo:cloud_cover' }, 30] }, 'filter-lang': 'cql2-json',
      });
    }
    const under = docs.filter((d) => over36KSF(d) && inSeason(d) && cloudAtMost(30)(d));
    expect(docs.filter((d) => over36KSF(d) && inSeason(d) && !cloudAtMost(30)(d)).length).toBeGreaterThan(0);
    expect(scenes.every((s) => s.cloudCover !== null && s.cloudCover <= 30)).toBe(true);
    // The server filtered: nothing over the limit came back to be dropped here.
    expect(counts.overCloudLimit).toBe(0);
    expect(Object.values(counts.returned).reduce((a, b) => a + b)).toBe(under.length);
  });

  it('pages of 1 and pages of 500 give the same scenes; progress is reported per collection', async () => {
    const small = demoApi(docs);
    const progress: StacPageInfo[] = [];
    const paged = await searchSeasonScenes(small.fetchFn, { stacUrl: STAC, aoi: AOI, year: 2022 }, { pageSize: 1, onPage: (p) => progress.push(p) });
    const whole = await searchSeasonScenes(demoApi(docs).fetchFn, { stacUrl: STAC, aoi: AOI, year: 2022 });
    expect(paged.scenes.map((s) => s.id)).toEqual(whole.scenes.map((s) => s.id));
    expect(paged.counts.pages).toBe(Object.values(paged.counts.returned).reduce((a, b) => a + b));
    expect(whole.counts.pages).toBe(2);
    for (const collection of ['s2_l2a_c1', 's2_l2a']) {
      const mine = progress.filter((p) => p.collection === collection);
      expect(mine.map((p) => p.page)).toEqual(mine.map((_, i) => i + 1));
      expect(mine.at(-1)!.total).toBe(paged.counts.returned[collection]);
    }
  });

  it('skips and lists an invalid item, and a legacy twin then stands in for it', async () => {
    const broken = craft('s2_l2a_c1', { id: 'broken-c1', datetime: '2022-12-01T08:00:00Z' });
    delete (broken.assets.red as Record<string, unknown>)['proj:shape'];
    const twin = craft('s2_l2a', { id: 'twin-of-broken', datetime: '2022-12-01T08:00:05Z' });
    const { fetchFn } = demoApi([...docs, broken, twin]);
    const { scenes, skipped, counts } = await searchSeasonScenes(fetchFn, { stacUrl: STAC, aoi: AOI, year: 2022 });
    expect(skipped).toEqual([{ id: 'broken-c1', collection: 's2_l2a_c1', reason: expect.stringContaining('assets.red.proj:shape is missing') }]);
    expect(skipped[0].reason).toContain('"broken-c1"');
    expect(counts.invalid).toBe(1);
    expect(scenes.map((s) => s.id)).toContain('twin-of-broken');
    expect(scenes.length).toBeGreaterThan(2);
  });

  it('when every item is invalid: INVALID_ITEM naming the first problem', async () => {
    const a = craft('s2_l2a_c1', { id: 'no-tile', datetime: '2022-12-01T08:00:00Z' });
    for (const k of ['odc:region_code', 'grid:code', 'title']) delete a.properties[k];
    const b = craft('s2_l2a', { id: 'no-red-grid', datetime: '2022-12-02T08:00:00Z' });
    delete (b.assets.B04 as Record<string, unknown>)['proj:transform'];
    const err = (await rejection(searchSeasonScenes(demoApi([a, b]).fetchFn, { stacUrl: STAC, aoi: AOI, year: 2022 }))) as GeoCropError;
    expect(err.code).toBe('INVALID_ITEM');
    expect(err.message).toContain('None of the 2 STAC items');
    expect(err.message).toContain('"no-tile"');
    expect((err.details!.skipped as unknown[]).length).toBe(2);
  });

  it('NO_SCENES names the AOI, the season, the STAC URL and the cloud filter, and what to try', async () => {
    const empty: Aoi = { lon: 28.5, lat: -16.5, radius_m: 2000 }; // between the synthetic tiles
    const err = (await rejection(searchSeasonScenes(demoApi(docs).fetchFn, { stacUrl: STAC, aoi: empty, year: 2022 }))) as GeoCropError;
    expect(err.code).toBe('NO_SCENES');
    expect(err.status).toBe(404);
    for (const part of ['lon 28.5, lat -16.5, radius 2000 m', 'Sep 2022 – May 2023', STAC, 'cloud cover ≤ 80 %', 's2_l2a_c1, s2_l2a',
      'raise the cloud-cover limit (now 80 %', 'choose another season year']) {
      expect(err.message).toContain(part);
    }
    expect(err.details).toMatchObject({ stacUrl: STAC, year: 2022, maxCloudCover: 80, aoi: empty });

    const any = (await rejection(
      searchSeasonScenes(demoApi(docs).fetchFn, { stacUrl: STAC, aoi: empty, year: 2022, maxCloudCover: 100 }),
    )) as GeoCropError;
    expect(any.message).toContain('at any cloud cover');
    expect(any.message).not.toContain('raise the cloud-cover limit');
  });

  it('a footprint that touches the search box but misses the AOI circle is dropped (and NO_SCENES says so)', async () => {
    // Footprint NE corner at (30.0, -17.5); AOI centre 1.5 km east and 1.5 km north of it: ~2.1 km away, radius 2 km.
    const corner = craft('s2_l2a_c1', { id: 'corner', datetime: '2022-11-11T08:00:00Z', box: [29.5, -18.0, 30.0, -17.5] });
    const aoi: Aoi = { lon: 30.0 + 1500 / (111_320 * Math.cos((17.5 * Math.PI) / 180)), lat: -17.5 + 1500 / 110_600, radius_m: 2000 };
    const [w, s] = aoiBBox(aoi);
    expect(w < 30 && s < -17.5).toBe(true); // the box does reach the footprint
    const err = (await rejection(searchSeasonScenes(demoApi([corner]).fetchFn, { stacUrl: STAC, aoi, year: 2022 }))) as GeoCropError;
    expect(err.code).toBe('NO_SCENES');
    expect((err.details!.counts as SeasonSceneCounts).outsideAoi).toBe(1);
    expect(err.message).toContain('1 item(s) touched the search box but their footprints miss the AOI circle');
    // Moved 1 km closer it does intersect.
    const closer = { ...aoi, lon: aoi.lon - 0.006, lat: aoi.lat - 0.006 };
    const ok = await searchSeasonScenes(demoApi([corner]).fetchFn, { stacUrl: STAC, aoi: closer, year: 2022 });
    expect(ok.scenes.map((x) => x.id)).toEqual(['corner']);
  });

  it('same instant on two tiles: ordered by tile', async () => {
    const t = '2023-01-05T08:00:00Z';
    const list = [
      craft('s2_l2a_c1', { id: 'z-later', datetime: '2023-02-01T08:00:00Z' }),
      craft('s2_l2a_c1', { id: 'a-te', datetime: t, tile: '36KTE' }),
      craft('s2_l2a_c1', { id: 'b-sf', datetime: t, tile: '36KSF' }),
    ];
    const { scenes } = await searchSeasonScenes(demoApi(list).fetchFn, { stacUrl: STAC, aoi: AOI, year: 2022 });
    expect(scenes.map((s) => [s.id, s.tile])).toEqual([['b-sf', '36KSF'], ['a-te', '36KTE'], ['z-later', '36KSF']]);
  });

  it('abort stops the paging of both collections', async () => {
    const { fetchFn, log } = demoApi(docs);
    const ac = new AbortController();
    const err = await rejection(searchSeasonScenes(fetchFn, { stacUrl: STAC, aoi: AOI, year: 2022 }, { pageSize: 1, onPage: () => ac.abort() }, ac.signal));
    expect(err.name).toBe('AbortError');
    const after = log.length;
    expect(after).toBeLessThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 30));
    expect(log.length).toBe(after);
  });

  it('a failing collection fails the search with its own error and stops the other', async () => {
    const app = new Hono();
    app.route('/stac', createStacApi(catalogOf(docs)));
    const log: string[] = [];
    const fetchFn: FetchFn = async (url, init) => {
      const body = JSON.parse(init!.body as string);
      log.push(`${body.collections[0]}:${body._o ?? 0}`);
      if (body.collections[0] === 's2_l2a' && body._o === 2) return Response.json({ code: 'BadRequest', description: 'Invalid _o' }, { status: 400 });
      return app.fetch(new Request(url, init));
    };
    const err = (await rejection(searchSeasonScenes(fetchFn, { stacUrl: STAC, aoi: AOI, year: 2022 }, { pageSize: 1 }))) as GeoCropError;
    expect([err.code, err.message.includes('Invalid _o')]).toEqual(['STAC_BAD_PARAMETER', true]);
    const c1Pages = log.filter((l) => l.startsWith('s2_l2a_c1')).length;
    expect(c1Pages).toBeLessThan(docs.filter((d) => d.collection === 's2_l2a_c1' && over36KSF(d) && inSeason(d) && cloudAtMost(80)(d)).length);
  });

  it('helpers: season label and datetime', () => {
    expect(seasonLabel(2022)).toBe('Sep 2022 – May 2023');
    expect(seasonDatetime(2023)).toBe('2023-09-01T00:00:00Z/2024-05-31T23:59:59Z');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Real DE Africa items (../shared/data/dea, never copied into the repo) through a fake Explorer page.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dea = path.resolve(repoRoot, '../shared/data/dea');
const C1_JSON = path.join(dea, 'odc-tools__S2B_T37MGP_20240710T073012_L2A_C1.json');
const C1_REL_JSON = path.join(dea, 'odc-tools__S2B_T37MGP_20240710T073012_L2A_C1_rel_links.json');
const LEGACY_EO3 = path.join(dea, 'datacube-core__s2_africa_dataset.yaml');
const EXPLORER_SAMPLE = path.join(dea, 'datacube-explorer__s2_l2a-sample.yaml');
const haveData = [C1_JSON, C1_REL_JSON, LEGACY_EO3, EXPLORER_SAMPLE].every((f) => existsSync(f));
if (!haveData) console.warn(`[shared/stac] real DEA items not found under ${dea}: skipping the real-item season search test`);

const readJson = (f: string): Record<string, unknown> => JSON.parse(readFileSync(f, 'utf8'));
const readEo3 = (f: string): Eo3Document[] =>
  parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS() as Eo3Document).filter((d) => d && d.id);

/**
 * Explorer's POST /search paging (`limit`, `_o`, merge links, numberMatched, context) over fixed items per
 * collection. It does not filter: the real items lie outside Zimbabwe and partly outside any season, so the
 * test checks what was asked for and what searchSeasonScenes does with what comes back.
 */
function fakeExplorer(byCollection: Record<string, unknown[]>) {
  const bodies: Record<string, unknown>[] = [];
  const fetchFn: FetchFn = async (url, init) => {
    const body = JSON.parse(init!.body as string) as { collections: string[]; limit?: number; _o?: number };
    bodies.push(body);
    const limit = body.limit ?? 20;
    if (limit > 1000) return Response.json({ code: 400, name: 'Bad Request', description: 'Max page size is 1000. Use the next links instead of a large limit.' }, { status: 400 });
    const all = body.collections.flatMap((c) => byCollection[c] ?? []);
    const o = body._o ?? 0;
    const features = all.slice(o, o + limit);
    const next = o + limit < all.length
      ? [{ rel: 'next', title: 'Next page of Items', type: 'application/geo+json', method: 'POST', merge: true, href: url, body: { _o: o + limit } }]
      : [];
    return new Response(
      JSON.stringify({
        type: 'FeatureCollection', features, links: [...next, { rel: 'root', href: STAC }],
        numberMatched: all.length, numberReturned: features.length,
        context: { page: Math.floor(o / limit), limit, returned: features.length, matched: all.length },
      }),
      { headers: { 'Content-Type': 'application/geo+json' } },
    );
  };
  return { fetchFn, bodies };
}

describe.skipIf(!haveData)('searchSeasonScenes with real DEA items from a fake Explorer', () => {
  const serve = () =>
    fakeExplorer({
      // The stored item twice (absolute and relative links, one id), as a page boundary shifting would repeat it.
      s2_l2a_c1: [readJson(C1_JSON), readJson(C1_REL_JSON)],
      s2_l2a: [...readEo3(LEGACY_EO3), ...readEo3(EXPLORER_SAMPLE)].map((doc) => eo3ToExplorerItem(doc)),
    });

  it('a real Collection 1 item over its AOI is parsed and kept; the legacy items elsewhere are dropped', async () => {
    const { fetchFn, bodies } = serve();
    const aoi: Aoi = { lon: 41.3, lat: -5.9, radius_m: 2000 }; // inside tile 37MGP
    const { scenes, skipped, counts } = await searchSeasonScenes(fetchFn, { stacUrl: STAC, aoi, year: 2023, maxCloudCover: 90 }, { pageSize: 2 });
    expect(scenes).toHaveLength(1);
    expect(scenes[0]).toMatchObject({
      id: 'S2B_T37MGP_20240710T073012_L2A', collection: 's2_l2a_c1', family: 'c1', tile: '37MGP', epsg: 32737,
      date: '2024-07-10', cloudCover: 83.505428,
    });
    expect(scenes[0].bands.red).toMatchObject({
      href: 's3://deafrica-sentinel-2-l2a-c1-dev/sentinel-2-c1-l2a/37/M/GP/2024/7/S2B_T37MGP_20240710T073012_L2A/B04.tif',
      scale: 1e-4, offset: -0.1,
    });
    expect(skipped).toEqual([]);
    expect(counts).toMatchObject({ returned: { s2_l2a_c1: 2, s2_l2a: 6 }, duplicates: 1, outsideAoi: 6, pages: 4, scenes: 1 });
    const first = (c: string) => bodies.find((b) => (b.collections as string[])[0] === c && b._o === undefined)!;
    for (const c of ['s2_l2a_c1', 's2_l2a']) {
      expect(first(c)).toEqual({
        collections: [c], bbox: aoiBBox(aoi), datetime: '2023-09-01T00:00:00Z/2024-05-31T23:59:59Z', limit: 2,
        filter: { op: '<=', args: [{ property: 'eo:cloud_cover' }, 90] }, 'filter-lang': 'cql2-json',
      });
    }
    expect(bodies.filter((b) => (b.collections as string[])[0] === 's2_l2a').map((b) => b._o)).toEqual([undefined, 2, 4]);
  });

  it('where Collection 1 has nothing, a real legacy item is kept', async () => {
    const aoi: Aoi = { lon: 10.7, lat: 35.6, radius_m: 5000 }; // inside the legacy 32SPE footprint
    // Its real cloud cover is 93.25 %: with no limit (100) the search sends no filter and keeps it.
    const { fetchFn, bodies } = serve();
    const { scenes, counts } = await searchSeasonScenes(fetchFn, { stacUrl: STAC, aoi, year: 2016, maxCloudCover: 100 });
    expect(scenes.map((s) => [s.id, s.collection, s.family, s.tile, s.date, s.cloudCover])).toEqual([
      ['1e49ddc2-12ab-5673-9979-91a8cb795853', 's2_l2a', 'legacy', '32SPE', '2016-12-22', 93.25],
    ]);
    expect(scenes[0].bands.red).toMatchObject({ assetKey: 'B04', scale: 1e-4, offset: 0 });
    expect(counts).toMatchObject({ outsideAoi: 6, duplicates: 1, scenes: 1 });
    expect(bodies.every((b) => !('filter' in b) && b.datetime === '2016-09-01T00:00:00Z/2017-05-31T23:59:59Z')).toBe(true);
  });

  it('a real item over the cloud limit that the server failed to filter is dropped, and NO_SCENES says so', async () => {
    const aoi: Aoi = { lon: 41.3, lat: -5.9, radius_m: 2000 };
    const err = (await rejection(searchSeasonScenes(serve().fetchFn, { stacUrl: STAC, aoi, year: 2023 }))) as GeoCropError;
    expect(err.code).toBe('NO_SCENES');
    expect(err.message).toContain('1 item(s) were over the cloud limit');
    expect(err.message).toContain('Sep 2023 – May 2024');
  });
});
