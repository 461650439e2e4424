/**
 * Tree-ensemble classifiers as one `TreeEnsembleClassifier` (ai.onnx.ml v3) node, the form XGBoost, LightGBM,
 * CatBoost and scikit-learn converters emit. Trees come in a small documented JS form so training code in any
 * language (or in TypeScript) can hand them over without knowing the ONNX attribute layout.
 */
import { GeoCropError } from '../../contract/errors';
import { classLabelAttribute, encodeClassifier, normaliseLabels, type ClassifierGraph, type EncodeOptions } from './graph';
import { withScaler, type ScalerSpec } from './compose';

/** Comparison of a branch node: go to `trueChild` when `x[feature] <op> threshold` holds. */
export type TreeBranchMode = 'BRANCH_LEQ' | 'BRANCH_LT' | 'BRANCH_GTE' | 'BRANCH_GT' | 'BRANCH_EQ' | 'BRANCH_NEQ';

/** An inner node. Children are indices into the same tree's node list. */
export interface TreeBranch {
  mode: TreeBranchMode;
  /** Input column, 0-based, `< nFeatures`. */
  feature: number;
  /** Split value; stored as float32 (ONNX `nodes_values`), so it is rounded to the nearest float32. */
  threshold: number;
  trueChild: number;
  falseChild: number;
  /** A NaN feature value goes to `trueChild` (otherwise it follows the comparison, which is false for NaN). */
  missingTracksTrue?: boolean;
}

/** A leaf: one weight per class (in `classLabels` order), added to the scores of every row reaching it. */
export interface TreeLeaf {
  mode: 'LEAF';
  weights: readonly number[];
}

/** A node of a tree. */
export type TreeNode = TreeBranch | TreeLeaf;

/** A tree: its nodes, root first (index 0). Every other node has exactly one parent. */
export type Tree = readonly TreeNode[];

/** Post-transform of the summed scores (ONNX `post_transform`). */
export type TreePostTransform = 'NONE' | 'SOFTMAX' | 'LOGISTIC';

/** Input of {@link treeEnsembleGraph} / {@link buildTreeEnsembleClassifier}. */
export interface TreeEnsembleSpec {
  /** Number of input columns. */
  nFeatures: number;
  /** One label per class, in weight order: integers (int64; numbers, bigints or a BigInt64Array) or strings. */
  classLabels: readonly (number | bigint)[] | BigInt64Array | readonly string[];
  trees: readonly Tree[];
  /**
   * `NONE` (leaf weights are already probabilities, e.g. random forests), `SOFTMAX` (gradient boosting margins,
   * multi-class) or `LOGISTIC` (per-class sigmoid). Default `NONE`.
   */
  postTransform?: TreePostTransform;
  /**
   * `SUM` adds the leaves of all trees (boosting); `AVERAGE` divides each leaf weight by the number of trees
   * (forests), which is how converters express averaging (the ONNX classifier itself only sums). Default `SUM`.
   */
  aggregate?: 'SUM' | 'AVERAGE';
  /** Per-class value added to the scores before the post-transform (boosting's initial prediction). */
  baseValues?: readonly number[];
}

function fail(message: string): never {
  throw new GeoCropError('MODEL_INVALID', `Tree ensemble: ${message}`);
}

function checkTree(tree: Tree, t: number, nFeatures: number, nClasses: number): void {
  if (tree.length === 0) fail(`tree ${t} has no nodes.`);
  const parents = new Int32Array(tree.length);
  tree.forEach((node, i) => {
    if (node.mode === 'LEAF') {
      if (node.weights.length !== nClasses) fail(`tree ${t} leaf ${i} has ${node.weights.length} weights; give one per class (${nClasses}).`);
      if (!node.weights.every(Number.isFinite)) fail(`tree ${t} leaf ${i} has a non-finite weight.`);
      return;
    }
    if (!Number.isInteger(node.feature) || node.feature < 0 || node.feature >= nFeatures) fail(`tree ${t} node ${i} splits on feature ${node.feature}; it must be 0…${nFeatures - 1}.`);
    if (!Number.isFinite(node.threshold)) fail(`tree ${t} node ${i} has a non-finite threshold.`);
    for (const child of [node.trueChild, node.falseChild]) {
      if (!Number.isInteger(child) || child <= 0 || child >= tree.length) fail(`tree ${t} node ${i} points to node ${child}; children are 1…${tree.length - 1} (0 is the root).`);
      parents[child]++;
    }
  });
  // One parent per non-root node and none for the root make the node list a single tree (no cycles, no orphans).
  parents.forEach((count, i) => {
    if (i === 0 ? count !== 0 : count !== 1) fail(`tree ${t} node ${i} has ${count} parents; ${i === 0 ? 'the root has none' : 'every other node has exactly one'}.`);
  });
}

/**
 * A `TreeEnsembleClassifier` graph (input `x`, outputs `label` and `probabilities`), for composing with
 * {@link withScaler} or `averageClassifiers` before {@link encodeClassifier}.
 *
 * Zero leaf weights are left out (boosting libraries grow one tree per class, so most are zero), except with two
 * classes: onnxruntime treats a two-class ensemble whose leaves never mention class 1 as a one-score "binary case"
 * and rewrites the probabilities, so there every weight is written.
 */
