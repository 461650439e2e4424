import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { GeoCropError } from '../contract/errors';
import { parseSceneItem } from './parse-item';
import { stacItemSchema } from './schema';
import { eo3ToExplorerItem, type Eo3Document } from './testing/eo3-to-stac';

// Real DE Africa material lives next to the repo (../shared/data); never copied in.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataRoot = path.resolve(repoRoot, '../shared/data');
const dea = path.join(dataRoot, 'dea');
const s2real = path.join(dataRoot, 's2-real');
const C1_JSON = path.join(dea, 'odc-tools__S2B_T37MGP_20240710T073012_L2A_C1.json');
const C1_REL_JSON = path.join(dea, 'odc-tools__S2B_T37MGP_20240710T073012_L2A_C1_rel_links.json');
const C1_EO3 = path.join(dea, 'odc-tools__S2B_T37MGP_20240710T073012_L2A_C1-odc-metadata.yaml');
const LEGACY_EO3 = path.join(dea, 'datacube-core__s2_africa_dataset.yaml');
const EXPLORER_SAMPLE = path.join(dea, 'datacube-explorer__s2_l2a-sample.yaml');
const EARTH_SEARCH = path.join(s2real, 'rio-tiler-pds__S2A_29RKH_20200219_0_L2A__S2A_29RKH_20200219_0_L2A.json');
const haveData = [C1_JSON, C1_REL_JSON, C1_EO3, LEGACY_EO3, EXPLORER_SAMPLE, EARTH_SEARCH].every((f) => existsSync(f));
if (!haveData) {
  console.warn(`[shared/stac] real DEA fixtures not found under ${dataRoot}: skipping the real-data parser tests`);
}

const readJson = (f: string): Record<string, unknown> => JSON.parse(readFileSync(f, 'utf8'));
const readEo3 = (f: string): Eo3Document[] =>
  parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS() as Eo3Document).filter((d) => d && d.id);

/** The c1 EO3 doc has no `location`; DEA indexed it from the stored item's self href. */
function c1Location(): string {
  const links = readJson(C1_JSON).links as { rel: string; href: string }[];
  return links.find((l) => l.rel === 'self')!.href;
}

/** Every real item, in every shape: stored (E84), EO3 → Explorer, earth-search. */
function allRealItems(): { name: string; item: Record<string, unknown> }[] {
  return [
    { name: 'stored c1 item', item: readJson(C1_JSON) },
    { name: 'stored c1 item (rel links)', item: readJson(C1_REL_JSON) },
    { name: 'earth-search item', item: readJson(EARTH_SEARCH) },
    { name: 'Explorer c1 item', item: eo3ToExplorerItem(readEo3(C1_EO3)[0], { location: c1Location() }) },
    { name: 'Explorer legacy 37MCQ item', item: eo3ToExplorerItem(readEo3(LEGACY_EO3)[0]) },
    ...readEo3(EXPLORER_SAMPLE).map((doc) => ({ name: `Explorer legacy ${doc.label}`, item: eo3ToExplorerItem(doc) })),
  ];
}

