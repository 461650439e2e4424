import { describe, expect, it } from 'vitest';
import { bsi, evi, indexValue, msavi2, ndmi, ndre, ndvi, ndwi, savi } from './indices';

// Hand-computed with a calculator from one vegetated pixel: blue .04, green .08, red .05, rededge1 .12,
// nir .40, nir08 .42, swir16 .20.
const px = { blue: 0.04, green: 0.08, red: 0.05, rededge1: 0.12, nir: 0.4, nir08: 0.42, swir16: 0.2 };

describe('spectral indices (hand-computed values)', () => {
  it('NDVI, SAVI (L = 0.5), EVI, MSAVI2', () => {
    expect(ndvi(0.4, 0.05)).toBeCloseTo(0.35 / 0.45, 12); // 0.777…
    expect(savi(0.4, 0.05)).toBeCloseTo((1.5 * 0.35) / 0.95, 12); // 0.552631…
    expect(evi(0.4, 0.05, 0.04)).toBeCloseTo((2.5 * 0.35) / (0.4 + 0.3 - 0.3 + 1), 12); // 0.625
    // MSAVI2: a = 1.8, disc = 3.24 − 2.8 = 0.44, (1.8 − 0.663325) / 2
    expect(msavi2(0.4, 0.05)).toBeCloseTo((1.8 - Math.sqrt(0.44)) / 2, 12);
  });
  it('NDRE, NDMI, NDWI, BSI', () => {
    expect(ndre(0.42, 0.12)).toBeCloseTo(0.3 / 0.54, 12);
    expect(ndmi(0.42, 0.2)).toBeCloseTo(0.22 / 0.62, 12);
    expect(ndwi(0.08, 0.4)).toBeCloseTo(-0.32 / 0.48, 12);
    expect(bsi(0.2, 0.05, 0.4, 0.04)).toBeCloseTo((0.25 - 0.44) / 0.69, 12);
  });
  it('indexValue dispatches by name and gives NaN when a band is missing', () => {
    expect(indexValue('ndre', px)).toBeCloseTo(0.3 / 0.54, 12);
    expect(indexValue('bsi', px)).toBeCloseTo((0.25 - 0.44) / 0.69, 12);
    expect(indexValue('ndmi', { nir08: 0.3 })).toBeNaN();
  });
  it('guards: zero denominators give 0, EVI is clamped, MSAVI2 never takes √ of a negative', () => {
    expect(ndvi(0, 0)).toBe(0);
    expect(evi(0.9, 0.0, 0.3)).toBe(-1); // 2.25 / −0.35 = −6.4 ⇒ clamped
    expect(evi(0.4, 0.0, 0.18)).toBe(1); // 1.0 / 0.05 = 20 ⇒ clamped
    expect(evi(0.2, 0.9, 0.0)).toBeCloseTo((2.5 * -0.7) / 6.6, 12); // in range: unchanged
    expect(Number.isFinite(msavi2(1, -1))).toBe(true);
  });
});
