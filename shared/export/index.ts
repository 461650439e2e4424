/**
 * `shared/export`: the Cloud Optimized GeoTIFF writer. Platform-neutral (Web Worker and Node).
 */
export { writeCog, fflateDeflate } from './cog-writer';
export { overviewFactors, overviewSize, OVERVIEW_TARGET_SIZE } from './overviews';
export { isSupportedEpsg, crsName } from './geokeys';
export { CLASSIC_TIFF_MAX_BYTES } from './tiff-encoder';
export type {
  CogBandArray, CogBandMetadata, CogDataType, CogInput, CogResampling, CogWriteOptions, DeflateFn,
} from './types';