export function treeEnsembleGraph(spec: TreeEnsembleSpec): ClassifierGraph {
  const labels = normaliseLabels(spec.classLabels);
  const nClasses = labels.length;
  if (!Number.isInteger(spec.nFeatures) || spec.nFeatures < 1) fail(`nFeatures must be a positive integer (got ${spec.nFeatures}).`);
  if (spec.trees.length === 0) fail('no trees.');
  if (spec.baseValues && (spec.baseValues.length !== nClasses || !spec.baseValues.every(Number.isFinite))) fail(`baseValues must be ${nClasses} finite numbers, one per class (got ${spec.baseValues.length}).`);
  spec.trees.forEach((tree, t) => checkTree(tree, t, spec.nFeatures, nClasses));
  const scale = (spec.aggregate ?? 'SUM') === 'AVERAGE' ? 1 / spec.trees.length : 1;

  const a = {
    treeIds: [] as number[], nodeIds: [] as number[], featureIds: [] as number[], values: [] as number[], modes: [] as string[],
    trueIds: [] as number[], falseIds: [] as number[], missingTrue: [] as number[],
    cTree: [] as number[], cNode: [] as number[], cClass: [] as number[], cWeight: [] as number[],
  };
  spec.trees.forEach((tree, t) => {
    tree.forEach((node, i) => {
      a.treeIds.push(t);
      a.nodeIds.push(i);
      a.modes.push(node.mode);
      if (node.mode === 'LEAF') {
        a.featureIds.push(0); a.values.push(0); a.trueIds.push(0); a.falseIds.push(0); a.missingTrue.push(0);
        node.weights.forEach((w, c) => {
          // Base values are folded into the first tree's leaves (every row reaches exactly one of them) instead of
          // the base_values attribute, which onnxruntime reinterprets for two classes (score₁ = base₁ + score₀).
          const weight = w * scale + (t === 0 && spec.baseValues ? spec.baseValues[c] : 0);
          if (weight !== 0 || nClasses === 2) {
            a.cTree.push(t); a.cNode.push(i); a.cClass.push(c); a.cWeight.push(weight);
          }
        });
      } else {
        a.featureIds.push(node.feature); a.values.push(node.threshold); a.trueIds.push(node.trueChild); a.falseIds.push(node.falseChild);
        a.missingTrue.push(node.missingTracksTrue ? 1 : 0);
      }
    });
  });
  return {
    input: 'trees/x',
    nFeatures: spec.nFeatures,
    probabilities: 'trees/probabilities',
    label: 'trees/label',
    classLabels: labels,
    initializers: [],
    nodes: [{
      opType: 'TreeEnsembleClassifier',
      domain: 'ai.onnx.ml',
      inputs: ['trees/x'],
      outputs: ['trees/label', 'trees/probabilities'],
      attributes: {
        nodes_treeids: { ints: a.treeIds },
        nodes_nodeids: { ints: a.nodeIds },
        nodes_featureids: { ints: a.featureIds },
        nodes_values: { floats: a.values },
        nodes_modes: { strings: a.modes },
        nodes_truenodeids: { ints: a.trueIds },
        nodes_falsenodeids: { ints: a.falseIds },
        ...(a.missingTrue.some((m) => m === 1) ? { nodes_missing_value_tracks_true: { ints: a.missingTrue } } : {}),
        class_treeids: { ints: a.cTree },
        class_nodeids: { ints: a.cNode },
        class_ids: { ints: a.cClass },
        class_weights: { floats: a.cWeight },
        post_transform: { string: spec.postTransform ?? 'NONE' },
        ...classLabelAttribute(labels),
      },
    }],
  };
}

/**
 * ONNX bytes of a tree-ensemble classifier: input `features` float32 `[N, nFeatures]`, outputs `label` (int64 or
 * string `[N]`) and `probabilities` (float32 `[N, C]`, or a ZipMap sequence of maps with `zipMap: true`).
 * With `scaler`, Sub/Div nodes standardise the input first (trees rarely need it; MLPs do).
 *
 * @example
 * const bytes = buildTreeEnsembleClassifier({
 *   nFeatures: 2, classLabels: [0, 1], aggregate: 'AVERAGE',
 *   trees: [[
 *     { mode: 'BRANCH_LEQ', feature: 0, threshold: 0.4, trueChild: 1, falseChild: 2 },
 *     { mode: 'LEAF', weights: [0.9, 0.1] },
 *     { mode: 'LEAF', weights: [0.2, 0.8] },
 *   ]],
 * });
 */
export function buildTreeEnsembleClassifier(spec: TreeEnsembleSpec & EncodeOptions & { scaler?: ScalerSpec }): Uint8Array {
  const graph = treeEnsembleGraph(spec);
  return encodeClassifier(spec.scaler ? withScaler(graph, spec.scaler) : graph, spec);
}
