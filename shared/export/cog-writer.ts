/**
 * The public entry: typed-array bands + georeferencing in, Cloud Optimized GeoTIFF bytes out.
 *
 * Pipeline: validate → overviews (from full resolution) → tiles (pad, predictor, DEFLATE) → IFDs → GDAL COG
 * layout. Pure and deterministic: the same input gives the same bytes, on any platform.
 */
import { zlibSync } from 'fflate';
import { geoTiffTags } from './geokeys';
import { gdalMetadataXml, gdalNodataText } from './gdal-metadata';
import { downsample, overviewSize } from './overviews';
import { encodeTiles, type TileLevel } from './tile-encoder';
import { encodeCogTiff, type TiffImage } from './tiff-encoder';
import { FieldType, Tag, type TiffTag } from './tiff-tags';
import type { CogInput, CogWriteOptions, DeflateFn } from './types';
import { validateCogInput, type ValidCog } from './validate';

/** TIFF Compression=8: "Adobe" DEFLATE, i.e. zlib-wrapped. */
const COMPRESSION_DEFLATE = 8;

/** The default compressor: fflate's zlibSync (pure JS, runs in Workers). */
export const fflateDeflate: DeflateFn = (data, level) =>
  zlibSync(data, { level: level as 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 });

/**
 * Writes a Cloud Optimized GeoTIFF in GDAL's COG layout: tiled, DEFLATE with predictor (2 for integers, 3 for
 * float32), pixel-interleaved bands, internal overviews, IFDs before data, smallest overview's tiles first.
 *
 * @returns the complete file
 * @throws GeoCropError `INVALID_RASTER` / `UNSUPPORTED_DATA_TYPE` with a message saying what to change
 * @example
 * ```ts
 * const bytes = writeCog({
 *   width: 1000, height: 1000, dataType: 'uint16', bands: [red], nodata: 0,
 *   epsg: 32736, transform: [10, 0, 300000, 0, -10, 8000000], // 10 m pixels, top-left corner
 * });
 * // In Node, inject the native compressor (several times faster):
 * writeCog(input, { deflate: (d, level) => zlib.deflateSync(d, { level }) });
 * ```
 */
export function writeCog(input: CogInput, options: CogWriteOptions = {}): Uint8Array {
  const cog = validateCogInput(input);
  const deflate = options.deflate ?? fflateDeflate;
  const levels: TileLevel[] = [{ width: cog.width, height: cog.height, bands: cog.bands }];
  for (const f of cog.factors) {
    const [w, h] = overviewSize(cog.width, cog.height, f);
    levels.push({
      width: w,
      height: h,
      bands: cog.bands.map((b) => downsample(b, cog.width, cog.height, f, cog.resampling, cog.nodata)),
    });
  }
  const enc = {
    dataType: cog.dataType,
    tileSize: cog.tileSize,
    fill: cog.nodata ?? 0,
    deflate,
    level: cog.deflateLevel,
  };
  const images: TiffImage[] = levels.map((level, i) => ({
    tags: imageTags(cog, level.width, level.height, i > 0),
    tiles: encodeTiles(level, enc),
  }));
  return encodeCogTiff(images);
}

/** Tags of one IFD except TileOffsets/TileByteCounts (the encoder adds those once it knows the layout). */
function imageTags(cog: ValidCog, width: number, height: number, isOverview: boolean): TiffTag[] {
  const spp = cog.bands.length;
  const perSample = (v: number): number[] => new Array<number>(spp).fill(v);
  const tags: TiffTag[] = [
    { tag: Tag.ImageWidth, type: FieldType.LONG, values: [width] },
    { tag: Tag.ImageLength, type: FieldType.LONG, values: [height] },
    { tag: Tag.BitsPerSample, type: FieldType.SHORT, values: perSample(cog.info.bytes * 8) },
    { tag: Tag.Compression, type: FieldType.SHORT, values: [COMPRESSION_DEFLATE] },
    { tag: Tag.PhotometricInterpretation, type: FieldType.SHORT, values: [cog.photometric] },
    { tag: Tag.SamplesPerPixel, type: FieldType.SHORT, values: [spp] },
    { tag: Tag.PlanarConfiguration, type: FieldType.SHORT, values: [1] },
    { tag: Tag.Predictor, type: FieldType.SHORT, values: [cog.info.predictor] },
    { tag: Tag.TileWidth, type: FieldType.LONG, values: [cog.tileSize] },
    { tag: Tag.TileLength, type: FieldType.LONG, values: [cog.tileSize] },
    { tag: Tag.SampleFormat, type: FieldType.SHORT, values: perSample(cog.info.sampleFormat) },
  ];
  // Reduced-resolution image (NewSubfileType bit 0): how GDAL and geotiff.js recognise internal overviews.
  if (isOverview) tags.push({ tag: Tag.NewSubfileType, type: FieldType.LONG, values: [1] });
  if (cog.colorMap) tags.push({ tag: Tag.ColorMap, type: FieldType.SHORT, values: cog.colorMap });
  if (cog.extraSamples.length) tags.push({ tag: Tag.ExtraSamples, type: FieldType.SHORT, values: cog.extraSamples });
  // Georeferencing and dataset metadata live on the main image only; readers derive overviews' from it.
  if (!isOverview) {
    tags.push(...geoTiffTags(cog.epsg, cog.transform));
    const xml = gdalMetadataXml(cog.metadata, cog.bandMetadata);
    if (xml) tags.push({ tag: Tag.GdalMetadata, type: FieldType.ASCII, values: xml });
  }
  // GDAL repeats nodata on every IFD, so overview readers that open one IFD still see it.
  if (cog.nodata !== undefined) tags.push({ tag: Tag.GdalNodata, type: FieldType.ASCII, values: gdalNodataText(cog.nodata) });
  return tags;
}
