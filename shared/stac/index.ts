/**
 * STAC for GeoCrop: the item schema and the scene parser (DEA `s2_l2a_c1`, legacy `s2_l2a`, Explorer and
 * Element84 item shapes), and the search client (paging, retries, c1-over-legacy season search). Scene choice
 * will live here too.
 */
export { parseSceneItem } from './parse-item';
export type { ParsedScene, SceneBand, SceneGeometry } from './types';
export { BAND_NAMES, bandForAssetKey, isCommonNameKey, type BandName } from './band-names';
export {
  stacItemSchema,
  stacAssetSchema,
  stacPropertiesSchema,
  footprintSchema,
  projShapeSchema,
  projTransformSchema,
  rasterBandSchema,
  type StacItem,
  type StacAsset,
} from './schema';
export { dnConversion, dnStillOffset, S2_SCALE, S2_BOA_OFFSET, BASELINE_0400_START, type DnConversion, type DnConversionInput } from './reflectance';
export { sceneFamily, sceneTile, processingBaseline, boaOffsetApplied, epsgOf, type SceneFamily } from './scene-metadata';
export {
  searchItems,
  searchBody,
  cloudCoverFilter,
  STAC_MAX_PAGE_SIZE,
  DEFAULT_PAGE_SIZE,
  DEFAULT_MAX_PAGES,
  type StacSearchParams,
  type StacSearchOptions,
  type StacSearchResult,
  type StacPageInfo,
} from './search';
export {
  searchSeasonScenes,
  seasonDatetime,
  seasonLabel,
  DEFAULT_SEASON_COLLECTIONS,
  DEFAULT_MAX_CLOUD_COVER,
  type SeasonSceneQuery,
  type SeasonSearchOptions,
  type SeasonScenes,
  type SeasonSceneCounts,
  type SkippedItem,
} from './search-season';
