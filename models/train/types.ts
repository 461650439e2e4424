/**
 * The plain values the training code passes around: a feature matrix, a labelled data set and the fitted
 * models. Everything is typed arrays and small records (no class instances), so a model can be posted to a
 * worker, written as JSON, or turned into ONNX node arrays without a translation layer.
 */

/** A dense row-major matrix of float32 features: value of feature `j` for sample `i` is `data[i * cols + j]`. */
export interface Matrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/** A labelled table ready for training. */
export interface Dataset {
  /** Features, one row per sample, columns in {@link featureNames} order. */
  readonly x: Matrix;
  /** Class index per sample, `0 … classes.length - 1`. */
  readonly y: Int32Array;
  /** Class label per index as written in the file (numeric labels normalised, e.g. `1.000000` → `1`). */
  readonly classes: readonly string[];
  readonly featureNames: readonly string[];
}

/**
 * One decision tree as flat node arrays (node 0 is the root). Inner node `i` sends a sample left when
 * `x[feature[i]] <= threshold[i]` (ONNX `BRANCH_LEQ`), else right; leaves have `feature[i] === -1` and
 * `left[i] === right[i] === -1`. Thresholds are float32 so the comparison is the same one ONNX makes.
 */
export interface FlatTree {
  readonly feature: Int32Array;
  readonly threshold: Float32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /**
   * Per-node outputs, `outputs` values per node (`value[i * outputs + k]`): a forest stores the class
   * probability distribution of the training samples in the node; a boosted tree stores one raw score.
   * Inner nodes carry values too (useful for inspection and pruning); prediction reads leaves only.
   */
  readonly value: Float32Array;
  readonly outputs: number;
}

/** A random forest or extra-trees classifier: probabilities are the mean of the trees' leaf distributions. */
export interface ForestModel {
  readonly kind: 'forest';
  readonly nFeatures: number;
  readonly nClasses: number;
  readonly trees: readonly FlatTree[];
}

/**
 * A multiclass gradient-boosted tree classifier: the raw score of class `k` is `baseScore[k]` plus the leaf
 * values of the trees with `treeClass[t] === k`; probabilities are the softmax of the raw scores.
 */
export interface BoostedModel {
  readonly kind: 'boosted';
  readonly nFeatures: number;
  readonly nClasses: number;
  readonly baseScore: Float32Array;
  readonly trees: readonly FlatTree[];
  readonly treeClass: Int32Array;
}

/** One dense layer: `out = in · weights + bias`, `weights` row-major `[inputs × outputs]` (ONNX MatMul layout). */
export interface DenseLayer {
  readonly inputs: number;
  readonly outputs: number;
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

/**
 * A multilayer perceptron: inputs are standardised with the stored `mean` and `std` (`(x - mean) / std`),
 * every layer but the last is followed by ReLU, the last by softmax.
 */
export interface MlpModel {
  readonly kind: 'mlp';
  readonly nFeatures: number;
  readonly nClasses: number;
  readonly mean: Float32Array;
  readonly std: Float32Array;
  readonly layers: readonly DenseLayer[];
}

/** An average of member probabilities, with optional member weights (equal when absent). */
export interface EnsembleModel {
  readonly kind: 'ensemble';
  readonly nFeatures: number;
  readonly nClasses: number;
  readonly members: readonly ClassifierModel[];
  readonly weights: Float32Array;
}

/** Any fitted classifier the training code produces. */
export type ClassifierModel = ForestModel | BoostedModel | MlpModel | EnsembleModel;
