/**
 * Tree models as the attribute arrays of an ONNX-ML `TreeEnsembleClassifier` node (ai.onnx.ml, opset 1/3), ready
 * for a graph builder to copy into a NodeProto. Node ids are the {@link FlatTree} indices, so a failing node can
 * be traced back to the training output.
 *
 * - Forest: each leaf's class distribution divided by the number of trees, `post_transform: NONE`: the summed
 *   weights are the mean of the trees' distributions, which is what {@link predictForest} returns.
 * - Boosted: one weight per leaf on the tree's class, `base_values` = the log priors, `post_transform: SOFTMAX`.
 *
 * Zero weights are left out (most leaves of a grown forest are pure, so this cuts the class arrays by about K).
 * onnxruntime treats a two-class model whose weights name only one class as "binary" and rewrites the scores, so
 * for K = 2 both class ids are always present.
 */
import type { BoostedModel, FlatTree, ForestModel } from './types';

/** The attributes of one `TreeEnsembleClassifier` node, with ONNX attribute names. */
export interface TreeEnsembleClassifierAttributes {
  nodes_treeids: number[];
  nodes_nodeids: number[];
  nodes_featureids: number[];
  /** Float32 thresholds (0 for leaves). */
  nodes_values: number[];
  nodes_modes: ('BRANCH_LEQ' | 'LEAF')[];
  nodes_truenodeids: number[];
  nodes_falsenodeids: number[];
  class_treeids: number[];
  class_nodeids: number[];
  class_ids: number[];
  class_weights: number[];
  /** Class indices `0 … K − 1`; map them to names with the dataset's class list. */
  classlabels_int64s: number[];
  post_transform: 'NONE' | 'SOFTMAX';
  /** Present for boosted models: one raw score per class added before the transform. */
  base_values?: number[];
}

function emptyAttributes(nClasses: number, post: 'NONE' | 'SOFTMAX'): TreeEnsembleClassifierAttributes {
  return {
    nodes_treeids: [],
    nodes_nodeids: [],
    nodes_featureids: [],
    nodes_values: [],
    nodes_modes: [],
    nodes_truenodeids: [],
    nodes_falsenodeids: [],
    class_treeids: [],
    class_nodeids: [],
    class_ids: [],
    class_weights: [],
    classlabels_int64s: Array.from({ length: nClasses }, (_, k) => k),
    post_transform: post,
  };
}

function addNodes(a: TreeEnsembleClassifierAttributes, tree: FlatTree, t: number, leaf: (node: number) => void): void {
  for (let i = 0; i < tree.feature.length; i++) {
    const isLeaf = tree.feature[i] < 0;
    a.nodes_treeids.push(t);
    a.nodes_nodeids.push(i);
    a.nodes_featureids.push(isLeaf ? 0 : tree.feature[i]);
    a.nodes_values.push(isLeaf ? 0 : tree.threshold[i]);
    a.nodes_modes.push(isLeaf ? 'LEAF' : 'BRANCH_LEQ');
    a.nodes_truenodeids.push(isLeaf ? 0 : tree.left[i]);
    a.nodes_falsenodeids.push(isLeaf ? 0 : tree.right[i]);
    if (isLeaf) leaf(i);
  }
}

function addWeight(a: TreeEnsembleClassifierAttributes, t: number, node: number, k: number, w: number): void {
  a.class_treeids.push(t);
  a.class_nodeids.push(node);
  a.class_ids.push(k);
  a.class_weights.push(Math.fround(w));
}

function ensureBothBinaryClasses(a: TreeEnsembleClassifierAttributes, nClasses: number): void {
  if (nClasses !== 2 || new Set(a.class_ids).size === 2) return;
  const missing = a.class_ids[0] === 0 ? 1 : 0;
  addWeight(a, a.class_treeids[0] ?? 0, a.class_nodeids[0] ?? 0, missing, 0);
}

/** `TreeEnsembleClassifier` attributes of a forest or a boosted model. */
export function treeEnsembleAttributes(model: ForestModel | BoostedModel): TreeEnsembleClassifierAttributes {
  const K = model.nClasses;
  if (model.kind === 'forest') {
    const a = emptyAttributes(K, 'NONE');
    const scale = 1 / model.trees.length;
    model.trees.forEach((tree, t) =>
      addNodes(a, tree, t, (node) => {
        for (let k = 0; k < K; k++) {
          const v = tree.value[node * K + k];
          if (v !== 0) addWeight(a, t, node, k, v * scale);
        }
      }),
    );
    ensureBothBinaryClasses(a, K);
    return a;
  }
  const a = emptyAttributes(K, 'SOFTMAX');
  a.base_values = Array.from(model.baseScore);
  model.trees.forEach((tree, t) => addNodes(a, tree, t, (node) => addWeight(a, t, node, model.treeClass[t], tree.value[node])));
  ensureBothBinaryClasses(a, K);
  return a;
}
