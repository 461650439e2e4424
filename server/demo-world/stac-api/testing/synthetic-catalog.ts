/**
 * TEST SUPPORT: a deterministic synthetic catalog shaped like the demo world's Explorer-style items
 * (c1 and legacy collections over Zimbabwe's MGRS tiles, varied dates, cloud cover and footprints).
 */
import { mulberry32 } from '../../../http/faults';
import type { StacCatalog, StacCollectionDoc, StacItemDoc } from '../types';

/** Seeded PRNG so every run builds the same catalog (the fault injector's). */
const prng = mulberry32;

function uuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Tiles with a rough lon/lat box each (west, south, east, north), spread over Zimbabwe and both UTM zones. */
export const SYNTHETIC_TILES: readonly { tile: string; epsg: number; box: [number, number, number, number] }[] = [
  { tile: '35KQU', epsg: 32735, box: [26.0, -20.9, 27.0, -19.9] },
  { tile: '35KRU', epsg: 32735, box: [27.0, -20.9, 28.0, -19.9] },
  { tile: '35KPT', epsg: 32735, box: [25.5, -18.9, 26.5, -17.9] },
  { tile: '36KSF', epsg: 32736, box: [29.9, -18.1, 30.9, -17.1] },
  { tile: '36KTE', epsg: 32736, box: [31.0, -19.0, 32.0, -18.0] },
  { tile: '36KUD', epsg: 32736, box: [32.0, -20.5, 33.0, -19.5] },
];

/** The collections of the synthetic catalog. */
export const SYNTHETIC_COLLECTIONS: readonly StacCollectionDoc[] = [
  {
    type: 'Collection', stac_version: '1.0.0', id: 's2_l2a_c1', title: 'Sentinel-2 L2A Collection 1',
    description: 'Synthetic s2_l2a_c1', license: 'CC-BY-4.0',
    extent: { spatial: { bbox: [[25, -23, 33.5, -15]] }, temporal: { interval: [['2022-01-01T00:00:00Z', '2024-12-31T23:59:59Z']] } },
  },
  {
    type: 'Collection', stac_version: '1.0.0', id: 's2_l2a', title: 'Sentinel-2 L2A (legacy)',
    description: 'Synthetic s2_l2a', license: 'CC-BY-4.0',
    extent: { spatial: { bbox: [[25, -23, 33.5, -15]] }, temporal: { interval: [['2022-01-01T00:00:00Z', '2024-12-31T23:59:59Z']] } },
  },
];

function item(rand: () => number, collection: string, datetime: string, tileIndex: number, cloud: number | null | undefined): StacItemDoc {
  const { tile, epsg, box } = SYNTHETIC_TILES[tileIndex];
  // Jitter each footprint a little so bbox searches cut through tiles differently.
  const j = () => (rand() - 0.5) * 0.1;
  const [w, s, e, n] = [box[0] + j(), box[1] + j(), box[2] + j(), box[3] + j()];
  const c1 = collection === 's2_l2a_c1';
  const stamp = datetime.replace(/[-:]/g, '').slice(0, 15);
  const label = c1 ? `S2A_T${tile}_${stamp}_L2A` : `S2A_MSIL2A_${stamp}_N0400_R049_T${tile}_${stamp}`;
  const grid = (res: number) => ({
    'proj:epsg': epsg,
    'proj:shape': [109800 / res / 10, 109800 / res / 10],
    'proj:transform': c1 ? [res, 0, 300000, 0, -res, 8000020] : [res, 0, 300000, 0, -res, 8000020, 0, 0, 1],
  });
  const asset = (key: string, file: string, res: number) => ({
    href: `s3://geocrop-demo-world/${collection}/${tile}/${stamp}/${file}`,
    type: 'image/tiff; application=geotiff; profile=cloud-optimized',
    title: key,
    roles: ['data'],
    'eo:bands': [{ name: key }],
    ...grid(res),
  });
  const properties: Record<string, unknown> = {
    title: label,
    datetime,
    created: datetime,
    platform: rand() < 0.5 ? 'sentinel-2a' : 'sentinel-2b',
    instruments: ['msi'],
    constellation: 'sentinel-2',
    gsd: 10,
    'proj:epsg': epsg,
    'odc:region_code': tile,
    ...(c1
      ? { 's2:processing_baseline': '05.09', 'grid:code': `MGRS-${tile}` }
      : { 'sentinel:processing_baseline': '04.00', 'sentinel:boa_offset_applied': rand() < 0.8 }),
  };
  if (cloud !== undefined) properties['eo:cloud_cover'] = cloud;
  return {
    type: 'Feature',
    stac_version: '1.0.0',
    stac_extensions: ['https://stac-extensions.github.io/eo/v1.0.0/schema.json', 'https://stac-extensions.github.io/projection/v1.0.0/schema.json'],
    id: uuid(rand),
    collection,
    geometry: { type: 'Polygon', coordinates: [[[w, n], [e, n], [e, s], [w, s], [w, n]]] },
    bbox: [w, s, e, n],
    properties,
    assets: c1
      ? { red: asset('red', 'B04.tif', 10), nir: asset('nir', 'B08.tif', 10), scl: asset('scl', 'SCL.tif', 20) }
      : { B04: asset('B04', 'B04.tif', 10), B08: asset('B08', 'B08.tif', 10), SCL: asset('SCL', 'SCL.tif', 20) },
    links: [],
  };
}

/** A synthetic catalog plus what tests need to check it (all items, a call counter for `items()`). */
export interface SyntheticCatalog {
  catalog: StacCatalog;
  items: readonly StacItemDoc[];
  itemsCalls: { count: number };
}

/**
 * Builds `c1Count` + `legacyCount` items between 2022-01-01 and 2024-12-31. Every 20th item repeats the
 * previous item's datetime (ties are ordered by id), every 23rd has no `eo:cloud_cover`, every 29th has it null.
 */
export function syntheticCatalog(c1Count = 240, legacyCount = 160, seed = 42): SyntheticCatalog {
  const rand = prng(seed);
  const start = Date.UTC(2022, 0, 1);
  const span = Date.UTC(2024, 11, 31) - start;
  const byCollection = new Map<string, StacItemDoc[]>([['s2_l2a_c1', []], ['s2_l2a', []]]);
  let previous = '';
  const total = c1Count + legacyCount;
  for (let i = 0; i < total; i++) {
    const collection = i % total < c1Count ? 's2_l2a_c1' : 's2_l2a';
    const datetime = i % 20 === 19 && previous ? previous : new Date(start + Math.floor(rand() * span / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    previous = datetime;
    const cloud = i % 23 === 0 ? undefined : i % 29 === 0 ? null : Math.round(rand() * 10000) / 100;
    byCollection.get(collection)!.push(item(rand, collection, datetime, Math.floor(rand() * SYNTHETIC_TILES.length), cloud));
  }
  // Shuffle so the API cannot rely on the catalog's order.
  for (const list of byCollection.values()) {
    for (let i = list.length - 1; i > 0; i--) {
      const k = Math.floor(rand() * (i + 1));
      [list[i], list[k]] = [list[k], list[i]];
    }
  }
  const itemsCalls = { count: 0 };
  return {
    catalog: {
      collections: () => SYNTHETIC_COLLECTIONS,
      items: (id) => {
        itemsCalls.count++;
        return byCollection.get(id) ?? [];
      },
    },
    items: [...byCollection.values()].flat(),
    itemsCalls,
  };
}
