/**
 * The plain, serialisable scene record every later stage (plan, read, mask) works from. It crosses
 * `postMessage` unchanged; nothing in it refers back to the STAC JSON it came from.
 */
import type { Affine } from '../geo/crs';
import type { BandName } from './band-names';
import type { SceneFamily } from './scene-metadata';

/** One band of a scene: where its COG is, its pixel grid, and how to turn its DN into reflectance. */
export interface SceneBand {
  name: BandName;
  /** The asset key it was read from (`red`, `B04`...). */
  assetKey: string;
  /** As the item gives it (`s3://bucket/key` for DEA); mapping to HTTPS is the reader's job. */
  href: string;
  /** EPSG code of the band's grid (UTM for Sentinel-2). */
  epsg: number;
  /** `[rows, cols]` in pixels. */
  shape: readonly [number, number];
  /** Pixel-corner affine in STAC order `[a, b, c, d, e, f]`, CRS units (metres); always 6 numbers. */
  transform: Affine;
  /** Pixel size in metres: `|transform[0]|`. */
  resolution: number;
  /** `reflectance = DN * scale + offset` (for `scl`: 1 and 0, class values). */
  scale: number;
  offset: number;
  /** DN that marks "no data" (0 for every DEA Sentinel-2 band). */
  nodata: number;
}

/** GeoJSON footprint in lon/lat degrees. */
export type SceneGeometry =
  | { readonly type: 'Polygon'; readonly coordinates: readonly (readonly (readonly number[])[])[] }
  | { readonly type: 'MultiPolygon'; readonly coordinates: readonly (readonly (readonly (readonly number[])[])[])[] };

/** A parsed Sentinel-2 scene (one STAC Item), frozen. */
export interface ParsedScene {
  /** STAC item id (ODC dataset UUID on Explorer, product name in stored items). */
  id: string;
  collection: string;
  /** Human label: `properties.title` (the EO3 label on Explorer) or the id. */
  label: string;
  /** Acquisition time, ISO 8601 UTC (`2023-01-04T07:52:11.000Z`). */
  datetime: string;
  /** Acquisition day, `YYYY-MM-DD` (UTC). */
  date: string;
  /** MGRS tile, e.g. `36KSF`. */
  tile: string;
  /** EPSG code of the scene (item-level, else the bands' common code). */
  epsg: number;
  /** Scene cloud cover in percent, or null when the item does not say. */
  cloudCover: number | null;
  /** e.g. `sentinel-2a`. */
  platform: string | null;
  /** ESA processing baseline `"04.00"`, or null. */
  processingBaseline: string | null;
  /** The item's BOA-offset flag, or null when absent. */
  boaOffsetApplied: boolean | null;
  family: SceneFamily;
  geometry: SceneGeometry;
  /** `[west, south, east, north]` degrees. */
  bbox: readonly [number, number, number, number];
  bands: Readonly<Partial<Record<BandName, SceneBand>>>;
}
