/**
 * Sentinel-2 Scene Classification (SCL) masking. Classes masked (ARCHITECTURE.md): 0 no data, 1 saturated or
 * defective, 3 cloud shadow, 8 cloud medium probability, 9 cloud high probability, 10 thin cirrus, 11 snow.
 * Kept: 2 dark area, 4 vegetation, 5 bare soil, 6 water, 7 unclassified.
 */

/** SCL classes treated as "not a clear view of the ground". */
export const SCL_MASKED: readonly number[] = Object.freeze([0, 1, 3, 8, 9, 10, 11]);

const CLEAR = (() => {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = c <= 11 && !SCL_MASKED.includes(c) ? 1 : 0;
  return t;
})();

/** True if SCL class `c` is a clear view (2, 4, 5, 6, 7). Values above 11 are not SCL classes and count as masked. */
export const isClearScl = (c: number): boolean => CLEAR[c & 255] === 1 && c >= 0 && c <= 255;

/**
 * ANDs `mask` (1 = keep) with "SCL is clear", in place, and returns the number of pixels left.
 *
 * @param scl SCL classes on the same grid as `mask` (nodata 0 is masked like any other masked class).
 */
export function applySclMask(scl: Uint8Array, mask: Uint8Array): number {
  if (scl.length !== mask.length) throw new RangeError(`SCL has ${scl.length} pixels, mask ${mask.length}`);
  let kept = 0;
  for (let i = 0; i < mask.length; i++) {
    const v = mask[i] & CLEAR[scl[i]];
    mask[i] = v;
    kept += v;
  }
  return kept;
}
