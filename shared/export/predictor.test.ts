import { describe, expect, it } from 'vitest';
import { floatingPointDifference, horizontalDifference, swapBytes } from './predictor';

// Decoders written from the TIFF spec / libtiff (fpAcc), independent of the encoder code.
function undoHorizontal(a: Uint8Array | Uint16Array | Int16Array, width: number, height: number, spp: number): void {
  for (let r = 0; r < height; r++) for (let i = r * width * spp + spp; i < (r + 1) * width * spp; i++) a[i] += a[i - spp];
}
function undoFloatingPoint(bytes: Uint8Array, width: number, height: number, spp: number, bps: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  const wc = width * spp;
  for (let r = 0; r < height; r++) {
    const row = bytes.slice(r * wc * bps, (r + 1) * wc * bps);
    for (let i = spp; i < row.length; i++) row[i] += row[i - spp];
    for (let i = 0; i < wc; i++) for (let b = 0; b < bps; b++) out[r * wc * bps + i * bps + b] = row[(bps - b - 1) * wc + i];
  }
  return out;
}

describe('predictors round-trip', () => {
  it('horizontal differencing (16-bit, 3 samples, wrapping)', () => {
    const a = new Uint16Array(4 * 3 * 3).map((_, i) => (i * 7919) % 65536);
    const copy = a.slice();
    horizontalDifference(a, 4, 3, 3);
    expect(a[3]).toBe((copy[3] - copy[0] + 65536) % 65536);
    undoHorizontal(a, 4, 3, 3);
    expect(a).toEqual(copy);
  });
  it('horizontal differencing (int16)', () => {
    const a = new Int16Array([-32768, 32767, 0, -1, 5, -5, 100, -100]);
    const copy = a.slice();
    horizontalDifference(a, 4, 2, 1);
    undoHorizontal(a, 4, 2, 1);
    expect(a).toEqual(copy);
  });
  it('floating point predictor puts the most significant byte plane first', () => {
    const f = new Float32Array([1.5, -2.25, NaN, 1e-30, 3.4e38, 0, -0, 7]);
    const src = new Uint8Array(f.buffer.slice(0));
    const dst = new Uint8Array(src.length);
    floatingPointDifference(src, dst, 4, 2, 1, 4);
    // First byte of each row is the MSB of the first sample (1.5 = 0x3FC00000 → 0x3F), undifferenced.
    expect(dst[0]).toBe(0x3f);
    expect(undoFloatingPoint(dst, 4, 2, 1, 4)).toEqual(src);
  });
  it('floating point predictor with 2 samples per pixel', () => {
    const f = new Float32Array(3 * 2 * 2).map((_, i) => Math.sin(i) * 1000);
    const src = new Uint8Array(f.buffer.slice(0));
    const dst = new Uint8Array(src.length);
    floatingPointDifference(src, dst, 3, 2, 2, 4);
    expect(undoFloatingPoint(dst, 3, 2, 2, 4)).toEqual(src);
  });
  it('swapBytes reverses each sample', () => {
    const b = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    swapBytes(b, 4);
    expect(Array.from(b)).toEqual([4, 3, 2, 1, 8, 7, 6, 5]);
  });
});
