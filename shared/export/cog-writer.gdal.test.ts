/**
 * GDAL as the oracle for the files writeCog produces: the COG validator, `gdalinfo -json`, and pixels read with
 * GDAL's Python bindings. Runs wherever /usr/bin/gdalinfo exists (CI installs gdal-bin and python3-gdal).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCog } from './cog-writer';
import { downsample, overviewSize } from './overviews';
import { classRaster, floatRaster, int16Raster, lcg, rgbRaster, s2Raster } from './test-rasters';
import type { CogBandArray, CogDataType, CogInput } from './types';

const GDALINFO = '/usr/bin/gdalinfo';
// Debian's python3 carries osgeo; a pyenv python3 on PATH does not (see TOOLCHAIN.md §5).
const PYTHON = '/usr/bin/python3';
const HAS_GDAL = existsSync(GDALINFO);
if (!HAS_GDAL) {
  console.warn(`shared/export: skipping the GDAL oracle tests because ${GDALINFO} is missing; install gdal-bin and python3-gdal to run them (CI does)`);
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'geocrop-cog-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let fileNo = 0;
function writeTemp(bytes: Uint8Array): string {
  const file = join(dir, `cog-${++fileNo}.tif`);
  writeFileSync(file, bytes);
  return file;
}

function validate(file: string): { status: number | null; output: string } {
  const r = spawnSync(PYTHON, ['-m', 'osgeo_utils.samples.validate_cloud_optimized_geotiff', file], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

// gdalinfo -json is a loose document; the tests read the fields they check.
interface GdalBand {
  type: string; block: [number, number]; colorInterpretation: string; description?: string; noDataValue?: number | string;
  overviews?: Array<{ size: [number, number] }>; scale?: number; offset?: number;
  metadata?: Record<string, Record<string, string>>; colorTable?: { count: number; entries: number[][] };
}
interface GdalInfo {
  size: [number, number]; geoTransform: number[]; coordinateSystem: { wkt: string };
  metadata: Record<string, Record<string, string>>; bands: GdalBand[];
}
function gdalinfo(file: string): GdalInfo {
  return JSON.parse(execFileSync(GDALINFO, ['-json', file], { encoding: 'utf8' })) as GdalInfo;
}

// Dumps every band at full resolution and then each of its overviews, as raw native (little-endian) bytes.
const DUMP = `
import sys
from osgeo import gdal
gdal.UseExceptions()
ds = gdal.Open(sys.argv[1])
out = sys.stdout.buffer
for i in range(1, ds.RasterCount + 1):
    b = ds.GetRasterBand(i)
    out.write(b.ReadAsArray().tobytes())
    for o in range(b.GetOverviewCount()):
        out.write(b.GetOverview(o).ReadAsArray().tobytes())
`;

const CTORS: Record<CogDataType, new (b: ArrayBuffer, o: number, n: number) => CogBandArray> = {
  uint8: Uint8Array, uint16: Uint16Array, int16: Int16Array, float32: Float32Array,
};

/** GDAL's pixels: `[band][level]`, level 0 = full resolution. */
function gdalPixels(file: string, input: CogInput, factors: readonly number[]): CogBandArray[][] {
  const raw = execFileSync(PYTHON, ['-c', DUMP, file], { maxBuffer: 1 << 30 });
  const buf = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer;
  const Ctor = CTORS[input.dataType];
  const sizes = [input.width * input.height, ...factors.map((f) => overviewSize(input.width, input.height, f).reduce((a, b) => a * b))];
  let at = 0;
  const out = input.bands.map(() => sizes.map((n) => {
    const a = new Ctor(buf, at, n);
    at += n * a.BYTES_PER_ELEMENT;
    return a;
  }));
  expect(at, 'bytes read by GDAL').toBe(buf.byteLength);
  return out;
}

function expectSameSamples(got: CogBandArray, want: CogBandArray, label: string): void {
  const g = Buffer.from(got.buffer, got.byteOffset, got.byteLength);
  const w = Buffer.from(want.buffer, want.byteOffset, want.byteLength);
  if (g.equals(w)) return;
  let k = 0;
  while (k < Math.min(got.length, want.length) && Object.is(got[k], want[k])) k++;
  expect.unreachable(`${label}: ${got.length} vs ${want.length} samples; first difference at sample ${k}: got ${got[k]}, want ${want[k]}`);
}

const GDAL_TYPE: Record<CogDataType, string> = { uint8: 'Byte', uint16: 'UInt16', int16: 'Int16', float32: 'Float32' };

interface Case {
  name: string;
  input: CogInput;
  /** Expected overview factors. */
  factors: number[];
  /** Expected start of the CRS WKT, e.g. `PROJCRS["WGS 84 / UTM zone 36S"`. */
  crs: string;
}

