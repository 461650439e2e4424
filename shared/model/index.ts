/**
 * Models: the bundle manifest and index, bundle validation, and per-pixel inference over an injected
 * onnxruntime. The ONNX graph builders (training-time) are in `./onnx`.
 */
export {
  MANIFEST_SCHEMA_VERSION,
  MODEL_TASKS,
  columnClassIndex,
  defaultPalette,
  parseModelManifest,
  type ModelClass,
  type ModelManifest,
  type ModelOutput,
  type ModelScaler,
  type ModelTask,
} from './manifest';
export { findBundle, parseModelIndex, type ModelIndex, type ModelIndexEntry } from './bundle-index';
export { DEFAULT_FEATURE_CATALOGUE, featureProblems, validateBundle, type BundleCheckOptions, type BundleFiles, type FeatureCatalogue } from './bundle';
export {
  DEFAULT_BATCH_ROWS,
  createClassifier,
  type Classifier,
  type ClassifierOptions,
  type ClassifyResult,
  type ExecutionProviders,
  type OrtModule,
} from './classifier';
export { columnPlan } from './columns';
export { MAX_WASM_THREADS, configureWasmThreads, graphSupportsWebGpu, planRuntime, wasmThreadCount, type RuntimeFacts, type RuntimePlan } from './runtime';
export { sha256Hex } from './sha256';
export { completeManifest, type ManifestDraft } from './manifest-draft';
export { inspectOnnx, type OnnxSummary } from './onnx/wire';
