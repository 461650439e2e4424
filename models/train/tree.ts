/**
 * One Gini classification tree grown on binned features, stored as flat node arrays ({@link FlatTree}).
 *
 * Why histograms: with at most 64–256 bins a node's best split costs one pass over its samples per candidate
 * feature (accumulate class weights per bin) plus a scan of the bins, with no sorting. Bootstrap resampling is a
 * per-sample integer weight, so no rows are copied.
 */
import type { BinnedMatrix } from './binning';
import type { Rng } from './random';
import type { FlatTree } from './types';

/** How a tree grows. */
export interface TreeGrowth {
  /** Deepest level a node may sit at (root = 0). */
  maxDepth: number;
  /** Fewest (bootstrap-counted) samples a leaf may hold. */
  minSamplesLeaf: number;
  /** Fewest samples a node needs to be considered for a split. */
  minSamplesSplit: number;
  /** Features examined per split (features constant in the node do not count, as in scikit-learn). */
  mtry: number;
  /**
   * `best`: best bin boundary per feature (random forest). `random`: one boundary per feature drawn uniformly
   * between the node's lowest and highest occupied bin (extra-trees; uniform in quantile space where Geurts et al.
   * draw in value space, which makes the draw insensitive to outliers).
   */
  splitter: 'best' | 'random';
}

/** Training samples of one tree. */
export interface TreeSamples {
  readonly binned: BinnedMatrix;
  readonly y: Int32Array;
  readonly nClasses: number;
  /** Times each sample was drawn (0 = out of bag); also the unit of `minSamplesLeaf`. */
  readonly count: Uint16Array | Uint32Array;
  /** Per-class weight multiplied into every sample's class mass (1 = unweighted). */
  readonly classWeight: Float64Array;
}

/** Relative Gini gain below which a split is not worth a node (guards against float noise). */
const MIN_GAIN = 1e-12;

