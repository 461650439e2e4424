/**
 * The Sentinel-2 tiling grid: MGRS tile id → UTM CRS and the tile's real upper-left origin.
 *
 * ESA's tiling grid is published only as a KML, which we cannot ship or fetch. Its rule is simple and is
 * checked against every real tile origin we hold (../shared/data: 37MGP, 37MCQ, 39MXR, 27PYR, 29RKH, see
 * s2-grid.test.ts): a tile starts at its MGRS 100 km square's west edge rounded DOWN to a multiple of 60 m, and at
 * the square's north edge rounded UP to a multiple of 60 m (northings measured from the equator, so false northing
 * removed in the south). Tiles are 109 800 m square (10980 px at 10 m), overlapping their neighbours by 9 800 m.
 * The 60 m alignment is what lets the 10, 20 and 60 m bands share one pixel grid.
 */
import { mgrs } from './mgrs';
import { project, type Affine } from './crs';

/** Side of a Sentinel-2 tile, metres. */
export const S2_TILE_SIZE_M = 109_800;
/** Pixel lattice every S2 band is aligned to, metres (the coarsest band resolution). */
export const S2_GRID_STEP_M = 60;

/** A Sentinel-2 MGRS tile: its UTM CRS and upper-left corner (metres in that CRS). */
export interface S2Tile {
  id: string;
  epsg: number;
  zone: number;
  south: boolean;
  /** Upper-left x of the tile, metres. */
  originX: number;
  /** Upper-left y of the tile, metres (with the 10 000 km false northing in the south). */
  originY: number;
}

const TILE_ID = /^(\d{1,2})([C-HJ-NP-X])([A-HJ-NP-Z])([A-HJ-NP-V])$/;

/** Parses an MGRS tile id such as `36KSF` (optionally prefixed `T`) into its S2 tile geometry. */
export function s2Tile(tileId: string): S2Tile {
  const id = tileId.toUpperCase().replace(/^T/, '');
  const m = TILE_ID.exec(id);
  if (!m) throw new RangeError(`"${tileId}" is not an MGRS tile id like 36KSF`);
  const zone = Number(m[1]);
  const south = m[2] < 'N';
  const epsg = (south ? 32700 : 32600) + zone;
  // South-west corner of the 100 km square; mgrs works in degrees, so snap back to the exact 100 km multiple.
  const [lon, lat] = mgrs.toPoint(`${zone}${m[2]}${m[3]}${m[4]}0000000000`);
  const [x, y] = project(4326, epsg, [lon, lat]).map((v) => Math.round(v / 100_000) * 100_000) as [number, number];
  const falseNorthing = south ? 10_000_000 : 0;
  const originX = Math.floor(x / S2_GRID_STEP_M) * S2_GRID_STEP_M;
  const north = y + 100_000 - falseNorthing;
  const originY = Math.ceil(north / S2_GRID_STEP_M) * S2_GRID_STEP_M + falseNorthing;
  return { id, epsg, zone, south, originX, originY };
}

/** The affine transform of a whole S2 tile at `resolution` metres (10, 20 or 60). */
export function s2TileTransform(tile: S2Tile, resolution: number): Affine {
  return [resolution, 0, tile.originX, 0, -resolution, tile.originY];
}

/**
 * Snaps a CRS coordinate onto the S2 60 m lattice of `tile` (down for x minima / y maxima when `dir` is -1,
 * up when +1), so windows cut from the tile keep all band grids aligned.
 */
export function snapToS2Grid(tile: S2Tile, value: number, axis: 'x' | 'y', dir: -1 | 1): number {
  const origin = axis === 'x' ? tile.originX : tile.originY;
  const k = (value - origin) / S2_GRID_STEP_M;
  return origin + (dir < 0 ? Math.floor(k) : Math.ceil(k)) * S2_GRID_STEP_M;
}
