/**
 * Trained models → one ONNX classifier graph, through the shared builders of `shared/model/onnx` (the same code
 * that documents the bundle format), so the training side keeps no second copy of the ONNX attribute layout.
 *
 * - forest: one `TreeEnsembleClassifier`, leaf weights = the leaf's class distribution, `AVERAGE` (weights ÷ trees),
 *   post-transform `NONE`: the sum is the mean of the trees' distributions, what {@link predictProba} returns.
 * - boosted: leaf value on the tree's class, `SUM`, base values = the initial scores, post-transform `SOFTMAX`.
 * - MLP: `Sub(mean) → Div(std)` in the graph ({@link withScaler}), then MatMul/Add/Relu … Softmax.
 * - ensemble: every member on the same input, probabilities averaged with the ensemble's weights.
 */
import { GeoCropError } from '../../shared/contract/errors';
import {
  averageClassifiers,
  encodeClassifier,
  mlpGraph,
  normaliseLabels,
  treeEnsembleGraph,
  withScaler,
  type ClassifierGraph,
  type ClassLabels,
  type EncodeOptions,
  type Tree,
  type TreeNode,
} from '../../shared/model/onnx';
import { withDerivedFeatures, type DerivedFeatures } from './derived';
import type { BoostedModel, ClassifierModel, FlatTree, ForestModel } from './types';

/**
 * A flat tree as the shared builder's node list; `leaf(i)` gives the class weights of leaf node `i`. Node
 * indices are kept, so a node in the ONNX file can be traced back to the training output.
 */
function toTree(tree: FlatTree, leaf: (node: number) => number[]): Tree {
  const nodes: TreeNode[] = [];
  for (let i = 0; i < tree.feature.length; i++) {
    nodes.push(
      tree.feature[i] < 0
        ? { mode: 'LEAF', weights: leaf(i) }
        : { mode: 'BRANCH_LEQ', feature: tree.feature[i], threshold: tree.threshold[i], trueChild: tree.left[i], falseChild: tree.right[i] },
    );
  }
  return nodes;
}

function forestGraph(model: ForestModel, labels: ClassLabels): ClassifierGraph {
  const K = model.nClasses;
  return treeEnsembleGraph({
    nFeatures: model.nFeatures,
    classLabels: labels,
    aggregate: 'AVERAGE',
    postTransform: 'NONE',
    trees: model.trees.map((tree) => toTree(tree, (i) => Array.from(tree.value.subarray(i * K, (i + 1) * K)))),
  });
}

function boostedGraph(model: BoostedModel, labels: ClassLabels): ClassifierGraph {
  const K = model.nClasses;
  return treeEnsembleGraph({
    nFeatures: model.nFeatures,
    classLabels: labels,
    aggregate: 'SUM',
    postTransform: 'SOFTMAX',
    baseValues: Array.from(model.baseScore),
    trees: model.trees.map((tree, t) =>
      toTree(tree, (i) => {
        const w = new Array<number>(K).fill(0);
        w[model.treeClass[t]] = tree.value[i];
        return w;
      }),
    ),
  });
}

/**
 * The classifier graph of any trained model, for composing further or for {@link encodeClassifier}.
 *
 * @param classLabels the graph label of each class index (`model.nClasses` of them): integer codes or names.
 * @throws GeoCropError `MODEL_INVALID` when the labels do not fit the model (or a builder rejects the model).
 */
export function classifierGraph(model: ClassifierModel, classLabels: ClassLabels): ClassifierGraph {
  const labels = normaliseLabels(classLabels);
  if (labels.length !== model.nClasses) {
    throw new GeoCropError('MODEL_INVALID', `ONNX export: ${labels.length} class labels for a model with ${model.nClasses} classes: give one label per class index.`);
  }
  switch (model.kind) {
    case 'forest':
      return forestGraph(model, labels);
    case 'boosted':
      return boostedGraph(model, labels);
    case 'mlp':
      return withScaler(
        mlpGraph({ nFeatures: model.nFeatures, classLabels: labels, layers: model.layers.map((l) => ({ weights: l.weights, bias: l.bias })) }),
        { mean: model.mean, std: model.std },
      );
    case 'ensemble': {
      const members = model.members.map((m) => classifierGraph(m, labels));
      // averageClassifiers needs two or more graphs; a one-member ensemble is that member.
      if (members.length === 1) return members[0];
      return averageClassifiers(members, Array.from(model.weights));
    }
  }
}

/** Options of {@link exportOnnx}. */
export interface ExportOptions extends EncodeOptions {
  /** Columns the model reads after its inputs, computed in the graph from the named inputs (see `derived.ts`). */
  derived?: { inputs: readonly string[]; features: DerivedFeatures };
}

/**
 * `model.onnx` bytes of a trained model: input `features` float32 `[N, inputs]`, output `probabilities`
 * float32 `[N, nClasses]` (columns in class-index order, labelled `classLabels`), plus `label` for a lone tree
 * ensemble. With `derived`, the graph takes the inputs only and computes the derived columns itself.
 *
 * @example
 * const bytes = exportOnnx(result.model, CLASSES.map((c) => c.code));
 * const manifest = await completeManifest({ …, output: { labels: [0, 1, …, 9] } }, bytes);
 */
export function exportOnnx(model: ClassifierModel, classLabels: ClassLabels, options: ExportOptions = {}): Uint8Array {
  const { derived, ...encode } = options;
  const graph = classifierGraph(model, classLabels);
  return encodeClassifier(derived ? withDerivedFeatures(graph, derived.inputs, derived.features) : graph, { producerName: 'geocrop-train', ...encode });
}
