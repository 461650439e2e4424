import { describe, expect, it } from 'vitest';
import { isGeoCropError } from '../contract/errors';
import { converter } from '../geo/crs';
import { s2Tile, s2TileTransform } from '../geo/s2-grid';
import { sourceWindow, targetGrid } from './grid';
import { windowTransform } from './cog-window';
import { mosaic } from './mosaic';
import type { BandArray, Raster, RasterGrid } from './types';
import { CELL_FIELDS, planWarp, warp, type CellPlan } from './warp';

/** A target grid straddling 30°E: UTM 36S, its west part in UTM 35S territory. */
const SEAM_AOI = { lon: 30.0, lat: -17.9, radius_m: 3000 };

/** The window of S2 tile `id` at `res` m that a warp onto `dst` reads. */
function tileWindow(id: string, res: number, dst: RasterGrid): RasterGrid {
  const tile = s2Tile(id);
  const t = s2TileTransform(tile, res);
  const n = 109_800 / res;
  const w = sourceWindow(dst, tile.epsg, t, n, n);
  if (!w) throw new Error(`${id} does not cover the grid`);
  return { epsg: tile.epsg, transform: windowTransform(t, w), width: w.col1 - w.col0, height: w.row1 - w.row0 };
}

/** `f(col, row)` at every pixel of `grid`, rounded for integer arrays (typed arrays would truncate). */
function fill<T extends BandArray | Float64Array>(grid: RasterGrid, data: T, f: (c: number, r: number) => number): T {
  const int = !(data instanceof Float32Array || data instanceof Float64Array);
  for (let r = 0; r < grid.height; r++) {
    for (let c = 0; c < grid.width; c++) data[r * grid.width + c] = int ? Math.round(f(c, r)) : f(c, r);
  }
  return data;
}

/** A smooth field of lon/lat (degrees): a tilted plane (~9.5 units per 10 m east) with ~16 km waves. */
const field = (lon: number, lat: number): number =>
  20_000 + 100_000 * (lon - 30) + 50_000 * (lat + 18) + 300 * Math.sin(lon * 40) * Math.cos(lat * 50);

/** The field sampled exactly (per-pixel proj4) at the pixel centres of `grid`. */
function rasterise<T extends BandArray | Float64Array>(grid: RasterGrid, data: T): T {
  const conv = converter(grid.epsg, 4326);
  const [a, , c0, , e, f0] = grid.transform;
  return fill(grid, data, (c, r) => {
    const [lon, lat] = conv.forward([c0 + a * (c + 0.5), f0 + e * (r + 0.5)]);
    return field(lon, lat);
  });
}

/** Exact source pixel position of the centre of destination pixel (c, r). */
function exactPos(src: RasterGrid, dst: RasterGrid, c: number, r: number): [number, number] {
  const [x, y] = converter(dst.epsg, src.epsg).forward([dst.transform[2] + dst.transform[0] * (c + 0.5), dst.transform[5] + dst.transform[4] * (r + 0.5)]);
  return [(x - src.transform[2]) / src.transform[0], (y - src.transform[5]) / src.transform[4]];
}

/** The source position a cell plan gives destination pixel (c, r), or null if no cell covers it. */
function planPos(plan: CellPlan, c: number, r: number): [number, number] | null {
  const k = plan.cells;
  for (let o = 0; o < plan.count * CELL_FIELDS; o += CELL_FIELDS) {
    if (c < k[o] || c >= k[o + 2] || r < k[o + 1] || r >= k[o + 3]) continue;
    const i = c - k[o], j = r - k[o + 1];
    return [k[o + 4] + k[o + 6] * i + k[o + 8] * j + k[o + 10] * i * j, k[o + 5] + k[o + 7] * i + k[o + 9] * j + k[o + 11] * i * j];
  }
  return null;
}