/** The demo world's item shape (c1), as the brief gives it. */
function demoItem(): Record<string, unknown> {
  const base = 's3://geocrop-demo-world/sentinel-2-c1-l2a/36/K/SF/2023/1/S2A_T36KSF_20230104T075211_L2A';
  const asset = (name: string, file: string, res: number) => ({
    href: `${base}/${file}`,
    type: 'image/tiff; application=geotiff; profile=cloud-optimized',
    title: name,
    roles: ['data'],
    'eo:bands': [{ name }],
    'proj:epsg': 32736,
    'proj:shape': res === 10 ? [1040, 900] : [520, 450],
    'proj:transform': [res, 0, 171960, 0, -res, 8034040],
  });
  return {
    type: 'Feature',
    stac_version: '1.0.0',
    stac_extensions: [
      'https://stac-extensions.github.io/eo/v1.0.0/schema.json',
      'https://stac-extensions.github.io/projection/v1.0.0/schema.json',
      'https://stac-extensions.github.io/view/v1.0.0/schema.json',
    ],
    id: '2f0c3c1e-5b6a-5d7e-9a1b-0c2d3e4f5a6b',
    collection: 's2_l2a_c1',
    geometry: { type: 'Polygon', coordinates: [[[29.96, -17.75], [30.06, -17.75], [30.06, -17.85], [29.96, -17.85], [29.96, -17.75]]] },
    bbox: [29.96, -17.85, 30.06, -17.75],
    properties: {
      title: 'S2A_T36KSF_20230104T075211_L2A', datetime: '2023-01-04T07:52:11Z', created: '2023-01-04T12:00:00Z',
      platform: 'sentinel-2a', instruments: ['msi'], constellation: 'sentinel-2', gsd: 10, 'eo:cloud_cover': 63.2,
      'proj:epsg': 32736, 'proj:shape': [1040, 900], 'proj:transform': [10, 0, 171960, 0, -10, 8034040],
      'odc:region_code': '36KSF', 'odc:file_format': 'GeoTIFF', 's2:processing_baseline': '05.09', 'mgrs:utm_zone': 36,
      'mgrs:latitude_band': 'K', 'mgrs:grid_square': 'SF', 'grid:code': 'MGRS-36KSF', 'view:sun_azimuth': 80.1,
      'view:sun_elevation': 62.3,
    },
    assets: {
      red: asset('red', 'B04.tif', 10),
      nir: asset('nir', 'B08.tif', 10),
      swir16: asset('swir16', 'B11.tif', 20),
      scl: asset('scl', 'SCL.tif', 20),
      visual: { ...asset('visual', 'TCI.tif', 10), 'eo:bands': [{ name: 'visual' }] },
    },
    links: [],
  };
}

