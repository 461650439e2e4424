/**
 * GeoCrop's training code: table reading, learners (random forest / extra-trees, gradient-boosted trees, MLP and
 * their probability-averaging ensemble), accuracy metrics, cross-validation and the `npm run train` run. Models
 * are plain records of typed arrays; {@link exportOnnx} turns any of them into one ONNX graph with the shared
 * builders of `shared/model/onnx`, and {@link predictProba} is the reference the exported graph is checked against.
 */
export type { BoostedModel, ClassifierModel, Dataset, DenseLayer, EnsembleModel, FlatTree, ForestModel, Matrix, MlpModel } from './types';
export { TableError, encodeLabels, parseTable, readTableFile, readTableHeader, tableColumns, type ReadTableOptions } from './table';
export { trainForest, predictForest, growForestTree, resolveForestOptions, type ForestOptions, type ResolvedForestOptions } from './forest';
export { trainBoosted, predictBoosted, type BoostingInfo, type BoostingOptions } from './boosted';
export { trainMlp, predictMlp, columnStats, type MlpOptions, type MlpTrainingInfo } from './mlp';
export { classWeights, type ClassWeighting } from './class-weights';
export {
  ALGORITHMS,
  averageProba,
  makeEnsemble,
  makeLearner,
  predictClasses,
  predictProba,
  type Algorithm,
  type Learner,
  type LearnerSettings,
} from './classifier';
export {
  classificationMetrics,
  confusionMatrix,
  metricsFromConfusion,
  stratifiedHoldout,
  stratifiedKFold,
  type ClassificationMetrics,
  type Split,
} from './metrics';
export { crossValidate, fitAndEvaluate, type CrossValidationOptions, type EnsembleSpec, type EvaluationProgress, type HoldoutEvaluation, type ModelEvaluation } from './evaluate';
export { classifierGraph, exportOnnx, type ExportOptions } from './export-onnx';
export { NO_DERIVED, appendDerived, derivedNames, hasDerived, suffixPairs, withDerivedFeatures, type DerivedFeatures, type FeaturePair } from './derived';
export { EXPORT_TOLERANCE, MAX_MODEL_BYTES, sampleRows, verifyExport, writeTrainingBundle, type BundleInputs, type BundleOptions } from './bundle';
export { CLASS_SCHEMES, bundleClasses, type BundleClass, type BundleClasses, type ClassScheme } from './bundle-classes';
export { confusionTable, metricsTable, modelCard, type CardFacts } from './card';
export { manifestMetrics, namedMetrics, type ManifestMetrics, type NamedMetrics } from './named-metrics';
export { argmaxRows, subsetRows } from './matrix';
export { leafIndex, treeDepth } from './tree';
export { Rng, deriveSeed } from './random';
export { train, formatTable, type EvaluationSummary, type TrainingOptions, type TrainingResult } from './train';
