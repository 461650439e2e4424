import { describe, expect, it } from 'vitest';
import { project } from '../../shared/geo/crs';
import { acquisitionDates, DEFAULT_CONFIG, worldGeometry } from './world-config';

describe('demo world geometry', () => {
  const g = worldGeometry(DEFAULT_CONFIG);

  it('straddles 30°E, delivered as MGRS tiles 35KRA (UTM 35S) and 36KSF (UTM 36S)', () => {
    expect(g.regionLonLat[0]).toBeLessThan(30);
    expect(g.regionLonLat[2]).toBeGreaterThan(30);
    expect(g.tiles.map((t) => [t.tile.id, t.grid10.epsg])).toEqual([['35KRA', 32735], ['36KSF', 32736]]);
  });

  it('cuts tile windows on the real tiles’ 60 m lattice, inside the tiles', () => {
    for (const { tile, grid10, grid20 } of g.tiles) {
      expect((grid10.transform[2] - tile.originX) % 60).toBe(0);
      expect(Math.abs((grid10.transform[5] - tile.originY) % 60)).toBe(0);
      expect(grid20.width * 2).toBe(grid10.width);
      expect(grid20.height * 2).toBe(grid10.height);
      expect(grid10.width).toBeLessThan(10980);
      expect(grid10.transform[2]).toBeGreaterThanOrEqual(tile.originX);
      expect(grid10.transform[5]).toBeLessThanOrEqual(tile.originY);
    }
  });

  it('holds a 5 km-radius AOI around its centre, which needs both tiles', () => {
    const [cx, cy] = project(4326, g.epsg, [30.0, -17.8]);
    expect(cx - 5000).toBeGreaterThanOrEqual(g.region[0]);
    expect(cx + 5000).toBeLessThanOrEqual(g.region[2]);
    expect(cy - 5000).toBeGreaterThanOrEqual(g.region[1]);
    expect(cy + 5000).toBeLessThanOrEqual(g.region[3]);
    // Neither window alone covers the whole AOI: the pipeline must mosaic across zones.
    for (const { grid10 } of g.tiles) {
      const [x0] = project(grid10.epsg, g.epsg, [grid10.transform[2], grid10.transform[5]]);
      const [x1] = project(grid10.epsg, g.epsg, [grid10.transform[2] + grid10.width * 10, grid10.transform[5]]);
      expect(x0 > cx - 5000 || x1 < cx + 5000).toBe(true);
    }
  });

  it('acquires every 5 days from Sep 1 to May 31', () => {
    const dates = acquisitionDates(2022, 5);
    expect(dates[0] >= '2022-09-01' && dates[0] <= '2022-09-05').toBe(true);
    expect(dates[dates.length - 1] > '2023-05-26' && dates[dates.length - 1] <= '2023-05-31').toBe(true);
    for (let i = 1; i < dates.length; i++) expect(Date.parse(dates[i]) - Date.parse(dates[i - 1])).toBe(5 * 86_400_000);
  });
});
