import { describe, expect, it } from 'vitest';
import { CLASSES } from '../../../shared/contract/classes';
import type { RunResult } from '../../../shared/pipeline/types';
import { availableLayers, baselineDisplay, classAreas, displayBuffers, inspectPixel, renderLayer, toDisplayResult } from './display-result';

// A 3 × 2 grid of 10 m pixels in UTM 36S; the last pixel is outside the AOI, the fifth never seen clear.
const grid = { epsg: 32736, transform: [10, 0, 500_000, 0, -10, 8_000_000] as const, width: 3, height: 2 };
const n = 6;
const names = ['ndvi_peak', 'red_at_peak', 'green_at_peak', 'blue_at_peak', 'ndvi_mean'];
const data = new Float32Array(names.length * n);
data.set([0.8, 0.2, 0.5, -0.1, Number.NaN, 0.7], 0);
data.set([0.03, 0.06, 0.09, 0.12, Number.NaN, 0.3], n);
data.set([0.03, 0.06, 0.09, 0.12, Number.NaN, 0.3], 2 * n);
data.set([0.03, 0.06, 0.09, 0.12, Number.NaN, 0.3], 3 * n);
const dates = ['2022-10-01', '2022-12-01', '2023-02-01'];
const series = new Int16Array(3 * n).fill(-32768);
series[0] = 2000;
series[n] = 6000;
series[2 * n] = 8000;

function fixture(): RunResult {
  return {
    grid,
    layers: {
      refined: Uint8Array.from([0, 0, 6, 9, 255, 1]),
      classes: Uint8Array.from([0, 1, 6, 9, 255, 1]),
      confidence: Float32Array.from([0.9, 0.5, 1, 0, Number.NaN, 0.7]),
      baseline: Uint8Array.from([1, 1, 0, 0, 255, 1]),
      aoiMask: Uint8Array.from([1, 1, 1, 1, 1, 0]),
      features: { names, pixels: n, data, valid: Uint8Array.from([1, 1, 1, 1, 0, 1]), obsCount: new Uint16Array(n), ndviSeries: { dates, values: series } },
    },
    manifest: { grid: { ...grid, resolution: 10 } } as RunResult['manifest'],
    files: {},
  };
}

const px = (rgba: Uint8ClampedArray, i: number) => [...rgba.subarray(i * 4, i * 4 + 4)];

describe('display result', () => {
  it('keeps copies of the display planes, not the whole feature stack', () => {
    const d = toDisplayResult(fixture(), CLASSES);
    expect(Object.keys(d.planes).sort()).toEqual(['blue_at_peak', 'green_at_peak', 'ndvi_peak', 'red_at_peak']);
    expect(d.planes.ndvi_peak!.buffer.byteLength).toBe(n * 4);
    expect(displayBuffers(d).every((b) => b.byteLength <= 3 * n * 2)).toBe(true);
    expect(availableLayers(d).map((l) => l.kind)).toEqual(['classes', 'confidence', 'baseline', 'truecolor', 'ndvi_peak']);
  });

  it('draws classes in their colours, transparent outside the AOI and where there is no class', () => {
    const d = toDisplayResult(fixture(), CLASSES);
    const img = renderLayer(d, 'classes');
    expect(px(img.data, 0)).toEqual([242, 193, 46, 255]); // maize #f2c12e
    expect(px(img.data, 3)).toEqual([43, 123, 214, 255]); // water #2b7bd6
    expect(px(img.data, 4)[3]).toBe(0);
    expect(px(img.data, 5)[3]).toBe(0);
    expect(px(renderLayer(d, 'classes', { smoothed: false }).data, 1)).toEqual([181, 101, 29, 255]); // raw: tobacco
  });

  it('draws true colour with the COG stretch and ramps for indices and confidence', () => {
    const d = toDisplayResult(fixture(), CLASSES);
    expect(px(renderLayer(d, 'truecolor').data, 1)).toEqual([51, 51, 51, 255]); // 0.06 / 0.3 × 255
    expect(px(renderLayer(d, 'truecolor').data, 4)[3]).toBe(0); // never seen clear
    expect(px(renderLayer(d, 'confidence').data, 2)).toEqual([253, 231, 37, 255]);
    expect(px(renderLayer(d, 'ndvi_peak').data, 3)).toEqual([140, 90, 50, 255]);
    expect(px(renderLayer(d, 'baseline').data, 0)).toEqual([230, 160, 40, 255]);
  });

  it('inspects a pixel by map coordinates: class, confidence, baseline and its NDVI series', () => {
    const d = toDisplayResult(fixture(), CLASSES);
    const r = inspectPixel(d, 500_005, 7_999_995)!;
    expect(r).toMatchObject({ col: 0, row: 0, classCode: 0, className: 'maize', rawClassCode: 0, confidence: expect.closeTo(0.9, 6), baselineCrop: true, ndviPeak: expect.closeTo(0.8, 6) });
    expect(r.ndvi).toEqual([{ date: '2022-10-01', value: 0.2 }, { date: '2022-12-01', value: 0.6 }, { date: '2023-02-01', value: 0.8 }]);
    expect(inspectPixel(d, 500_025, 7_999_985)).toBeUndefined(); // outside the AOI
    expect(inspectPixel(d, 499_999, 7_999_995)).toBeUndefined(); // off the grid
    expect(inspectPixel(d, 500_015, 7_999_985)).toMatchObject({ classCode: undefined, confidence: undefined, baselineCrop: undefined, ndvi: [] });
  });

  it('shows the baseline alone before any class is known: one layer, no classes, no NDVI', () => {
    const grid = { epsg: 32736, transform: [80, 0, 0, 0, -80, 0] as const, width: 3, height: 1 };
    const d = baselineDisplay({ grid, aoiMask: Uint8Array.from([1, 1, 0]), data: Uint8Array.from([1, 0, 1]) }, CLASSES);
    expect(d).toMatchObject({ stage: 'baseline', resolution: 80 });
    expect(availableLayers(d)).toEqual([{ kind: 'baseline', label: 'Baseline crop mask' }]);
    expect([...renderLayer(d, 'baseline').data]).toEqual([230, 160, 40, 255, 210, 210, 200, 255, 0, 0, 0, 0]);
    expect(classAreas(d, true).every((a) => a.pixels === 0)).toBe(true);
    expect(inspectPixel(d, 40, -40)).toMatchObject({ baselineCrop: true, classCode: undefined, ndvi: [] });
  });

  it('reports areas per class inside the AOI as the manifest does', () => {
    const areas = classAreas(toDisplayResult(fixture(), CLASSES));
    expect(areas.find((a) => a.name === 'maize')).toMatchObject({ pixels: 2, hectares: 0.02, colour: '#f2c12e' });
    expect(areas.find((a) => a.name === 'tobacco')).toMatchObject({ pixels: 0 }); // outside the AOI
    expect(areas).toHaveLength(10);
  });
});
