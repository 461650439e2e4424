/**
 * STAC items and collections as DE Africa's Explorer serves them (eodatasets3 `to_pystac_item`): item id = a
 * dataset UUID, `title` = product label, asset key = measurement name, href = `s3://bucket/key`, per-asset
 * `proj:shape`/`proj:transform` of that band's grid (legacy EO3 grids carry 9-number transforms).
 */
import { pixelToCrs, project } from '../../shared/geo/crs';
import type { S2Tile } from '../../shared/geo/s2-grid';
import { BAND_FILES, type Product } from './products';
import { nameUuid } from './random';
import type { SceneData } from './scene-synth';
import { BANDS_10M } from './scene-synth';
import type { StacItemDoc } from './stac-api';
import { DEMO_BUCKET, type Grid, type WorldGeometry } from './world-config';

export type { StacItemDoc };

export const COG_MEDIA_TYPE = 'image/tiff; application=geotiff; profile=cloud-optimized';
const EXTENSIONS = [
  'https://stac-extensions.github.io/eo/v1.0.0/schema.json',
  'https://stac-extensions.github.io/projection/v1.0.0/schema.json',
  'https://stac-extensions.github.io/view/v1.0.0/schema.json',
];


/** Footprint polygon `[lon, lat]` of a grid, with points along each edge so the curved outline is kept. */
export function footprint(grid: Grid): { geometry: { type: 'Polygon'; coordinates: number[][][] }; bbox: number[] } {
  const ring: number[][] = [];
  const steps = 4;
  const edge = (c0: number, r0: number, c1: number, r1: number) => {
    for (let s = 0; s < steps; s++) {
      const f = s / steps;
      const [x, y] = pixelToCrs(grid.transform, c0 + f * (c1 - c0), r0 + f * (r1 - r0));
      const [lon, lat] = project(grid.epsg, 4326, [x, y]);
      ring.push([round(lon, 7), round(lat, 7)]);
    }
  };
  edge(0, 0, 0, grid.height);
  edge(0, grid.height, grid.width, grid.height);
  edge(grid.width, grid.height, grid.width, 0);
  edge(grid.width, 0, 0, 0);
  ring.push(ring[0]);
  const lons = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  return { geometry: { type: 'Polygon', coordinates: [ring] }, bbox: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)] };
}

function round(v: number, d: number): number {
  const f = 10 ** d;
  return Math.round(v * f) / f;
}

function transformOf(grid: Grid, nine: boolean): number[] {
  const t = [...grid.transform];
  return nine ? [...t, 0, 0, 1] : t;
}

/** The STAC item for one product of one acquisition. */
export function sceneItem(product: Product, tile: S2Tile, grid10: Grid, grid20: Grid, scene: SceneData, sun: { azimuth: number; elevation: number }): StacItemDoc {
  const legacy = product.family === 'legacy';
  const { geometry, bbox } = footprint(grid10);
  const p = scene.percentages;
  const zone = String(tile.zone);
  const assets: Record<string, unknown> = {};
  for (const [name, { file, legacyKey }] of Object.entries(BAND_FILES)) {
    const grid = BANDS_10M.includes(name as never) ? grid10 : grid20;
    const key = legacy ? legacyKey : name;
    assets[key] = {
      href: `s3://${DEMO_BUCKET}/${product.prefix}/${file}`,
      type: COG_MEDIA_TYPE,
      title: key,
      roles: ['data'],
      'eo:bands': [{ name: key }],
      'proj:epsg': tile.epsg,
      'proj:shape': [grid.height, grid.width],
      'proj:transform': transformOf(grid, legacy),
    };
  }
  const common = {
    title: product.label,
    datetime: product.datetime,
    created: product.datetime.replace(/T08:/, 'T12:'),
    platform: product.platform,
    instruments: ['msi'],
    constellation: 'sentinel-2',
    gsd: 10,
    'eo:cloud_cover': p.cloud,
    'proj:epsg': tile.epsg,
    'proj:shape': [grid10.height, grid10.width],
    'proj:transform': transformOf(grid10, legacy),
    'odc:region_code': tile.id,
    'odc:file_format': 'GeoTIFF',
    'odc:processing_datetime': product.datetime.replace(/T08:/, 'T12:'),
    'view:sun_azimuth': round(sun.azimuth, 4),
    'view:sun_elevation': round(sun.elevation, 4),
    'geocrop:demo': true,
  };
  const properties: Record<string, unknown> = legacy
    ? {
        ...common,
        'sentinel:product_id': product.label,
        'sentinel:utm_zone': tile.zone,
        'sentinel:latitude_band': tile.id.slice(zone.length, zone.length + 1),
        'sentinel:grid_square': tile.id.slice(zone.length + 1),
        'sentinel:sequence': '0',
        'sentinel:processing_baseline': product.processingBaseline,
        'sentinel:data_coverage': 100,
        'sentinel:valid_cloud_cover': true,
        ...(product.boaOffsetApplied === null ? {} : { 'sentinel:boa_offset_applied': product.boaOffsetApplied }),
      }
    : {
        ...common,
        's2:processing_baseline': product.processingBaseline,
        's2:product_type': 'S2MSI2A',
        's2:product_uri': `${product.label}.SAFE`,
        's2:high_proba_clouds_percentage': p.highCloud,
        's2:medium_proba_clouds_percentage': p.mediumCloud,
        's2:thin_cirrus_percentage': p.cirrus,
        's2:cloud_shadow_percentage': p.shadow,
        's2:vegetation_percentage': p.vegetation,
        's2:not_vegetated_percentage': p.notVegetated,
        's2:water_percentage': p.water,
        's2:nodata_pixel_percentage': 0,
        'mgrs:utm_zone': tile.zone,
        'mgrs:latitude_band': tile.id.slice(zone.length, zone.length + 1),
        'mgrs:grid_square': tile.id.slice(zone.length + 1),
        'grid:code': `MGRS-${tile.id}`,
      };
  return {
    type: 'Feature',
    stac_version: '1.0.0',
    stac_extensions: EXTENSIONS,
    id: nameUuid(`${product.collection}/${product.label}`),
    collection: product.collection,
    geometry,
    bbox,
    properties,
    assets,
    links: [],
  };
}

