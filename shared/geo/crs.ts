/**
 * Coordinate reference systems GeoCrop works in, and conversions between them (proj4).
 *
 * Conventions used across the code base:
 * - Geographic coordinates are `[lon, lat]` in degrees (lon first, always).
 * - Affine transforms use the STAC `proj:transform` / rasterio order `[a, b, c, d, e, f]`:
 *   `x = a*col + b*row + c`, `y = d*col + e*row + f` (pixel corner, not centre). `a` is the pixel width in CRS
 *   units and `e` is minus the pixel height.
 */
import proj4 from 'proj4';

/** EPSG:6933, WGS 84 / NSIDC EASE-Grid 2.0 Global: the equal-area CRS of DE Africa's crop masks. */
const EPSG_6933 = '+proj=cea +lat_ts=30 +lon_0=0 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs +type=crs';
proj4.defs('EPSG:6933', EPSG_6933);

/** A 6-number affine transform in STAC `proj:transform` order (see module doc). */
export type Affine = readonly [number, number, number, number, number, number];

/** `[minX, minY, maxX, maxY]` in the units of some CRS (degrees for EPSG:4326). */
export type BBox = readonly [number, number, number, number];

/** The UTM zone (1–60) whose central band contains `lon` (degrees). */
export function utmZoneOf(lon: number): number {
  return Math.min(60, Math.max(1, Math.floor((lon + 180) / 6) + 1));
}

/** EPSG code of the WGS 84 UTM zone containing `[lon, lat]`: 326zz north of the equator, 327zz south. */
export function utmEpsgFor(lon: number, lat: number): number {
  return (lat < 0 ? 32700 : 32600) + utmZoneOf(lon);
}

/** True for the EPSG codes this module can project (4326, 6933 and every WGS 84 UTM zone). */
export function isKnownEpsg(epsg: number): boolean {
  return epsg === 4326 || epsg === 6933 || (epsg > 32600 && epsg <= 32660) || (epsg > 32700 && epsg <= 32760);
}

function code(epsg: number): string {
  if (!isKnownEpsg(epsg)) throw new RangeError(`EPSG:${epsg} is not supported; use 4326, 6933 or a WGS 84 UTM zone`);
  return `EPSG:${epsg}`;
}

const converters = new Map<string, proj4.Converter>();

/** A cached converter between two EPSG codes. `forward` maps `from` → `to`. */
export function converter(from: number, to: number): proj4.Converter {
  const key = `${from}>${to}`;
  let conv = converters.get(key);
  if (!conv) {
    conv = proj4(code(from), code(to));
    converters.set(key, conv);
  }
  return conv;
}

/** Projects one point `[x, y]` from CRS `from` to CRS `to` (EPSG codes). */
export function project(from: number, to: number, point: readonly [number, number]): [number, number] {
  if (from === to) return [point[0], point[1]];
  const out = converter(from, to).forward([point[0], point[1]]);
  return [out[0], out[1]];
}

/** Pixel (col, row) → CRS coordinates of that pixel position under `t` (fractional positions allowed). */
export function pixelToCrs(t: Affine, col: number, row: number): [number, number] {
  return [t[0] * col + t[1] * row + t[2], t[3] * col + t[4] * row + t[5]];
}

/** CRS coordinates → fractional pixel position (col, row) under a north-up transform `t`. */
export function crsToPixel(t: Affine, x: number, y: number): [number, number] {
  if (t[1] !== 0 || t[3] !== 0) throw new RangeError('Only north-up transforms (no rotation) are supported');
  return [(x - t[2]) / t[0], (y - t[5]) / t[4]];
}

/**
 * Bounding box in CRS `to` of a bounding box given in CRS `from`, densified along the edges so curved edges
 * (UTM ↔ geographic) are covered.
 */
export function transformBBox(from: number, to: number, bbox: BBox, densify = 16): [number, number, number, number] {
  if (from === to) return [bbox[0], bbox[1], bbox[2], bbox[3]];
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i <= densify; i++) {
    const f = i / densify;
    const pts: [number, number][] = [
      [bbox[0] + f * (bbox[2] - bbox[0]), bbox[1]],
      [bbox[0] + f * (bbox[2] - bbox[0]), bbox[3]],
      [bbox[0], bbox[1] + f * (bbox[3] - bbox[1])],
      [bbox[2], bbox[1] + f * (bbox[3] - bbox[1])],
    ];
    for (const p of pts) {
      const [x, y] = project(from, to, p);
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  }
  return [minX, minY, maxX, maxY];
}
