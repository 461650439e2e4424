/**
 * `shared/features`: spectral indices, the feature catalogue and the streaming season reducers that turn
 * per-date reflectance into the per-pixel feature stack.
 */
export { SPECTRAL_BANDS, INDEX_NAMES, INDEX_DEFS, SAVI_L, ndvi, evi, savi, msavi2, ndre, ndmi, ndwi, bsi, indexValue, type SpectralBand, type IndexName, type Reflectance } from './indices';
export { FEATURE_CATALOGUE, MONTH_SUFFIXES, featureDef, isCatalogueFeature, bandsForFeatures, type FeatureDef } from './catalogue';
export { NDVI_SERIES_MISSING, NDVI_SERIES_SCALE, seasonDay, seasonMonthIndex, type Observation } from './observation';
export { createSeasonState, addObservation, type SeasonSpec, type SeasonState } from './season-accumulator';
export { finishSeason, featurePlane, type FeatureStack } from './season-finish';
export { featureTableMarkdown } from './feature-table';