/** Deterministic pseudo-random numbers in [0, 1). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

const grid10 = (x: number, y: number, w: number, h: number, epsg = 32736, res = 10): RasterGrid => ({ epsg, transform: [res, 0, x, 0, -res, y], width: w, height: h });

describe('planWarp', () => {
  it('copies rows for the same lattice and scales exactly for 20 m → 10 m, without proj4', () => {
    const g = grid10(180_000, 8_020_000, 50, 40);
    expect(planWarp(g, g)).toMatchObject({ kind: 'copy', dx: 0, dy: 0 });
    expect(planWarp(grid10(179_900, 8_020_030, 80, 80), g)).toMatchObject({ kind: 'copy', dx: 10, dy: 3 });
    const p = planWarp(grid10(179_900, 8_020_060, 40, 40, 32736, 20), g);
    expect(p.kind === 'cells' && p.exact && p.count).toBe(1);
  });

  it('keeps the approximate transformer within 0.125 px of exact proj4 (sampled)', () => {
    const dst = targetGrid({ lon: 30.0, lat: -17.9, radius_m: 5000 }, 10);
    const src = tileWindow('35KRA', 10, dst);
    const plan = planWarp(src, dst) as CellPlan;
    expect(plan.kind).toBe('cells');
    expect(plan.exact).toBe(false);
    expect(plan.maxErrorPx).toBeLessThan(0.125);
    const rnd = prng(7);
    let worst = 0;
    for (let k = 0; k < 2000; k++) {
      const c = Math.floor(rnd() * dst.width), r = Math.floor(rnd() * dst.height);
      const got = planPos(plan, c, r)!;
      const want = exactPos(src, dst, c, r);
      worst = Math.max(worst, Math.hypot(got[0] - want[0], got[1] - want[1]));
    }
    expect(worst).toBeLessThan(0.125);
    // Sampled error and the plan's own estimate agree in size (the check points find the worst places).
    expect(worst).toBeLessThanOrEqual(plan.maxErrorPx * 1.5 + 1e-9);
  });

  it('subdivides cells until the error bound holds, and only then', () => {
    const dst = targetGrid({ lon: 29.0, lat: -19.0, radius_m: 25_000 }, 80); // zone 35
    const src: RasterGrid = { epsg: 32736, transform: [80, 0, -300_000, 0, -80, 8_000_000], width: 8000, height: 8000 };
    const one = planWarp(src, dst, { stepPx: 10_000, maxErrorPx: 100 }) as CellPlan;
    const fine = planWarp(src, dst, { stepPx: 10_000, maxErrorPx: 0.001 }) as CellPlan;
    expect(one.count).toBe(1);
    expect(fine.count).toBeGreaterThan(4);
    const sampleWorst = (plan: CellPlan): number => {
      let worst = 0;
      for (let r = 0; r < dst.height; r += 13) {
        for (let c = 0; c < dst.width; c += 11) {
          const got = planPos(plan, c, r)!;
          const want = exactPos(src, dst, c, r);
          worst = Math.max(worst, Math.hypot(got[0] - want[0], got[1] - want[1]));
        }
      }
      return worst;
    };
    expect(sampleWorst(one)).toBeGreaterThan(0.01);
    expect(sampleWorst(fine)).toBeLessThan(0.001);
  });

  it('leaves out cells that miss the source', () => {
    const dst = targetGrid(SEAM_AOI, 10);
    const far: RasterGrid = { epsg: 32735, transform: [10, 0, 500_000, 0, -10, 8_000_000], width: 100, height: 100 };
    const plan = planWarp(far, dst) as CellPlan;
    expect(plan.count).toBe(0);
    const out = warp({ grid: far, data: new Uint16Array(100 * 100).fill(7), nodata: 0 }, dst, 'bilinear', { plan });
    expect(out.data.every((v) => v === 0)).toBe(true);
  });
});

describe('warp (same CRS)', () => {
  const rnd = prng(1);
  const src = grid10(180_000, 8_020_000, 60, 50);
  const data = fill(src, new Uint16Array(60 * 50), () => (rnd() < 0.1 ? 0 : 1 + Math.floor(rnd() * 60_000)));
  const band: Raster<Uint16Array> = { grid: src, data, nodata: 0 };

  it('is an exact copy on the same grid (identity fast path)', () => {
    for (const method of ['nearest', 'bilinear'] as const) {
      const out = warp(band, src, method);
      expect(out.data).toBeInstanceOf(Uint16Array);
      expect(out.data).not.toBe(data);
      expect(out.data).toEqual(data);
      expect(out.nodata).toBe(0);
    }
  });

  it('copies at an integer offset, nodata where the source ends', () => {
    const dst = grid10(180_000 + 10 * 45, 8_020_000 - 10 * 7, 30, 20);
    const out = warp(band, dst, 'bilinear');
    for (let r = 0; r < 20; r++) {
      for (let c = 0; c < 30; c++) {
        const sc = c + 45, sr = r + 7;
        expect(out.data[r * 30 + c]).toBe(sc < 60 ? data[sr * 60 + sc] : 0);
      }
    }
  });

  it('maps a 20 m band onto the 10 m grid exactly with nearest (SCL)', () => {
    const scl20 = grid10(179_980, 8_020_020, 20, 20, 32736, 20);
    const scl = fill(scl20, new Uint8Array(400), () => Math.floor(rnd() * 12));
    const dst = grid10(180_000, 8_020_000, 30, 30);
    const out = warp({ grid: scl20, data: scl, nodata: 0 }, dst, 'nearest');
    expect(out.data).toBeInstanceOf(Uint8Array);
    // Target pixel c covers x 180 000 + 10c … +10; the 20 m pixel holding it is (20 + 10c) / 20 floored.
    const want = fill(dst, new Uint8Array(900), (c, r) => scl[Math.floor((20 + 10 * r) / 20) * 20 + Math.floor((20 + 10 * c) / 20)]);
    expect(out.data).toEqual(want);
  });

  it('picks the same side on every row when target centres sit on source pixel edges (10 m → 20 m)', () => {
    const dst = grid10(180_000, 8_020_000, 25, 20, 32736, 20);
    const out = warp(band, dst, 'nearest');
    expect(out.data).toEqual(fill(dst, new Uint16Array(500), (c, r) => data[(2 * r + 1) * 60 + 2 * c + 1]));
  });

  it('reproduces a linear ramp with bilinear (20 m → 10 m), float32 exactly and uint16 within rounding', () => {
    const s20 = grid10(179_980, 8_020_020, 24, 24, 32736, 20);
    // Ramp in metres: value of the point (x, y) is 0.3 x' + 0.7 y' + 100, x', y' from the grid corner.
    const ramp = (x: number, y: number): number => 100 + 0.3 * (x - 179_980) + 0.7 * (8_020_020 - y);
    const f32 = fill(s20, new Float32Array(576), (c, r) => ramp(179_980 + 20 * (c + 0.5), 8_020_020 - 20 * (r + 0.5)));
    const u16 = Uint16Array.from(f32, (v) => Math.round(v * 10));
    const dst = grid10(180_000, 8_020_000, 40, 40);
    const outF = warp({ grid: s20, data: f32, nodata: -9999 }, dst, 'bilinear');
    const outU = warp({ grid: s20, data: u16, nodata: 0 }, dst, 'bilinear');
    let worstF = 0, worstU = 0;
    for (let r = 0; r < 40; r++) {
      for (let c = 0; c < 40; c++) {
        const want = ramp(180_000 + 10 * (c + 0.5), 8_020_000 - 10 * (r + 0.5));
        worstF = Math.max(worstF, Math.abs(outF.data[r * 40 + c] - want));
        // u16 holds the ramp of rounded samples: exact to the rounding of the inputs and of the output.
        worstU = Math.max(worstU, Math.abs(outU.data[r * 40 + c] - want * 10));
      }
    }
    expect(worstF).toBeLessThan(1e-3);
    expect(worstU).toBeLessThanOrEqual(1);
  });
});

describe('warp (across UTM zones)', () => {
  const dst = targetGrid(SEAM_AOI, 10);

  it('reproduces a linear ramp of source pixels, 35S → 36S, uint16 within rounding', () => {
    const src = tileWindow('35KRA', 10, dst);
    const ramp = (sx: number, sy: number): number => 1000 + 2 * (sx - 0.5) + 3 * (sy - 0.5); // at position (sx, sy), pixels
    const data = fill(src, new Uint16Array(src.width * src.height), (c, r) => ramp(c + 0.5, r + 0.5));
    const f32 = Float32Array.from(data);
    const outU = warp({ grid: src, data, nodata: 0 }, dst, 'bilinear');
    const outF = warp({ grid: src, data: f32, nodata: -1 }, dst, 'bilinear');
    let worstU = 0, worstF = 0;
    for (let r = 0; r < dst.height; r += 3) {
      for (let c = 0; c < dst.width; c += 3) {
        const want = ramp(...exactPos(src, dst, c, r));
        worstU = Math.max(worstU, Math.abs(outU.data[r * dst.width + c] - want));
        worstF = Math.max(worstF, Math.abs(outF.data[r * dst.width + c] - want));
      }
    }
    expect(worstU).toBeLessThanOrEqual(0.5 + 0.01);
    expect(worstF).toBeLessThan(0.02); // 5 units per pixel × approximation error, plus float32 rounding
  });

  it.each([10, 20])('reproduces a smooth lon/lat field warped from a %i m 35S grid onto the 36S target', (res) => {
    const src = tileWindow('35KRA', res, dst);
    const band = { grid: src, data: rasterise(src, new Float32Array(src.width * src.height)), nodata: NaN };
    const out = warp(band, dst, 'bilinear');
    const truth = rasterise(dst, new Float64Array(dst.width * dst.height));
    let worst = 0;
    for (let p = 0; p < truth.length; p++) worst = Math.max(worst, Math.abs(out.data[p] - truth[p]));
    // The field changes ~9.5 units per 10 m: 0.05 units is a misregistration of about 5 cm.
    expect(worst).toBeLessThan(0.05);
    expect(out.data.some(Number.isNaN)).toBe(false);
  });

  it('joins a 36S scene and a warped 35S scene without a seam', () => {
    const eastTile = tileWindow('36KSF', 10, dst);
    // The 36S scene has data only east of the target's middle column (as if its swath ended there).
    const mid = Math.floor(dst.width / 2);
    const eastCut = (dst.transform[2] + 10 * mid - eastTile.transform[2]) / 10;
    const east = rasterise(eastTile, new Uint16Array(eastTile.width * eastTile.height));
    for (let r = 0; r < eastTile.height; r++) east.fill(0, r * eastTile.width, r * eastTile.width + eastCut);
    const westTile = tileWindow('35KRA', 10, dst);
    const west = rasterise(westTile, new Uint16Array(westTile.width * westTile.height));

    const fromEast = warp({ grid: eastTile, data: east, nodata: 0 }, dst, 'bilinear');
    const fromWest = warp({ grid: westTile, data: west, nodata: 0 }, dst, 'bilinear');
    const m = mosaic([fromEast, fromWest]);
    const w = dst.width;
    expect(m.data.every((v) => v !== 0)).toBe(true);
    expect(fromEast.data[w * 10 + mid - 1]).toBe(0);
    expect(fromEast.data[w * 10 + mid]).not.toBe(0);

    // Horizontal neighbour differences: across the join (mid−1 → mid) and everywhere else.
    let seamMax = 0, elseMax = 0, elseMin = Infinity, seamCurv = 0, elseCurv = 0;
    for (let r = 0; r < dst.height; r++) {
      for (let c = 1; c + 1 < w; c++) {
        const p = r * w + c;
        const d = m.data[p + 1] - m.data[p];
        const curv = Math.abs(m.data[p + 1] - 2 * m.data[p] + m.data[p - 1]);
        if (c === mid - 1) {
          seamMax = Math.max(seamMax, Math.abs(d));
          seamCurv = Math.max(seamCurv, curv);
        } else {
          elseMax = Math.max(elseMax, Math.abs(d));
          elseMin = Math.min(elseMin, Math.abs(d));
          if (c !== mid) elseCurv = Math.max(elseCurv, curv);
        }
      }
    }
    expect(elseMin).toBeGreaterThan(5); // the field really slopes, so a shift would show
    expect(seamMax).toBeLessThanOrEqual(elseMax);
    expect(seamCurv).toBeLessThanOrEqual(elseCurv); // second differences: rounding noise only
  });
});

describe('warp nodata', () => {
  const dst = targetGrid(SEAM_AOI, 10);
  const src = tileWindow('35KRA', 10, dst);
  const rnd = prng(3);
  const holes = fill(src, new Uint16Array(src.width * src.height), () => (rnd() < 0.2 ? 0 : 5000));

  it.each(['nearest', 'bilinear'] as const)('never mixes nodata into values (%s, cross-CRS)', (method) => {
    const out = warp({ grid: src, data: holes, nodata: 0 }, dst, method);
    const values = new Set(out.data);
    expect([...values].sort()).toEqual([0, 5000]);
  });

  it('gives bilinear the footprint of nearest', () => {
    const a = warp({ grid: src, data: holes, nodata: 0 }, dst, 'nearest');
    const b = warp({ grid: src, data: holes, nodata: 0 }, dst, 'bilinear');
    expect(a.data.every((v, p) => (v === 0) === (b.data[p] === 0))).toBe(true);
    const share = a.data.reduce((s, v) => s + (v === 0 ? 1 : 0), 0) / a.data.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
  });

  it('handles NaN nodata in float32 and renormalises over valid neighbours', () => {
    const s = grid10(180_000, 8_020_000, 4, 4, 32736, 20);
    const data = Float32Array.from({ length: 16 }, (_, i) => (i === 5 ? NaN : 10 + i));
    const out = warp({ grid: s, data, nodata: NaN }, grid10(180_000, 8_020_000, 8, 8), 'bilinear');
    // Target pixels inside source pixel 5 (row 1, col 1) are nodata; their neighbours never read NaN.
    expect(Number.isNaN(out.data[2 * 8 + 2])).toBe(true);
    expect(out.data.filter(Number.isNaN).length).toBe(4);
    // Target (1, 1) sits between source (0,0), (1,0), (0,1) and the NaN: weights 9/16, 3/16, 3/16 renormalised.
    expect(out.data[8 + 1]).toBeCloseTo((10 * 9 + 11 * 3 + 14 * 3) / 15, 5);
  });

  it('never writes the nodata value for a valid pixel when rounding lands on it', () => {
    // 99.5 between 99 and 101 rounds to 100, the nodata value: the nearest valid value stands in.
    const s = grid10(180_000, 8_020_000, 2, 1, 32736, 20);
    const out = warp({ grid: s, data: Uint8Array.of(99, 101), nodata: 100 }, grid10(180_000, 8_020_000, 4, 2), 'bilinear');
    expect([...out.data]).toEqual([99, 99, 101, 101, 99, 99, 101, 101]);
    const mid = warp({ grid: s, data: Uint8Array.of(98, 102), nodata: 100 }, grid10(180_010, 8_020_000, 2, 1), 'bilinear');
    expect([...mid.data]).toEqual([99, 101]);
  });

  it('rejects malformed rasters and foreign plans', () => {
    const g = grid10(180_000, 8_020_000, 4, 4);
    const bad = (f: () => unknown): boolean => {
      try {
        f();
        return false;
      } catch (err) {
        return isGeoCropError(err, 'INVALID_RASTER');
      }
    };
    expect(bad(() => warp({ grid: g, data: new Uint16Array(15), nodata: 0 }, g, 'nearest'))).toBe(true);
    expect(bad(() => warp({ grid: g, data: new Uint16Array(16), nodata: NaN }, g, 'nearest'))).toBe(true);
    expect(bad(() => warp({ grid: g, data: new Uint8Array(16), nodata: 300 }, g, 'nearest'))).toBe(true);
    expect(bad(() => warp({ grid: g, data: new Uint16Array(16), nodata: 0 }, g, 'nearest', { plan: planWarp(g, grid10(0, 0, 4, 4)) }))).toBe(true);
    expect(bad(() => warp({ grid: { ...g, transform: [10, 1, 0, 0, -10, 0] }, data: new Uint16Array(16), nodata: 0 }, g, 'nearest'))).toBe(true);
  });
});

describe('warp speed', () => {
  it('warps 1000 × 1000 uint16 across zones with bilinear fast enough', () => {
    const dst = targetGrid({ lon: 30.0, lat: -17.9, radius_m: 5020 }, 10);
    const src = tileWindow('35KRA', 10, dst);
    const rnd = prng(11);
    const data = fill(src, new Uint16Array(src.width * src.height), (c, r) => 1000 + c + r + Math.floor(rnd() * 50));
    const band = { grid: src, data, nodata: 0 };
    let t = performance.now();
    const plan = planWarp(src, dst);
    const planMs = performance.now() - t;
    let best = Infinity;
    for (let k = 0; k < 5; k++) {
      t = performance.now();
      warp(band, dst, 'bilinear', { plan });
      best = Math.min(best, performance.now() - t);
    }
    const mpx = (dst.width * dst.height) / 1e6;
    console.info(`warp ${dst.width}×${dst.height} cross-CRS bilinear uint16: ${(mpx / (best / 1000)).toFixed(1)} Mpx/s (${best.toFixed(1)} ms; plan ${planMs.toFixed(1)} ms, ${(plan as CellPlan).count} cells)`);
    expect(dst.width * dst.height).toBeGreaterThan(1e6);
    expect(best).toBeLessThan(500);
  });
});

describe('warp mask', () => {
  it('computes only the masked destination pixels, identical to an unmasked warp there', async () => {
    const { planWarp: plan, warp: w } = await import('./warp');
    const src = { grid: { epsg: 32736, transform: [20, 0, 300000, 0, -20, 8000000] as const, width: 50, height: 40 }, data: Uint16Array.from({ length: 2000 }, (_, i) => 1000 + (i * 37) % 900), nodata: 0 };
    const dst = { epsg: 32736, transform: [10, 0, 300000, 0, -10, 8000000] as const, width: 100, height: 80 };
    const p = plan(src.grid, dst);
    const mask = Uint8Array.from({ length: 8000 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const full = w(src, dst, 'bilinear', { plan: p }).data;
    const part = w(src, dst, 'bilinear', { plan: p, mask }).data;
    for (let i = 0; i < 8000; i++) expect(part[i]).toBe(mask[i] ? full[i] : 0);
    expect(() => w(src, dst, 'nearest', { plan: p, mask: new Uint8Array(5) })).toThrow(/mask/);
  });
});
