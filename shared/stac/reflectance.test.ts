import { describe, expect, it } from 'vitest';
import { dnConversion, dnStillOffset } from './reflectance';

describe('dnConversion', () => {
  const base = { band: 'red' as const, processingBaseline: null, boaOffsetApplied: null, date: '2023-01-04' };

  it('explicit raster:bands win, even over the c1 rule', () => {
    expect(dnConversion({ ...base, family: 'c1', rasterBand: { scale: 1e-4, offset: 0 } })).toEqual({
      scale: 1e-4, offset: 0, source: 'raster:bands',
    });
    expect(dnConversion({ ...base, family: 'c1', rasterBand: { offset: -0.1 } })).toMatchObject({ scale: 1, offset: -0.1 });
  });

  it('a raster:bands entry without scale/offset (SCL in E84 items) falls through to the rules', () => {
    expect(dnConversion({ ...base, band: 'scl', family: 'c1', rasterBand: {} })).toEqual({ scale: 1, offset: 0, source: 'scl' });
    expect(dnConversion({ ...base, family: 'c1', rasterBand: {} })).toEqual({ scale: 1e-4, offset: -0.1, source: 'c1' });
  });

  it('c1 is harmonised for every date; legacy follows baseline and flag', () => {
    expect(dnConversion({ ...base, family: 'c1', date: '2017-03-01' }).offset).toBe(-0.1);
    const legacy = { ...base, family: 'legacy' as const };
    expect(dnConversion({ ...legacy, processingBaseline: '02.14' }).offset).toBe(0);
    expect(dnConversion({ ...legacy, processingBaseline: '04.00', boaOffsetApplied: true }).offset).toBe(0);
    expect(dnConversion({ ...legacy, processingBaseline: '04.00', boaOffsetApplied: false }).offset).toBe(-0.1);
    expect(dnConversion({ ...legacy, processingBaseline: '05.09', boaOffsetApplied: null }).offset).toBe(-0.1);
  });
});

describe('dnStillOffset', () => {
  it('uses the acquisition date only when the baseline is unknown', () => {
    expect(dnStillOffset(null, null, '2022-01-24')).toBe(false);
    expect(dnStillOffset(null, null, '2022-01-25')).toBe(true);
    expect(dnStillOffset(null, true, '2023-06-01')).toBe(false);
    expect(dnStillOffset('03.01', null, '2023-06-01')).toBe(false);
  });
});
