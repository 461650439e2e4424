/**
 * ONNX graph builders for GeoCrop classifiers (used by the training code and by tests): tree ensembles, MLPs, a
 * scaler in front, several models averaged into one graph, and the encoder to `model.onnx` bytes. Kept out of
 * `shared/model/index.ts` because they pull in the full protobufjs build, which inference does not need.
 */
export {
  encodeClassifier,
  normaliseLabels,
  type AttributeValue,
  type ClassLabels,
  type ClassifierGraph,
  type EncodeOptions,
  type GraphNode,
  type GraphTensor,
} from './graph';
export {
  buildTreeEnsembleClassifier,
  treeEnsembleGraph,
  type Tree,
  type TreeBranch,
  type TreeBranchMode,
  type TreeEnsembleSpec,
  type TreeLeaf,
  type TreeNode,
  type TreePostTransform,
} from './tree-ensemble';
export { buildMlp, mlpGraph, type DenseLayer, type MlpSpec } from './mlp';
export { averageClassifiers, withScaler, type ScalerSpec } from './compose';
export { exposeZipMapInput, inspectOnnx, type OnnxNodeInfo, type OnnxSummary, type OnnxValueInfo, type OnnxValueKind, type ZipMapExposed } from './wire';
