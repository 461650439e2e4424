/**
 * Everything the window reader needs from a COG's header, read at run time from the file's own tags (never
 * assumed): resolution levels and their tile sizes, tile offsets and byte counts, geotransform, EPSG, sample type
 * and GDAL_NODATA. It also rejects headers that make no sense, which is how a garbled file is caught before any
 * tile is fetched.
 */
import type { GeoTIFF, GeoTIFFImage } from 'geotiff';
import { GeoCropError } from '../contract/errors';
import type { Affine } from '../geo/crs';
import { overviewTransform, type CogLevel } from './cog-window';
import type { TileLayout } from './tile-decode';

/** Sample types the reader returns (those of `BandArray`). */
export type CogSampleType = 'uint8' | 'uint16' | 'int16' | 'float32';

/** A level plus what reading its tiles takes. */
export interface CogLevelTiles extends CogLevel {
  image: GeoTIFFImage;
  /** TIFF PlanarConfiguration: 1 = samples interleaved in each tile, 2 = one tile plane per sample. */
  planar: 1 | 2;
  tilesAcross: number;
  tilesDown: number;
  /** Byte offset and length of every tile (TileOffsets / TileByteCounts, in TIFF tile order). */
  tileOffsets: readonly number[];
  tileByteCounts: readonly number[];
  /** How a tile of this level decodes (compression, predictor, sample size, byte order). */
  layout: TileLayout;
}

/** The parsed header of one COG. */
export interface CogHeader {
  /** From the GeoKeys (projected, else geographic CRS code); null when the file has none. */
  epsg: number | null;
  sampleType: CogSampleType;
  /** Samples (bands) per pixel. */
  samples: number;
  /** GDAL_NODATA, or null when the file does not set it. */
  nodata: number | null;
  /** Full resolution first, then overviews from fine to coarse. */
  levels: CogLevelTiles[];
}

/** More IFDs than this means a looping or garbled IFD chain (GDAL writes ~5 overviews for a 10980 px image). */
const MAX_IFDS = 32;
const MAX_SIDE = 1 << 24;
const MAX_TILE_SIDE = 8192;
const PIXEL_IS_POINT = 2;
const USER_DEFINED = 32767;

/**
 * Reads and checks the header of an opened GeoTIFF (IFDs, geo tags, tile tables of every level).
 *
 * @throws GeoCropError `READ_FAILED` for a header that is not a tiled, north-up GeoTIFF;
 *   `UNSUPPORTED_DATA_TYPE` for sample types other than uint8, uint16, int16 and float32
 */
export async function readCogHeader(tiff: GeoTIFF, url: string): Promise<CogHeader> {
  const images: GeoTIFFImage[] = [];
  for (let i = 0; ; i++) {
    if (i === MAX_IFDS) throw bad(url, `it has more than ${MAX_IFDS} images (IFDs)`);
    try {
      images.push(await tiff.getImage(i));
    } catch (err) {
      if (i > 0 && /No image at index/.test((err as Error).message)) break;
      throw err;
    }
  }
  const full = images[0];
  const samples = full.getSamplesPerPixel();
  const sampleType = sampleTypeOf(full, url);
  const transform = await geoTransform(full, url);
  const width = full.getWidth();
  const height = full.getHeight();
  const levels: CogLevelTiles[] = [await levelOf(full, 0, transform, url)];
  for (let i = 1; i < images.length; i++) {
    const img = images[i];
    const kind = Number(img.fileDirectory.getValue('NewSubfileType') ?? 0);
    // Bit 0: reduced-resolution copy (an overview); bit 2: transparency mask. Anything else is another page.
    if ((kind & 1) === 0 || (kind & 4) !== 0) continue;
    if (img.getSamplesPerPixel() !== samples || sampleTypeOf(img, url) !== sampleType) throw bad(url, `overview ${i} has other samples than the full-resolution image`);
    if (img.getWidth() > width || img.getHeight() > height) throw bad(url, `overview ${i} is larger than the full-resolution image`);
    levels.push(await levelOf(img, i, overviewTransform(transform, width, height, img.getWidth(), img.getHeight()), url));
  }
  levels.sort((a, b) => a.resolution - b.resolution);
  return { epsg: epsgOf(full), sampleType, samples, nodata: await gdalNodata(full, url), levels };
}