/** The crop-mask baseline item for one year (assets mask, prob, filtered in EPSG:6933). */
export function cropMaskItem(world: WorldGeometry, year: number, prefix: string): StacItemDoc {
  const grid = world.baselineGrid;
  const { geometry, bbox } = footprint(grid);
  const label = `crop_mask_southeast_${year}_demo`;
  const assets: Record<string, unknown> = {};
  for (const band of ['mask', 'prob', 'filtered']) {
    assets[band] = {
      href: `s3://${DEMO_BUCKET}/${prefix}/${label}_${band}.tif`,
      type: COG_MEDIA_TYPE,
      title: band,
      roles: ['data'],
      'eo:bands': [{ name: band }],
      'proj:epsg': 6933,
      'proj:shape': [grid.height, grid.width],
      'proj:transform': [...grid.transform],
    };
  }
  return {
    type: 'Feature',
    stac_version: '1.0.0',
    stac_extensions: EXTENSIONS.slice(0, 2),
    id: nameUuid(`crop_mask_southeast/${label}`),
    collection: 'crop_mask_southeast',
    geometry,
    bbox,
    properties: {
      title: label,
      datetime: `${year}-01-01T00:00:00Z`,
      start_datetime: `${year}-01-01T00:00:00Z`,
      end_datetime: `${year}-12-31T23:59:59Z`,
      'proj:epsg': 6933,
      'proj:shape': [grid.height, grid.width],
      'proj:transform': [...grid.transform],
      'odc:region_code': 'demo',
      'odc:product_family': 'crop_mask',
      'geocrop:demo': true,
    },
    assets,
    links: [],
  };
}

/** Collection documents for the items present (extents computed from them). */
export function collectionDocs(items: readonly StacItemDoc[]): Array<Record<string, unknown>> {
  const meta: Record<string, { title: string; description: string; license: string }> = {
    s2_l2a_c1: { title: 'Sentinel-2 L2A Collection 1 (GeoCrop demo world)', description: 'Harmonised Sentinel-2 L2A surface reflectance, DN = reflectance × 10000 + 1000. Synthetic demo data in the layout of DE Africa\'s s2_l2a_c1.', license: 'CC-BY-4.0' },
    s2_l2a: { title: 'Sentinel-2 L2A (legacy, GeoCrop demo world)', description: 'Legacy Sentinel-2 L2A COGs (B02…B12, SCL); offset rules follow the processing baseline and sentinel:boa_offset_applied. Synthetic demo data in the layout of DE Africa\'s s2_l2a.', license: 'CC-BY-4.0' },
    crop_mask_southeast: { title: 'Crop mask, south-east Africa (GeoCrop demo world)', description: 'Annual cropland extent (mask, prob, filtered; uint8; EPSG:6933) in the layout of DE Africa\'s crop_mask_southeast, derived from the demo ground truth with realistic errors.', license: 'CC-BY-4.0' },
  };
  const out: Array<Record<string, unknown>> = [];
  for (const id of Object.keys(meta)) {
    const mine = items.filter((i) => i.collection === id);
    if (mine.length === 0) continue;
    const bboxes = mine.map((i) => i.bbox as number[]);
    const times = mine.map((i) => String(i.properties.start_datetime ?? i.properties.datetime)).sort();
    const ends = mine.map((i) => String(i.properties.end_datetime ?? i.properties.datetime)).sort();
    out.push({
      type: 'Collection',
      stac_version: '1.0.0',
      id,
      ...meta[id],
      keywords: ['geocrop', 'demo', 'zimbabwe'],
      providers: [{ name: 'GeoCrop demo world', roles: ['producer', 'host'] }],
      extent: {
        spatial: { bbox: [[Math.min(...bboxes.map((b) => b[0])), Math.min(...bboxes.map((b) => b[1])), Math.max(...bboxes.map((b) => b[2])), Math.max(...bboxes.map((b) => b[3]))]] },
        temporal: { interval: [[times[0], ends[ends.length - 1]]] },
      },
      'geocrop:item_count': mine.length,
      links: [],
    });
  }
  return out;
}
