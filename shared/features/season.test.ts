import { describe, expect, it } from 'vitest';
import { addObservation, createSeasonState } from './season-accumulator';
import { featurePlane, fillGaps, finishSeason, percentileSorted } from './season-finish';
import { NDVI_SERIES_MISSING, seasonDay, seasonMonthIndex } from './observation';
import { FEATURE_ORDER_V1 } from '../contract/feature-order';
import type { SpectralBand } from './indices';

const DATES = ['2022-09-10', '2022-10-10', '2022-12-15', '2023-01-20', '2023-03-05'];
// With nir + red = 1, NDVI = nir − red and SAVI (L = 0.5) = NDVI: easy to check by hand.
const bandsFor = (v: number) => ({ nir: (1 + v) / 2, red: (1 - v) / 2 });

function run(perPixel: (number | null)[][], extra: Partial<Record<SpectralBand, number>> = {}, monthly = false) {
  const pixels = perPixel.length;
  const bands = ['red', 'nir', ...Object.keys(extra)] as SpectralBand[];
  const s = createSeasonState({ year: 2022, dates: DATES, pixels, bands, monthly });
  DATES.forEach((_, d) => {
    const obs: Record<string, Float32Array> = Object.fromEntries(bands.map((b) => [b, new Float32Array(pixels)]));
    const valid = new Uint8Array(pixels);
    perPixel.forEach((series, p) => {
      const v = series[d];
      if (v === null) return;
      valid[p] = 1;
      const r = bandsFor(v);
      obs.nir[p] = r.nir;
      obs.red[p] = r.red;
      for (const [b, x] of Object.entries(extra)) obs[b][p] = x + d * 0.01;
    });
    addObservation(s, { dateIndex: d, valid, bands: obs });
  });
  return finishSeason(s);
}

const at = (stack: ReturnType<typeof run>, name: string, p: number) => featurePlane(stack, name)[p];

describe('season helpers', () => {
  it('season day and month index', () => {
    expect(DATES.map((d) => seasonDay(d, 2022))).toEqual([9, 39, 105, 141, 185]);
    expect(DATES.map(seasonMonthIndex)).toEqual([0, 1, 3, 4, 6]);
    expect(seasonMonthIndex('2023-06-01')).toBe(-1);
  });
  it('percentiles follow numpy linear interpolation', () => {
    const v = [2, 3, 4, 7, 8];
    expect(percentileSorted(v, 5, 0.1)).toBeCloseTo(2.4, 12);
    expect(percentileSorted(v, 5, 0.9)).toBeCloseTo(7.6, 12);
    expect(percentileSorted([5], 1, 0.9)).toBe(5);
  });
  it('gap filling is linear between months, flat at the ends, untouched when all missing', () => {
    const m = Float64Array.from([NaN, 1, NaN, NaN, 4, NaN]);
    fillGaps(m);
    expect([...m]).toEqual([1, 1, 2, 3, 4, 4]);
    const none = Float64Array.from([NaN, NaN]);
    fillGaps(none);
    expect(none.every(Number.isNaN)).toBe(true);
  });
});

describe('season features (hand-computed)', () => {
  const stack = run([
    [0.2, 0.3, 0.7, 0.8, 0.4],
    [null, 0.5, null, 0.6, null],
    [null, null, null, null, null],
  ]);

  it('computes every NDVI/SAVI-only feature the red and nir bands allow', () => {
    expect(stack.names).toContain('ndvi_sep');
    expect(stack.names).not.toContain('evi_peak');
    expect([...stack.valid]).toEqual([1, 1, 0]);
    expect([...stack.obsCount]).toEqual([5, 2, 0]);
  });

  it('monthly medians, gap-filled, and their sum', () => {
    const months = ['sep', 'oct', 'nov', 'dec', 'jan', 'feb', 'mar', 'apr', 'may'].map((m) => at(stack, `ndvi_${m}`, 0));
    [0.2, 0.3, 0.5, 0.7, 0.8, 0.6, 0.4, 0.4, 0.4].forEach((v, i) => expect(months[i]).toBeCloseTo(v, 6));
    expect(at(stack, 'ndvi_auc', 0)).toBeCloseTo(4.3, 5);
    const p1 = ['sep', 'oct', 'nov', 'dec', 'jan', 'may'].map((m) => at(stack, `ndvi_${m}`, 1));
    [0.5, 0.5, 0.5 + 0.1 / 3, 0.5 + 0.2 / 3, 0.6, 0.6].forEach((v, i) => expect(p1[i]).toBeCloseTo(v, 5));
  });

  it('peaks, means, distribution', () => {
    expect(at(stack, 'ndvi_peak', 0)).toBeCloseTo(0.8, 6);
    expect(at(stack, 'savi_peak', 0)).toBeCloseTo(0.8, 6);
    expect(at(stack, 'ndvi_mean', 0)).toBeCloseTo(0.48, 6);
    expect(at(stack, 'savi_mean', 0)).toBeCloseTo(0.48, 6);
    expect(at(stack, 'ndvi_min', 0)).toBeCloseTo(0.2, 6);
    expect(at(stack, 'ndvi_p10', 0)).toBeCloseTo(0.24, 6);
    expect(at(stack, 'ndvi_p25', 0)).toBeCloseTo(0.3, 6);
    expect(at(stack, 'ndvi_p50', 0)).toBeCloseTo(0.4, 6);
    expect(at(stack, 'ndvi_p75', 0)).toBeCloseTo(0.7, 6);
    expect(at(stack, 'ndvi_p90', 0)).toBeCloseTo(0.76, 6);
    expect(at(stack, 'ndvi_std', 0)).toBeCloseTo(Math.sqrt(0.268 / 5), 6);
    expect(at(stack, 'ndvi_dry', 0)).toBeCloseTo(0.25, 6);
  });

  it('timing: peak day, green-up and senescence at the half-amplitude crossings', () => {
    expect(at(stack, 'ndvi_peak_day', 0)).toBe(141);
    // threshold 0.24 + 0.5 (0.76 − 0.24) = 0.5: up between day 39 (0.3) and 105 (0.7), down between 141 (0.8) and 185 (0.4)
    expect(at(stack, 'greenup_day', 0)).toBeCloseTo(72, 4);
    expect(at(stack, 'senescence_day', 0)).toBeCloseTo(174, 4);
    expect(at(stack, 'season_length', 0)).toBeCloseTo(102, 4);
    // Pixel 1: threshold 0.55, crossing up between day 39 (0.5) and 141 (0.6); never falls: the last observation.
    expect(at(stack, 'greenup_day', 1)).toBeCloseTo(90, 4);
    expect(at(stack, 'senescence_day', 1)).toBe(141);
    // Pixel 1 has no Sep–Oct... it has Oct: dry NDVI 0.5.
    expect(at(stack, 'ndvi_dry', 1)).toBeCloseTo(0.5, 6);
  });

  it('pixels without a clear observation are NaN everywhere and the series says "missing"', () => {
    for (const name of stack.names) expect(at(stack, name, 2)).toBeNaN();
    expect(stack.ndviSeries.values[0 * 3 + 1]).toBe(NDVI_SERIES_MISSING);
    expect(stack.ndviSeries.values[3 * 3 + 0]).toBe(8000);
    expect(stack.ndviSeries.dates).toEqual(DATES);
  });
});

