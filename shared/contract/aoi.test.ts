import { booleanPointInPolygon, booleanWithin, circle } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import {
  AOI_CIRCLE_STEPS,
  BROWSER_MAX_RADIUS_M,
  SERVER_DEFAULT_MAX_RADIUS_M,
  aoiBBox,
  aoiPolygon,
  distanceToBorderM,
  isInZimbabwe,
  validateAoi,
  type Aoi,
} from './aoi';
import { GeoCropError } from './errors';
import { ZIMBABWE } from './zimbabwe';

const HARARE = { lon: 31.05, lat: -17.83 };
const DEMO: Aoi = { lon: 30.05, lat: -17.8, radius_m: 2000 };
/** About 1 km inside the eastern border, near Mutare (checked below). */
const NEAR_MUTARE = { lon: 32.676, lat: -18.97 };

function errorOf(fn: () => unknown): GeoCropError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GeoCropError) return e;
    throw e;
  }
  throw new Error('expected a GeoCropError, nothing was thrown');
}

describe('validateAoi: radius', () => {
  it('exports the browser and server limits', () => {
    expect(BROWSER_MAX_RADIUS_M).toBe(5000);
    expect(SERVER_DEFAULT_MAX_RADIUS_M).toBe(25_000);
  });

  it('accepts 100 m and 5000 m, rejects 99 m and 5001 m in the browser', () => {
    expect(validateAoi({ ...HARARE, radius_m: 100 }).radius_m).toBe(100);
    expect(validateAoi({ ...HARARE, radius_m: 5000 }).radius_m).toBe(5000);
    const small = errorOf(() => validateAoi({ ...HARARE, radius_m: 99 }));
    expect(small.code).toBe('AOI_RADIUS_TOO_SMALL');
    expect(small.message).toMatch(/at least 100 m/);
    const large = errorOf(() => validateAoi({ ...HARARE, radius_m: 5001 }));
    expect(large.code).toBe('AOI_RADIUS_TOO_LARGE');
    expect(large.message).toMatch(/at most 5000 m/);
  });

  it('allows up to the server limit when the server passes it', () => {
    expect(validateAoi({ ...HARARE, radius_m: 25_000 }, { maxRadiusM: SERVER_DEFAULT_MAX_RADIUS_M }).radius_m).toBe(25_000);
    expect(errorOf(() => validateAoi({ ...HARARE, radius_m: 25_001 }, { maxRadiusM: SERVER_DEFAULT_MAX_RADIUS_M })).code).toBe('AOI_RADIUS_TOO_LARGE');
  });

  it('rejects negative and non-finite radii, and misconfigured limits', () => {
    expect(errorOf(() => validateAoi({ ...HARARE, radius_m: -5 })).code).toBe('AOI_RADIUS_TOO_SMALL');
    expect(errorOf(() => validateAoi({ ...HARARE, radius_m: NaN })).code).toBe('AOI_OUT_OF_RANGE');
    expect(errorOf(() => validateAoi({ ...HARARE, radius_m: 1000 }, { maxRadiusM: 50 })).code).toBe('INTERNAL');
  });
});

describe('validateAoi: coordinates', () => {
  it('detects swapped lat/lon and says longitude comes first', () => {
    const err = errorOf(() => validateAoi({ lon: -17.8, lat: 30.05, radius_m: 2000 }));
    expect(err.code).toBe('AOI_OUT_OF_RANGE');
    expect(err.message).toMatch(/longitude comes first/);
    expect(err.message).toMatch(/lon 30\.05, lat -17\.8/);
    expect(err.details).toMatchObject({ swapped: true });
  });

  it('rejects out-of-range and non-finite coordinates', () => {
    expect(errorOf(() => validateAoi({ lon: 181, lat: -17.8, radius_m: 2000 })).code).toBe('AOI_OUT_OF_RANGE');
    expect(errorOf(() => validateAoi({ lon: 31, lat: -91, radius_m: 2000 })).code).toBe('AOI_OUT_OF_RANGE');
    expect(errorOf(() => validateAoi({ lon: Infinity, lat: -17.8, radius_m: 2000 })).code).toBe('AOI_OUT_OF_RANGE');
    expect(errorOf(() => validateAoi({ lon: 31, lat: 95, radius_m: 2000 })).message).toMatch(/longitude comes first/);
  });
});