const cases: Case[] = [
  { name: 'uint8 classes with colormap, 1200×900, nodata 255, EPSG:6933', input: classRaster(), factors: [2, 4], crs: 'PROJCRS["WGS 84 / NSIDC EASE-Grid 2.0 Global"' },
  { name: 'uint16 S2-like 2000×1500, EPSG:32736, 512 tiles', input: s2Raster(2000, 1500, 512), factors: [2, 4], crs: 'PROJCRS["WGS 84 / UTM zone 36S"' },
  { name: 'uint16 S2-like 2000×1500, EPSG:32736, 1024 tiles', input: s2Raster(2000, 1500, 1024), factors: [2, 4], crs: 'PROJCRS["WGS 84 / UTM zone 36S"' },
  { name: 'int16 NDVI, EPSG:32735', input: int16Raster(), factors: [2, 4], crs: 'PROJCRS["WGS 84 / UTM zone 35S"' },
  { name: 'float32, EPSG:4326, NaN nodata', input: floatRaster(800, 600, NaN), factors: [2], crs: 'GEOGCRS["WGS 84"' },
  { name: 'float32, EPSG:4326, -9999 nodata', input: floatRaster(800, 600, -9999), factors: [2], crs: 'GEOGCRS["WGS 84"' },
  { name: '3-band uint8 RGB', input: rgbRaster(700, 600), factors: [2], crs: 'PROJCRS["WGS 84 / UTM zone 36S"' },
  { name: '4-band uint8 RGB + extra sample', input: rgbRaster(530, 300, 4), factors: [2], crs: 'PROJCRS["WGS 84 / UTM zone 36S"' },
  {
    name: '2-band uint16 min-is-black, UTM 35N',
    input: { ...s2Raster(600, 400), bands: [s2Raster(600, 400).bands[0], s2Raster(600, 400).bands[0].map((v) => v >> 1)], epsg: 32635, bandMetadata: [{ description: 'red' }, { description: 'nir' }] },
    factors: [2],
    crs: 'PROJCRS["WGS 84 / UTM zone 35N"',
  },
  { name: 'tiny 7×5, no overviews', input: s2Raster(7, 5), factors: [], crs: 'PROJCRS["WGS 84 / UTM zone 36S"' },
  { name: 'explicit overviews [2, 4, 8], mode resampling', input: { ...classRaster(900, 700), overviews: [2, 4, 8], resampling: 'mode' }, factors: [2, 4, 8], crs: 'PROJCRS["WGS 84 / NSIDC EASE-Grid 2.0 Global"' },
];

