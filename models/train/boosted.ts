/**
 * Multiclass gradient-boosted trees (Friedman 2001 with the second-order, regularised leaves of XGBoost and the
 * histogram splits of LightGBM). Each round fits one depth-limited regression tree per class to the softmax
 * cross-entropy gradients; scores start at the log class priors, so an empty model predicts the priors.
 *
 * Only the smaller child of a split is histogrammed; the larger one is the parent minus it, which halves the
 * work per level.
 */
import { binMatrix, binWithEdges, type BinnedMatrix } from './binning';
import { classWeights, type ClassWeighting } from './class-weights';
import { checkLabels, subsetRows } from './matrix';
import { stratifiedHoldout } from './metrics';
import { Rng, deriveSeed } from './random';
import type { BoostedModel, FlatTree, Matrix } from './types';

/** Boosting settings; every field has a default. */
export interface BoostingOptions {
  /** Most boosting rounds (default 300); each adds one tree per class. */
  nRounds?: number;
  /** Shrinkage applied to every leaf (default 0.1). */
  learningRate?: number;
  /** Default 6. */
  maxDepth?: number;
  /** Fewest samples per leaf (default 20). */
  minSamplesLeaf?: number;
  /** Fewest hessian mass per leaf (default 1e-3). */
  minChildWeight?: number;
  /** L2 penalty on leaf values (default 1). */
  lambda?: number;
  /** Share of rows drawn (without replacement) per round (default 0.8). */
  subsample?: number;
  /** Default 64. */
  maxBins?: number;
  /** Stratified share held out for early stopping (default 0.1; 0 runs all rounds). */
  validationFraction?: number;
  /** Rounds without a better validation loss before stopping (default 20). */
  patience?: number;
  classWeight?: ClassWeighting;
  /** Default 0. */
  seed?: number;
}

/** What training did. */
export interface BoostingInfo {
  rounds: number;
  /** Rounds kept in the model (the best validation round, or all). */
  keptRounds: number;
  /** NaN without a validation split. */
  bestValidationLoss: number;
}

interface TreeParams {
  maxDepth: number;
  minSamplesLeaf: number;
  minChildWeight: number;
  lambda: number;
  learningRate: number;
}

/** A grown regression tree plus the split bins used to route binned rows during training. */
interface GrownTree {
  tree: FlatTree;
  splitBin: Int32Array;
}

