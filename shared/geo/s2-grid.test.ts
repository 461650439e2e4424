import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { s2Tile, snapToS2Grid } from './s2-grid';

const dataDir = path.resolve(__dirname, '../../../shared/data');
const haveData = existsSync(dataDir);
if (!haveData) console.warn(`s2-grid.test: ${dataDir} is absent; checking only the origins quoted in this file`);

/** Real tile origins as DEA/E84 publish them (quoted from ../shared/data so the test also runs without it). */
const REAL_ORIGINS: Record<string, [number, number, number]> = {
  '37MGP': [32737, 699960, 9400000], // odc-tools__S2B_T37MGP_20240710T073012_L2A_C1.json
  '37MCQ': [32737, 300000, 9500020], // datacube-core__s2_africa_dataset.yaml
  '39MXR': [32739, 600000, 9600040], // datacube-explorer__s2_l2a-sample.yaml
  '27PYR': [32627, 699960, 1600020], // datacube-explorer__s2_l2a-sample.yaml
  '29RKH': [32629, 199980, 2800020], // s2-real COGs (gdalinfo origin)
};

describe('s2Tile', () => {
  it.each(Object.entries(REAL_ORIGINS))('reproduces the real origin of %s', (id, [epsg, x, y]) => {
    const t = s2Tile(id);
    expect([t.epsg, t.originX, t.originY]).toEqual([epsg, x, y]);
  });

  it.skipIf(!haveData)('agrees with every default grid in the real EO3 documents', () => {
    const files = ['datacube-explorer__s2_l2a-sample.yaml', 'datacube-core__s2_africa_dataset.yaml', 'odc-tools__S2B_T37MGP_20240710T073012_L2A_C1-odc-metadata.yaml'];
    let checked = 0;
    for (const f of files) {
      for (const doc of parseAllDocuments(readFileSync(path.join(dataDir, 'dea', f), 'utf8'))) {
        const d = doc.toJS() as { crs: string; properties: Record<string, unknown>; grids: { default: { transform: number[] } } };
        if (!d?.grids) continue;
        const t = s2Tile(String(d.properties['odc:region_code']));
        expect(`EPSG:${t.epsg}`).toBe(d.crs.toUpperCase());
        expect([t.originX, t.originY]).toEqual([d.grids.default.transform[2], d.grids.default.transform[5]]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(7);
  });

  it('gives the demo world tiles either side of 30°E', () => {
    expect(s2Tile('35KRA')).toMatchObject({ epsg: 32735, originX: 799980, originY: 8100040 });
    expect(s2Tile('T36KSF')).toMatchObject({ epsg: 32736, originX: 99960, originY: 8100040 });
  });

  it('rejects ids that are not MGRS tiles', () => {
    expect(() => s2Tile('36KIF')).toThrow(/MGRS tile id/);
    expect(() => s2Tile('banana')).toThrow(/MGRS tile id/);
  });

  it('snaps onto the 60 m lattice of the tile', () => {
    const t = s2Tile('36KSF');
    expect(snapToS2Grid(t, 100_000, 'x', -1)).toBe(99_960);
    expect(snapToS2Grid(t, 100_000, 'x', 1)).toBe(100_020);
    expect(Math.abs((snapToS2Grid(t, 8_030_001, 'y', 1) - t.originY) % 60)).toBe(0);
  });
});
