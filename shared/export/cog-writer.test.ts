import { fromArrayBuffer, type GeoTIFFImage } from 'geotiff';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GeoCropError } from '../contract/errors';
import { writeCog } from './cog-writer';
import { downsample } from './overviews';
import { classRaster, floatRaster, int16Raster, rgbRaster, s2Raster } from './test-rasters';
import { encodeCogTiff } from './tiff-encoder';
import type { CogBandArray, CogInput } from './types';

const nodeDeflate = (d: Uint8Array, level: number): Uint8Array => deflateSync(d, { level });

async function open(bytes: Uint8Array) {
  // fromArrayBuffer wants the exact buffer; writeCog returns a view over a buffer of its own size.
  expect(bytes.byteOffset).toBe(0);
  expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
  return fromArrayBuffer(bytes.buffer as ArrayBuffer);
}

async function readBands(image: GeoTIFFImage): Promise<CogBandArray[]> {
  const rasters = await image.readRasters({ interleave: false });
  return Array.from(rasters as unknown as ArrayLike<CogBandArray>);
}

/**
 * Byte-exact comparison (NaN payloads included); far faster than a deep `toEqual` on large typed arrays and
 * reports the first differing pixel.
 */
function expectSameSamples(got: ArrayBufferView, want: ArrayBufferView, label: string): void {
  const g = Buffer.from(got.buffer, got.byteOffset, got.byteLength);
  const w = Buffer.from(want.buffer, want.byteOffset, want.byteLength);
  expect(got.constructor.name, label).toBe(want.constructor.name);
  if (g.equals(w)) return;
  const n = Math.min(g.length, w.length);
  let i = 0;
  while (i < n && g[i] === w[i]) i++;
  const bytes = (want as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  const k = Math.floor(i / bytes);
  const a = got as unknown as ArrayLike<number>, b = want as unknown as ArrayLike<number>;
  expect.unreachable(`${label}: ${a.length} vs ${b.length} samples; first difference at sample ${k}: got ${a[k]}, want ${b[k]}`);
}

/** What each overview level should hold: the writer's documented downsampling of the full-resolution bands. */
function expectedLevel(input: CogInput, factor: number): CogBandArray[] {
  const method = input.resampling ?? (input.colormap ? 'nearest' : 'average');
  return input.bands.map((b) => downsample(b, input.width, input.height, factor, method, input.nodata));
}

describe('writeCog output read back with geotiff.js 3.1.0-beta.0', () => {
  const cases: Array<[string, CogInput, number[]]> = [
    ['uint16 S2-like, 512 tiles', s2Raster(1100, 700), [2, 4]],
    ['uint16 S2-like, 256 tiles', s2Raster(1100, 700, 256), [2, 4]],
    ['uint8 palette classes', classRaster(600, 530), [2]],
    ['int16', int16Raster(700, 400), [2]],
    ['float32 NaN nodata (predictor 3)', floatRaster(600, 520), [2]],
    ['float32 -9999 nodata', floatRaster(300, 200, -9999), []],
    ['3-band RGB', rgbRaster(530, 300), [2]],
    ['4-band RGB + extra sample', rgbRaster(300, 200, 4), []],
    ['tiny 7×5, explicit [2, 4]', { ...s2Raster(7, 5), overviews: [2, 4] }, [2, 4]],
  ];
  for (const [name, input, factors] of cases) {
    it(name, async () => {
      const tiff = await open(writeCog(input));
      expect(await tiff.getImageCount()).toBe(1 + factors.length);
      const main = await tiff.getImage(0);
      expect(main.getWidth()).toBe(input.width);
      expect(main.getHeight()).toBe(input.height);
      expect(main.getSamplesPerPixel()).toBe(input.bands.length);
      expect(main.getTileWidth()).toBe(input.tileSize ?? 512);
      expect(main.getOrigin().slice(0, 2)).toEqual([input.transform[2], input.transform[5]]);
      expect(main.getResolution().slice(0, 2)).toEqual([input.transform[0], input.transform[4]]);
      expect(main.getGeoKeys()?.ProjectedCSTypeGeoKey ?? main.getGeoKeys()?.GeographicTypeGeoKey).toBe(input.epsg);
      if (input.nodata === undefined) expect(main.getGDALNoData()).toBeNull();
      else expect(main.getGDALNoData()).toEqual(input.nodata);
      const bands = await readBands(main);
      bands.forEach((b, i) => expectSameSamples(b, input.bands[i], `band ${i + 1}`));
      for (let k = 0; k < factors.length; k++) {
        const ovr = await tiff.getImage(k + 1);
        const got = await readBands(ovr);
        const want = expectedLevel(input, factors[k]);
        expect(ovr.getWidth()).toBe(Math.ceil(input.width / factors[k]));
        got.forEach((b, i) => expectSameSamples(b, want[i], `overview ${factors[k]} band ${i + 1}`));
      }
    });
  }

  it('reads a window that spans edge tiles', async () => {
    const input = s2Raster(1100, 700, 256);
    const image = await (await open(writeCog(input))).getImage(0);
    const [win] = (await image.readRasters({ window: [1000, 600, 1100, 700] })) as unknown as Uint16Array[];
    for (let y = 0; y < 100; y++) for (let x = 0; x < 100; x += 17) expect(win[y * 100 + x]).toBe(input.bands[0][(600 + y) * 1100 + 1000 + x]);
  });

  it('exposes GDAL metadata (dataset and per band)', async () => {
    const image = await (await open(writeCog(s2Raster(300, 200)))).getImage(0);
    expect(await image.getGDALMetadata()).toEqual({ PROCESSING: 'test', SOURCE: 'synthetic' });
    expect(await image.getGDALMetadata(0)).toMatchObject({ WAVELENGTH: '665', DESCRIPTION: 'red', SCALE: '0.0001', OFFSET: '-0.1' });
  });
});

describe('writeCog bytes', () => {
  it('are deterministic', () => {
    const a = writeCog(classRaster(700, 600));
    const b = writeCog(classRaster(700, 600));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    // Metadata key order does not matter.
    const input = s2Raster(300, 200);
    const c = writeCog({ ...input, metadata: { B: '2', A: '1' } });
    const d = writeCog({ ...input, metadata: { A: '1', B: '2' } });
    expect(Buffer.from(c).equals(Buffer.from(d))).toBe(true);
  });

  it('decode the same with an injected node:zlib compressor', async () => {
    const input = s2Raster(600, 520);
    const bytes = writeCog(input, { deflate: nodeDeflate });
    const image = await (await open(bytes)).getImage(0);
    expectSameSamples((await readBands(image))[0], input.bands[0], 'band 1');
  });

  it('start with a little-endian header pointing past the GDAL ghost area', () => {
    const bytes = writeCog(s2Raster(50, 40));
    const view = new DataView(bytes.buffer);
    expect(String.fromCharCode(bytes[0], bytes[1])).toBe('II');
    expect(view.getUint16(2, true)).toBe(42);
    const ghost = new TextDecoder().decode(bytes.subarray(8, 8 + 43));
    expect(ghost).toBe('GDAL_STRUCTURAL_METADATA_SIZE=000140 bytes\n');
    expect(view.getUint32(4, true)).toBe(192); // 8 + 43 + 140 → 191, rounded up to even, as GDAL does
  });

  it('refuse files over the 4 GiB classic TIFF limit', () => {
    const huge = { length: 2 ** 31 } as Uint8Array; // only the length is read before the size check
    expect(() => encodeCogTiff([{ tags: [], tiles: [huge, huge] }])).toThrow(GeoCropError);
    expect(() => encodeCogTiff([{ tags: [], tiles: [huge, huge] }])).toThrow(/over the 4 GiB classic TIFF limit/);
  });
});
