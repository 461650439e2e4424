/**
 * GDAL as the oracle for the COG reader: real Sentinel-2 COGs (../shared/data/s2-real) and COGs from the project's
 * writer, served over a real socket with Range semantics, read with readCogWindow and compared pixel by pixel (and
 * grid by grid) with GDAL's own reads of the same level and window. Skipped where GDAL or the data is missing.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_GDAL } from '../../server/demo-world/testing/gdal';
import { serveFiles } from '../../server/http/range-files';
import { listen, type Listening } from '../../server/http/test-listen';
import type { Affine } from '../geo/crs';
import { writeCog } from '../export/cog-writer';
import { int16Raster, s2Raster } from '../export/test-rasters';
import { openCog, readCogWindow } from './cog-reader';
import { createReaderContext, type ReaderContext } from './reader-context';
import type { BandArray, Raster } from './types';

const REAL_DIR = path.resolve(__dirname, '../../../shared/data/s2-real');
const REAL_PREFIX = 'rio-tiler-pds__S2A_29RKH_20200219_0_L2A__';
const HAVE_REAL = existsSync(path.join(REAL_DIR, `${REAL_PREFIX}B04.tif`));
if (!HAVE_REAL) console.warn(`cog-reader.gdal: ${REAL_DIR} is absent, so the real Sentinel-2 COG comparison is skipped (copy the rio-tiler-pds fixtures there to run it)`);

/** Level sizes and geotransforms as GDAL sees them (`ovr` -1 = full resolution), and raw native-byte window reads. */
const GDAL_PY = `
import base64, json, sys
from osgeo import gdal
gdal.UseExceptions()
req = json.load(sys.stdin)
out = {"levels": {}, "reads": []}
def level(ds, ovr):
    b = ds.GetRasterBand(1)
    return b if ovr < 0 else b.GetOverview(ovr)
for p in req.get("info", []):
    ds = gdal.Open(p)
    gt = ds.GetGeoTransform()
    W, H = ds.RasterXSize, ds.RasterYSize
    b = ds.GetRasterBand(1)
    lv = []
    for ovr in range(-1, b.GetOverviewCount()):
        o = level(ds, ovr)
        lv.append({"ovr": ovr, "size": [o.XSize, o.YSize], "gt": [gt[0], gt[1] * W / o.XSize, gt[2], gt[3], gt[4], gt[5] * H / o.YSize],
                   "type": gdal.GetDataTypeName(o.DataType), "nodata": b.GetNoDataValue(), "epsg": int(ds.GetSpatialRef().GetAuthorityCode(None))})
    out["levels"][p] = lv
for r in req.get("read", []):
    ds = gdal.Open(r["path"])
    o = level(ds, r["ovr"])
    out["reads"].append(base64.b64encode(o.ReadRaster(r["x"], r["y"], r["w"], r["h"])).decode())
json.dump(out, sys.stdout)
`;

interface GdalLevel { ovr: number; size: [number, number]; gt: number[]; type: string; nodata: number | null; epsg: number }
function gdal(req: { info?: string[]; read?: Array<{ path: string; ovr: number; x: number; y: number; w: number; h: number }> }): { levels: Record<string, GdalLevel[]>; reads: string[] } {
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', GDAL_PY], { input: JSON.stringify(req), maxBuffer: 512 * 1024 * 1024 }).toString());
}

const ARRAYS: Record<string, new (b: ArrayBuffer) => BandArray> = { Byte: Uint8Array, UInt16: Uint16Array, Int16: Int16Array, Float32: Float32Array };

let root = '';
let server: Listening;
let ctx: ReaderContext;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'geocrop-reader-gdal-'));
  mkdirSync(path.join(root, 'real'));
  mkdirSync(path.join(root, 'written'));
  if (HAVE_REAL) for (const b of ['B04', 'B8A', 'SCL']) copyFileSync(path.join(REAL_DIR, `${REAL_PREFIX}${b}.tif`), path.join(root, 'real', `${b}.tif`));
  const deflate = (d: Uint8Array, level: number) => new Uint8Array(zlib.deflateSync(d, { level }));
  writeFileSync(path.join(root, 'written', 's2.tif'), writeCog({ ...s2Raster(1500, 1300, 512), overviews: [2, 4] }, { deflate }));
  writeFileSync(path.join(root, 'written', 'int16.tif'), writeCog({ ...int16Raster(1100, 700), tileSize: 256 }, { deflate }));
  server = await listen(new Hono().route('/s3', serveFiles({ root })));
  ctx = createReaderContext({ fetch: (u, i) => fetch(u, i), s3Template: `${server.url}/s3/{bucket}/{key}` });
});

