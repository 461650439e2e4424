/**
 * Ground truth and the crop-mask baseline, both derived from the landscape.
 *
 * Truth: the class of the parcel covering most of each 10 m pixel (world CRS), and the parcels as GeoJSON. The
 * crop mask imitates DE Africa's `crop_mask_southeast`: right for most large fields, blind to many small plots,
 * fooled by some grassland, soft at edges; `filtered` takes the per-parcel majority, as DEA's object-based
 * filtering does.
 */
import { difference, featureCollection, polygon } from '@turf/turf';
import { CLASS_NODATA, CLASSES, classCode, type ClassName } from '../../shared/contract/classes';
import { project } from '../../shared/geo/crs';
import type { Parcel, Ring } from './landscape';
import { Rng, hash3, hashString } from './random';
import { rasterizeParcels } from './rasterize';
import type { Grid } from './world-config';

/** uint8 class codes on `grid` (255 where no parcel). */
export function truthRaster(parcels: readonly Parcel[], parcelEpsg: number, grid: Grid): Uint8Array {
  const r = rasterizeParcels(parcels, parcelEpsg, grid);
  const codes = parcels.map((p) => classCode(p.cls));
  const out = new Uint8Array(grid.width * grid.height);
  for (let i = 0; i < out.length; i++) out[i] = r.primary[i] < 0 ? CLASS_NODATA : codes[r.primary[i]];
  return out;
}

function lonLatRing(ring: Ring, epsg: number): number[][] {
  const out = ring.map((p) => project(epsg, 4326, p).map((v) => Math.round(v * 1e7) / 1e7));
  out.push(out[0]);
  return out;
}

/**
 * The parcels as a GeoJSON FeatureCollection in lon/lat (RFC 7946), dams cut out of the parcels beneath them so
 * the polygons tile the land without overlaps.
 */
export function fieldsGeoJson(parcels: readonly Parcel[], epsg: number): Record<string, unknown> {
  const dams = parcels.filter((p) => p.kind === 'dam').map((p) => polygon([lonLatRing(p.ring, epsg)]));
  const features = parcels.map((p) => {
    let geom: { type: string; coordinates: unknown } = { type: 'Polygon', coordinates: [lonLatRing(p.ring, epsg)] };
    if (p.kind !== 'dam') {
      for (const dam of dams) {
        const cut = difference(featureCollection([{ type: 'Feature', properties: {}, geometry: geom } as never, dam]));
        if (!cut) { geom = { type: 'Polygon', coordinates: [] }; break; }
        geom = cut.geometry;
      }
    }
    return {
      type: 'Feature',
      id: p.id,
      properties: { field_id: p.id, class: p.cls, code: classCode(p.cls), kind: p.kind, area_ha: Math.round(p.areaHa * 100) / 100 },
      geometry: geom,
    };
  }).filter((f) => (f.geometry.coordinates as unknown[]).length > 0);
  return { type: 'FeatureCollection', name: 'geocrop-demo-fields', features };
}

/** `classes.json`: code → name, label, colour, crop flag. */
export function classesJson(): Record<string, unknown> {
  return { nodata: CLASS_NODATA, classes: CLASSES };
}

const CROPS = new Set<ClassName>(['maize', 'tobacco', 'soybean', 'cotton', 'groundnut', 'sorghum']);

/** The three crop-mask bands (uint8; 0 is nodata as in DEA's product definition, so non-crop is stored as 0). */
export interface CropMask {
  mask: Uint8Array;
  prob: Uint8Array;
  filtered: Uint8Array;
}

/** Crop mask for `year` on `grid` (EPSG:6933), with per-year errors drawn from the seed. */
export function cropMask(parcels: readonly Parcel[], parcelEpsg: number, grid: Grid, seed: number, year: number): CropMask {
  const rng = new Rng(hashString(`cropmask:${seed}:${year}`));
  // Per-parcel detection: what the crop-mask model "thinks" of each parcel this year.
  const base = parcels.map((p) => {
    const crop = CROPS.has(p.cls);
    if (crop) {
      const missRate = p.kind === 'smallholder' && p.areaHa < 1.5 ? 0.3 : 0.06;
      return rng.next() < missRate ? rng.range(20, 45) : rng.range(62, 96);
    }
    const falseRate = p.cls === 'grassland' ? 0.12 : p.cls === 'bare' ? 0.05 : p.cls === 'woodland' ? 0.02 : 0;
    return rng.next() < falseRate ? rng.range(55, 75) : rng.range(2, 30);
  });
  const r = rasterizeParcels(parcels, parcelEpsg, grid);
  const n = grid.width * grid.height;
  const prob = new Uint8Array(n);
  const mask = new Uint8Array(n);
  const votes = new Float64Array(parcels.length);
  const counts = new Float64Array(parcels.length);
  const nseed = hashString(`cropmask-noise:${seed}:${year}`) & 0xffff;
  for (let i = 0; i < n; i++) {
    const p1 = r.primary[i];
    if (p1 < 0) continue;
    const w = r.weight[i] / 255;
    // Edges blur between the two parcels, then pixel noise.
    const v = (1 - w) * base[p1] + w * base[r.second[i]] + (hash3(i, nseed, 7) - 0.5) * 24;
    const pr = Math.max(1, Math.min(100, Math.round(v)));
    prob[i] = pr;
    mask[i] = pr >= 50 ? 1 : 0;
    votes[p1] += mask[i];
    counts[p1] += 1;
  }
  const filtered = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p1 = r.primary[i];
    if (p1 >= 0) filtered[i] = votes[p1] * 2 >= counts[p1] ? 1 : 0;
  }
  return { mask, prob, filtered };
}
