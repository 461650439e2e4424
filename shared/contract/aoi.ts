/**
 * Area-of-interest rules: a circle of `radius_m` metres around `[lon, lat]` (degrees, WGS 84, lon first) that
 * must lie wholly inside Zimbabwe.
 */
import { booleanPointInPolygon, circle } from '@turf/turf';
import type { Polygon } from 'geojson';
import { GeoCropError } from './errors';
import { capBBox, distanceToBoundaryM } from './geodesy';
import { ZIMBABWE, ZIMBABWE_BBOX, type LonLatBBox } from './zimbabwe';

/** An area of interest: the circle of `radius_m` metres around `lon`, `lat` (degrees, WGS 84). Lon first, always. */
export interface Aoi {
  /** Longitude of the centre, degrees east (−180..180). */
  lon: number;
  /** Latitude of the centre, degrees north (−90..90; Zimbabwe is about −22.4..−15.6). */
  lat: number;
  /** Radius of the circle, metres. */
  radius_m: number;
}

/** Largest radius for runs in the browser, metres. */
export const BROWSER_MAX_RADIUS_M = 5000;
/** Default largest radius for runs on the server, metres (the server may configure its own). */
export const SERVER_DEFAULT_MAX_RADIUS_M = 25_000;
/** Smallest radius, metres (ten 10 m pixels). */
export const MIN_RADIUS_M = 100;
/** Vertices used by {@link aoiPolygon} to approximate the circle. */
export const AOI_CIRCLE_STEPS = 64;

/** Limits for {@link validateAoi}, metres. */
export interface AoiLimits {
  /** Largest radius allowed, metres. Default {@link BROWSER_MAX_RADIUS_M}; the server passes its own. */
  maxRadiusM?: number;
  /** Smallest radius allowed, metres. Default {@link MIN_RADIUS_M}. */
  minRadiusM?: number;
}

const fmt = (v: number, decimals = 5): string => String(Math.round(v * 10 ** decimals) / 10 ** decimals);
const where = (aoi: Aoi): string => `lon ${fmt(aoi.lon)}, lat ${fmt(aoi.lat)}`;
const inBox = (lon: number, lat: number, b: LonLatBBox, pad = 0): boolean =>
  lon >= b[0] - pad && lon <= b[2] + pad && lat >= b[1] - pad && lat <= b[3] + pad;

function checkCoordinates(aoi: Aoi): void {
  const { lon, lat } = aoi;
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
    throw new GeoCropError('AOI_OUT_OF_RANGE', `The AOI centre must be finite numbers of degrees (got lon ${lon}, lat ${lat}).`, { lon, lat });
  }
  const looksSwapped = !inBox(lon, lat, ZIMBABWE_BBOX, 1) && inBox(lat, lon, ZIMBABWE_BBOX, 1);
  const inRange = Math.abs(lon) <= 180 && Math.abs(lat) <= 90;
  if (looksSwapped || !inRange) {
    const hint = looksSwapped || (Math.abs(lat) > 90 && Math.abs(lon) <= 90)
      ? ` It looks like latitude and longitude are swapped: longitude comes first, so use lon ${fmt(lat)}, lat ${fmt(lon)}.`
      : ' Longitude must be within −180..180 and latitude within −90..90 degrees.';
    throw new GeoCropError('AOI_OUT_OF_RANGE', `The AOI centre (lon ${fmt(lon)}, lat ${fmt(lat)}) is not a valid position in Zimbabwe.${hint}`, {
      lon,
      lat,
      swapped: looksSwapped,
    });
  }
}

function checkRadius(aoi: Aoi, minRadiusM: number, maxRadiusM: number): void {
  const r = aoi.radius_m;
  if (!Number.isFinite(r)) {
    throw new GeoCropError('AOI_OUT_OF_RANGE', `The AOI radius must be a finite number of metres (got ${r}).`, { radius_m: r });
  }
  if (r < minRadiusM) {
    throw new GeoCropError('AOI_RADIUS_TOO_SMALL', `The AOI radius is ${fmt(r, 1)} m; use at least ${minRadiusM} m.`, {
      radius_m: r,
      minRadiusM,
    });
  }
  if (r > maxRadiusM) {
    throw new GeoCropError('AOI_RADIUS_TOO_LARGE', `The AOI radius is ${fmt(r, 1)} m; this runner allows at most ${maxRadiusM} m: reduce radius_m to ${maxRadiusM} m or less.`, {
      radius_m: r,
      maxRadiusM,
    });
  }
}

