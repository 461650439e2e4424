/**
 * The area controls' rules in the words of the page: typed coordinates, and why an area cannot run — said next to
 * the control that must change, before anything runs. The rules themselves are the contract's (`validateAoi`);
 * this module only adds the demo world's extent and turns API wording ("radius_m") into the form's.
 */
import { validateAoi, type Aoi } from '../../../shared/contract/aoi';
import { capBBox } from '../../../shared/contract/geodesy';
import { isGeoCropError } from '../../../shared/contract/errors';

/** Which control a problem belongs to. */
export type AoiField = 'centre' | 'radius';

/** The verdict on an area. */
export type AoiCheck = { ok: true } | { ok: false; field: AoiField; code: string; message: string };

/** `[minLon, minLat, maxLon, maxLat]`, degrees. */
export type LonLatBox = readonly [number, number, number, number];

const RADIUS_CODES = new Set(['AOI_RADIUS_TOO_SMALL', 'AOI_RADIUS_TOO_LARGE']);

const deg = (v: number) => v.toFixed(3);

/**
 * Checks an area against the country rules and, for the demo world, its extent.
 *
 * @param demoRegion the demo world's extent when the data source is the demo world (its data covers nothing else).
 */
export function checkAoi(aoi: Aoi, opts: { maxRadiusM?: number; demoRegion?: LonLatBox } = {}): AoiCheck {
  try {
    validateAoi(aoi, { maxRadiusM: opts.maxRadiusM });
  } catch (err) {
    if (!isGeoCropError(err)) throw err;
    const message = err.message.replaceAll('radius_m', 'the radius').replaceAll('The AOI', 'The area');
    return { ok: false, field: RADIUS_CODES.has(err.code) ? 'radius' : 'centre', code: err.code, message };
  }
  const r = opts.demoRegion;
  if (r) {
    const [w, s, e, n] = capBBox(aoi.lon, aoi.lat, aoi.radius_m);
    if (aoi.lon < r[0] || aoi.lon > r[2] || aoi.lat < r[1] || aoi.lat > r[3]) {
      return {
        ok: false, field: 'centre', code: 'OUTSIDE_DEMO_WORLD',
        message: `The demo world only has data for lon ${deg(r[0])}…${deg(r[2])}, lat ${deg(r[1])}…${deg(r[3])} (the dashed box on the map): move the centre inside it, or switch the data source to Digital Earth Africa when online.`,
      };
    }
    if (w < r[0] || s < r[1] || e > r[2] || n > r[3]) {
      return {
        ok: false, field: 'radius', code: 'OUTSIDE_DEMO_WORLD',
        message: `This circle reaches past the demo world's data (the dashed box): make the radius at most ${maxRadiusInBox(aoi, r)} m, or move the centre towards the middle of the box.`,
      };
    }
  }
  return { ok: true };
}

/** Largest radius (whole metres, rounded down to 10 m) whose circle around the centre stays inside `box`. */
export function maxRadiusInBox(aoi: Pick<Aoi, 'lon' | 'lat'>, box: LonLatBox): number {
  const fits = (m: number) => {
    const [w, s, e, n] = capBBox(aoi.lon, aoi.lat, m);
    return w >= box[0] && s >= box[1] && e <= box[2] && n <= box[3];
  };
  let lo = 0;
  let hi = 50_000;
  if (!fits(1)) return 0;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return Math.floor(lo / 10) * 10;
}

/**
 * Reads a typed coordinate: a decimal number (a comma decimal separator is accepted), optionally with a hemisphere
 * letter (`17.8 S`, `30.05E`), or degrees and minutes (`17° 48' S`). Returns NaN when the text is not one.
 */
export function parseCoordinate(text: string): number {
  const t = text.trim().toUpperCase().replace(/(\d),(\d)/g, '$1.$2');
  const m = /^([+-]?\d+(?:\.\d+)?)\s*(?:°\s*(?:(\d+(?:\.\d+)?)\s*['′]?\s*)?)?([NSEW])?$/.exec(t);
  if (!m) return Number.NaN;
  let v = Number(m[1]);
  if (m[2] !== undefined) v = Math.sign(v || 1) * (Math.abs(v) + Number(m[2]) / 60);
  if (m[3] === 'S' || m[3] === 'W') v = -Math.abs(v);
  return v;
}

/** A coordinate for a text field: 5 decimals (≈ 1 m). */
export function formatCoordinate(v: number): string {
  return (Math.round(v * 1e5) / 1e5).toFixed(5);
}
