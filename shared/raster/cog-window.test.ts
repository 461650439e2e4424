import { describe, expect, it } from 'vitest';
import type { Affine } from '../geo/crs';
import { chooseLevel, clipWindow, overviewTransform, pixelWindow, tilesCovering, windowTransform, type CogLevel } from './cog-window';

const FULL: Affine = [10, 0, 300000, 0, -10, 8100000];

/** Levels of a 10980 px Sentinel-2 band with GDAL's overviews 2..32 (the last ones not exact halves). */
function s2Levels(): CogLevel[] {
  const sizes = [10980, 5490, 2745, 1373, 687, 344];
  return sizes.map((n, ifd) => {
    const transform = overviewTransform(FULL, 10980, 10980, n, n);
    return { ifd, width: n, height: n, tileWidth: 1024, tileHeight: 1024, transform, resolution: Math.max(transform[0], -transform[4]) };
  });
}

describe('overviewTransform', () => {
  it('keeps the origin and scales the pixel size by the size ratio (GDAL convention)', () => {
    expect(overviewTransform(FULL, 10980, 10980, 5490, 5490)).toEqual([20, 0, 300000, 0, -20, 8100000]);
    const t = overviewTransform(FULL, 10980, 10980, 1373, 1373);
    expect(t[0]).toBeCloseTo(79.9709, 4);
    expect(t[0] * 1373).toBeCloseTo(109800, 6); // the overview still spans the whole image
  });
});

describe('chooseLevel', () => {
  it('picks the coarsest level whose pixels are at most the wanted size, so the caller only resamples down', () => {
    const levels = s2Levels();
    expect(chooseLevel(levels, 10).ifd).toBe(0);
    expect(chooseLevel(levels, 19.99).ifd).toBe(0);
    expect(chooseLevel(levels, 20).ifd).toBe(1);
    expect(chooseLevel(levels, 30).ifd).toBe(1);
    expect(chooseLevel(levels, 60).ifd).toBe(2);
    expect(chooseLevel(levels, 79.9).ifd).toBe(2); // 79.97 m would be coarser than asked
    expect(chooseLevel(levels, 80).ifd).toBe(3);
    expect(chooseLevel(levels, 10_000).ifd).toBe(5);
  });

  it('falls back to the finest level when even full resolution is coarser than asked, in any order', () => {
    const levels = s2Levels().reverse();
    expect(chooseLevel(levels, 5).ifd).toBe(0);
    expect(chooseLevel(levels, 40).ifd).toBe(2);
  });
});

describe('pixelWindow', () => {
  it('snaps a bbox to the pixels that cover it', () => {
    expect(pixelWindow(FULL, [300000, 8098000, 302000, 8100000])).toEqual({ col0: 0, row0: 0, col1: 200, row1: 200 });
    expect(pixelWindow(FULL, [300005, 8097995, 302001, 8099999])).toEqual({ col0: 0, row0: 0, col1: 201, row1: 201 });
  });

  it('ignores floating-point noise on pixel edges', () => {
    const x = 300000 + 0.1 * 30 * 100; // 300300.00000000006
    expect(pixelWindow(FULL, [x, 8099000, x + 1000, 8100000 - 1e-9])).toEqual({ col0: 30, row0: 0, col1: 130, row1: 100 });
  });

  it('reaches outside the image when the bbox does, and is at least one pixel', () => {
    expect(pixelWindow(FULL, [299950, 8099990, 300015, 8100030])).toEqual({ col0: -5, row0: -3, col1: 2, row1: 1 });
    expect(pixelWindow(FULL, [300003, 8099993, 300004, 8099994])).toEqual({ col0: 0, row0: 0, col1: 1, row1: 1 });
  });
});

describe('clipWindow / windowTransform / tilesCovering', () => {
  it('clips to the image and reports no overlap as null', () => {
    expect(clipWindow({ col0: -5, row0: -3, col1: 2, row1: 1 }, 100, 100)).toEqual({ col0: 0, row0: 0, col1: 2, row1: 1 });
    expect(clipWindow({ col0: 90, row0: 95, col1: 120, row1: 130 }, 100, 100)).toEqual({ col0: 90, row0: 95, col1: 100, row1: 100 });
    expect(clipWindow({ col0: 100, row0: 0, col1: 120, row1: 10 }, 100, 100)).toBeNull();
    expect(clipWindow({ col0: -10, row0: -10, col1: 0, row1: 5 }, 100, 100)).toBeNull();
  });

  it('gives the window grid the level pixel size and the window corner as origin', () => {
    expect(windowTransform([20, 0, 300000, 0, -20, 8100000], { col0: -5, row0: 7, col1: 0, row1: 9 })).toEqual([20, 0, 299900, 0, -20, 8099860]);
  });

  it('lists exactly the tiles a window touches', () => {
    expect(tilesCovering({ col0: 0, row0: 0, col1: 512, row1: 512 }, 512, 512)).toEqual([[0, 0]]);
    expect(tilesCovering({ col0: 511, row0: 0, col1: 513, row1: 1 }, 512, 512)).toEqual([[0, 0], [1, 0]]);
    expect(tilesCovering({ col0: 100, row0: 1000, col1: 1100, row1: 1030 }, 512, 256)).toEqual([[0, 3], [1, 3], [2, 3], [0, 4], [1, 4], [2, 4]]);
  });
});
