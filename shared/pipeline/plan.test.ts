import { describe, expect, it } from 'vitest';
import type { ParsedScene } from '../stac/types';
import { booleanPointInPolygon } from '@turf/turf';
import type { Polygon } from 'geojson';
import { aoiPolygon } from '../contract/aoi';
import { containsConvex, planScenes, thinDates } from './plan';
import { targetGrid } from '../raster/grid';
import type { Affine } from '../geo/crs';

const AOI = { lon: 30.0, lat: -17.8, radius_m: 2000 };
const box = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon' as const, coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });

function scene(id: string, date: string, family: 'c1' | 'legacy', epsg: number, geometry: ReturnType<typeof box>): ParsedScene {
  const ring = geometry.coordinates[0];
  const lons = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  return {
    id, collection: family === 'c1' ? 's2_l2a_c1' : 's2_l2a', label: id, datetime: `${date}T08:00:00Z`, date, tile: epsg === 32736 ? '36KSF' : '35KRA', epsg,
    cloudCover: 10, platform: 'sentinel-2a', processingBaseline: '05.09', boaOffsetApplied: null, family, geometry,
    bbox: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)], bands: BANDS[epsg],
  };
}

// The demo world's windows of 36KSF and 35KRA (10 m), as their items give them.
const band = (epsg: number, transform: Affine, shape: [number, number]) => ({ name: 'red' as const, assetKey: 'red', href: 's3://b/k', epsg, shape, transform, resolution: 10, scale: 1e-4, offset: -0.1, nodata: 0 });
const BANDS: Record<number, ParsedScene['bands']> = {
  32736: { red: band(32736, [10, 0, 180720, 0, -10, 8034580], [1032, 702]), nir: band(32736, [10, 0, 180720, 0, -10, 8034580], [1032, 702]) },
  32735: { red: band(32735, [10, 0, 812040, 0, -10, 8034760], [1056, 744]) },
};
const GRID = targetGrid(AOI, 10);
const WHOLE = box(29.9, -17.9, 30.1, -17.7);
const WEST = box(29.9, -17.9, 30.0, -17.7);
const EAST = box(30.0, -17.9, 30.1, -17.7);
const FAR = box(31.0, -17.9, 31.1, -17.7);

describe('planScenes: one observation per date', () => {
  it('keeps one of two tiles that both cover the AOI, preferring the target zone', () => {
    const plan = planScenes([scene('a35', '2022-10-01', 'c1', 32735, WHOLE), scene('b36', '2022-10-01', 'c1', 32736, WHOLE)], AOI, { grid: GRID, bands: ['red', 'nir'] });
    expect(plan.dates).toHaveLength(1);
    expect(plan.dates[0].scenes.map((s) => s.scene.id)).toEqual(['b36']);
    expect(plan.dates[0].coverage).toBeCloseTo(1, 3);
    expect(plan.skipped).toEqual([expect.objectContaining({ id: 'a35', reason: expect.stringContaining('already covered') })]);
  });
  it('prefers Collection 1 over the legacy copy of the same acquisition', () => {
    const plan = planScenes([scene('old', '2023-01-10', 'legacy', 32736, WHOLE), scene('new', '2023-01-10', 'c1', 32736, WHOLE)], AOI, { grid: GRID, bands: ['red'] });
    expect(plan.dates[0].scenes.map((s) => s.scene.id)).toEqual(['new']);
  });
  it('mosaics two tiles that each cover part of the AOI (the 30°E case), in priority order', () => {
    const plan = planScenes([scene('w', '2022-11-05', 'c1', 32735, WEST), scene('e', '2022-11-05', 'c1', 32736, EAST)], AOI, { grid: GRID, bands: ['red'] });
    expect(plan.dates[0].scenes.map((s) => s.scene.id)).toEqual(['e', 'w']);
    const [e, w] = plan.dates[0].scenes;
    expect(e.coverage + w.coverage).toBeCloseTo(1, 2);
    expect(plan.dates[0].coverage).toBeCloseTo(1, 2);
  });
  it('drops scenes that miss the AOI and sorts dates', () => {
    const plan = planScenes([scene('late', '2023-03-01', 'c1', 32736, WHOLE), scene('far', '2022-12-01', 'c1', 32736, FAR), scene('early', '2022-09-03', 'c1', 32736, WHOLE)], AOI, { grid: GRID, bands: ['red'] });
    expect(plan.dates.map((d) => d.date)).toEqual(['2022-09-03', '2023-03-01']);
    expect(plan.skipped).toEqual([expect.objectContaining({ id: 'far', reason: 'does not cover the area of interest' })]);
  });
  it('estimates bytes from whole tiles touched, growing with bands and dates', () => {
    const one = planScenes([scene('a', '2022-10-01', 'c1', 32736, WHOLE)], AOI, { grid: GRID, bands: ['red'] });
    const more = planScenes([scene('a', '2022-10-01', 'c1', 32736, WHOLE), scene('b', '2022-10-06', 'c1', 32736, WHOLE)], AOI, { grid: GRID, bands: ['red', 'nir', 'swir16'] });
    // The AOI's red window is columns 0–325, rows 317–720 of the 702 × 1032 image (it is the image's west edge):
    // with 512 px tiles that is 1 × 2 tiles at 1.3 B/px (no SCL asset in this test).
    expect(one.estimatedBytes).toBe(Math.round(2 * 512 * 512 * 1.3));
    expect(more.estimatedBytes).toBeCloseTo(2 * 2 * one.estimatedBytes, -1); // two dates, red + nir (swir16 has no asset here)
  });
});