function checkInsideZimbabwe(aoi: Aoi): void {
  const { lon, lat, radius_m: r } = aoi;
  const b = ZIMBABWE_BBOX;
  if (!inBox(lon, lat, b)) {
    throw new GeoCropError(
      'AOI_OUTSIDE_ZIMBABWE',
      `The AOI centre (${where(aoi)}) is outside Zimbabwe, which spans lon ${fmt(b[0], 2)}…${fmt(b[2], 2)} and lat ${fmt(b[1], 2)}…${fmt(b[3], 2)}; GeoCrop maps Zimbabwe only: choose a centre inside the country.`,
      { lon, lat },
    );
  }
  const geometry = ZIMBABWE.geometry;
  const toBorder = distanceToBoundaryM(lon, lat, geometry);
  if (!booleanPointInPolygon([lon, lat], geometry)) {
    throw new GeoCropError(
      'AOI_OUTSIDE_ZIMBABWE',
      `The AOI centre (${where(aoi)}) is outside Zimbabwe, about ${fmt(toBorder / 1000, 1)} km from its border; GeoCrop maps Zimbabwe only: choose a centre inside the country.`,
      { lon, lat, distanceToBorderM: Math.round(toBorder) },
    );
  }
  if (toBorder < r) {
    const maxR = Math.floor(toBorder);
    const inland = Math.ceil(r - toBorder);
    const fix = maxR >= MIN_RADIUS_M
      ? `reduce radius_m to at most ${maxR} m or move the centre at least ${inland} m inland`
      : `move the centre at least ${inland} m inland`;
    throw new GeoCropError(
      'AOI_CROSSES_BORDER',
      `The AOI circle (radius ${fmt(r, 1)} m around ${where(aoi)}) crosses Zimbabwe's border, which is ${maxR} m from the centre: ${fix}.`,
      { lon, lat, radius_m: r, distanceToBorderM: maxR },
    );
  }
}

/**
 * Checks an AOI against the rules and returns a normalised (frozen, fresh) copy. In order: coordinates finite
 * and in range (with a "longitude comes first" hint when lat/lon look swapped) → `AOI_OUT_OF_RANGE`; radius
 * within `[minRadiusM, maxRadiusM]` → `AOI_RADIUS_TOO_SMALL` / `AOI_RADIUS_TOO_LARGE`; centre inside Zimbabwe's
 * bbox, then inside its polygon → `AOI_OUTSIDE_ZIMBABWE`; the whole circle inside the polygon (the centre is at
 * least `radius_m` from the border, exact for the true circle) → `AOI_CROSSES_BORDER`, saying by how much to
 * shrink or move.
 *
 * @param aoi centre in degrees (lon first) and radius in metres.
 * @param limits radius limits in metres; defaults are the browser's (100–5000 m).
 * @throws {GeoCropError} with one of the codes above.
 * @example
 * validateAoi({ lon: 30.05, lat: -17.8, radius_m: 2000 }); // ok
 * validateAoi(aoi, { maxRadiusM: SERVER_DEFAULT_MAX_RADIUS_M }); // server limit
 */
export function validateAoi(aoi: Aoi, limits: AoiLimits = {}): Readonly<Aoi> {
  const minRadiusM = limits.minRadiusM ?? MIN_RADIUS_M;
  const maxRadiusM = limits.maxRadiusM ?? BROWSER_MAX_RADIUS_M;
  if (!(minRadiusM > 0) || !(maxRadiusM >= minRadiusM) || !Number.isFinite(maxRadiusM)) {
    throw new GeoCropError('INTERNAL', `AOI limits are misconfigured: need 0 < minRadiusM ≤ maxRadiusM < ∞ metres (got ${minRadiusM}, ${maxRadiusM}).`);
  }
  checkCoordinates(aoi);
  checkRadius(aoi, minRadiusM, maxRadiusM);
  checkInsideZimbabwe(aoi);
  return Object.freeze({ lon: aoi.lon + 0, lat: aoi.lat + 0, radius_m: aoi.radius_m + 0 });
}

/**
 * Distance in metres from `[lon, lat]` (degrees) to Zimbabwe's border, inside or outside the country.
 * An AOI centred here fits if its radius is at most this.
 */
export function distanceToBorderM(lon: number, lat: number): number {
  return distanceToBoundaryM(lon, lat, ZIMBABWE.geometry);
}

/** True if `[lon, lat]` (degrees) is inside Zimbabwe's polygon. */
export function isInZimbabwe(lon: number, lat: number): boolean {
  return inBox(lon, lat, ZIMBABWE_BBOX) && booleanPointInPolygon([lon, lat], ZIMBABWE.geometry);
}

/**
 * Bounding box of the AOI circle, `[minLon, minLat, maxLon, maxLat]` in degrees: the exact box of the geodesic
 * circle on Turf's sphere, so it contains {@link aoiPolygon}. Use it as the STAC search `bbox`.
 */
export function aoiBBox(aoi: Aoi): [number, number, number, number] {
  return capBBox(aoi.lon, aoi.lat, aoi.radius_m);
}

/**
 * The AOI circle as a GeoJSON Polygon (degrees, `[lon, lat]`, counter-clockwise, {@link AOI_CIRCLE_STEPS}
 * vertices on the geodesic circle). Use it as the STAC search `intersects` and to clip outputs.
 */
export function aoiPolygon(aoi: Aoi): Polygon {
  return circle([aoi.lon, aoi.lat], aoi.radius_m, { steps: AOI_CIRCLE_STEPS, units: 'meters' }).geometry;
}
