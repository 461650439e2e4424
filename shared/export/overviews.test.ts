import { describe, expect, it } from 'vitest';
import { GeoCropError } from '../contract/errors';
import { downsample, overviewFactors, overviewSize } from './overviews';
import type { CogBandArray, CogResampling } from './types';

/** Deterministic pseudo-random integers (LCG) so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * Independent reference: gathers each block into a plain array and applies the documented rule, with none of
 * the implementation's tricks (count tables, running sums).
 */
function reference(src: ArrayLike<number>, w: number, h: number, f: number, method: CogResampling, nodata: number | undefined, isFloat: boolean): number[] {
  const ow = Math.ceil(w / f);
  const oh = Math.ceil(h / f);
  const out: number[] = [];
  const empty = nodata ?? (isFloat ? NaN : 0);
  const nd = nodata === undefined ? undefined : isFloat ? Math.fround(nodata) : nodata;
  for (let j = 0; j < oh; j++) {
    for (let i = 0; i < ow; i++) {
      const x0 = i * f, x1 = Math.min(w, x0 + f), y0 = j * f, y1 = Math.min(h, y0 + f);
      if (method === 'nearest') {
        out.push(src[(y0 + Math.floor((y1 - y0) / 2)) * w + x0 + Math.floor((x1 - x0) / 2)]);
        continue;
      }
      const vals: number[] = [];
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
        const v = src[y * w + x];
        if (!Number.isNaN(v) && !(nd !== undefined && v === nd)) vals.push(v);
      }
      if (vals.length === 0) { out.push(empty); continue; }
      if (method === 'average') {
        const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
        out.push(isFloat ? Math.fround(mean) : Math.round(mean));
      } else {
        const counts = new Map<number, number>();
        for (const v of vals) counts.set(v, (counts.get(v) ?? 0) + 1);
        const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
        out.push(best);
      }
    }
  }
  return out;
}

describe('overviewFactors', () => {
  it("'auto' halves until both dimensions of the last overview are below 512 px", () => {
    expect(overviewFactors(1200, 900)).toEqual([2, 4]);
    expect(overviewFactors(1000, 1000)).toEqual([2]);
    expect(overviewFactors(1024, 1024)).toEqual([2, 4]);
    expect(overviewFactors(2000, 1500)).toEqual([2, 4]);
    expect(overviewFactors(10980, 10980)).toEqual([2, 4, 8, 16, 32]);
    expect(overviewFactors(600, 10)).toEqual([2]);
  });
  it("'auto' writes none for images already below 512 px", () => {
    expect(overviewFactors(511, 511)).toEqual([]);
    expect(overviewFactors(7, 5, 'auto')).toEqual([]);
  });
  it('accepts explicit increasing factors', () => {
    expect(overviewFactors(7, 5, [2, 4])).toEqual([2, 4]);
    expect(overviewFactors(100, 100, [3, 9])).toEqual([3, 9]);
    expect(overviewFactors(100, 100, [])).toEqual([]);
  });
  it('rejects bad explicit factors with a GeoCropError', () => {
    expect(() => overviewFactors(100, 100, [1])).toThrow(/integers ≥ 2/);
    expect(() => overviewFactors(100, 100, [2.5])).toThrow(GeoCropError);
    expect(() => overviewFactors(100, 100, [4, 2])).toThrow(/strictly increasing/);
    expect(() => overviewFactors(7, 5, [8, 16])).toThrow(/same 1×1 size/);
  });
  it('rounds overview sizes up', () => {
    expect(overviewSize(7, 5, 2)).toEqual([4, 3]);
    expect(overviewSize(2000, 1500, 4)).toEqual([500, 375]);
  });
});

describe('downsample matches an independent reference', () => {
  const cases: Array<{ name: string; make: (n: number) => CogBandArray; isFloat: boolean; nodata?: number; gen: (r: () => number) => number }> = [
    { name: 'uint8 classes, nodata 255', make: (n) => new Uint8Array(n), isFloat: false, nodata: 255, gen: (r) => (r() < 0.2 ? 255 : Math.floor(r() * 4)) },
    { name: 'uint16 DN, nodata 0', make: (n) => new Uint16Array(n), isFloat: false, nodata: 0, gen: (r) => (r() < 0.3 ? 0 : 1000 + Math.floor(r() * 60000)) },
    { name: 'uint16 without nodata', make: (n) => new Uint16Array(n), isFloat: false, gen: (r) => Math.floor(r() * 65536) },
    { name: 'int16 negative values', make: (n) => new Int16Array(n), isFloat: false, nodata: -32768, gen: (r) => (r() < 0.2 ? -32768 : Math.floor(r() * 20001) - 10000) },
    { name: 'float32, NaN nodata', make: (n) => new Float32Array(n), isFloat: true, nodata: NaN, gen: (r) => (r() < 0.3 ? NaN : r() * 2 - 1) },
    { name: 'float32, -9999 nodata, few distinct values', make: (n) => new Float32Array(n), isFloat: true, nodata: -9999, gen: (r) => (r() < 0.3 ? -9999 : Math.floor(r() * 3) / 10) },
  ];
  for (const c of cases) {
    for (const method of ['nearest', 'average', 'mode'] as const) {
      it(`${c.name}, ${method}`, () => {
        const rand = lcg(42);
        for (const [w, h, f] of [[37, 23, 2], [37, 23, 4], [16, 16, 8], [5, 3, 3], [1, 1, 2]]) {
          const src = c.make(w * h);
          for (let i = 0; i < src.length; i++) src[i] = c.gen(rand);
          // Blocks that are entirely nodata must come out as nodata.
          if (c.nodata !== undefined && w > f) for (let y = 0; y < Math.min(h, f); y++) for (let x = 0; x < f; x++) src[y * w + x] = c.nodata;
          const got = Array.from(downsample(src, w, h, f, method, c.nodata));
          const want = reference(src, w, h, f, method, c.nodata, c.isFloat);
          expect(got, `${w}×${h} /${f}`).toEqual(want);
        }
      });
    }
  }
  it('mode breaks ties towards the smaller value', () => {
    const src = new Uint8Array([3, 3, 1, 1]);
    expect(Array.from(downsample(src, 2, 2, 2, 'mode', undefined))).toEqual([1]);
  });
  it('average of an integer block rounds half up', () => {
    expect(Array.from(downsample(new Uint16Array([1, 2, 2, 2]), 2, 2, 2, 'average', undefined))).toEqual([2]);
    expect(Array.from(downsample(new Uint16Array([1, 2, 1, 2]), 2, 2, 2, 'average', undefined))).toEqual([2]);
    expect(Array.from(downsample(new Int16Array([-1, -2, -1, -2]), 2, 2, 2, 'average', undefined))).toEqual([-1]);
  });
});
