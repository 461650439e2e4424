import { describe, expect, it } from 'vitest';
import { checkAoi, formatCoordinate, maxRadiusInBox, parseCoordinate } from './aoi-form';
import { capBBox } from '../../../shared/contract/geodesy';

const DEMO = [29.944, -17.847, 30.055, -17.753] as const;

describe('checkAoi', () => {
  it('accepts an area inside Zimbabwe and inside the demo world', () => {
    expect(checkAoi({ lon: 30.0, lat: -17.8, radius_m: 2000 }, { demoRegion: DEMO })).toEqual({ ok: true });
  });

  it('puts radius problems on the radius control, in the form\'s words', () => {
    const r = checkAoi({ lon: 30.0, lat: -17.8, radius_m: 6000 });
    expect(r).toMatchObject({ ok: false, field: 'radius', code: 'AOI_RADIUS_TOO_LARGE' });
    expect(!r.ok && r.message).toContain('reduce the radius to 5000 m or less');
    expect(!r.ok && r.message).not.toContain('radius_m');
  });

  it('puts country problems on the centre control', () => {
    expect(checkAoi({ lon: 25.0, lat: -25.0, radius_m: 1000 })).toMatchObject({ ok: false, field: 'centre', code: 'AOI_OUTSIDE_ZIMBABWE' });
    expect(checkAoi({ lon: -17.8, lat: 30.0, radius_m: 1000 })).toMatchObject({ ok: false, field: 'centre', code: 'AOI_OUT_OF_RANGE' });
  });

  it('keeps demo runs inside the demo world, saying how far the radius may go', () => {
    const outside = checkAoi({ lon: 31.0, lat: -18.0, radius_m: 1000 }, { demoRegion: DEMO });
    expect(outside).toMatchObject({ ok: false, field: 'centre', code: 'OUTSIDE_DEMO_WORLD' });
    const tooBig = checkAoi({ lon: 30.03, lat: -17.8, radius_m: 3000 }, { demoRegion: DEMO });
    expect(tooBig).toMatchObject({ ok: false, field: 'radius', code: 'OUTSIDE_DEMO_WORLD' });
    const max = maxRadiusInBox({ lon: 30.03, lat: -17.8 }, DEMO);
    expect(!tooBig.ok && tooBig.message).toContain(`at most ${max} m`);
    expect(max).toBeGreaterThan(2000);
    expect(checkAoi({ lon: 30.03, lat: -17.8, radius_m: max }, { demoRegion: DEMO })).toEqual({ ok: true });
  });
});

describe('maxRadiusInBox', () => {
  it('is the largest circle (to 10 m) that fits', () => {
    const r = maxRadiusInBox({ lon: 30.0, lat: -17.8 }, DEMO);
    const [w, s, e, n] = capBBox(30.0, -17.8, r);
    expect(w >= DEMO[0] && s >= DEMO[1] && e <= DEMO[2] && n <= DEMO[3]).toBe(true);
    const [w2, s2, e2, n2] = capBBox(30.0, -17.8, r + 10);
    expect(w2 >= DEMO[0] && s2 >= DEMO[1] && e2 <= DEMO[2] && n2 <= DEMO[3]).toBe(false);
    expect(maxRadiusInBox({ lon: 31, lat: -17.8 }, DEMO)).toBe(0);
  });
});

describe('parseCoordinate', () => {
  it('reads decimals, comma decimals, hemispheres and degrees-minutes', () => {
    expect(parseCoordinate(' 30.05 ')).toBe(30.05);
    expect(parseCoordinate('-17,8')).toBe(-17.8);
    expect(parseCoordinate('17.8 S')).toBe(-17.8);
    expect(parseCoordinate('30.05e')).toBe(30.05);
    expect(parseCoordinate("17° 48' S")).toBeCloseTo(-17.8, 10);
  });
  it('is NaN for anything else', () => {
    for (const t of ['', 'abc', '17.8 X', '1.2.3']) expect(parseCoordinate(t)).toBeNaN();
  });
  it('formats to 5 decimals', () => {
    expect(formatCoordinate(30.123456)).toBe('30.12346');
  });
});
