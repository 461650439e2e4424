/**
 * Checks a {@link CogInput} and resolves its defaults into one plain, fully specified record. Every rejection is
 * a GeoCropError whose message says what to change; nothing downstream re-validates.
 */
import { GeoCropError } from '../contract/errors';
import { DATA_TYPES, type DataTypeInfo } from './data-types';
import { isSupportedEpsg } from './geokeys';
import { overviewFactors } from './overviews';
import type { CogBandArray, CogBandMetadata, CogDataType, CogInput, CogResampling } from './types';

/** TIFF PhotometricInterpretation values we write. */
export const Photometric = { MinIsBlack: 1, RGB: 2, Palette: 3 } as const;

/** A validated input with every default applied. */
export interface ValidCog {
  readonly width: number;
  readonly height: number;
  readonly dataType: CogDataType;
  readonly info: DataTypeInfo;
  readonly bands: readonly CogBandArray[];
  readonly epsg: number;
  readonly transform: readonly number[];
  readonly nodata: number | undefined;
  readonly tileSize: number;
  /** Overview decimation factors, largest image first (may be empty). */
  readonly factors: readonly number[];
  readonly resampling: CogResampling;
  /** TIFF ColorMap: 3 × 256 values scaled to 0–65535 (all reds, then greens, then blues), or undefined. */
  readonly colorMap: Uint16Array | undefined;
  readonly photometric: 1 | 2 | 3;
  /** ExtraSamples values (0 = unspecified) for samples beyond the colour model's, possibly empty. */
  readonly extraSamples: readonly number[];
  readonly metadata: Record<string, string> | undefined;
  readonly bandMetadata: readonly CogBandMetadata[] | undefined;
  readonly deflateLevel: number;
}

const TILE_SIZES = [256, 512, 1024];
const RESAMPLINGS: readonly CogResampling[] = ['nearest', 'average', 'mode'];

function invalid(message: string, details?: Record<string, unknown>): GeoCropError {
  return new GeoCropError('INVALID_RASTER', message, details);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (Array.isArray(value)) return 'a plain Array';
  return typeof value === 'number' ? String(value) : typeof value;
}

/** Validates `input` and applies defaults. @throws GeoCropError INVALID_RASTER or UNSUPPORTED_DATA_TYPE */
export function validateCogInput(input: CogInput): ValidCog {
  if (!input || typeof input !== 'object') throw invalid('writeCog needs a CogInput object');
  const { width, height } = input;
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw invalid(`${name} must be a positive whole number of pixels; got ${describe(v)}`, { [name]: v });
    }
  }
  const dataType = input.dataType;
  if (typeof dataType !== 'string' || !Object.hasOwn(DATA_TYPES, dataType)) {
    throw new GeoCropError(
      'UNSUPPORTED_DATA_TYPE',
      `dataType ${JSON.stringify(dataType)} is not supported; use one of ${Object.keys(DATA_TYPES).join(', ')}`,
      { dataType },
    );
  }
  const info = DATA_TYPES[dataType];
  const bands = validateBands(input.bands, width, height, dataType, info);
  const epsg = input.epsg;
  if (typeof epsg !== 'number' || !isSupportedEpsg(epsg)) {
    throw invalid(
      `EPSG:${String(epsg)} is not supported by the COG writer; use 4326, 6933 or a WGS 84 UTM zone (32601–32660 north, 32701–32760 south)`,
      { epsg },
    );
  }
  const transform = validateTransform(input.transform);
  const nodata = validateNodata(input.nodata, dataType, info);

  const tileSize = input.tileSize ?? 512;
  if (!TILE_SIZES.includes(tileSize)) throw invalid(`tileSize must be 256, 512 or 1024 pixels; got ${describe(tileSize)}`);
  const factors = overviewFactors(width, height, input.overviews ?? 'auto');

  const colorMap = validateColormap(input.colormap, dataType, bands.length);
  if (input.photometric !== undefined && input.photometric !== 'minisblack' && input.photometric !== 'rgb') {
    throw invalid(`photometric must be 'minisblack' or 'rgb'; got ${JSON.stringify(input.photometric)}`);
  }
  let photometric: 1 | 2 | 3 = Photometric.MinIsBlack;
  let colourSamples = 1;
  if (input.photometric === 'rgb') {
    if (colorMap) throw invalid(`photometric 'rgb' cannot be combined with a colormap; drop one of them`);
    if (bands.length < 3) throw invalid(`photometric 'rgb' needs at least 3 bands (red, green, blue); got ${bands.length}`);
    photometric = Photometric.RGB;
    colourSamples = 3;
  } else if (colorMap) {
    photometric = Photometric.Palette;
  }
  // Samples beyond the colour model are "unspecified" extra samples (0), as GDAL writes them.
  const extraSamples = new Array<number>(bands.length - colourSamples).fill(0);

  const resampling = input.resampling ?? (colorMap ? 'nearest' : 'average');
  if (!RESAMPLINGS.includes(resampling)) {
    throw invalid(`resampling must be one of ${RESAMPLINGS.join(', ')}; got ${JSON.stringify(resampling)}`);
  }
  const deflateLevel = input.deflateLevel ?? 6;
  if (!Number.isInteger(deflateLevel) || deflateLevel < 1 || deflateLevel > 9) {
    throw invalid(`deflateLevel must be a whole number from 1 (fastest) to 9 (smallest); got ${describe(deflateLevel)}`);
  }
  validateStrings(input.metadata, 'metadata');
  const bandMetadata = input.bandMetadata;
  if (bandMetadata !== undefined) {
    if (!Array.isArray(bandMetadata)) throw invalid('bandMetadata must be an array with one entry per band');
    if (bandMetadata.length > bands.length) {
      throw invalid(`bandMetadata has ${bandMetadata.length} entries but there are ${bands.length} bands; pass at most one per band`);
    }
    bandMetadata.forEach((m, i) => {
      if (m === undefined || m === null) return;
      if (m.description !== undefined && typeof m.description !== 'string') throw invalid(`bandMetadata[${i}].description must be a string`);
      for (const key of ['scale', 'offset'] as const) {
        const v = m[key];
        if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
          throw invalid(`bandMetadata[${i}].${key} must be a finite number; got ${describe(v)}`);
        }
      }
      validateStrings(m.items, `bandMetadata[${i}].items`);
    });
  }
  return {
    width, height, dataType, info, bands, epsg, transform, nodata, tileSize, factors, resampling, colorMap,
    photometric, extraSamples, metadata: input.metadata, bandMetadata, deflateLevel,
  };
}