describe.skipIf(!haveData)('parseSceneItem on real DEA / Element84 items', () => {
  it('every real item validates with the one schema and parses', () => {
    const items = allRealItems();
    expect(items).toHaveLength(10);
    for (const { name, item } of items) {
      const check = stacItemSchema.safeParse(item);
      expect(check.success, `${name}: ${check.success ? '' : JSON.stringify(check.error.issues)}`).toBe(true);
      const scene = parseSceneItem(item);
      expect(scene.bands.red, name).toBeDefined();
      expect(scene.bands.scl, name).toBeDefined();
      expect(Object.isFrozen(scene) && Object.isFrozen(scene.bands.red)).toBe(true);
    }
  });

  it('stored c1 item (E84 style): bands, grid and explicit raster:bands scale/offset', () => {
    const scene = parseSceneItem(readJson(C1_JSON));
    expect(scene).toMatchObject({
      id: 'S2B_T37MGP_20240710T073012_L2A', collection: 's2_l2a_c1', label: 'S2B_T37MGP_20240710T073012_L2A',
      datetime: '2024-07-10T07:41:33.657Z', date: '2024-07-10', tile: '37MGP', epsg: 32737, cloudCover: 83.505428,
      platform: 'sentinel-2b', processingBaseline: '05.10', boaOffsetApplied: null, family: 'c1',
      bbox: [40.804737, -6.418314, 41.800047, -5.421772],
    });
    expect(scene.bands.red).toEqual({
      name: 'red', assetKey: 'red',
      href: 's3://deafrica-sentinel-2-l2a-c1-dev/sentinel-2-c1-l2a/37/M/GP/2024/7/S2B_T37MGP_20240710T073012_L2A/B04.tif',
      epsg: 32737, shape: [10980, 10980], transform: [10, 0, 699960, 0, -10, 9400000], resolution: 10,
      scale: 1e-4, offset: -0.1, nodata: 0,
    });
    expect(scene.bands.swir16).toMatchObject({ resolution: 20, shape: [5490, 5490], scale: 1e-4, offset: -0.1 });
    expect(scene.bands.coastal).toMatchObject({ resolution: 60, assetKey: 'coastal' });
    expect(scene.bands.scl).toMatchObject({ resolution: 20, scale: 1, offset: 0, nodata: 0 });
    expect(Object.keys(scene.bands)).toEqual([
      'coastal', 'blue', 'green', 'red', 'rededge1', 'rededge2', 'rededge3', 'nir', 'nir08', 'nir09', 'swir16', 'swir22', 'scl',
    ]);
  });

  it('Explorer c1 item (from the real EO3 doc): UUID id, title label, c1 rule without raster:bands', () => {
    const item = eo3ToExplorerItem(readEo3(C1_EO3)[0], { location: c1Location() });
    expect((item.assets as Record<string, unknown>).red).not.toHaveProperty('raster:bands');
    const scene = parseSceneItem(item);
    const stored = parseSceneItem(readJson(C1_JSON));
    expect(scene).toMatchObject({
      id: '83d02080-0394-5bb1-bd1d-cfc23e0db47d', label: 'S2B_T37MGP_20240710T073012_L2A', tile: '37MGP',
      epsg: 32737, cloudCover: 83.505428, platform: 'sentinel-2b', processingBaseline: '05.10', family: 'c1',
      datetime: '2024-07-10T07:41:33.657Z',
    });
    // The same bands as the stored item: same hrefs, grids and reflectance rule.
    for (const name of Object.keys(stored.bands) as (keyof typeof stored.bands)[]) {
      const { assetKey: _a, ...want } = stored.bands[name]!;
      expect(scene.bands[name], name).toMatchObject(want);
    }
  });

  it('legacy 2022-08-08 37MCQ: B04 → red, baseline 04.00, boa applied → offset 0, 9-number transform → 6', () => {
    const doc = readEo3(LEGACY_EO3)[0];
    const scene = parseSceneItem(eo3ToExplorerItem(doc));
    expect(scene).toMatchObject({
      id: '324fd220-388a-5501-bf2d-de00e78c93e6', collection: 's2_l2a', family: 'legacy', tile: '37MCQ', epsg: 32737,
      label: 'S2A_MSIL2A_20220808T072631_N0400_R049_T37MCQ_20220808T111058', processingBaseline: '04.00',
      boaOffsetApplied: true, datetime: '2022-08-08T07:51:36.000Z', date: '2022-08-08', cloudCover: 50.28,
      platform: 'sentinel-2a',
    });
    expect(scene.bands.red).toEqual({
      name: 'red', assetKey: 'B04',
      href: 's3://deafrica-sentinel-2/sentinel-s2-l2a-cogs/37/M/CQ/2022/8/S2A_37MCQ_20220808_0_L2A/B04.tif',
      epsg: 32737, shape: [10980, 10980], transform: [10, 0, 300000, 0, -10, 9500020], resolution: 10,
      scale: 1e-4, offset: 0, nodata: 0,
    });
    expect(scene.bands.nir08).toMatchObject({ assetKey: 'B8A', resolution: 20, shape: [5490, 5490] });
    expect(scene.bands.scl).toMatchObject({ assetKey: 'SCL', resolution: 20, scale: 1, offset: 0 });
    expect(scene.bands.coastal).toMatchObject({ assetKey: 'B01', resolution: 60 });
  });

  it('legacy: a copy with sentinel:boa_offset_applied false → offset −0.1; flag absent at 04.00 → −0.1', () => {
    const item = eo3ToExplorerItem(readEo3(LEGACY_EO3)[0]);
    const props = item.properties as Record<string, unknown>;
    const falseFlag = parseSceneItem({ ...item, properties: { ...props, 'sentinel:boa_offset_applied': false } });
    expect(falseFlag.boaOffsetApplied).toBe(false);
    expect(falseFlag.bands.red).toMatchObject({ scale: 1e-4, offset: -0.1 });
    expect(falseFlag.bands.scl).toMatchObject({ scale: 1, offset: 0 });
    const { 'sentinel:boa_offset_applied': _drop, ...noFlag } = props;
    const absent = parseSceneItem({ ...item, properties: noFlag });
    expect(absent.boaOffsetApplied).toBeNull();
    expect(absent.bands.red!.offset).toBe(-0.1);
  });

  it('pre-04.00 legacy docs: baseline from the product name, offset 0', () => {
    const docs = readEo3(EXPLORER_SAMPLE);
    expect(docs).toHaveLength(5);
    const scenes = docs.map((d) => parseSceneItem(eo3ToExplorerItem(d)));
    expect(scenes.map((s) => [s.tile, s.processingBaseline, s.date])).toEqual([
      ['39MXR', '02.14', '2020-09-09'],
      ['27PYR', '02.12', '2019-06-20'],
      ['32SPE', '00.01', '2016-12-22'],
      ['32SQF', '00.01', '2016-11-09'],
      ['30SWE', '00.01', '2016-11-20'],
    ]);
    for (const s of scenes) {
      expect(s.family).toBe('legacy');
      expect(s.boaOffsetApplied).toBeNull();
      expect(s.bands.red).toMatchObject({ scale: 1e-4, offset: 0, assetKey: 'B04' });
      expect(s.bands.red!.transform).toHaveLength(6);
    }
    // https location (sentinel-cogs) resolves like an s3 one.
    expect(scenes[2].bands.red!.href).toBe(
      'https://sentinel-cogs.s3.us-west-2.amazonaws.com/sentinel-s2-l2a-cogs/32/S/PE/2016/12/S2A_32SPE_20161222_0_L2A/B04.tif',
    );
    expect(scenes[0]).toMatchObject({ epsg: 32739, cloudCover: 73.46 });
  });

  it('earth-search v1 item: raster:bands win, JPEG2000 twins ignored', () => {
    const scene = parseSceneItem(readJson(EARTH_SEARCH));
    expect(scene).toMatchObject({
      id: 'S2A_29RKH_20200219_0_L2A', collection: 'sentinel-2-l2a', family: 'other', tile: '29RKH', epsg: 32629,
      processingBaseline: '02.14', boaOffsetApplied: false, cloudCover: 4.051854,
    });
    expect(scene.bands.red).toMatchObject({
      assetKey: 'red', scale: 1e-4, offset: 0, resolution: 10, transform: [10, 0, 199980, 0, -10, 2800020],
      href: 'https://sentinel-cogs.s3.us-west-2.amazonaws.com/sentinel-s2-l2a-cogs/29/R/KH/2020/2/S2A_29RKH_20200219_0_L2A/B04.tif',
    });
  });
});

