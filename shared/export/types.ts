/**
 * Public types of the COG writer. Other code depends on these names: change them only with their callers.
 */

/** Sample types the writer supports (the ones GeoCrop produces: classes, S2 DN, signed indices, probabilities). */
export type CogDataType = 'uint8' | 'uint16' | 'int16' | 'float32';

/** One band's pixels, row-major, `width * height` values; its class must match {@link CogDataType}. */
export type CogBandArray = Uint8Array | Uint16Array | Int16Array | Float32Array;

/** How overview pixels are computed from full-resolution pixels. */
export type CogResampling = 'nearest' | 'average' | 'mode';

/** Per-band metadata, written as GDAL_METADATA items with `sample="<band index>"`. */
export interface CogBandMetadata {
  /** Band description (GDAL's DESCRIPTION role, shown by gdalinfo and QGIS). */
  description?: string;
  /** Physical value = DN × scale + offset (GDAL SCALE role). */
  scale?: number;
  /** Physical value = DN × scale + offset (GDAL OFFSET role). */
  offset?: number;
  /** Free-form items for this band. */
  items?: Record<string, string>;
}

/** Everything {@link writeCog} needs to write one Cloud Optimized GeoTIFF. */
export interface CogInput {
  /** Raster width in pixels (positive integer). */
  width: number;
  /** Raster height in pixels (positive integer). */
  height: number;
  /** Sample type shared by all bands. */
  dataType: CogDataType;
  /** One array per band, row-major, `width * height` values each; the class must match `dataType`. */
  bands: CogBandArray[];
  /** CRS: 4326, 6933, or a WGS 84 UTM zone (32601–32660 north, 32701–32760 south). */
  epsg: number;
  /**
   * Affine transform in STAC `proj:transform` order `[a, b, c, d, e, f]`: `x = a*col + b*row + c`,
   * `y = d*col + e*row + f`, (col, row) being the top-left corner of a pixel. CRS units (metres, or degrees for
   * 4326). North-up only: `b = d = 0`, `a > 0`, `e < 0`.
   */
  transform: readonly [number, number, number, number, number, number];
  /** No-data value (GDAL_NODATA); must be representable in `dataType`. NaN only for float32. */
  nodata?: number;
  /** Internal tile edge in pixels. Default 512. */
  tileSize?: 256 | 512 | 1024;
  /**
   * `'auto'` (default): decimation factors 2, 4, 8, … until the smallest overview has both dimensions < 512 px
   * (none when the image already is). Or explicit increasing factors, e.g. `[2, 4, 8]`.
   */
  overviews?: 'auto' | number[];
  /** Overview resampling. Default `'nearest'` for a uint8 band with a colormap, `'average'` otherwise. */
  resampling?: CogResampling;
  /** uint8 single band only: up to 256 `[r, g, b]` entries (0–255), index = pixel value. */
  colormap?: ReadonlyArray<readonly [number, number, number]>;
  /**
   * `'rgb'` for true colour (≥ 3 bands of any type; bands after the third become unspecified extra samples).
   * Default `'minisblack'` (extra bands are unspecified extra samples). A colormap always writes palette.
   */
  photometric?: 'minisblack' | 'rgb';
  /** Dataset-level GDAL_METADATA items. */
  metadata?: Record<string, string>;
  /** Per-band metadata, index = band index (may be shorter than `bands`). */
  bandMetadata?: CogBandMetadata[];
  /** DEFLATE level 1..9. Default 6. */
  deflateLevel?: number;
}

/** Compresses `data` into zlib-wrapped DEFLATE (RFC 1950), which is what TIFF Compression=8 stores. */
export type DeflateFn = (data: Uint8Array, level: number) => Uint8Array;

/** Platform hooks for {@link writeCog}. */
export interface CogWriteOptions {
  /** Default: fflate's `zlibSync`. Node callers inject `(d, l) => zlib.deflateSync(d, { level: l })` (faster). */
  deflate?: DeflateFn;
}
