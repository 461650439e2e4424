import { describe, expect, it } from 'vitest';
import { GeoCropError, type ErrorCode } from '../contract/errors';
import { writeCog } from './cog-writer';
import type { CogInput } from './types';

function base(): CogInput {
  return { width: 4, height: 3, dataType: 'uint16', bands: [new Uint16Array(12)], epsg: 32736, transform: [10, 0, 0, 0, -10, 0] };
}

/** Runs writeCog on a broken input and returns the GeoCropError it must throw. */
function failure(patch: Record<string, unknown>): GeoCropError {
  try {
    writeCog({ ...base(), ...patch } as CogInput);
  } catch (err) {
    expect(err).toBeInstanceOf(GeoCropError);
    return err as GeoCropError;
  }
  throw new Error(`writeCog accepted ${JSON.stringify(Object.keys(patch))}`);
}

function expectError(patch: Record<string, unknown>, code: ErrorCode, message: RegExp): void {
  const err = failure(patch);
  expect(err.code).toBe(code);
  expect(err.message).toMatch(message);
}

describe('writeCog rejects malformed input with a GeoCropError that says what to change', () => {
  it('wrong band length', () => {
    expectError({ bands: [new Uint16Array(10)] }, 'INVALID_RASTER', /band 1 has 10 values but width×height is 4×3 = 12; pass one value per pixel/);
    expectError({ bands: [new Uint16Array(12), new Uint16Array(13)] }, 'INVALID_RASTER', /band 2 has 13 values/);
  });
  it('typed array that does not match dataType', () => {
    expectError({ bands: [new Float32Array(12)] }, 'INVALID_RASTER', /band 1 is Float32Array but dataType is uint16; pass a Uint16Array/);
    expectError({ dataType: 'int16' }, 'INVALID_RASTER', /pass an Int16Array or change dataType/);
    expectError({ dataType: 'uint8', bands: [new Uint8ClampedArray(12)] }, 'INVALID_RASTER', /Uint8ClampedArray/);
    expectError({ bands: [[1, 2, 3]] }, 'INVALID_RASTER', /plain Array/);
  });
  it('missing or empty bands', () => {
    expectError({ bands: [] }, 'INVALID_RASTER', /non-empty array/);
    expectError({ bands: undefined }, 'INVALID_RASTER', /non-empty array/);
  });
  it('unsupported dataType string', () => {
    expectError({ dataType: 'float64' }, 'UNSUPPORTED_DATA_TYPE', /"float64" is not supported; use one of uint8, uint16, int16, float32/);
    expectError({ dataType: 'toString' }, 'UNSUPPORTED_DATA_TYPE', /not supported/);
  });
  it('zero, negative or fractional sizes', () => {
    expectError({ width: 0 }, 'INVALID_RASTER', /width must be a positive whole number of pixels; got 0/);
    expectError({ height: -3 }, 'INVALID_RASTER', /height must be a positive whole number/);
    expectError({ width: 4.5 }, 'INVALID_RASTER', /width .* got 4.5/);
    expectError({ width: NaN }, 'INVALID_RASTER', /width/);
  });
  it('colormap on a non-uint8 raster, on several bands, or with too many entries', () => {
    expectError({ colormap: [[0, 0, 0]] }, 'INVALID_RASTER', /colormap needs a single uint8 band; this raster is 1 × uint16/);
    const u8 = { dataType: 'uint8', bands: [new Uint8Array(12)] };
    expectError({ ...u8, bands: [new Uint8Array(12), new Uint8Array(12)], colormap: [[0, 0, 0]] }, 'INVALID_RASTER', /2 × uint8/);
    expectError({ ...u8, colormap: Array.from({ length: 257 }, () => [0, 0, 0]) }, 'INVALID_RASTER', /1 to 256 .* got 257/);
    expectError({ ...u8, colormap: [[0, 0, 256]] }, 'INVALID_RASTER', /colormap\[0\] must be \[r, g, b\] with whole numbers 0–255/);
    expectError({ ...u8, colormap: [[0, 0, 0]], photometric: 'rgb' }, 'INVALID_RASTER', /cannot be combined/);
  });
  it('rotated or south-up transform', () => {
    expectError({ transform: [10, 0.5, 0, 0, -10, 0] }, 'INVALID_RASTER', /rotated or sheared \(b = 0.5, d = 0\); only north-up/);
    expectError({ transform: [10, 0, 0, 0.1, -10, 0] }, 'INVALID_RASTER', /rotated/);
    expectError({ transform: [10, 0, 0, 0, 10, 0] }, 'INVALID_RASTER', /e < 0/);
    expectError({ transform: [10, 0, 0, 0, -10] }, 'INVALID_RASTER', /6 numbers/);
  });
  it('NaN or infinite numbers in the transform', () => {
    expectError({ transform: [10, 0, NaN, 0, -10, 0] }, 'INVALID_RASTER', /transform\[2\] is NaN; all 6 transform values must be finite/);
    expectError({ transform: [Infinity, 0, 0, 0, -10, 0] }, 'INVALID_RASTER', /transform\[0\] is Infinity/);
  });
  it('unknown EPSG code', () => {
    expectError({ epsg: 3857 }, 'INVALID_RASTER', /EPSG:3857 is not supported .* use 4326, 6933 or a WGS 84 UTM zone/);
    expectError({ epsg: 32600 }, 'INVALID_RASTER', /EPSG:32600/);
    expectError({ epsg: 32761 }, 'INVALID_RASTER', /EPSG:32761/);
  });
  it('nodata the data type cannot hold', () => {
    expectError({ nodata: -1 }, 'INVALID_RASTER', /nodata -1 cannot be stored as uint16; use a whole number from 0 to 65535/);
    expectError({ nodata: 1.5 }, 'INVALID_RASTER', /nodata 1.5/);
    expectError({ nodata: NaN }, 'INVALID_RASTER', /NaN needs dataType float32/);
  });
  it('bad options', () => {
    expectError({ tileSize: 300 }, 'INVALID_RASTER', /tileSize must be 256, 512 or 1024/);
    expectError({ overviews: [1] }, 'INVALID_RASTER', /integers ≥ 2/);
    expectError({ overviews: 'some' }, 'INVALID_RASTER', /'auto' or an array/);
    expectError({ resampling: 'cubic' }, 'INVALID_RASTER', /resampling must be one of nearest, average, mode/);
    expectError({ deflateLevel: 0 }, 'INVALID_RASTER', /deflateLevel must be a whole number from 1/);
    expectError({ photometric: 'rgb' }, 'INVALID_RASTER', /at least 3 bands/);
    expectError({ photometric: 'ycbcr' }, 'INVALID_RASTER', /'minisblack' or 'rgb'/);
    expectError({ metadata: { A: 1 } }, 'INVALID_RASTER', /metadata.A must be a string/);
    expectError({ bandMetadata: [{}, {}] }, 'INVALID_RASTER', /2 entries but there are 1 bands/);
    expectError({ bandMetadata: [{ scale: NaN }] }, 'INVALID_RASTER', /bandMetadata\[0\].scale must be a finite number/);
  });
  it('errors carry a 400 status and survive JSON', () => {
    const err = failure({ width: 0 });
    expect(err.status).toBe(400);
    expect(GeoCropError.fromJSON(err.toJSON()).code).toBe('INVALID_RASTER');
  });
});
