/**
 * What DE Africa delivers for one acquisition, and how the demo world names it: collection (harmonised
 * `s2_l2a_c1` or legacy `s2_l2a`), product label, S3 keys, processing baseline and BOA-offset flag.
 *
 * Timeline (mirrors DEA's): legacy `s2_l2a` holds acquisitions up to 2023-01-31, `s2_l2a_c1` from 2023-01-01, so
 * January 2023 is in both (the same pixels, two encodings). Legacy processing baselines follow ESA's history
 * (04.00 from 2022-01-25 added the +1000 DN offset). Like the real archive, a share of baseline ≥ 04.00 legacy
 * scenes say `sentinel:boa_offset_applied: false` (their DN still carry +1000), and exactly one scene per world
 * carries a wrong flag (`true` while its DN still carry the offset), which GeoCrop's sanity check must catch.
 */
import type { S2Tile } from '../../shared/geo/s2-grid';
import { hashString } from './random';

export const C1_FIRST_DATE = '2023-01-01';
export const LEGACY_LAST_DATE = '2023-01-31';

export type Family = 'c1' | 'legacy';

/** File name of each band inside a product folder (same in both families), and asset keys per family. */
export const BAND_FILES: Record<string, { file: string; legacyKey: string }> = {
  blue: { file: 'B02.tif', legacyKey: 'B02' },
  green: { file: 'B03.tif', legacyKey: 'B03' },
  red: { file: 'B04.tif', legacyKey: 'B04' },
  rededge1: { file: 'B05.tif', legacyKey: 'B05' },
  rededge2: { file: 'B06.tif', legacyKey: 'B06' },
  rededge3: { file: 'B07.tif', legacyKey: 'B07' },
  nir: { file: 'B08.tif', legacyKey: 'B08' },
  nir08: { file: 'B8A.tif', legacyKey: 'B8A' },
  swir16: { file: 'B11.tif', legacyKey: 'B11' },
  swir22: { file: 'B12.tif', legacyKey: 'B12' },
  scl: { file: 'SCL.tif', legacyKey: 'SCL' },
};

/** One delivery of one acquisition of one tile. */
export interface Product {
  family: Family;
  collection: 's2_l2a_c1' | 's2_l2a';
  label: string;
  /** S3 key prefix of the product folder (no trailing slash). */
  prefix: string;
  platform: 'sentinel-2a' | 'sentinel-2b';
  datetime: string;
  processingBaseline: string;
  /** What the item says (legacy only; null when the item carries no flag). */
  boaOffsetApplied: boolean | null;
  /** DN offset actually baked into the pixels. */
  dnOffset: number;
}

function baselineFor(date: string): string {
  if (date < '2021-06-30') return '02.14';
  if (date < '2022-01-25') return '03.01';
  if (date < '2022-12-06') return '04.00';
  return '05.09';
}

const compact = (iso: string) => iso.replace(/[-:]/g, '').slice(0, 15);

/**
 * The products one acquisition of `tile` on `date` is delivered as. `dateIndex` alternates the platform;
 * `wrongFlagKey` names the one scene whose BOA flag lies.
 */
export function productsFor(tile: S2Tile, date: string, dateIndex: number, seed: number, wrongFlagKey: string): Product[] {
  const platform = dateIndex % 2 === 0 ? 'sentinel-2a' : 'sentinel-2b';
  const sat = platform === 'sentinel-2a' ? 'S2A' : 'S2B';
  // Overpass around 08:0x UTC over 30°E; the eastern tile is sensed a few seconds earlier.
  const seconds = 7 * 60 + 40 + (hashString(`${date}`) % 40) + (tile.zone % 2) * 6;
  const datetime = `${date}T08:${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}Z`;
  const [y, m] = [date.slice(0, 4), String(Number(date.slice(5, 7)))];
  const zone = String(tile.zone);
  const band = tile.id.slice(zone.length, zone.length + 1);
  const square = tile.id.slice(zone.length + 1);
  const out: Product[] = [];
  if (date >= C1_FIRST_DATE) {
    const label = `${sat}_T${tile.id}_${compact(datetime)}_L2A`;
    out.push({
      family: 'c1', collection: 's2_l2a_c1', label, platform, datetime, processingBaseline: '05.09', boaOffsetApplied: null, dnOffset: 1000,
      prefix: `sentinel-2-c1-l2a/${zone}/${band}/${square}/${y}/${m}/${label}`,
    });
  }
  if (date <= LEGACY_LAST_DATE) {
    const pb = baselineFor(date);
    const name = `${sat}_${tile.id}_${date.replace(/-/g, '')}_0_L2A`;
    const label = `${sat}_MSIL2A_${compact(datetime)}_N${pb.replace('.', '')}_R092_T${tile.id}_${date.replace(/-/g, '')}T101500`;
    let flag: boolean | null = null;
    let dnOffset = 0;
    if (pb >= '04.00') {
      const key = `${tile.id}:${date}`;
      const notApplied = (hashString(`boa:${seed}:${key}`) % 100) < 20;
      flag = !notApplied;
      dnOffset = notApplied || key === wrongFlagKey ? 1000 : 0;
    }
    out.push({
      family: 'legacy', collection: 's2_l2a', label, platform, datetime, processingBaseline: pb, boaOffsetApplied: flag, dnOffset,
      prefix: `sentinel-s2-l2a-cogs/${zone}/${band}/${square}/${y}/${m}/${name}`,
    });
  }
  return out;
}
