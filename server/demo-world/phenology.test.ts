import { describe, expect, it } from 'vitest';
import type { ClassName } from '../../shared/contract/classes';
import type { Parcel } from './landscape';
import { ndviOf, NB, parcelSpectrum, seasonDay } from './phenology';

const parcel = (cls: ClassName): Parcel => ({ id: 1, cls, kind: 'commercial', ring: [], areaHa: 5, params: { sowShift: 0, endShift: 0, vigour: 1, soil: 1, burnDay: -1 } });
const ndvi = (cls: ClassName, date: string) => {
  const s = new Float32Array(NB);
  parcelSpectrum(parcel(cls), seasonDay(date, 2022), { onsetShift: 0 }, s, new Float32Array(NB), 0);
  return ndviOf(s, 0);
};

describe('class phenology (calibrated to ARCHITECTURE.md and Zimbabwe’s calendars)', () => {
  it('keeps crops bare (~0.25) before the rains and peaks maize and cotton in Feb–Mar', () => {
    for (const c of ['maize', 'soybean', 'cotton', 'groundnut', 'sorghum'] as const) expect(ndvi(c, '2022-09-15')).toBeLessThan(0.32);
    expect(ndvi('maize', '2023-02-20')).toBeGreaterThan(0.7);
    expect(ndvi('maize', '2023-02-20')).toBeLessThan(0.85);
    expect(ndvi('cotton', '2023-03-10')).toBeGreaterThan(0.65);
    expect(ndvi('maize', '2023-05-25')).toBeLessThan(0.4);
  });

  it('grows tobacco early and reaps it by March', () => {
    expect(ndvi('tobacco', '2022-12-20')).toBeGreaterThan(0.7);
    expect(ndvi('tobacco', '2022-11-25')).toBeGreaterThan(ndvi('maize', '2022-11-25') + 0.25);
    expect(ndvi('tobacco', '2023-03-20')).toBeLessThan(0.45);
  });

  it('keeps woodland green in the dry season, grassland cured, water negative, bare low', () => {
    expect(ndvi('woodland', '2022-10-15')).toBeGreaterThan(ndvi('grassland', '2022-10-15') + 0.15);
    expect(ndvi('water', '2023-01-15')).toBeLessThan(0);
    expect(ndvi('bare', '2023-01-15')).toBeLessThan(0.2);
  });
});
