/**
 * Zimbabwe's national boundary: Natural Earth 1:10m (public domain) via the `world-atlas` npm package.
 *
 * The polygon is extracted at build time by `scripts/extract-boundary.ts` (`npm run gen`) into the gitignored
 * `./generated/zimbabwe.json`; it is never hand-typed. world-atlas quantises the border to about 380 m × 190 m,
 * so treat it as accurate to a few hundred metres.
 */
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import boundary from './generated/zimbabwe.json';

/** Properties carried by {@link ZIMBABWE}. */
export interface BoundaryProperties {
  name: string;
  /** Where the polygon comes from, e.g. `Natural Earth 1:10m via world-atlas@2.0.2`. */
  source: string;
  licence: string;
}

/** `[minLon, minLat, maxLon, maxLat]` in degrees (WGS 84). */
export type LonLatBBox = readonly [number, number, number, number];

/**
 * Zimbabwe as a GeoJSON Feature (WGS 84 degrees, `[lon, lat]`, RFC 7946 ring order), with `bbox`.
 * About 390,000 km².
 */
export const ZIMBABWE = boundary as unknown as Readonly<Feature<Polygon | MultiPolygon, BoundaryProperties>> & {
  readonly bbox: LonLatBBox;
};

/** Bounding box of {@link ZIMBABWE}: `[minLon, minLat, maxLon, maxLat]` in degrees, about `[25.2, -22.4, 33.0, -15.6]`. */
export const ZIMBABWE_BBOX: LonLatBBox = Object.freeze([...ZIMBABWE.bbox] as [number, number, number, number]);