/** Grows one tree; `rng` drives feature sampling and random thresholds only. */
export function growTree(s: TreeSamples, g: TreeGrowth, rng: Rng): FlatTree {
  const { binned, y, nClasses: K, count, classWeight } = s;
  const { rows: n, cols: p, bins, edges } = binned;
  const maxBins = Math.max(1, ...edges.map((e) => e.length + 1));

  let m = 0;
  for (let i = 0; i < n; i++) if (count[i] > 0) m++;
  const idx = new Int32Array(m);
  for (let i = 0, j = 0; i < n; i++) if (count[i] > 0) idx[j++] = i;
  const mass = new Float64Array(n);
  for (let i = 0; i < n; i++) mass[i] = count[i] * classWeight[y[i]];

  // Node arrays grow by doubling; a fully grown tree on n samples has up to 2n - 1 nodes.
  let cap = 1024;
  let feature = new Int32Array(cap);
  let threshold = new Float32Array(cap);
  let left = new Int32Array(cap);
  let right = new Int32Array(cap);
  let value = new Float32Array(cap * K);
  let nNodes = 0;
  const newNode = (): number => {
    if (nNodes === cap) {
      cap *= 2;
      feature = grow(feature, cap);
      threshold = grow(threshold, cap);
      left = grow(left, cap);
      right = grow(right, cap);
      value = grow(value, cap * K);
    }
    feature[nNodes] = left[nNodes] = right[nNodes] = -1;
    return nNodes++;
  };

  const hist = new Float64Array(maxBins * K);
  const histCount = new Float64Array(maxBins);
  const touched = new Uint8Array(maxBins);
  const totals = new Float64Array(K);
  const leftMass = new Float64Array(K);
  const order = Int32Array.from({ length: p }, (_, j) => j);
  const stack: number[] = [newNode(), 0, m, 0];

  while (stack.length) {
    const depth = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const node = stack.pop()!;

    totals.fill(0);
    let nodeCount = 0;
    for (let i = start; i < end; i++) {
      const r = idx[i];
      totals[y[r]] += mass[r];
      nodeCount += count[r];
    }
    let total = 0;
    let sumSq = 0;
    let classesPresent = 0;
    for (let k = 0; k < K; k++) {
      total += totals[k];
      sumSq += totals[k] * totals[k];
      if (totals[k] > 0) classesPresent++;
    }
    for (let k = 0; k < K; k++) value[node * K + k] = total > 0 ? totals[k] / total : 1 / K;
    if (depth >= g.maxDepth || nodeCount < g.minSamplesSplit || nodeCount < 2 * g.minSamplesLeaf || classesPresent < 2) continue;

    // Maximise Σ L²/|L| + Σ R²/|R|: the same split as minimising the weighted Gini impurity of the children.
    const parentScore = sumSq / total;
    let bestScore = parentScore + MIN_GAIN * total;
    let bestFeature = -1;
    let bestBin = -1;
    let visited = 0;
    for (let f = 0; f < p && visited < g.mtry; f++) {
      // Partial Fisher–Yates: draws features without replacement, lazily.
      const pick = f + rng.int(p - f);
      const feat = order[pick];
      order[pick] = order[f];
      order[f] = feat;
      if (edges[feat].length === 0) continue;
      // Accumulate, remembering which bins were touched: deep nodes hold a handful of samples, and clearing and
      // scanning all bins for them would cost more than the samples themselves.
      const off = feat * n;
      let nt = 0;
      let lo = 255;
      let hi = 0;
      for (let i = start; i < end; i++) {
        const r = idx[i];
        const b = bins[off + r];
        if (histCount[b] === 0) {
          touched[nt++] = b;
          if (b < lo) lo = b;
          if (b > hi) hi = b;
        }
        hist[b * K + y[r]] += mass[r];
        histCount[b] += count[r];
      }
      if (nt > 1) {
        visited++;
        // The touched bins in ascending order: insertion sort when few, else a scan of the occupied range.
        if (nt <= 12) {
          for (let a = 1; a < nt; a++) {
            const v = touched[a];
            let c = a - 1;
            while (c >= 0 && touched[c] > v) {
              touched[c + 1] = touched[c];
              c--;
            }
            touched[c + 1] = v;
          }
        } else {
          nt = 0;
          for (let b = lo; b <= hi; b++) if (histCount[b] > 0) touched[nt++] = b;
        }
        const used = touched;
        let pickBin = -1;
        if (g.splitter === 'random') pickBin = used[0] + rng.int(used[nt - 1] - used[0]);
        leftMass.fill(0);
        let leftCount = 0;
        let leftTotal = 0;
        for (let t = 0; t < nt - 1; t++) {
          const b = used[t];
          for (let k = 0; k < K; k++) {
            leftMass[k] += hist[b * K + k];
            leftTotal += hist[b * K + k];
          }
          leftCount += histCount[b];
          if (pickBin >= 0 && (b > pickBin || used[t + 1] <= pickBin)) continue;
          if (leftCount < g.minSamplesLeaf) continue;
          if (nodeCount - leftCount < g.minSamplesLeaf) break;
          const rightTotal = total - leftTotal;
          if (leftTotal <= 0 || rightTotal <= 0) continue;
          let l2 = 0;
          let r2 = 0;
          for (let k = 0; k < K; k++) {
            const a = leftMass[k];
            const c = totals[k] - a;
            l2 += a * a;
            r2 += c * c;
          }
          const score = l2 / leftTotal + r2 / rightTotal;
          if (score > bestScore) {
            bestScore = score;
            bestFeature = feat;
            bestBin = b;
          }
        }
      }
      for (let t = 0; t < nt; t++) {
        const b = touched[t];
        histCount[b] = 0;
        for (let k = 0; k < K; k++) hist[b * K + k] = 0;
      }
    }
    if (bestFeature < 0) continue;

    // Partition idx[start, end) so the samples going left come first.
    const off = bestFeature * n;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      if (bins[off + idx[i]] <= bestBin) i++;
      else {
        const t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        j--;
      }
    }
    const l = newNode();
    const r = newNode();
    feature[node] = bestFeature;
    threshold[node] = edges[bestFeature][bestBin];
    left[node] = l;
    right[node] = r;
    // Pushed right first so the left subtree is grown (and numbered) first.
    stack.push(r, i, end, depth + 1, l, start, i, depth + 1);
  }

  return {
    feature: feature.slice(0, nNodes),
    threshold: threshold.slice(0, nNodes),
    left: left.slice(0, nNodes),
    right: right.slice(0, nNodes),
    value: value.slice(0, nNodes * K),
    outputs: K,
  };
}

function grow<T extends Int32Array | Float32Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/** Index of the leaf that row `row` of row-major `x` (with `cols` features) falls into. */
export function leafIndex(tree: FlatTree, x: Float32Array, row: number, cols: number): number {
  const { feature, threshold, left, right } = tree;
  const base = row * cols;
  let node = 0;
  while (feature[node] >= 0) node = x[base + feature[node]] <= threshold[node] ? left[node] : right[node];
  return node;
}

/** Depth of the deepest leaf (root alone = 0). */
export function treeDepth(tree: FlatTree): number {
  const depth = new Int32Array(tree.feature.length);
  let max = 0;
  // Children always have larger indices than their parent, so one forward pass sees parents first.
  for (let i = 0; i < tree.feature.length; i++) {
    if (tree.feature[i] < 0) continue;
    depth[tree.left[i]] = depth[tree.right[i]] = depth[i] + 1;
    max = Math.max(max, depth[i] + 1);
  }
  return max;
}