describe('validateAoi: inside Zimbabwe', () => {
  it('accepts the demo AOI and a centre in Harare, returning a fresh copy', () => {
    const out = validateAoi(DEMO);
    expect(out).toEqual(DEMO);
    expect(out).not.toBe(DEMO);
    expect(validateAoi({ ...HARARE, radius_m: 5000 })).toEqual({ ...HARARE, radius_m: 5000 });
  });

  it.each([
    ['Lusaka (bbox reject)', 28.28, -15.41],
    ['the Indian Ocean', 40, -20],
    ['Tete, Mozambique (bbox reject)', 33.59, -16.16],
    ['Mozambique inside the bbox (polygon reject)', 32.5, -16.0],
    ['Mozambique 7 km east of Mutare', 32.9, -19.5],
    ['Zambia inside the bbox', 26.5, -16.5],
    ['Botswana inside the bbox', 26.0, -21.5],
  ])('rejects a centre in %s with AOI_OUTSIDE_ZIMBABWE', (_name, lon, lat) => {
    const err = errorOf(() => validateAoi({ lon, lat, radius_m: 1000 }));
    expect(err.code).toBe('AOI_OUTSIDE_ZIMBABWE');
    expect(err.message).toMatch(/outside Zimbabwe/);
  });

  it('rejects a centre 1 km inside the border with a 5 km radius, saying how to fix it', () => {
    const d = distanceToBorderM(NEAR_MUTARE.lon, NEAR_MUTARE.lat);
    expect(isInZimbabwe(NEAR_MUTARE.lon, NEAR_MUTARE.lat)).toBe(true);
    expect(d).toBeGreaterThan(900);
    expect(d).toBeLessThan(1100);
    const err = errorOf(() => validateAoi({ ...NEAR_MUTARE, radius_m: 5000 }));
    expect(err.code).toBe('AOI_CROSSES_BORDER');
    const maxR = Math.floor(d);
    expect(err.message).toContain(`reduce radius_m to at most ${maxR} m or move the centre at least ${Math.ceil(5000 - d)} m inland`);
    // The suggested radius is accepted; one metre more is not.
    expect(validateAoi({ ...NEAR_MUTARE, radius_m: maxR }).radius_m).toBe(maxR);
    expect(errorOf(() => validateAoi({ ...NEAR_MUTARE, radius_m: maxR + 1 })).code).toBe('AOI_CROSSES_BORDER');
  });

  it('only suggests moving when even the smallest radius does not fit', () => {
    const err = errorOf(() => validateAoi({ lon: 32.686, lat: -18.97, radius_m: 500 }));
    expect(err.code).toBe('AOI_CROSSES_BORDER');
    expect(err.message).not.toMatch(/reduce radius_m/);
    expect(err.message).toMatch(/move the centre at least \d+ m inland/);
  });

  it('agrees with turf.booleanWithin on the 64-step circle (an independent check)', () => {
    expect(booleanWithin(circle([DEMO.lon, DEMO.lat], DEMO.radius_m, { steps: 64, units: 'meters' }), ZIMBABWE)).toBe(true);
    expect(booleanWithin(circle([NEAR_MUTARE.lon, NEAR_MUTARE.lat], 5000, { steps: 64, units: 'meters' }), ZIMBABWE)).toBe(false);
  });
});

describe('aoiPolygon and aoiBBox', () => {
  it('builds the 64-step geodesic circle, closed and counter-clockwise', () => {
    const poly = aoiPolygon(DEMO);
    expect(poly.type).toBe('Polygon');
    const ring = poly.coordinates[0];
    expect(ring).toHaveLength(AOI_CIRCLE_STEPS + 1);
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    let s = 0;
    for (let k = 1; k < ring.length; k++) s += (ring[k][0] - ring[k - 1][0]) * (ring[k][1] + ring[k - 1][1]);
    expect(s).toBeLessThan(0);
    expect(booleanPointInPolygon([DEMO.lon, DEMO.lat], poly)).toBe(true);
  });

  it('has a bbox that contains the circle and is about 2 × radius wide', () => {
    const [minLon, minLat, maxLon, maxLat] = aoiBBox(DEMO);
    for (const [x, y] of aoiPolygon(DEMO).coordinates[0]) {
      expect(x).toBeGreaterThanOrEqual(minLon);
      expect(x).toBeLessThanOrEqual(maxLon);
      expect(y).toBeGreaterThanOrEqual(minLat);
      expect(y).toBeLessThanOrEqual(maxLat);
    }
    // 2 km at -17.8°: 0.01799° of latitude, 0.01889° of longitude.
    expect(maxLat - minLat).toBeCloseTo((2 * 2000) / 111_195, 4);
    expect(maxLon - minLon).toBeCloseTo((2 * 2000) / (111_195 * Math.cos((17.8 * Math.PI) / 180)), 4);
  });
});
