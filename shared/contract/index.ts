/**
 * The GeoCrop contract: job request schema and defaults, AOI and season rules, Zimbabwe's boundary, stage
 * names, feature order and error codes. Platform-neutral (browser Web Worker and Node).
 */
export * from './errors';
export {
  DEFAULT_MODEL,
  INDEX_OUTPUTS,
  SMOOTHING_KERNELS,
  jobRequestSchema,
  parseJobRequest,
  type IndexOutput,
  type JobOutputs,
  type JobRequest,
  type JobRequestInput,
  type ParseJobOptions,
  type SmoothingKernel,
} from './job';
export {
  AOI_CIRCLE_STEPS,
  BROWSER_MAX_RADIUS_M,
  MIN_RADIUS_M,
  SERVER_DEFAULT_MAX_RADIUS_M,
  aoiBBox,
  aoiPolygon,
  distanceToBorderM,
  isInZimbabwe,
  validateAoi,
  type Aoi,
  type AoiLimits,
} from './aoi';
export { ZIMBABWE, ZIMBABWE_BBOX, type BoundaryProperties, type LonLatBBox } from './zimbabwe';
export {
  FIRST_SEASON_YEAR,
  SEASONS,
  latestStartedSeason,
  seasonMonths,
  seasonWindow,
  validateYear,
  type Season,
  type SeasonMonth,
  type SeasonWindow,
} from './season';
export { STAGES, isStage, type ProgressEvent, type Stage } from './stages';
export { FEATURE_COUNT_V1, FEATURE_ORDER_V1, FEATURE_ORDER_V1_HASH, FEATURE_ORDER_VERSION, featureOrderHash } from './feature-order';
export { CLASSES, CLASS_NAMES, CLASS_NODATA, classCode, hexToRgb, type ClassInfo, type ClassName } from './classes';