function validateBands(bands: unknown, width: number, height: number, dataType: CogDataType, info: DataTypeInfo): CogBandArray[] {
  if (!Array.isArray(bands) || bands.length === 0) {
    throw invalid('bands must be a non-empty array with one typed array per band');
  }
  if (bands.length > 65535) throw invalid(`${bands.length} bands is more than TIFF allows (65535)`);
  const expected = width * height;
  bands.forEach((band, i) => {
    if (!info.accepts(band)) {
      throw invalid(
        `band ${i + 1} is ${describe(band)} but dataType is ${dataType}; pass ${info.arrayName.startsWith('Int') ? 'an' : 'a'} ${info.arrayName} or change dataType`,
        { band: i + 1 },
      );
    }
    if (band.length !== expected) {
      throw invalid(
        `band ${i + 1} has ${band.length} values but width×height is ${width}×${height} = ${expected}; pass one value per pixel, row-major`,
        { band: i + 1, length: band.length, expected },
      );
    }
  });
  return bands as CogBandArray[];
}

function validateTransform(t: unknown): number[] {
  if (!Array.isArray(t) || t.length !== 6) {
    throw invalid('transform must be 6 numbers [a, b, c, d, e, f] (STAC proj:transform order)');
  }
  t.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw invalid(`transform[${i}] is ${describe(v)}; all 6 transform values must be finite numbers`, { transform: t });
    }
  });
  const [a, b, , d, e] = t as number[];
  if (b !== 0 || d !== 0) {
    throw invalid(`transform is rotated or sheared (b = ${b}, d = ${d}); only north-up rasters are supported: warp to b = d = 0 first`, { transform: t });
  }
  if (a <= 0 || e >= 0) {
    throw invalid(`transform must be north-up with a > 0 (pixel width) and e < 0 (minus pixel height); got a = ${a}, e = ${e}`, { transform: t });
  }
  return [...t] as number[];
}

function validateNodata(nodata: unknown, dataType: CogDataType, info: DataTypeInfo): number | undefined {
  if (nodata === undefined) return undefined;
  if (typeof nodata !== 'number') throw invalid(`nodata must be a number; got ${describe(nodata)}`);
  if (Number.isNaN(nodata)) {
    if (dataType !== 'float32') throw invalid(`nodata NaN needs dataType float32; ${dataType} cannot hold NaN, pick a value in range`);
    return nodata;
  }
  if (dataType === 'float32') {
    if (Number.isFinite(nodata) && Math.abs(nodata) > info.max) throw invalid(`nodata ${nodata} does not fit in float32`);
    return nodata;
  }
  if (!Number.isInteger(nodata) || nodata < info.min || nodata > info.max) {
    throw invalid(`nodata ${nodata} cannot be stored as ${dataType}; use a whole number from ${info.min} to ${info.max}`, { nodata });
  }
  return nodata;
}

function validateColormap(colormap: CogInput['colormap'], dataType: CogDataType, bandCount: number): Uint16Array | undefined {
  if (colormap === undefined) return undefined;
  if (dataType !== 'uint8' || bandCount !== 1) {
    throw invalid(`a colormap needs a single uint8 band; this raster is ${bandCount} × ${dataType}. Drop the colormap or write class values as one uint8 band`);
  }
  if (!Array.isArray(colormap) || colormap.length === 0 || colormap.length > 256) {
    throw invalid(`colormap must have 1 to 256 [r, g, b] entries (one per uint8 value); got ${Array.isArray(colormap) ? colormap.length : describe(colormap)}`);
  }
  // TIFF ColorMap: all reds, then all greens, then all blues, 16-bit. ×257 maps 255 → 65535 exactly, so
  // 8-bit readers (value >> 8) get the original value back. Unused entries stay black.
  const map = new Uint16Array(3 * 256);
  colormap.forEach((entry, i) => {
    if (!Array.isArray(entry) || entry.length !== 3 || !entry.every((c) => Number.isInteger(c) && c >= 0 && c <= 255)) {
      throw invalid(`colormap[${i}] must be [r, g, b] with whole numbers 0–255; got ${JSON.stringify(entry)}`);
    }
    map[i] = entry[0] * 257;
    map[256 + i] = entry[1] * 257;
    map[512 + i] = entry[2] * 257;
  });
  return map;
}

function validateStrings(items: unknown, name: string): void {
  if (items === undefined) return;
  if (!items || typeof items !== 'object' || Array.isArray(items)) throw invalid(`${name} must be an object of string values`);
  for (const [k, v] of Object.entries(items)) {
    if (k === '') throw invalid(`${name} has an empty key; every metadata item needs a name`);
    if (typeof v !== 'string') throw invalid(`${name}.${k} must be a string; got ${describe(v)} (convert numbers with String())`);
  }
}
