/**
 * What each {@link CogDataType} means in TIFF terms, kept in one table so the validator, tile encoder and IFD
 * builder agree.
 */
import type { CogBandArray, CogDataType } from './types';

/** TIFF description of one sample type. */
export interface DataTypeInfo {
  /** Bytes per sample. */
  readonly bytes: 1 | 2 | 4;
  /** TIFF SampleFormat: 1 unsigned int, 2 signed int, 3 IEEE float. */
  readonly sampleFormat: 1 | 2 | 3;
  /** TIFF Predictor used: 2 (horizontal differencing) for integers, 3 (floating point) for float32, as GDAL does. */
  readonly predictor: 2 | 3;
  /** Smallest and largest representable value (for nodata checks). */
  readonly min: number;
  readonly max: number;
  /** Name of the typed array class a band must be (for error messages). */
  readonly arrayName: string;
  /** True when `a` is the right typed array for this type. */
  readonly accepts: (a: unknown) => a is CogBandArray;
  /** Allocates a typed array of this type over `buffer` (`length` samples). */
  readonly view: (buffer: ArrayBuffer, length: number) => CogBandArray;
  /** Allocates a fresh typed array of this type. */
  readonly create: (length: number) => CogBandArray;
}

/** The supported types. A `Map`-like record so unknown strings can be detected with `in`. */
export const DATA_TYPES: Readonly<Record<CogDataType, DataTypeInfo>> = {
  uint8: {
    bytes: 1, sampleFormat: 1, predictor: 2, min: 0, max: 255, arrayName: 'Uint8Array',
    // Uint8ClampedArray is deliberately refused: callers relying on clamping have a bug upstream.
    accepts: (a): a is Uint8Array => a instanceof Uint8Array,
    view: (b, n) => new Uint8Array(b, 0, n),
    create: (n) => new Uint8Array(n),
  },
  uint16: {
    bytes: 2, sampleFormat: 1, predictor: 2, min: 0, max: 65535, arrayName: 'Uint16Array',
    accepts: (a): a is Uint16Array => a instanceof Uint16Array,
    view: (b, n) => new Uint16Array(b, 0, n),
    create: (n) => new Uint16Array(n),
  },
  int16: {
    bytes: 2, sampleFormat: 2, predictor: 2, min: -32768, max: 32767, arrayName: 'Int16Array',
    accepts: (a): a is Int16Array => a instanceof Int16Array,
    view: (b, n) => new Int16Array(b, 0, n),
    create: (n) => new Int16Array(n),
  },
  float32: {
    bytes: 4, sampleFormat: 3, predictor: 3, min: -3.4028234663852886e38, max: 3.4028234663852886e38,
    arrayName: 'Float32Array',
    accepts: (a): a is Float32Array => a instanceof Float32Array,
    view: (b, n) => new Float32Array(b, 0, n),
    create: (n) => new Float32Array(n),
  },
};

/** True on little-endian hosts (all browsers and Node targets in practice); TIFF here is little-endian. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