describe('thinDates: a preview\'s cadence', () => {
  const season = (clouds: (number | null)[]) => planScenes(
    clouds.map((c, i) => ({ ...scene(`s${i}`, `2022-10-${String(i + 1).padStart(2, '0')}`, 'c1', 32736, WHOLE), cloudCover: c })),
    AOI, { grid: GRID, bands: ['red', 'nir'] },
  );

  it('keeps the clearest date of each stretch, in order, and lists the rest as skipped', () => {
    const plan = season([50, 10, 30, 80, 5, 60, null, 40, 20]);
    const thin = thinDates(plan, 3);
    expect(thin.dates.map((d) => d.date)).toEqual(['2022-10-02', '2022-10-05', '2022-10-09']);
    expect(thin.skipped.filter((s) => /left out of a 3-date preview/.test(s.reason)).map((s) => s.id)).toEqual(['s0', 's2', 's3', 's5', 's6', 's7']);
    expect(thin.estimatedBytes).toBe(Math.round((plan.estimatedBytes * 3) / 9));
  });

  it('treats an unknown cloud cover as fully cloudy, and leaves short seasons alone', () => {
    expect(thinDates(season([null, 90]), 1).dates.map((d) => d.date)).toEqual(['2022-10-02']);
    const plan = season([10, 20]);
    expect(thinDates(plan, 2)).toBe(plan);
    expect(thinDates(plan, 5)).toBe(plan);
  });
});

describe('containsConvex: when a footprint holds the whole AOI (no clipping needed)', () => {
  const aoi = aoiPolygon(AOI) as Polygon;
  it('holds for a footprint around the circle, in a Polygon or a MultiPolygon', () => {
    expect(containsConvex(WHOLE, aoi)).toBe(true);
    expect(containsConvex({ type: 'MultiPolygon', coordinates: [FAR.coordinates, WHOLE.coordinates] }, aoi)).toBe(true);
  });

  it('fails for a footprint that covers part of it, none of it, cuts a notch into it or has a hole in it', () => {
    expect(containsConvex(WEST, aoi)).toBe(false);
    expect(containsConvex(FAR, aoi)).toBe(false);
    // A thin notch from the south edge up to the centre, slanted to pass between two of the circle's vertices: every
    // vertex stays inside the footprint, only the notch's tip is inside the circle.
    const notch: Polygon = { type: 'Polygon', coordinates: [[[29.9, -17.9], [30.0049, -17.9], [30.0, -17.8], [30.0053, -17.9], [30.1, -17.9], [30.1, -17.7], [29.9, -17.7], [29.9, -17.9]]] };
    expect(aoi.coordinates[0].every((p) => booleanPointInPolygon(p, notch))).toBe(true);
    expect(containsConvex(notch, aoi)).toBe(false);
    const holed: Polygon = { type: 'Polygon', coordinates: [WHOLE.coordinates[0], [[29.999, -17.801], [30.001, -17.801], [30.001, -17.799], [29.999, -17.799], [29.999, -17.801]]] };
    expect(containsConvex(holed, aoi)).toBe(false);
  });

  it('plans a footprint holding the AOI as the clipped geometry would: full coverage, later scenes of the date skipped', () => {
    const plan = planScenes([scene('w', '2022-10-01', 'c1', 32736, WEST), scene('all', '2022-10-01', 'c1', 32736, WHOLE), scene('all2', '2022-10-01', 'c1', 32736, WHOLE)], AOI, { grid: GRID, bands: ['red'] });
    expect(plan.dates[0].coverage).toBeCloseTo(1, 6);
    expect(plan.dates[0].scenes.map((s) => [s.scene.id, s.coverage])).toEqual([['all', 1]]);
    expect(plan.skipped.map((s) => s.id).sort()).toEqual(['all2', 'w']);
  });
});
