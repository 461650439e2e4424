/**
 * TIFF tag numbers and field types used by the writer (TIFF 6.0, GeoTIFF 1.1, GDAL private tags).
 */

/** TIFF field types we write. */
export const FieldType = { ASCII: 2, SHORT: 3, LONG: 4, DOUBLE: 12 } as const;
export type FieldTypeCode = (typeof FieldType)[keyof typeof FieldType];

/** Tag numbers. */
export const Tag = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  PhotometricInterpretation: 262,
  SamplesPerPixel: 277,
  PlanarConfiguration: 284,
  Predictor: 317,
  ColorMap: 320,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  ExtraSamples: 338,
  SampleFormat: 339,
  ModelPixelScale: 33550,
  ModelTiepoint: 33922,
  GeoKeyDirectory: 34735,
  GeoAsciiParams: 34737,
  GdalMetadata: 42112,
  GdalNodata: 42113,
} as const;

/** One IFD entry before layout: values are numbers (SHORT/LONG/DOUBLE) or a string (ASCII, NUL added on write). */
export interface TiffTag {
  readonly tag: number;
  readonly type: FieldTypeCode;
  readonly values: ArrayLike<number> | string;
}