/** Grows one regression tree on gradients `g` and hessians `h` of the rows `idx` (reordered in place). */
function growBoostTree(binned: BinnedMatrix, idx: Int32Array, g: Float64Array, h: Float64Array, t: TreeParams): GrownTree {
  const { rows: n, cols: p, bins, edges } = binned;
  const B = Math.max(1, ...edges.map((e) => e.length + 1));
  const histSize = p * B * 3;
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const splitBin: number[] = [];
  const newNode = (): number => {
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push(0);
    splitBin.push(-1);
    return feature.length - 1;
  };
  const histogram = (start: number, end: number): Float64Array => {
    const hist = new Float64Array(histSize);
    for (let f = 0; f < p; f++) {
      const off = f * n;
      const h0 = f * B * 3;
      for (let i = start; i < end; i++) {
        const r = idx[i];
        const j = h0 + bins[off + r] * 3;
        hist[j] += g[r];
        hist[j + 1] += h[r];
        hist[j + 2]++;
      }
    }
    return hist;
  };

  interface Pending {
    node: number;
    start: number;
    end: number;
    depth: number;
    hist: Float64Array;
  }
  const stack: Pending[] = [{ node: newNode(), start: 0, end: idx.length, depth: 0, hist: histogram(0, idx.length) }];
  while (stack.length) {
    const { node, start, end, depth, hist } = stack.pop()!;
    // Node totals from feature 0's histogram: every row falls in exactly one of its bins.
    let G = 0;
    let H = 0;
    for (let b = 0; b < B; b++) {
      G += hist[b * 3];
      H += hist[b * 3 + 1];
    }
    const count = end - start;
    value[node] = (-G / (H + t.lambda)) * t.learningRate;
    if (depth >= t.maxDepth || count < 2 * t.minSamplesLeaf) continue;
    const parentScore = (G * G) / (H + t.lambda);
    let bestGain = 1e-12;
    let bestF = -1;
    let bestB = -1;
    for (let f = 0; f < p; f++) {
      const nb = edges[f].length + 1;
      const h0 = f * B * 3;
      let gl = 0;
      let hl = 0;
      let nl = 0;
      for (let b = 0; b + 1 < nb; b++) {
        gl += hist[h0 + b * 3];
        hl += hist[h0 + b * 3 + 1];
        nl += hist[h0 + b * 3 + 2];
        if (nl < t.minSamplesLeaf || hl < t.minChildWeight) continue;
        const nr = count - nl;
        const hr = H - hl;
        if (nr < t.minSamplesLeaf) break;
        if (hr < t.minChildWeight) continue;
        const gr = G - gl;
        const gain = (gl * gl) / (hl + t.lambda) + (gr * gr) / (hr + t.lambda) - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          bestF = f;
          bestB = b;
        }
      }
    }
    if (bestF < 0) continue;
    const off = bestF * n;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      if (bins[off + idx[i]] <= bestB) i++;
      else {
        const tmp = idx[i];
        idx[i] = idx[j];
        idx[j] = tmp;
        j--;
      }
    }
    const l = newNode();
    const r = newNode();
    feature[node] = bestF;
    threshold[node] = edges[bestF][bestB];
    splitBin[node] = bestB;
    left[node] = l;
    right[node] = r;
    const leftSmaller = i - start <= end - i;
    const small = leftSmaller ? histogram(start, i) : histogram(i, end);
    for (let k = 0; k < histSize; k++) hist[k] -= small[k];
    const lHist = leftSmaller ? small : hist;
    const rHist = leftSmaller ? hist : small;
    stack.push({ node: r, start: i, end, depth: depth + 1, hist: rHist }, { node: l, start, end: i, depth: depth + 1, hist: lHist });
  }
  return {
    tree: {
      feature: Int32Array.from(feature),
      threshold: Float32Array.from(threshold),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      value: Float32Array.from(value),
      outputs: 1,
    },
    splitBin: Int32Array.from(splitBin),
  };
}

/** Adds the leaf value of every binned row to `raw[row * K + k]`. */
function addTree(grown: GrownTree, binned: BinnedMatrix, raw: Float64Array, K: number, k: number): void {
  const { feature, left, right, value } = grown.tree;
  const { splitBin } = grown;
  const { rows: n, bins } = binned;
  for (let r = 0; r < n; r++) {
    let node = 0;
    while (feature[node] >= 0) node = bins[feature[node] * n + r] <= splitBin[node] ? left[node] : right[node];
    raw[r * K + k] += value[node];
  }
}

function softmaxInto(raw: Float64Array, prob: Float64Array, rows: number, K: number): void {
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, raw[r * K + k]);
    let s = 0;
    for (let k = 0; k < K; k++) s += prob[r * K + k] = Math.exp(raw[r * K + k] - max);
    for (let k = 0; k < K; k++) prob[r * K + k] /= s;
  }
}

/**
 * Trains a gradient-boosted tree classifier.
 *
 * @example
 * const { model } = trainBoosted(ds.x, ds.y, ds.classes.length, { nRounds: 200, seed: 1 });
 * const proba = predictBoosted(model, ds.x);
 */
