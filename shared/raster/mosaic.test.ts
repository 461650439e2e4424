import { describe, expect, it } from 'vitest';
import { isGeoCropError } from '../contract/errors';
import { fillFrom, fillNodata, mosaic, mosaicBands, validMask } from './mosaic';
import type { Raster, RasterGrid } from './types';

const grid: RasterGrid = { epsg: 32736, transform: [10, 0, 180_000, 0, -10, 8_020_000], width: 3, height: 2 };
const u16 = (...v: number[]): Raster<Uint16Array> => ({ grid, data: Uint16Array.from(v), nodata: 0 });

const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (err) {
    return isGeoCropError(err) ? err.code : 'other';
  }
  return undefined;
};

describe('mosaic (one band)', () => {
  it('takes each pixel from the first source with data, in priority order', () => {
    const a = u16(1, 0, 3, 0, 0, 6);
    const b = u16(10, 20, 30, 0, 50, 60);
    const c = u16(100, 200, 300, 400, 500, 600);
    expect([...mosaic([a, b, c]).data]).toEqual([1, 20, 3, 400, 50, 6]);
    expect([...mosaic([c, a]).data]).toEqual([100, 200, 300, 400, 500, 600]);
    // Uncovered pixels stay nodata; the inputs are not modified.
    expect([...mosaic([a, u16(0, 0, 0, 0, 9, 0)]).data]).toEqual([1, 0, 3, 0, 9, 6]);
    expect([...a.data]).toEqual([1, 0, 3, 0, 0, 6]);
  });

  it('keeps the array type and nodata of the first source, NaN included', () => {
    const f = (...v: number[]): Raster<Float32Array> => ({ grid, data: Float32Array.from(v), nodata: NaN });
    const m = mosaic([f(1, NaN, NaN, 4, NaN, 6), f(NaN, 2, NaN, 40, 5, NaN)]);
    expect(m.data).toBeInstanceOf(Float32Array);
    expect(Number.isNaN(m.nodata)).toBe(true);
    expect([...m.data]).toEqual([1, 2, NaN, 4, 5, 6]);
  });

  it('fills nodata in place, optionally only where a mask allows', () => {
    const dst = u16(1, 0, 0, 0, 5, 0);
    expect(fillNodata(dst, u16(9, 9, 9, 0, 9, 9), Uint8Array.of(1, 1, 0, 1, 1, 1))).toBe(2);
    expect([...dst.data]).toEqual([1, 9, 0, 0, 5, 9]);
  });
});

describe('mosaicBands', () => {
  it('moves all bands of a pixel together from one scene', () => {
    // Scene A lacks red at pixel 1: that pixel takes blue AND red from scene B.
    const a = [u16(1, 2, 3, 4, 5, 6), u16(11, 0, 13, 14, 15, 16)];
    const b = [u16(21, 22, 23, 24, 25, 26), u16(31, 32, 33, 34, 35, 36)];
    const { bands, filled } = mosaicBands([a, b]);
    expect([...bands[0].data]).toEqual([1, 22, 3, 4, 5, 6]);
    expect([...bands[1].data]).toEqual([11, 32, 13, 14, 15, 16]);
    expect([...filled]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('uses a shared validity mask (clear sky) so cloudy pixels come from the next scene', () => {
    const a = [u16(1, 2, 3, 4, 5, 6), u16(11, 12, 13, 14, 15, 16)];
    const b = [u16(21, 22, 23, 24, 25, 0), u16(31, 32, 33, 34, 35, 36)];
    const cloudyA = Uint8Array.of(1, 0, 1, 0, 1, 0);
    const { bands, filled } = mosaicBands([a, b], { valid: [cloudyA] });
    expect([...bands[0].data]).toEqual([1, 22, 3, 24, 5, 0]);
    expect([...bands[1].data]).toEqual([11, 32, 13, 34, 15, 0]);
    // Pixel 5: cloudy in A, blue missing in B: left empty rather than mixing scenes.
    expect([...filled]).toEqual([1, 1, 1, 1, 1, 0]);
  });

  it('fills step by step with fillFrom and reports how many pixels each source gave', () => {
    const dst = [u16(0, 0, 0, 0, 0, 0)];
    const filled = new Uint8Array(6);
    expect(fillFrom(dst, filled, [u16(1, 0, 3, 0, 0, 0)])).toBe(2);
    expect(fillFrom(dst, filled, [u16(7, 7, 7, 7, 0, 0)])).toBe(2);
    expect(fillFrom(dst, filled, [u16(8, 8, 8, 8, 8, 8)], Uint8Array.of(1, 1, 1, 1, 0, 1))).toBe(1);
    expect([...dst[0].data]).toEqual([1, 7, 3, 7, 0, 8]);
    expect([...validMask(dst)]).toEqual([1, 1, 1, 1, 0, 1]);
  });

  it('rejects bands off the grid, mismatched types and band counts', () => {
    const other = { ...u16(1, 2, 3, 4, 5, 6), grid: { ...grid, epsg: 32735 } };
    expect(code(() => mosaic([u16(1, 2, 3, 4, 5, 6), other]))).toBe('INVALID_RASTER');
    const u8: Raster<Uint8Array> = { grid, data: Uint8Array.of(1, 2, 3, 4, 5, 6), nodata: 0 };
    expect(code(() => mosaic<Uint16Array | Uint8Array>([u16(0, 0, 0, 0, 0, 0), u8]))).toBe('INVALID_RASTER');
    expect(code(() => mosaicBands([[u16(1, 2, 3, 4, 5, 6)], [u16(1, 2, 3, 4, 5, 6), u16(1, 2, 3, 4, 5, 6)]]))).toBe('INVALID_RASTER');
    expect(code(() => fillFrom([u16(0, 0, 0, 0, 0, 0)], new Uint8Array(5), [u16(1, 2, 3, 4, 5, 6)]))).toBe('INVALID_RASTER');
    expect(code(() => mosaic([]))).toBe('INVALID_RASTER');
  });
});
