import { booleanPointInPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { aoiPolygon, type Aoi } from '../contract/aoi';
import { isGeoCropError } from '../contract/errors';
import { project } from '../geo/crs';
import { s2Tile, s2TileTransform } from '../geo/s2-grid';
import { aoiMask, gridBBox, gridOriginStepM, sourceWindow, sourceWindowBBox, targetGrid, type GridResolutionM } from './grid';
import { windowTransform } from './cog-window';

/** A window as [col0, row0, col1, row1], for compact expectations. */
const box = (w: { col0: number; row0: number; col1: number; row1: number } | null) => (w ? [w.col0, w.row0, w.col1, w.row1] : null);
import type { RasterGrid } from './types';
import { planWarp } from './warp';

/** East of 30°E: UTM 36S, inside S2 tile 36KSF. */
const EAST: Aoi = { lon: 30.05, lat: -17.8, radius_m: 2000 };
/** West of 30°E: UTM 35S, inside S2 tile 35KRA. */
const WEST: Aoi = { lon: 29.93, lat: -17.85, radius_m: 5000 };

const mod = (a: number, m: number): number => ((a % m) + m) % m;

function tileGrid(id: string, res: number): RasterGrid {
  const tile = s2Tile(id);
  const n = 109_800 / res;
  return { epsg: tile.epsg, transform: s2TileTransform(tile, res), width: n, height: n };
}

describe('targetGrid', () => {
  it.each([
    [EAST, '36KSF'],
    [WEST, '35KRA'],
  ] as const)('puts 10 and 20 m grids on the pixel lattice of the real S2 tile (%o in %s)', (aoi, tileId) => {
    const tile = s2Tile(tileId);
    for (const res of [10, 20] as const) {
      const g = targetGrid(aoi, res);
      expect(g.epsg).toBe(tile.epsg);
      expect(g.transform).toEqual([res, 0, g.transform[2], 0, -res, g.transform[5]]);
      expect(mod(g.transform[2] - tile.originX, res)).toBe(0);
      expect(mod(g.transform[5] - tile.originY, res)).toBe(0);
      // The grid is inside the tile, so the tile's band at that resolution maps 1:1: a pure row copy.
      const plan = planWarp(tileGrid(tileId, res), g);
      expect(plan.kind).toBe('copy');
    }
    // A 20 m band onto the 10 m grid: every 20 m pixel is exactly 2 × 2 target pixels.
    const plan = planWarp(tileGrid(tileId, 20), targetGrid(aoi, 10));
    expect(plan.kind).toBe('cells');
    if (plan.kind !== 'cells') return;
    expect(plan.exact).toBe(true);
    expect(plan.cells[6]).toBe(0.5);
    // Target centres fall a quarter of a source pixel inside a 20 m pixel, never on its edge.
    expect([0.25, 0.75]).toContain(mod(plan.cells[4], 1));
    expect([0.25, 0.75]).toContain(mod(plan.cells[5], 1));
  });

  it('puts 40 and 80 m grids on the 20 m lattice with the corner on the S2 60 m lattice', () => {
    const tile = s2Tile('36KSF');
    expect(gridOriginStepM(40)).toBe(120);
    expect(gridOriginStepM(80)).toBe(240);
    for (const res of [40, 80] as const) {
      const g = targetGrid(EAST, res);
      expect(mod(g.transform[2] - tile.originX, 60)).toBe(0);
      expect(mod(g.transform[5] - tile.originY, 60)).toBe(0);
      // Pixel edges on the tile's 20 m lattice: each pixel is a whole block of S2 20 m (and 10 m) pixels.
      expect(mod(g.transform[2] - tile.originX, 20)).toBe(0);
      expect(mod(g.transform[5] - tile.originY, 20)).toBe(0);
      expect(mod(g.transform[2], gridOriginStepM(res))).toBe(0);
      expect(mod(g.transform[5] - 10_000_000, gridOriginStepM(res))).toBe(0);
    }
  });

  it.each([10, 20, 40, 80] as const)('covers the AOI circle tightly at %i m', (res: GridResolutionM) => {
    for (const aoi of [EAST, WEST, { lon: 32.9, lat: -20.1, radius_m: 25_000 }]) {
      const g = targetGrid(aoi, res);
      const [minX, minY, maxX, maxY] = gridBBox(g);
      let bx0 = Infinity, by0 = Infinity, bx1 = -Infinity, by1 = -Infinity;
      // The true circle, sampled densely: destination points at every 0.5° of bearing.
      for (let b = 0; b < 360; b += 0.5) {
        const d = aoi.radius_m / 6_371_008.8;
        const lat1 = (aoi.lat * Math.PI) / 180, br = (b * Math.PI) / 180;
        const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(br));
        const lon2 = (aoi.lon * Math.PI) / 180 + Math.atan2(Math.sin(br) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
        const [x, y] = project(4326, g.epsg, [(lon2 * 180) / Math.PI, (lat2 * 180) / Math.PI]);
        bx0 = Math.min(bx0, x); by0 = Math.min(by0, y); bx1 = Math.max(bx1, x); by1 = Math.max(by1, y);
      }
      expect(minX).toBeLessThanOrEqual(bx0);
      expect(maxY).toBeGreaterThanOrEqual(by1);
      expect(maxX).toBeGreaterThanOrEqual(bx1);
      expect(minY).toBeLessThanOrEqual(by0);
      // No more slack than one origin step (west/north) or one pixel (east/south), plus sampling noise.
      expect(bx0 - minX).toBeLessThan(gridOriginStepM(res) + 0.5);
      expect(maxY - by1).toBeLessThan(gridOriginStepM(res) + 0.5);
      expect(maxX - bx1).toBeLessThan(res + 0.5);
      expect(by0 - minY).toBeLessThan(res + 0.5);
    }
  });

  it('rejects other resolutions and bad radii', () => {
    expect(() => targetGrid(EAST, 30 as GridResolutionM)).toThrow(/10, 20, 40, 80/);
    try {
      targetGrid({ ...EAST, radius_m: 0 }, 10);
      expect.unreachable();
    } catch (err) {
      expect(isGeoCropError(err, 'INVALID_REQUEST')).toBe(true);
    }
  });
});

describe('aoiMask', () => {
  it.each([
    [EAST, 10],
    [WEST, 20],
    [{ lon: 30.0, lat: -19.5, radius_m: 25_000 }, 80],
    [{ lon: 25.6, lat: -18.2, radius_m: 800 }, 10],
  ] as const)('covers π r² within 1 % (%o at %i m)', (aoi, res) => {
    const g = targetGrid(aoi, res);
    const mask = aoiMask(aoi, g);
    const count = mask.reduce((s, v) => s + v, 0);
    const area = count * res * res;
    expect(Math.abs(area / (Math.PI * aoi.radius_m ** 2) - 1)).toBeLessThan(0.01);
    // Nothing of the circle lies outside the grid: a grid one pixel wider all round has the same count.
    const t = g.transform;
    const wider: RasterGrid = { ...g, transform: [res, 0, t[2] - res, 0, -res, t[5] + res], width: g.width + 2, height: g.height + 2 };
    expect(aoiMask(aoi, wider).reduce((s, v) => s + v, 0)).toBe(count);
  });

  it('is exactly point-in-polygon of pixel centres against the projected aoiPolygon', () => {
    const aoi: Aoi = { lon: 29.99, lat: -17.9, radius_m: 700 };
    const g = targetGrid(aoi, 10);
    const mask = aoiMask(aoi, g);
    const [a, , c, , e, f] = g.transform;
    const ring = aoiPolygon(aoi).coordinates[0].map((p) => {
      const [x, y] = project(4326, g.epsg, [p[0], p[1]]);
      return [(x - c) / a, (y - f) / e];
    });
    const poly = { type: 'Polygon' as const, coordinates: [ring] };
    let mismatches = 0, inside = 0;
    for (let r = 0; r < g.height; r++) {
      for (let col = 0; col < g.width; col++) {
        const want = booleanPointInPolygon([col + 0.5, r + 0.5], poly) ? 1 : 0;
        inside += want;
        if (want !== mask[r * g.width + col]) mismatches++;
      }
    }
    expect(inside).toBeGreaterThan(10_000);
    expect(mismatches).toBe(0);
  });

  it('clips to a grid smaller than the circle', () => {
    const g = targetGrid(EAST, 10);
    const half: RasterGrid = { ...g, width: Math.floor(g.width / 2) };
    const full = aoiMask(EAST, g);
    const part = aoiMask(EAST, half);
    const want = new Uint8Array(half.width * half.height);
    for (let r = 0; r < g.height; r++) want.set(full.subarray(r * g.width, r * g.width + half.width), r * half.width);
    expect(part.every((v, i) => v === want[i])).toBe(true);
    expect(part.reduce((s, v) => s + v, 0)).toBeGreaterThan(1000);
  });
});

describe('sourceWindow', () => {
  it('is the aligned footprint plus the margin in the same CRS', () => {
    const src = tileGrid('36KSF', 10);
    const dst = targetGrid(EAST, 10);
    const x0 = (dst.transform[2] - src.transform[2]) / 10;
    const y0 = (src.transform[5] - dst.transform[5]) / 10;
    expect(box(sourceWindow(dst, src.epsg, src.transform, src.width, src.height))).toEqual([x0 - 2, y0 - 2, x0 + dst.width + 2, y0 + dst.height + 2]);
    expect(box(sourceWindow(dst, src.epsg, src.transform, src.width, src.height, 0))).toEqual([x0, y0, x0 + dst.width, y0 + dst.height]);
    const t20 = s2TileTransform(s2Tile('36KSF'), 20);
    expect(box(sourceWindow(dst, src.epsg, t20, 5490, 5490, 1))).toEqual([
      Math.floor(x0 / 2) - 1,
      Math.floor(y0 / 2) - 1,
      Math.ceil((x0 + dst.width) / 2) + 1,
      Math.ceil((y0 + dst.height) / 2) + 1,
    ]);
  });

  it('covers every source position a cross-CRS warp reads, and little more', () => {
    const src = tileGrid('35KRA', 10);
    const dst = targetGrid({ lon: 30.0, lat: -17.9, radius_m: 3000 }, 10);
    expect(dst.epsg).toBe(32736);
    const win = sourceWindow(dst, src.epsg, src.transform, src.width, src.height, 2);
    expect(win).not.toBeNull();
    const [x0, y0, x1, y1] = box(win)!;
    let mx0 = Infinity, my0 = Infinity, mx1 = -Infinity, my1 = -Infinity;
    const steps = (n: number): number[] => [...Array.from({ length: Math.ceil(n / 8) }, (_, i) => i * 8), n];
    for (const r of steps(dst.height)) {
      for (const c of steps(dst.width)) {
        const [x, y] = project(dst.epsg, src.epsg, [dst.transform[2] + 10 * c, dst.transform[5] - 10 * r]);
        const sx = (x - src.transform[2]) / 10, sy = (src.transform[5] - y) / 10;
        mx0 = Math.min(mx0, sx); my0 = Math.min(my0, sy); mx1 = Math.max(mx1, sx); my1 = Math.max(my1, sy);
      }
    }
    expect(x0).toBeLessThanOrEqual(Math.floor(mx0) - 2);
    expect(y0).toBeLessThanOrEqual(Math.floor(my0) - 2);
    expect(x1).toBeGreaterThanOrEqual(Math.ceil(mx1) + 2);
    expect(y1).toBeGreaterThanOrEqual(Math.ceil(my1) + 2);
    expect(mx0 - x0).toBeLessThan(4);
    expect(x1 - mx1).toBeLessThan(4);
    // Rotated by the meridian convergence between zones, the footprint's box is wider than the grid.
    expect(x1 - x0).toBeGreaterThan(dst.width + 4);
  });

  it('clips to the image and returns null without overlap', () => {
    const src = tileGrid('36KSF', 10);
    const dst = targetGrid(EAST, 10);
    const shifted = { ...src, transform: [10, 0, dst.transform[2] + 50, 0, -10, dst.transform[5] - 30] as const };
    const w = sourceWindow(dst, src.epsg, shifted.transform, 100, 100);
    expect(box(w)).toEqual([0, 0, 100, 100]);
    const far = [10, 0, dst.transform[2] + 10 * dst.width + 30, 0, -10, dst.transform[5]] as const;
    expect(sourceWindow(dst, src.epsg, far, 100, 100)).toBeNull();
    expect(sourceWindowBBox(dst, src.epsg, far, 100, 100)).toBeNull();
  });

  it('gives the same window as a bbox on source pixel edges', () => {
    const src = tileGrid('35KRA', 20);
    const dst = targetGrid({ lon: 30.0, lat: -17.9, radius_m: 3000 }, 10);
    const w = sourceWindow(dst, src.epsg, src.transform, src.width, src.height)!;
    const b = sourceWindowBBox(dst, src.epsg, src.transform, src.width, src.height)!;
    const wt = windowTransform(src.transform, w);
    expect(b).toEqual([wt[2], wt[5] - 20 * (w.row1 - w.row0), wt[2] + 20 * (w.col1 - w.col0), wt[5]]);
    expect(mod(b[0] - src.transform[2], 20)).toBe(0);
    expect(mod(b[3] - src.transform[5], 20)).toBe(0);
  });
});
