/**
 * Random forest (Breiman 2001) and extra-trees (Geurts et al. 2006) classifiers on histogram-binned features.
 * Tree `t` draws everything from `deriveSeed(seed, t)`, so trees can be grown in any order or on any worker and
 * the forest is bit-identical.
 */
import { binMatrix, type BinnedMatrix } from './binning';
import { classWeights, type ClassWeighting } from './class-weights';
import { checkLabels } from './matrix';
import { Rng, deriveSeed } from './random';
import { growTree, leafIndex, type TreeGrowth } from './tree';
import type { FlatTree, ForestModel, Matrix } from './types';

/** Forest settings; every field has a default. */
export interface ForestOptions {
  /** Number of trees (default 100). */
  nTrees?: number;
  /** Default 32: deep enough to be "fully grown" on tens of thousands of samples, bounded for export. */
  maxDepth?: number;
  /** Default 1. */
  minSamplesLeaf?: number;
  /** Default 2. */
  minSamplesSplit?: number;
  /** Features tried per split; default `floor(sqrt(p))`. */
  mtry?: number;
  /** Default `best` (random forest); `random` gives extra-trees. */
  splitter?: 'best' | 'random';
  /** Resample with replacement per tree; default true for `best`, false for `random` (as scikit-learn). */
  bootstrap?: boolean;
  /** Bootstrap sample size as a fraction of the rows (default 1). */
  maxSamples?: number;
  /** `balanced` weights classes by `n / (K · n_k)`, so rare classes count as much as common ones. */
  classWeight?: ClassWeighting;
  /** Quantile bins per feature (default 64, at most 256). */
  maxBins?: number;
  /** Default 0. */
  seed?: number;
}

/** The options with defaults filled in. */
export type ResolvedForestOptions = Required<ForestOptions>;

/** Fills in defaults for a data set with `p` features. */
export function resolveForestOptions(options: ForestOptions, p: number): ResolvedForestOptions {
  const splitter = options.splitter ?? 'best';
  const o: ResolvedForestOptions = {
    nTrees: options.nTrees ?? 100,
    maxDepth: options.maxDepth ?? 32,
    minSamplesLeaf: options.minSamplesLeaf ?? 1,
    minSamplesSplit: options.minSamplesSplit ?? 2,
    mtry: options.mtry ?? Math.max(1, Math.floor(Math.sqrt(p))),
    splitter,
    bootstrap: options.bootstrap ?? splitter === 'best',
    maxSamples: options.maxSamples ?? 1,
    classWeight: options.classWeight ?? 'none',
    maxBins: options.maxBins ?? 64,
    seed: options.seed ?? 0,
  };
  if (!(Number.isInteger(o.nTrees) && o.nTrees >= 1)) throw new RangeError(`nTrees must be a positive integer, got ${o.nTrees}`);
  if (!(Number.isInteger(o.mtry) && o.mtry >= 1 && o.mtry <= p)) throw new RangeError(`mtry must be an integer in 1…${p}, got ${o.mtry}`);
  if (!(o.maxSamples > 0 && o.maxSamples <= 1)) throw new RangeError(`maxSamples must be in (0, 1], got ${o.maxSamples}`);
  if (!(o.minSamplesLeaf >= 1 && o.minSamplesSplit >= 2 && o.maxDepth >= 0)) throw new RangeError('minSamplesLeaf ≥ 1, minSamplesSplit ≥ 2 and maxDepth ≥ 0 are required');
  return o;
}

/**
 * Grows tree `t` of a forest (exposed so a worker pool can grow trees in parallel with identical results).
 * `binned` must come from the same training matrix for every tree.
 */
export function growForestTree(binned: BinnedMatrix, y: Int32Array, nClasses: number, o: ResolvedForestOptions, t: number): FlatTree {
  const rng = new Rng(deriveSeed(o.seed, t));
  const n = binned.rows;
  const count = new Uint16Array(n);
  if (o.bootstrap) {
    const draws = Math.max(1, Math.round(o.maxSamples * n));
    for (let i = 0; i < draws; i++) count[rng.int(n)]++;
  } else if (o.maxSamples < 1) {
    const order = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
    for (let i = 0; i < Math.max(1, Math.round(o.maxSamples * n)); i++) count[order[i]] = 1;
  } else {
    count.fill(1);
  }
  const growth: TreeGrowth = {
    maxDepth: o.maxDepth,
    minSamplesLeaf: o.minSamplesLeaf,
    minSamplesSplit: o.minSamplesSplit,
    mtry: o.mtry,
    splitter: o.splitter,
  };
  return growTree({ binned, y, nClasses, count, classWeight: classWeights(y, nClasses, o.classWeight) }, growth, rng);
}

/**
 * Trains a random forest (or extra-trees with `splitter: 'random'`).
 *
 * @example
 * const model = trainForest(ds.x, ds.y, ds.classes.length, { nTrees: 100, seed: 1 });
 * const proba = predictForest(model, ds.x); // Float32Array rows × nClasses
 */
export function trainForest(x: Matrix, y: Int32Array, nClasses: number, options: ForestOptions = {}): ForestModel {
  checkLabels(x, y, nClasses);
  const o = resolveForestOptions(options, x.cols);
  const binned = binMatrix(x, o.maxBins);
  const trees: FlatTree[] = [];
  for (let t = 0; t < o.nTrees; t++) trees.push(growForestTree(binned, y, nClasses, o, t));
  return { kind: 'forest', nFeatures: x.cols, nClasses, trees };
}

/** Class probabilities, row-major `rows × nClasses`: the mean over trees of each tree's leaf distribution. */
export function predictForest(model: ForestModel, x: Matrix): Float32Array {
  if (x.cols !== model.nFeatures) throw new RangeError(`model expects ${model.nFeatures} features, got ${x.cols}`);
  const K = model.nClasses;
  const sum = new Float64Array(x.rows * K);
  for (const tree of model.trees) {
    for (let i = 0; i < x.rows; i++) {
      const leaf = leafIndex(tree, x.data, i, x.cols);
      for (let k = 0; k < K; k++) sum[i * K + k] += tree.value[leaf * K + k];
    }
  }
  const out = new Float32Array(sum.length);
  const inv = 1 / model.trees.length;
  for (let i = 0; i < sum.length; i++) out[i] = sum[i] * inv;
  return out;
}
