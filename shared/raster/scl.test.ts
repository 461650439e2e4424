import { describe, expect, it } from 'vitest';
import { applySclMask, isClearScl, SCL_MASKED } from './scl';
import { checkBoaOffset, MIN_CHECK_PIXELS } from './boa-offset-check';

describe('SCL mask', () => {
  it('masks 0, 1, 3, 8, 9, 10, 11 and keeps 2, 4, 5, 6, 7', () => {
    expect([...SCL_MASKED]).toEqual([0, 1, 3, 8, 9, 10, 11]);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 255].map(isClearScl)).toEqual([false, false, true, false, true, true, true, true, false, false, false, false, false, false]);
  });
  it('ANDs into an existing mask and counts what is left', () => {
    const mask = Uint8Array.from([1, 1, 1, 0, 1]);
    expect(applySclMask(Uint8Array.from([4, 9, 6, 4, 3]), mask)).toBe(2);
    expect([...mask]).toEqual([1, 0, 1, 0, 0]);
    expect(() => applySclMask(new Uint8Array(2), new Uint8Array(3))).toThrow(RangeError);
  });
});

describe('BOA offset check', () => {
  const n = 2000;
  // Clear vegetation/water blue reflectance 0.02–0.06, with or without ESA's +1000 DN.
  const blue = (withOffset: boolean) => Uint16Array.from({ length: n }, (_, i) => 200 + (i % 400) + (withOffset ? 1000 : 0));
  const clear = new Uint8Array(n).fill(1);
  it('keeps an offset the pixels agree with', () => {
    expect(checkBoaOffset(blue(true), clear, -0.1)).toMatchObject({ offset: -0.1, corrected: false });
    expect(checkBoaOffset(blue(false), clear, 0)).toMatchObject({ offset: 0, corrected: false });
  });
  it('catches a flag that claims the offset was removed while the DN still carry it (and the reverse)', () => {
    const wrong = checkBoaOffset(blue(true), clear, 0);
    expect(wrong).toMatchObject({ offset: -0.1, corrected: true });
    expect(wrong.p1).toBeGreaterThanOrEqual(1200);
    expect(checkBoaOffset(blue(false), clear, -0.1)).toMatchObject({ offset: 0, corrected: true });
  });
  it('does not judge from too few clear pixels, and ignores nodata and cloudy pixels', () => {
    const few = new Uint8Array(n);
    few.fill(1, 0, MIN_CHECK_PIXELS - 1);
    expect(checkBoaOffset(blue(true), few, 0)).toEqual({ offset: 0, corrected: false, p1: null });
    const dn = blue(true);
    dn.fill(0, 0, 1000); // nodata must not look like "dark pixels without offset"
    expect(checkBoaOffset(dn, clear, -0.1).corrected).toBe(false);
  });
});