afterAll(async () => {
  await server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** 'same', or where two pixel arrays first differ (vitest's deep equality is slow on megapixel arrays). */
function samePixels(actual: ArrayLike<number>, expected: ArrayLike<number>): string {
  if (actual.constructor !== expected.constructor || actual.length !== expected.length) {
    return `${actual.constructor.name}[${actual.length}] vs ${expected.constructor.name}[${expected.length}]`;
  }
  for (let i = 0; i < actual.length; i++) if (!Object.is(actual[i], expected[i])) return `pixel ${i}: ${actual[i]} vs ${expected[i]}`;
  return 'same';
}

interface Case {
  /** `bucket/key` under the served root. */
  key: string;
  resolution: number;
  /** The GDAL level (-1 = full resolution) the reader must pick for `resolution`. */
  ovr: number;
  /** Pixel window `[col0, row0, col1, row1]` in that level, inside the image. */
  win: [number, number, number, number];
}

/** Reads every case with the reader (from a bbox a quarter pixel inside the window) and with GDAL, and compares. */
async function compare(cases: Case[]): Promise<void> {
  const files = [...new Set(cases.map((c) => path.join(root, c.key)))];
  const { levels } = gdal({ info: files });
  const rasters: Raster[] = [];
  for (const c of cases) {
    const level = levels[path.join(root, c.key)].find((l) => l.ovr === c.ovr)!;
    const [x0, a, , y0, , e] = level.gt;
    const [c0, r0, c1, r1] = c.win;
    const bbox = [x0 + (c0 + 0.25) * a, y0 + (r1 - 0.25) * e, x0 + (c1 - 0.25) * a, y0 + (r0 + 0.25) * e] as const;
    const raster = await readCogWindow(await openCog(`s3://${c.key}`, ctx), { bbox, resolution: c.resolution });
    const t: Affine = [a, 0, x0 + c0 * a, 0, e, y0 + r0 * e];
    expect(raster.grid.epsg, c.key).toBe(level.epsg);
    expect([raster.grid.width, raster.grid.height], `${c.key} ${c.win}`).toEqual([c1 - c0, r1 - r0]);
    raster.grid.transform.forEach((v, i) => expect(v, `${c.key} transform[${i}] at ovr ${c.ovr}`).toBeCloseTo(t[i], 6));
    expect(raster.nodata).toBe(level.nodata);
    expect(raster.data).toBeInstanceOf(ARRAYS[level.type]);
    rasters.push(raster);
  }
  const { reads } = gdal({ read: cases.map((c) => ({ path: path.join(root, c.key), ovr: c.ovr, x: c.win[0], y: c.win[1], w: c.win[2] - c.win[0], h: c.win[3] - c.win[1] })) });
  cases.forEach((c, i) => {
    const bytes = Buffer.from(reads[i], 'base64');
    const Ctor = rasters[i].data.constructor as new (b: ArrayBuffer) => BandArray;
    const oracle = new Ctor(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    expect(samePixels(rasters[i].data, oracle), `${c.key} ovr ${c.ovr} window ${c.win}`).toBe('same');
  });
}

describe.skipIf(!HAVE_GDAL)('readCogWindow vs GDAL', () => {
  it.skipIf(!HAVE_REAL)('reads real Sentinel-2 COGs like GDAL, at full resolution and at overview levels', async () => {
    await compare([
      { key: 'real/B04.tif', resolution: 100, ovr: -1, win: [300, 400, 437, 523] }, // 10 m band (here 100 m), crosses a tile edge
      { key: 'real/B04.tif', resolution: 100, ovr: -1, win: [1000, 1050, 1098, 1098] }, // edge tiles
      { key: 'real/B04.tif', resolution: 250, ovr: 0, win: [120, 200, 400, 333] }, // 200 m overview, 128 px tiles
      { key: 'real/B04.tif', resolution: 400, ovr: 1, win: [0, 0, 275, 275] }, // 399.27 m overview (1098 / 275)
      { key: 'real/B8A.tif', resolution: 200, ovr: -1, win: [10, 500, 549, 549] },
      { key: 'real/B8A.tif', resolution: 1000, ovr: 0, win: [33, 44, 200, 201] },
      { key: 'real/SCL.tif', resolution: 200, ovr: -1, win: [100, 100, 300, 250] }, // uint8 classes
    ]);
  });

  it('reads COGs from the project writer like GDAL, at every level (uint16 S2-like and int16 with nodata)', async () => {
    await compare([
      { key: 'written/s2.tif', resolution: 10, ovr: -1, win: [0, 0, 300, 260] }, // includes the nodata wedge
      { key: 'written/s2.tif', resolution: 10, ovr: -1, win: [480, 500, 1500, 1300] },
      { key: 'written/s2.tif', resolution: 25, ovr: 0, win: [100, 90, 750, 650] },
      { key: 'written/s2.tif', resolution: 40, ovr: 1, win: [0, 0, 375, 325] },
      { key: 'written/int16.tif', resolution: 20, ovr: -1, win: [0, 0, 300, 100] },
      { key: 'written/int16.tif', resolution: 45, ovr: 0, win: [10, 10, 550, 350] },
    ]);
  });
});