describe('season features with all bands', () => {
  const extra = { blue: 0.03, green: 0.06, rededge1: 0.1, rededge2: 0.2, rededge3: 0.25, nir08: 0.45, swir16: 0.22, swir22: 0.12 };
  it('yields exactly FEATURE_ORDER_V1, in order, and the reflectance at the peak date', () => {
    const stack = run([[0.2, 0.3, 0.7, 0.8, 0.4]], extra);
    expect(stack.names).toEqual([...FEATURE_ORDER_V1]);
    // Peak on date 3: the extra bands were x + 3 × 0.01 then.
    expect(at(stack, 'blue_at_peak', 0)).toBeCloseTo(0.06, 6);
    expect(at(stack, 'swir22_at_peak', 0)).toBeCloseTo(0.15, 6);
    expect(at(stack, 'red_at_peak', 0)).toBeCloseTo(0.1, 6);
    // Dry-season swir16: dates 0 and 1 → 0.22 and 0.23.
    expect(at(stack, 'swir16_dry', 0)).toBeCloseTo(0.225, 6);
    for (const name of stack.names) expect(Number.isFinite(at(stack, name, 0))).toBe(true);
  });
  it('ties keep the earliest date', () => {
    const stack = run([[0.2, 0.8, 0.8, 0.3, 0.2]], extra);
    expect(at(stack, 'ndvi_peak_day', 0)).toBe(39);
    expect(at(stack, 'blue_at_peak', 0)).toBeCloseTo(0.04, 6);
  });
  it('monthly true-colour medians per season month, 0 where a month had no observation', () => {
    const stack = run([[0.2, 0.3, 0.7, 0.8, 0.4], [null, 0.5, null, null, null]], extra, true);
    const m = stack.monthly!;
    expect(m.map((x) => x.month)).toEqual(['sep', 'oct', 'nov', 'dec', 'jan', 'feb', 'mar', 'apr', 'may']);
    const n = 2;
    // Sep: red of pixel 0 = (1 − 0.2) / 2 = 0.4 → 4000; blue 0.03 → 300.
    expect(m[0].rgb[0 * n + 0]).toBe(4000);
    expect(m[0].rgb[2 * n + 0]).toBe(300);
    expect(m[0].rgb[0 * n + 1]).toBe(0);
    expect(m[1].rgb[0 * n + 1]).toBe(2500);
    expect(m[2].rgb.every((v) => v === 0)).toBe(true);
  });
});

describe('accumulator guards', () => {
  it('rejects dates out of order and arrays of the wrong size', () => {
    const s = createSeasonState({ year: 2022, dates: DATES, pixels: 2, bands: ['red', 'nir'] });
    const obs = (d: number, n = 2) => ({ dateIndex: d, valid: new Uint8Array(n), bands: { red: new Float32Array(n), nir: new Float32Array(n) } });
    addObservation(s, obs(1));
    expect(() => addObservation(s, obs(0))).toThrow(/out of order/);
    expect(() => addObservation(s, obs(2, 3))).toThrow(/pixels/);
  });
  it('needs red and nir', () => {
    expect(() => createSeasonState({ year: 2022, dates: DATES, pixels: 1, bands: ['blue'] })).toThrow(/red and nir/);
  });
});
