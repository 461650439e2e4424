import { describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../shared/contract/classes';
import { generateLandscape, ringArea } from './landscape';

const extent = [174_000, 8_024_000, 188_000, 8_035_000] as const;

describe('generateLandscape', () => {
  const parcels = generateLandscape(42, extent);

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateLandscape(42, extent)).toEqual(parcels);
    expect(generateLandscape(7, extent)).not.toEqual(parcels);
  });

  it('tiles the extent without gaps (dams drawn on top)', () => {
    const land = parcels.filter((p) => p.kind !== 'dam').reduce((s, p) => s + Math.abs(ringArea(p.ring)), 0);
    const total = (extent[2] - extent[0]) * (extent[3] - extent[1]);
    expect(Math.abs(land - total) / total).toBeLessThan(1e-9);
  });

  it('has hundreds of fields of realistic sizes and every class', () => {
    const fields = parcels.filter((p) => p.kind === 'commercial' || p.kind === 'smallholder');
    expect(fields.length).toBeGreaterThan(300);
    for (const f of fields) {
      expect(f.areaHa).toBeGreaterThanOrEqual(0.5);
      expect(f.areaHa).toBeLessThanOrEqual(20);
    }
    expect(fields.filter((f) => f.areaHa < 2).length).toBeGreaterThan(50);
    expect(fields.filter((f) => f.areaHa > 8).length).toBeGreaterThan(30);
    expect(new Set(parcels.map((p) => p.cls))).toEqual(new Set(CLASS_NAMES));
  });
});