describe('parseSceneItem on the demo world item shape', () => {
  it('parses the demo c1 example', () => {
    const scene = parseSceneItem(demoItem());
    expect(scene).toMatchObject({
      id: '2f0c3c1e-5b6a-5d7e-9a1b-0c2d3e4f5a6b', label: 'S2A_T36KSF_20230104T075211_L2A', collection: 's2_l2a_c1',
      family: 'c1', tile: '36KSF', epsg: 32736, datetime: '2023-01-04T07:52:11.000Z', date: '2023-01-04',
      cloudCover: 63.2, processingBaseline: '05.09', bbox: [29.96, -17.85, 30.06, -17.75],
    });
    expect(scene.bands.red).toMatchObject({ shape: [1040, 900], transform: [10, 0, 171960, 0, -10, 8034040], scale: 1e-4, offset: -0.1 });
    expect(scene.bands.scl).toMatchObject({ shape: [520, 450], resolution: 20, scale: 1, offset: 0 });
    expect(Object.keys(scene.bands)).toEqual(['red', 'nir', 'swir16', 'scl']);
  });

  it('legacy demo shape: B-keys, sentinel:* properties, 9-number transforms, proj:code, lower-case keys', () => {
    const item = demoItem();
    const assets = item.assets as Record<string, Record<string, unknown>>;
    const legacyAssets = Object.fromEntries(
      Object.entries({ B04: assets.red, b08: assets.nir, SCL: assets.scl }).map(([k, a]) => {
        const { 'proj:epsg': _e, ...rest } = a;
        return [k, { ...rest, 'proj:code': 'EPSG:32736', 'proj:transform': [...(a['proj:transform'] as number[]), 0, 0, 1] }];
      }),
    );
    const props = item.properties as Record<string, unknown>;
    const {
      'odc:region_code': _r, 'grid:code': _g, 'mgrs:utm_zone': _z, 'mgrs:latitude_band': _b, 'mgrs:grid_square': _s,
      's2:processing_baseline': _p, 'proj:epsg': _pe, ...rest
    } = props;
    const scene = parseSceneItem({
      ...item,
      collection: 's2_l2a',
      properties: {
        ...rest, 'sentinel:utm_zone': 36, 'sentinel:latitude_band': 'K', 'sentinel:grid_square': 'SF',
        'sentinel:processing_baseline': '05.09', 'sentinel:boa_offset_applied': true,
      },
      assets: legacyAssets,
    });
    expect(scene).toMatchObject({ family: 'legacy', tile: '36KSF', epsg: 32736, processingBaseline: '05.09', boaOffsetApplied: true });
    expect(scene.bands.red).toMatchObject({ assetKey: 'B04', epsg: 32736, transform: [10, 0, 171960, 0, -10, 8034040], offset: 0 });
    expect(scene.bands.nir).toMatchObject({ assetKey: 'b08' });
    expect(scene.bands.scl).toMatchObject({ assetKey: 'SCL', scale: 1, offset: 0 });
  });
});