describe.skipIf(!HAS_GDAL)('writeCog checked by GDAL', () => {
  for (const c of cases) {
    describe(c.name, () => {
      const { input } = c;
      let file = '';
      beforeAll(() => {
        file = writeTemp(writeCog(input));
      });

      it('is a valid cloud optimized GeoTIFF (GDAL validator, full check)', () => {
        const r = validate(file);
        expect(r.output).toContain('is a valid cloud optimized GeoTIFF');
        expect(r.status, r.output).toBe(0);
        expect(r.output).not.toMatch(/warning/i);
      });

      it('gdalinfo reports the georeferencing, structure and metadata written', () => {
        const info = gdalinfo(file);
        const t = input.transform;
        expect(info.size).toEqual([input.width, input.height]);
        expect(info.geoTransform).toEqual([t[2], t[0], t[1], t[5], t[3], t[4]]);
        expect(info.coordinateSystem.wkt.startsWith(c.crs), info.coordinateSystem.wkt.slice(0, 80)).toBe(true);
        expect(info.coordinateSystem.wkt).toMatch(new RegExp(`ID\\["EPSG",${input.epsg}\\]\\]$`));
        expect(info.metadata.IMAGE_STRUCTURE).toMatchObject({
          COMPRESSION: 'DEFLATE', LAYOUT: 'COG', PREDICTOR: input.dataType === 'float32' ? '3' : '2',
          INTERLEAVE: input.bands.length > 1 ? 'PIXEL' : 'BAND',
        });
        expect(info.metadata['']).toMatchObject({ AREA_OR_POINT: 'Area', ...input.metadata });
        expect(info.bands).toHaveLength(input.bands.length);
        const tile = input.tileSize ?? 512;
        info.bands.forEach((band, i) => {
          expect(band.type).toBe(GDAL_TYPE[input.dataType]);
          expect(band.block).toEqual([tile, tile]);
          expect((band.overviews ?? []).map((o) => o.size)).toEqual(c.factors.map((f) => overviewSize(input.width, input.height, f)));
          if (input.nodata === undefined) expect(band.noDataValue).toBeUndefined();
          else if (Number.isNaN(input.nodata)) expect(band.noDataValue).toBe('NaN');
          else expect(band.noDataValue).toBe(input.nodata);
          const meta = input.bandMetadata?.[i];
          expect(band.description ?? '').toBe(meta?.description ?? '');
          if (meta?.scale !== undefined) expect(band.scale).toBe(meta.scale);
          if (meta?.offset !== undefined) expect(band.offset).toBe(meta.offset);
          if (meta?.items) expect(band.metadata?.['']).toMatchObject(meta.items);
        });
        const interp = info.bands.map((b) => b.colorInterpretation);
        if (input.colormap) {
          expect(interp).toEqual(['Palette']);
          const table = info.bands[0].colorTable!;
          expect(table.count).toBe(256);
          input.colormap.forEach((rgb, k) => expect(table.entries[k]).toEqual([...rgb, 255]));
          // Unlisted entries are black; GDAL itself makes the nodata entry transparent.
          expect(table.entries[254]).toEqual([0, 0, 0, 255]);
          expect(table.entries[input.nodata!]).toEqual([0, 0, 0, 0]);
        } else if (input.photometric === 'rgb') {
          expect(interp).toEqual(['Red', 'Green', 'Blue', ...new Array<string>(input.bands.length - 3).fill('Undefined')]);
        } else {
          expect(interp[0]).toBe('Gray');
        }
      });

      it('GDAL reads back the exact pixels, at full resolution and in every overview', () => {
        const levels = gdalPixels(file, input, c.factors);
        const method = input.resampling ?? (input.colormap ? 'nearest' : 'average');
        levels.forEach((bandLevels, b) => {
          expectSameSamples(bandLevels[0], input.bands[b], `band ${b + 1}`);
          c.factors.forEach((f, k) => {
            const want = downsample(input.bands[b], input.width, input.height, f, method, input.nodata);
            expectSameSamples(bandLevels[k + 1], want, `band ${b + 1} overview /${f}`);
          });
        });
      });
    });
  }

  it('overview pixels equal an independent reference downsampling (37×23 uint16, nodata 0, average; uint8 mode)', () => {
    const w = 37, h = 23;
    const rand = lcg(7);
    const band = new Uint16Array(w * h).map(() => (rand() < 0.25 ? 0 : 1 + Math.floor(rand() * 3000)));
    band.fill(0, 0, 4); // an all-nodata 2×2 / 4×4 corner block, partly
    for (let y = 0; y < 4; y++) band.fill(0, y * w, y * w + 4);
    const input: CogInput = { width: w, height: h, dataType: 'uint16', bands: [band], epsg: 32736, transform: [10, 0, 0, 0, -10, 0], nodata: 0, overviews: [2, 4] };
    const levels = gdalPixels(writeTemp(writeCog(input)), input, [2, 4]);
    for (const [k, f] of [[1, 2], [2, 4]]) {
      const ow = Math.ceil(w / f), oh = Math.ceil(h / f);
      const want = new Uint16Array(ow * oh);
      for (let j = 0; j < oh; j++) for (let i = 0; i < ow; i++) {
        const vals: number[] = [];
        for (let y = j * f; y < Math.min(h, (j + 1) * f); y++) for (let x = i * f; x < Math.min(w, (i + 1) * f); x++) {
          if (band[y * w + x] !== 0) vals.push(band[y * w + x]);
        }
        want[j * ow + i] = vals.length ? Math.round(vals.reduce((a, v) => a + v, 0) / vals.length) : 0;
      }
      expect(want[0]).toBe(0);
      expectSameSamples(levels[0][k], want, `average /${f}`);
    }

    const classes = new Uint8Array(w * h).map(() => (rand() < 0.2 ? 255 : Math.floor(rand() * 3)));
    const modeInput: CogInput = { ...input, dataType: 'uint8', bands: [classes], nodata: 255, resampling: 'mode', overviews: [2] };
    const [[, got]] = gdalPixels(writeTemp(writeCog(modeInput)), modeInput, [2]);
    const ow = Math.ceil(w / 2);
    for (let j = 0; j < Math.ceil(h / 2); j++) for (let i = 0; i < ow; i++) {
      const counts = [0, 0, 0];
      for (let y = 2 * j; y < Math.min(h, 2 * j + 2); y++) for (let x = 2 * i; x < Math.min(w, 2 * i + 2); x++) {
        const v = classes[y * w + x];
        if (v !== 255) counts[v]++;
      }
      const max = Math.max(...counts);
      expect(got[j * ow + i], `mode at ${i},${j}`).toBe(max === 0 ? 255 : counts.indexOf(max));
    }
  });
});