export function trainBoosted(x: Matrix, y: Int32Array, nClasses: number, options: BoostingOptions = {}): { model: BoostedModel; info: BoostingInfo } {
  checkLabels(x, y, nClasses);
  const K = nClasses;
  const nRounds = options.nRounds ?? 300;
  const subsample = options.subsample ?? 0.8;
  const validationFraction = options.validationFraction ?? 0.1;
  const patience = options.patience ?? 20;
  const seed = options.seed ?? 0;
  const params: TreeParams = {
    maxDepth: options.maxDepth ?? 6,
    minSamplesLeaf: options.minSamplesLeaf ?? 20,
    minChildWeight: options.minChildWeight ?? 1e-3,
    lambda: options.lambda ?? 1,
    learningRate: options.learningRate ?? 0.1,
  };
  if (!(subsample > 0 && subsample <= 1)) throw new RangeError(`subsample must be in (0, 1], got ${subsample}`);

  let trainRows: Int32Array = Int32Array.from({ length: x.rows }, (_, i) => i);
  let validRows: Int32Array = new Int32Array(0);
  if (validationFraction > 0) ({ train: trainRows, test: validRows } = stratifiedHoldout(y, validationFraction, deriveSeed(seed, 1)));
  const binned = binMatrix(subsetRows(x, trainRows), options.maxBins ?? 64);
  const validBinned = binWithEdges(subsetRows(x, validRows), binned.edges);
  const yTrain = Int32Array.from(trainRows, (r) => y[r]);
  const yValid = Int32Array.from(validRows, (r) => y[r]);
  const n = yTrain.length;
  const weight = classWeights(yTrain, K, options.classWeight ?? 'none');

  // Start from the (weighted) log priors.
  const prior = new Float64Array(K);
  for (let i = 0; i < n; i++) prior[yTrain[i]] += weight[yTrain[i]];
  const total = prior.reduce((a, b) => a + b, 0);
  const baseScore = Float32Array.from(prior, (v) => Math.log(Math.max(v / total, 1e-12)));
  const raw = new Float64Array(n * K);
  const validRaw = new Float64Array(yValid.length * K);
  for (let i = 0; i < n; i++) raw.set(baseScore, i * K);
  for (let i = 0; i < yValid.length; i++) validRaw.set(baseScore, i * K);

  const prob = new Float64Array(n * K);
  const validProb = new Float64Array(yValid.length * K);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  // LightGBM's K/(K−1) hessian factor: the softmax's K scores have K−1 degrees of freedom.
  const factor = K > 1 ? K / (K - 1) : 1;
  const rng = new Rng(deriveSeed(seed, 0));
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const trees: FlatTree[] = [];
  const treeClass: number[] = [];
  let best = { loss: Infinity, rounds: 0 };
  let round = 0;
  for (round = 1; round <= nRounds; round++) {
    softmaxInto(raw, prob, n, K);
    const m = Math.max(1, Math.round(subsample * n));
    if (m < n) for (let i = 0; i < m; i++) {
      const j = i + rng.int(n - i);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < n; i++) {
        const p = prob[i * K + k];
        const w = weight[yTrain[i]];
        g[i] = w * (p - (yTrain[i] === k ? 1 : 0));
        h[i] = w * Math.max(factor * p * (1 - p), 1e-16);
      }
      const idx = order.slice(0, m);
      const grown = growBoostTree(binned, idx, g, h, params);
      addTree(grown, binned, raw, K, k);
      addTree(grown, validBinned, validRaw, K, k);
      trees.push(grown.tree);
      treeClass.push(k);
    }
    if (yValid.length === 0) continue;
    softmaxInto(validRaw, validProb, yValid.length, K);
    let loss = 0;
    for (let i = 0; i < yValid.length; i++) loss -= Math.log(Math.max(validProb[i * K + yValid[i]], 1e-12));
    loss /= yValid.length;
    if (loss < best.loss - 1e-6) best = { loss, rounds: round };
    else if (round - best.rounds >= patience) break;
  }
  const rounds = Math.min(round, nRounds);
  const kept = yValid.length ? best.rounds : rounds;
  return {
    model: { kind: 'boosted', nFeatures: x.cols, nClasses: K, baseScore, trees: trees.slice(0, kept * K), treeClass: Int32Array.from(treeClass.slice(0, kept * K)) },
    info: { rounds, keptRounds: kept, bestValidationLoss: yValid.length ? best.loss : NaN },
  };
}

/** Class probabilities, row-major `rows × nClasses`: softmax of base score plus summed leaf values per class. */
export function predictBoosted(model: BoostedModel, x: Matrix): Float32Array {
  if (x.cols !== model.nFeatures) throw new RangeError(`model expects ${model.nFeatures} features, got ${x.cols}`);
  const K = model.nClasses;
  const raw = new Float64Array(x.rows * K);
  for (let i = 0; i < x.rows; i++) raw.set(model.baseScore, i * K);
  model.trees.forEach((tree, t) => {
    const k = model.treeClass[t];
    const { feature, threshold, left, right, value } = tree;
    for (let i = 0; i < x.rows; i++) {
      const base = i * x.cols;
      let node = 0;
      while (feature[node] >= 0) node = x.data[base + feature[node]] <= threshold[node] ? left[node] : right[node];
      raw[i * K + k] += value[node];
    }
  });
  const prob = new Float64Array(raw.length);
  softmaxInto(raw, prob, x.rows, K);
  return Float32Array.from(prob);
}
