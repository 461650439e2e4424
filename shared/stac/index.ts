/**
 * STAC for GeoCrop: the item schema and the scene parser (DEA `s2_l2a_c1`, legacy `s2_l2a`, Explorer and
 * Element84 item shapes). The search client and scene choice will live here too.
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
