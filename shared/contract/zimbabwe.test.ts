import { area, booleanPointInPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { ZIMBABWE, ZIMBABWE_BBOX } from './zimbabwe';

describe('ZIMBABWE boundary (Natural Earth 1:10m, generated)', () => {
  it('is a GeoJSON polygon feature with its provenance', () => {
    expect(ZIMBABWE.type).toBe('Feature');
    expect(['Polygon', 'MultiPolygon']).toContain(ZIMBABWE.geometry.type);
    expect(ZIMBABWE.properties.name).toBe('Zimbabwe');
    expect(ZIMBABWE.properties.source).toMatch(/^Natural Earth 1:10m via world-atlas@\d+\.\d+\.\d+$/);
    expect(ZIMBABWE.properties.licence).toBe('public domain');
  });

  it('has an area of about 390,000 km² (± 3 %)', () => {
    const km2 = area(ZIMBABWE) / 1e6;
    expect(km2).toBeGreaterThan(390_000 * 0.97);
    expect(km2).toBeLessThan(390_000 * 1.03);
  });

  it('has a bbox of about lon 25.2..33.1, lat -22.5..-15.6', () => {
    const [minLon, minLat, maxLon, maxLat] = ZIMBABWE_BBOX;
    expect(minLon).toBeCloseTo(25.2, 0);
    expect(maxLon).toBeCloseTo(33.1, 0);
    expect(minLat).toBeCloseTo(-22.5, 0);
    expect(maxLat).toBeCloseTo(-15.6, 0);
    expect(Math.abs(minLon - 25.2)).toBeLessThan(0.15);
    expect(Math.abs(maxLon - 33.1)).toBeLessThan(0.15);
    expect(Math.abs(minLat - -22.5)).toBeLessThan(0.15);
    expect(Math.abs(maxLat - -15.6)).toBeLessThan(0.15);
    expect(ZIMBABWE_BBOX).toEqual(ZIMBABWE.bbox);
  });

  it('contains Harare and excludes Lusaka and the south bank of the Limpopo at Beitbridge', () => {
    expect(booleanPointInPolygon([31.05, -17.83], ZIMBABWE)).toBe(true);
    expect(booleanPointInPolygon([28.28, -15.41], ZIMBABWE)).toBe(false);
    expect(booleanPointInPolygon([30.0, -22.5], ZIMBABWE)).toBe(false);
  });

  it('uses RFC 7946 ring order (exterior counter-clockwise) and closed rings', () => {
    const polygons = ZIMBABWE.geometry.type === 'Polygon' ? [ZIMBABWE.geometry.coordinates] : ZIMBABWE.geometry.coordinates;
    for (const rings of polygons) {
      rings.forEach((ring, i) => {
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        let s = 0;
        for (let k = 1; k < ring.length; k++) s += (ring[k][0] - ring[k - 1][0]) * (ring[k][1] + ring[k - 1][1]);
        expect(s < 0).toBe(i === 0); // shoelace: negative sum = counter-clockwise
      });
    }
  });
});
