import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { eo3ToExplorerItem, type Eo3Document } from './eo3-to-stac';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dea = path.resolve(repoRoot, '../shared/data/dea');
const C1_EO3 = path.join(dea, 'odc-tools__S2B_T37MGP_20240710T073012_L2A_C1-odc-metadata.yaml');
const LEGACY_EO3 = path.join(dea, 'datacube-core__s2_africa_dataset.yaml');
const SAMPLE = path.join(dea, 'datacube-explorer__s2_l2a-sample.yaml');
const haveData = [C1_EO3, LEGACY_EO3, SAMPLE].every((f) => existsSync(f));
if (!haveData) console.warn(`[shared/stac/testing] real EO3 documents not found under ${dea}: skipping`);

describe.skipIf(!haveData)('eo3ToExplorerItem (what DEA Explorer serves for an EO3 doc)', () => {
  it('maps the legacy 37MCQ document the way eodatasets3 to_pystac_item does', () => {
    const item = eo3ToExplorerItem(parse(readFileSync(LEGACY_EO3, 'utf8')) as Eo3Document);
    expect(item).toMatchObject({
      type: 'Feature', stac_version: '1.0.0', id: '324fd220-388a-5501-bf2d-de00e78c93e6', collection: 's2_l2a',
    });
    const props = item.properties as Record<string, unknown>;
    expect(props).toMatchObject({
      title: 'S2A_MSIL2A_20220808T072631_N0400_R049_T37MCQ_20220808T111058',
      datetime: '2022-08-08T07:51:36Z',
      created: '2022-08-08T07:51:36Z',
      platform: 'sentinel-2a',
      instruments: ['msi'],
      constellation: 'sentinel-2',
      gsd: 10,
      'view:off_nadir': 0,
      'eo:cloud_cover': 50.28,
      'proj:epsg': 32737,
      'proj:shape': [10980, 10980],
      'proj:transform': [10, 0, 300000, 0, -10, 9500020, 0, 0, 1],
      'sentinel:processing_baseline': '04.00',
      'sentinel:boa_offset_applied': true,
      'odc:region_code': '37MCQ',
      'cubedash:region_code': '37MCQ',
    });
    expect(props).not.toHaveProperty('eo:platform');
    expect(props).not.toHaveProperty('odc:processing_datetime');
    const assets = item.assets as Record<string, Record<string, unknown>>;
    expect(assets.B04).toEqual({
      href: 's3://deafrica-sentinel-2/sentinel-s2-l2a-cogs/37/M/CQ/2022/8/S2A_37MCQ_20220808_0_L2A/B04.tif',
      type: 'image/tiff; application=geotiff; profile=cloud-optimized',
      title: 'B04',
      roles: ['data'],
      'eo:bands': [{ name: 'B04' }],
      'proj:epsg': 32737,
      'proj:shape': [10980, 10980],
      'proj:transform': [10, 0, 300000, 0, -10, 9500020, 0, 0, 1],
    });
    expect(assets.SCL['proj:shape']).toEqual([5490, 5490]);
    expect(assets.B01['proj:transform']).toEqual([60, 0, 300000, 0, -60, 9500020, 0, 0, 1]);
    expect(assets.thumbnail).toEqual({
      href: 'https://roda.sentinel-hub.com/sentinel-s2-l1c/tiles/37/M/CQ/2022/8/8/0/preview.jpg',
      type: 'image/jpeg', title: 'Thumbnail image', roles: ['thumbnail'],
    });
    expect(assets.metadata.roles).toEqual(['metadata']);
    // Footprint reprojected from UTM 37S to lon/lat, bbox from it.
    const bbox = item.bbox as number[];
    expect(bbox[0]).toBeGreaterThan(37.4);
    expect(bbox[2]).toBeLessThan(38.2);
    expect(bbox[1]).toBeGreaterThan(-5.6);
    expect(bbox[3]).toBeLessThan(-4.4);
  });

  it('c1 document: upper-case instrument lower-cased, microsecond datetimes kept, c1 asset keys', () => {
    const item = eo3ToExplorerItem(parse(readFileSync(C1_EO3, 'utf8')) as Eo3Document, {
      location: 's3://bucket/sentinel-2-c1-l2a/37/M/GP/2024/7/S2B_T37MGP_20240710T073012_L2A/S2B_T37MGP_20240710T073012_L2A.json',
    });
    const props = item.properties as Record<string, unknown>;
    expect(props).toMatchObject({
      instruments: ['msi'],
      datetime: '2024-07-10T07:41:33.657000Z',
      created: '2024-07-10T13:38:13.736092Z',
      'view:sun_azimuth': 39.9264277845747,
      'view:azimuth': 185.518023779404,
      's2:processing_baseline': '05.10',
    });
    expect(item.stac_extensions).toContain('https://stac-extensions.github.io/view/v1.0.0/schema.json');
    const assets = item.assets as Record<string, Record<string, unknown>>;
    expect(assets.red.href).toBe('s3://bucket/sentinel-2-c1-l2a/37/M/GP/2024/7/S2B_T37MGP_20240710T073012_L2A/B04.tif');
    expect(assets.swir16['proj:transform']).toEqual([20, 0, 699960, 0, -20, 9400000]);
    expect(assets.red).not.toHaveProperty('raster:bands');
  });

  it('converts all five documents of the multi-document Explorer sample', () => {
    const docs = parseAllDocuments(readFileSync(SAMPLE, 'utf8')).map((d) => d.toJS() as Eo3Document);
    expect(docs.map((d) => eo3ToExplorerItem(d).id)).toEqual([
      'd50adeb2-15be-562b-86dd-24e30357bec7',
      '45faa349-8b72-52a3-8575-06b502997187',
      '1e49ddc2-12ab-5673-9979-91a8cb795853',
      'a41e0e91-ddbf-522e-b7dd-8ff6fdea3578',
      'ac95b787-8e15-5d1c-a039-749afd0807e5',
    ]);
  });
});
