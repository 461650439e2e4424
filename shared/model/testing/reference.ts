/**
 * Plain-TypeScript references for the graphs the builders emit (tree traversal, matrix maths), and seeded random
 * models to feed them. Test support: the classifier's output is compared against these, computed in float64.
 */
import { mulberry32 } from '../../random';
import type { DenseLayer, MlpSpec } from '../onnx/mlp';
import type { Tree, TreeBranchMode, TreeEnsembleSpec, TreeNode } from '../onnx/tree-ensemble';

/** Seeded PRNG → uniform [0, 1) (the project's one, `mulberry32` in shared/random.ts). */
export const prng = mulberry32;

/** `rows × nFeatures` uniform [0, 1) features. */
export function randomRows(rng: () => number, rows: number, nFeatures: number): Float32Array {
  return Float32Array.from({ length: rows * nFeatures }, rng);
}

const compare: Record<TreeBranchMode, (x: number, t: number) => boolean> = {
  BRANCH_LEQ: (x, t) => x <= t,
  BRANCH_LT: (x, t) => x < t,
  BRANCH_GTE: (x, t) => x >= t,
  BRANCH_GT: (x, t) => x > t,
  BRANCH_EQ: (x, t) => x === t,
  BRANCH_NEQ: (x, t) => x !== t,
};

/** The leaf a row reaches in a tree (thresholds rounded to float32, as ONNX stores them). */
export function leafOf(tree: Tree, row: ArrayLike<number>, offset = 0): Extract<TreeNode, { mode: 'LEAF' }> {
  let node = tree[0];
  while (node.mode !== 'LEAF') {
    const x = row[offset + node.feature];
    const goTrue = compare[node.mode](x, Math.fround(node.threshold)) || (node.missingTracksTrue === true && Number.isNaN(x));
    node = tree[goTrue ? node.trueChild : node.falseChild];
  }
  return node;
}

/** Reference probabilities (rows × classes, float64) of a tree ensemble spec. */
export function treeEnsembleReference(spec: TreeEnsembleSpec, rows: Float32Array): Float64Array {
  const nClasses = spec.classLabels.length;
  const n = rows.length / spec.nFeatures;
  const scale = spec.aggregate === 'AVERAGE' ? 1 / spec.trees.length : 1;
  const out = new Float64Array(n * nClasses);
  for (let r = 0; r < n; r++) {
    const scores = spec.baseValues ? [...spec.baseValues] : new Array<number>(nClasses).fill(0);
    for (const tree of spec.trees) {
      const leaf = leafOf(tree, rows, r * spec.nFeatures);
      leaf.weights.forEach((w, c) => (scores[c] += w * scale));
    }
    const post = spec.postTransform ?? 'NONE';
    const probs = post === 'SOFTMAX' ? softmax(scores) : post === 'LOGISTIC' ? scores.map((s) => 1 / (1 + Math.exp(-s))) : scores;
    out.set(probs, r * nClasses);
  }
  return out;
}

/** Numerically stable softmax. */
export function softmax(z: readonly number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Reference probabilities (rows × classes, float64) of an MLP spec: relu hidden layers, softmax output. */
export function mlpReference(spec: MlpSpec, rows: Float32Array): Float64Array {
  const n = rows.length / spec.nFeatures;
  const nOut = spec.layers[spec.layers.length - 1].bias.length;
  const out = new Float64Array(n * nOut);
  for (let r = 0; r < n; r++) {
    let x: number[] = Array.from(rows.subarray(r * spec.nFeatures, (r + 1) * spec.nFeatures));
    spec.layers.forEach((layer, l) => {
      const width = layer.bias.length;
      const y = Array.from(layer.bias, Number);
      for (let i = 0; i < x.length; i++) for (let o = 0; o < width; o++) y[o] += x[i] * layer.weights[i * width + o];
      x = l < spec.layers.length - 1 ? y.map((v) => Math.max(0, v)) : softmax(y);
    });
    out.set(x, r * nOut);
  }
  return out;
}

/** `(x − mean) / std` per column, rounded to float32 as the graph's Sub/Div would. */
export function standardise(rows: Float32Array, mean: ArrayLike<number>, std: ArrayLike<number>): Float32Array {
  const f = mean.length;
  return rows.map((x, i) => Math.fround(Math.fround(x - mean[i % f]) / std[i % f]));
}

/** Options of {@link randomTrees}. */
export interface RandomTreesOptions {
  nFeatures: number;
  nClasses: number;
  nTrees: number;
  /** Depth of each full binary tree (a depth-d tree has 2^d leaves). */
  depth: number;
  /** `probability`: leaves hold a probability vector (forests); `margin`: values in [−1, 1] (boosting). */
  leaves: 'probability' | 'margin';
  /** Split modes to draw from. Default `['BRANCH_LEQ']`. */
  modes?: readonly TreeBranchMode[];
}

/** Full binary trees with random splits (thresholds uniform in [0, 1), like {@link randomRows}). */
export function randomTrees(rng: () => number, o: RandomTreesOptions): Tree[] {
  const modes = o.modes ?? ['BRANCH_LEQ'];
  const inner = 2 ** o.depth - 1;
  return Array.from({ length: o.nTrees }, (): Tree => Array.from({ length: 2 * inner + 1 }, (_, i): TreeNode => {
    if (i < inner) {
      return { mode: modes[Math.floor(rng() * modes.length)], feature: Math.floor(rng() * o.nFeatures), threshold: rng(), trueChild: 2 * i + 1, falseChild: 2 * i + 2 };
    }
    const raw = Array.from({ length: o.nClasses }, () => (o.leaves === 'margin' ? rng() * 2 - 1 : rng() ** 3));
    const sum = raw.reduce((a, b) => a + b, 0);
    return { mode: 'LEAF', weights: o.leaves === 'margin' ? raw : raw.map((w) => w / sum) };
  }));
}

/** Dense layers of the given widths (`[in, hidden…, out]`), weights uniform in ±√(6/in) (He-style). */
export function randomMlp(rng: () => number, widths: readonly number[]): DenseLayer[] {
  return widths.slice(1).map((out, l) => {
    const inn = widths[l];
    const a = Math.sqrt(6 / inn);
    return {
      weights: Float32Array.from({ length: inn * out }, () => (rng() * 2 - 1) * a),
      bias: Float32Array.from({ length: out }, () => (rng() * 2 - 1) * 0.1),
    };
  });
}

/** Index of the largest value in each row, and the gap to the runner-up (to skip near-ties in comparisons). */
export function argmaxRows(probs: ArrayLike<number>, nClasses: number): { index: Int32Array; margin: Float64Array } {
  const n = probs.length / nClasses;
  const index = new Int32Array(n);
  const margin = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let c = 1; c < nClasses; c++) if (probs[r * nClasses + c] > probs[r * nClasses + best]) best = c;
    let second = -Infinity;
    for (let c = 0; c < nClasses; c++) if (c !== best) second = Math.max(second, probs[r * nClasses + c]);
    index[r] = best;
    margin[r] = probs[r * nClasses + best] - second;
  }
  return { index, margin };
}
