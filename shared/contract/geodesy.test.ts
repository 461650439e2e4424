import { circle, distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { capBBox, distanceToBoundaryM, haversineM } from './geodesy';

describe('geodesy', () => {
  it('haversine agrees with turf.distance', () => {
    const d = haversineM(31.05, -17.83, 28.28, -15.41);
    expect(d).toBeCloseTo(distance([31.05, -17.83], [28.28, -15.41], { units: 'meters' }), 3);
  });

  it('capBBox contains a fine turf circle and is tight', () => {
    for (const [lon, lat, r] of [[30.05, -17.8, 2000], [25.5, -22.3, 25_000], [0, 0, 100]]) {
      const [minLon, minLat, maxLon, maxLat] = capBBox(lon, lat, r);
      const ring = circle([lon, lat], r, { steps: 720, units: 'meters' }).geometry.coordinates[0];
      const xs = ring.map((p) => p[0]);
      const ys = ring.map((p) => p[1]);
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(minLon - 1e-12);
      expect(Math.max(...xs)).toBeLessThanOrEqual(maxLon + 1e-12);
      expect(Math.min(...ys)).toBeGreaterThanOrEqual(minLat - 1e-12);
      expect(Math.max(...ys)).toBeLessThanOrEqual(maxLat + 1e-12);
      expect(Math.min(...xs) - minLon).toBeLessThan(1e-5);
      expect(maxLat - Math.max(...ys)).toBeLessThan(1e-5);
    }
  });

  it('distanceToBoundaryM measures to the nearest edge, inside or outside', () => {
    // A 0.1° square around the origin: 0.05° from the centre to each side.
    const square = { type: 'Polygon' as const, coordinates: [[[-0.05, -0.05], [0.05, -0.05], [0.05, 0.05], [-0.05, 0.05], [-0.05, -0.05]]] };
    const halfSide = haversineM(0, 0, 0.05, 0);
    expect(distanceToBoundaryM(0, 0, square)).toBeCloseTo(halfSide, 3);
    expect(distanceToBoundaryM(0.1, 0, square)).toBeCloseTo(halfSide, 0);
    expect(distanceToBoundaryM(0.02, 0.05, square)).toBeCloseTo(0, 6);
  });
});
