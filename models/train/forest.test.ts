import { describe, expect, it } from 'vitest';
import { growForestTree, predictForest, resolveForestOptions, trainForest } from './forest';
import { binMatrix } from './binning';
import { argmaxRows, subsetRows } from './matrix';
import { gaussianBlobs, pureNoise } from './synthetic';
import { leafIndex, treeDepth } from './tree';
import type { FlatTree } from './types';

function accuracy(proba: Float32Array, y: Int32Array, k: number): number {
  const pred = argmaxRows(proba, k);
  return pred.filter((p, i) => p === y[i]).length / y.length;
}

function split<T extends { x: { rows: number } }>(d: T & { y: Int32Array }, nTrain: number) {
  const idx = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, i) => from + i);
  const tr = idx(0, nTrain);
  const te = idx(nTrain, d.x.rows);
  return {
    train: { x: subsetRows(d.x as never, tr), y: d.y.slice(0, nTrain) },
    test: { x: subsetRows(d.x as never, te), y: d.y.slice(nTrain) },
  };
}

/** Structural invariants every exported tree must satisfy. */
function checkTree(tree: FlatTree, nFeatures: number): void {
  const n = tree.feature.length;
  for (let i = 0; i < n; i++) {
    if (tree.feature[i] < 0) {
      expect(tree.left[i]).toBe(-1);
      expect(tree.right[i]).toBe(-1);
      let s = 0;
      for (let k = 0; k < tree.outputs; k++) s += tree.value[i * tree.outputs + k];
      expect(s).toBeCloseTo(1, 5);
    } else {
      expect(tree.feature[i]).toBeLessThan(nFeatures);
      expect(tree.left[i]).toBeGreaterThan(i);
      expect(tree.right[i]).toBeGreaterThan(i);
    }
  }
}

describe('random forest', () => {
  it('reaches high held-out accuracy on separable blobs', () => {
    const { train, test } = split(gaussianBlobs(1500, 8, 3, 11), 1000);
    const model = trainForest(train.x, train.y, 3, { nTrees: 30, seed: 1 });
    expect(accuracy(predictForest(model, test.x), test.y, 3)).toBeGreaterThan(0.95);
    for (const t of model.trees) checkTree(t, 8);
  });

  it('extra-trees also separates the blobs', () => {
    const { train, test } = split(gaussianBlobs(1500, 8, 3, 11), 1000);
    const model = trainForest(train.x, train.y, 3, { nTrees: 30, seed: 1, splitter: 'random' });
    expect(accuracy(predictForest(model, test.x), test.y, 3)).toBeGreaterThan(0.95);
  });

  it('stays near chance on pure noise', () => {
    const { train, test } = split(pureNoise(3000, 10, 2, 4), 1000);
    const model = trainForest(train.x, train.y, 2, { nTrees: 30, seed: 2 });
    // 2000 test rows: a fair coin lands within ±0.045 of 0.5 with ~99.9 % probability.
    expect(Math.abs(accuracy(predictForest(model, test.x), test.y, 2) - 0.5)).toBeLessThan(0.045);
  });

  it('is bit-identical for the same seed and differs for another', () => {
    const d = gaussianBlobs(400, 6, 3, 3, 1.5);
    const a = trainForest(d.x, d.y, 3, { nTrees: 5, seed: 9 });
    const b = trainForest(d.x, d.y, 3, { nTrees: 5, seed: 9 });
    const c = trainForest(d.x, d.y, 3, { nTrees: 5, seed: 10 });
    expect(b).toEqual(a);
    expect(c.trees[0].threshold).not.toEqual(a.trees[0].threshold);
  });

  it('grows tree t identically on its own (so trees can be grown in parallel)', () => {
    const d = gaussianBlobs(300, 5, 2, 8, 1);
    const model = trainForest(d.x, d.y, 2, { nTrees: 4, seed: 3 });
    const o = resolveForestOptions({ nTrees: 4, seed: 3 }, 5);
    expect(growForestTree(binMatrix(d.x, o.maxBins), d.y, 2, o, 2)).toEqual(model.trees[2]);
  });

  it('honours maxDepth and minSamplesLeaf', () => {
    const d = gaussianBlobs(600, 6, 3, 5, 1);
    const model = trainForest(d.x, d.y, 3, { nTrees: 3, maxDepth: 3, minSamplesLeaf: 25, bootstrap: false, seed: 4 });
    for (const t of model.trees) {
      expect(treeDepth(t)).toBeLessThanOrEqual(3);
      const perLeaf = new Map<number, number>();
      for (let i = 0; i < d.x.rows; i++) {
        const leaf = leafIndex(t, d.x.data, i, d.x.cols);
        perLeaf.set(leaf, (perLeaf.get(leaf) ?? 0) + 1);
      }
      expect(Math.min(...perLeaf.values())).toBeGreaterThanOrEqual(25);
    }
  });

  it('fits the training data exactly without bootstrap when grown out on all features', () => {
    const d = pureNoise(200, 4, 3, 6);
    const model = trainForest(d.x, d.y, 3, { nTrees: 1, bootstrap: false, mtry: 4, maxBins: 256, seed: 0 });
    expect(accuracy(predictForest(model, d.x), d.y, 3)).toBe(1);
  });

  it('balanced class weights raise recall of a rare class', () => {
    const d = gaussianBlobs(2000, 4, 2, 12, 0.6, 4);
    // Keep 1 in 10 of class 1 so it is rare.
    const keep = Int32Array.from([...d.y.keys()].filter((i) => d.y[i] === 0 || i % 20 === 1));
    const x = subsetRows(d.x, keep);
    const y = Int32Array.from(keep, (i) => d.y[i]);
    const recall = (w: 'none' | 'balanced') => {
      const m = trainForest(x, y, 2, { nTrees: 20, minSamplesLeaf: 10, classWeight: w, seed: 1 });
      const p = argmaxRows(predictForest(m, d.x), 2);
      return [...d.y.keys()].filter((i) => d.y[i] === 1 && p[i] === 1).length / d.y.filter((v) => v === 1).length;
    };
    expect(recall('balanced')).toBeGreaterThan(recall('none'));
  });

  it('rejects bad options and mismatched inputs', () => {
    const d = gaussianBlobs(20, 3, 2, 1);
    expect(() => trainForest(d.x, d.y, 2, { mtry: 4 })).toThrow(/mtry/);
    expect(() => trainForest(d.x, d.y.slice(1), 2)).toThrow(/labels/);
    expect(() => trainForest(d.x, d.y, 1)).toThrow(/outside/);
    const model = trainForest(d.x, d.y, 2, { nTrees: 1 });
    expect(() => predictForest(model, { data: new Float32Array(4), rows: 2, cols: 2 })).toThrow(/expects 3 features/);
  });
});