async function levelOf(image: GeoTIFFImage, ifd: number, transform: Affine, url: string): Promise<CogLevelTiles> {
  const width = image.getWidth();
  const height = image.getHeight();
  if (!(width >= 1 && width <= MAX_SIDE && height >= 1 && height <= MAX_SIDE)) throw bad(url, `image ${ifd} is ${width} × ${height} pixels`);
  if (!image.isTiled) throw bad(url, `image ${ifd} is stored in strips, not tiles, so it is not a Cloud Optimized GeoTIFF`);
  const tileWidth = image.getTileWidth();
  const tileHeight = image.getTileHeight();
  if (!(tileWidth >= 1 && tileWidth <= MAX_TILE_SIDE && tileHeight >= 1 && tileHeight <= MAX_TILE_SIDE)) throw bad(url, `image ${ifd} has ${tileWidth} × ${tileHeight} pixel tiles`);
  const planar = image.planarConfiguration;
  const tilesAcross = Math.ceil(width / tileWidth);
  const tilesDown = Math.ceil(height / tileHeight);
  const expected = tilesAcross * tilesDown * (planar === 2 ? image.getSamplesPerPixel() : 1);
  const fd = image.fileDirectory;
  // Loaded now, once: the window reader checks every needed tile against the file size before fetching it.
  const tileOffsets = Array.from((await fd.loadValue('TileOffsets')) as ArrayLike<number | bigint>, Number);
  const tileByteCounts = Array.from((await fd.loadValue('TileByteCounts')) as ArrayLike<number | bigint>, Number);
  if (tileOffsets.length !== expected || tileByteCounts.length !== expected) {
    throw bad(url, `image ${ifd} lists ${tileOffsets.length} tile offsets and ${tileByteCounts.length} byte counts for ${expected} tiles`);
  }
  const resolution = Math.max(Math.abs(transform[0]), Math.abs(transform[4]));
  const layout: TileLayout = {
    compression: Number(fd.getValue('Compression') ?? 1),
    predictor: Number((await fd.loadValue('Predictor')) ?? 1),
    bytesPerSample: image.getBitsPerSample(0) / 8,
    tileWidth,
    tileHeight,
    samplesPerTile: planar === 2 ? 1 : image.getSamplesPerPixel(),
    littleEndian: image.littleEndian,
  };
  return { ifd, width, height, tileWidth, tileHeight, transform, resolution, image, planar, tilesAcross, tilesDown, tileOffsets, tileByteCounts, layout };
}

/** The full-resolution image's pixel-corner affine from ModelTransformation, or ModelPixelScale + ModelTiepoint. */
async function geoTransform(image: GeoTIFFImage, url: string): Promise<Affine> {
  const fd = image.fileDirectory;
  let t: [number, number, number, number, number, number];
  if (fd.hasTag('ModelTransformation')) {
    const m = (await fd.loadValue('ModelTransformation')) as ArrayLike<number>;
    t = [m[0], m[1], m[3], m[4], m[5], m[7]];
  } else if (fd.hasTag('ModelPixelScale') && fd.hasTag('ModelTiepoint')) {
    const scale = (await fd.loadValue('ModelPixelScale')) as ArrayLike<number>;
    const tie = (await fd.loadValue('ModelTiepoint')) as ArrayLike<number>;
    t = [scale[0], 0, tie[3] - tie[0] * scale[0], 0, -scale[1], tie[4] + tie[1] * scale[1]];
  } else {
    throw bad(url, 'it has no georeferencing (ModelTransformation or ModelPixelScale + ModelTiepoint)');
  }
  if (t.some((v) => !Number.isFinite(v)) || t[1] !== 0 || t[3] !== 0 || !(t[0] > 0) || !(t[4] < 0)) {
    throw bad(url, `its geotransform [${t.join(', ')}] is not north-up with positive pixel sizes`);
  }
  // PixelIsPoint tie points name pixel centres; GDAL (and STAC proj:transform) use the pixel corner.
  if (geoKeys(image)?.GTRasterTypeGeoKey === PIXEL_IS_POINT) {
    t[2] -= t[0] / 2;
    t[5] -= t[4] / 2;
  }
  return t;
}

function epsgOf(image: GeoTIFFImage): number | null {
  const keys = geoKeys(image);
  for (const k of [keys?.ProjectedCSTypeGeoKey, keys?.GeographicTypeGeoKey]) {
    if (typeof k === 'number' && k > 0 && k !== USER_DEFINED) return k;
  }
  return null;
}

function geoKeys(image: GeoTIFFImage): Record<string, unknown> | null {
  try {
    return image.getGeoKeys() as Record<string, unknown> | null;
  } catch {
    return null; // a GeoKey pointing at a missing value: treat as "no CRS", the caller decides if that matters
  }
}

async function gdalNodata(image: GeoTIFFImage, url: string): Promise<number | null> {
  const fd = image.fileDirectory;
  if (!fd.hasTag('GDAL_NODATA')) return null;
  const raw = String(await fd.loadValue('GDAL_NODATA')).replace(/\0/g, '').trim();
  if (/^[+-]?nan$/i.test(raw)) return NaN;
  const value = Number(raw);
  if (raw === '' || Number.isNaN(value)) throw bad(url, `its GDAL_NODATA tag "${raw}" is not a number`);
  return value;
}

function sampleTypeOf(image: GeoTIFFImage, url: string): CogSampleType {
  const n = image.getSamplesPerPixel();
  if (!(n >= 1 && n <= 256)) throw bad(url, `it claims ${n} samples per pixel`);
  let type: CogSampleType | undefined;
  for (let s = 0; s < n; s++) {
    const format = image.getSampleFormat(s);
    const bits = image.getBitsPerSample(s);
    const t = format === 1 && bits === 8 ? 'uint8' : format === 1 && bits === 16 ? 'uint16' : format === 2 && bits === 16 ? 'int16' : format === 3 && bits === 32 ? 'float32' : undefined;
    if (!t) {
      const name = `${format === 3 ? 'float' : format === 2 ? 'int' : 'uint'}${bits}`;
      throw new GeoCropError('UNSUPPORTED_DATA_TYPE', `${url} stores ${name} samples; GeoCrop reads uint8, uint16, int16 and float32 COGs.`, { url, sampleFormat: format, bitsPerSample: bits });
    }
    if (type && t !== type) throw bad(url, 'its samples have different data types');
    type = t;
  }
  return type as CogSampleType;
}

function bad(url: string, why: string): GeoCropError {
  return new GeoCropError('READ_FAILED', `Cannot read ${url}: ${why}. The file is corrupt or not a Cloud Optimized GeoTIFF.`, { url, reason: why });
}