describe('parseSceneItem errors', () => {
  const expectInvalid = (item: unknown, ...fragments: string[]) => {
    let error: unknown;
    try {
      parseSceneItem(item);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(GeoCropError);
    const e = error as GeoCropError;
    expect(e.code).toBe('INVALID_ITEM');
    expect(e.status).toBe(400);
    for (const f of fragments) expect(e.message).toContain(f);
  };

  it('names the missing field and the item id', () => {
    const item = demoItem();
    const { datetime: _d, ...props } = item.properties as Record<string, unknown>;
    expectInvalid({ ...item, properties: props }, '"2f0c3c1e-5b6a-5d7e-9a1b-0c2d3e4f5a6b"', 'properties.datetime', 'missing');
    const { geometry: _g, ...noGeometry } = item;
    expectInvalid(noGeometry, 'geometry', 'missing');
    const { id: _i, ...noId } = item;
    expectInvalid(noId, '(no id)', 'id is missing');
    expectInvalid('not an item', '(no id)');
  });

  it('rejects malformed band grids and transforms', () => {
    const item = demoItem();
    const assets = item.assets as Record<string, Record<string, unknown>>;
    const { 'proj:shape': _s, ...redNoShape } = assets.red;
    expectInvalid({ ...item, assets: { ...assets, red: redNoShape } }, 'assets.red.proj:shape is missing');
    expectInvalid(
      { ...item, assets: { ...assets, red: { ...assets.red, 'proj:transform': [10, 0, 1, 0, -10] } } },
      'assets.red.proj:transform', '6 or 9',
    );
    const { 'proj:epsg': _e, ...redNoEpsg } = assets.red;
    const { 'proj:epsg': _pe, ...propsNoEpsg } = item.properties as Record<string, unknown>;
    expectInvalid({ ...item, properties: propsNoEpsg, assets: { ...assets, red: redNoEpsg } }, 'assets.red.proj:epsg is missing');
  });

  it('checks raster:bands only on band assets', () => {
    const item = demoItem();
    const assets = item.assets as Record<string, Record<string, unknown>>;
    expectInvalid(
      { ...item, assets: { ...assets, red: { ...assets.red, 'raster:bands': [{ scale: 'big' }] } } },
      'assets.red.raster:bands[0].scale is invalid',
    );
    // DEA's stored c1 `preview` nests an array in raster:bands; a non-band asset never rejects the item.
    const odd = { ...assets.visual, 'raster:bands': [[{ nodata: null }]] };
    expect(parseSceneItem({ ...item, assets: { ...assets, visual: odd } }).bands.red).toBeDefined();
    const nullNodata = { ...assets.red, 'raster:bands': [{ nodata: null, scale: 1e-4, offset: -0.1 }] };
    expect(parseSceneItem({ ...item, assets: { ...assets, red: nullNodata } }).bands.red!.nodata).toBe(0);
  });

  it('rejects an item without any MGRS tile', () => {
    const item = demoItem();
    const props = { ...(item.properties as Record<string, unknown>) };
    for (const k of ['odc:region_code', 'grid:code', 'mgrs:utm_zone', 'title']) delete props[k];
    expectInvalid({ ...item, properties: props }, 'odc:region_code', 'MGRS');
  });

  it('rejects a datetime that is not RFC 3339 and a point geometry', () => {
    const item = demoItem();
    expectInvalid({ ...item, properties: { ...(item.properties as object), datetime: 'yesterday' } }, 'properties.datetime is invalid');
    expectInvalid({ ...item, geometry: { type: 'Point', coordinates: [30, -17] } }, 'geometry');
  });
});
