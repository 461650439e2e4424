import { describe, expect, it } from 'vitest';
import { predictBoosted, trainBoosted } from './boosted';
import { predictForest, trainForest } from './forest';
import { gaussianBlobs } from './synthetic';
import { treeEnsembleAttributes, type TreeEnsembleClassifierAttributes } from './tree-ensemble';
import type { Matrix } from './types';

/**
 * A literal reading of the ONNX-ML TreeEnsembleClassifier spec, independent of the FlatTree code: walk each tree
 * from its root through BRANCH_LEQ nodes (x <= value → true branch) in float32, sum the class weights of the
 * leaves reached, add base_values, apply post_transform.
 */
function runTreeEnsemble(a: TreeEnsembleClassifierAttributes, x: Matrix): Float32Array {
  const K = a.classlabels_int64s.length;
  const key = (t: number, n: number) => `${t}:${n}`;
  const nodes = new Map<string, number>();
  a.nodes_treeids.forEach((t, i) => nodes.set(key(t, a.nodes_nodeids[i]), i));
  const weights = new Map<string, [number, number][]>();
  a.class_treeids.forEach((t, i) => {
    const k = key(t, a.class_nodeids[i]);
    if (!weights.has(k)) weights.set(k, []);
    weights.get(k)!.push([a.class_ids[i], a.class_weights[i]]);
  });
  const children = new Set(a.nodes_treeids.flatMap((t, i) => (a.nodes_modes[i] === 'LEAF' ? [] : [key(t, a.nodes_truenodeids[i]), key(t, a.nodes_falsenodeids[i])])));
  const roots = [...nodes.keys()].filter((k) => !children.has(k));
  const out = new Float32Array(x.rows * K);
  for (let r = 0; r < x.rows; r++) {
    const score = new Float32Array(K);
    for (const root of roots) {
      let i = nodes.get(root)!;
      const t = a.nodes_treeids[i];
      while (a.nodes_modes[i] !== 'LEAF') {
        const v = x.data[r * x.cols + a.nodes_featureids[i]];
        i = nodes.get(key(t, v <= Math.fround(a.nodes_values[i]) ? a.nodes_truenodeids[i] : a.nodes_falsenodeids[i]))!;
      }
      for (const [k, w] of weights.get(key(t, a.nodes_nodeids[i])) ?? []) score[k] += w;
    }
    if (a.base_values) for (let k = 0; k < K; k++) score[k] += a.base_values[k];
    if (a.post_transform === 'SOFTMAX') {
      const m = Math.max(...score);
      const e = Array.from(score, (s) => Math.exp(s - m));
      const s = e.reduce((p, q) => p + q, 0);
      e.forEach((v, k) => (score[k] = v / s));
    }
    out.set(score, r * K);
  }
  return out;
}

describe('TreeEnsembleClassifier attributes', () => {
  const d = gaussianBlobs(400, 5, 3, 13, 1.2);

  it('reproduce the forest probabilities', () => {
    const model = trainForest(d.x, d.y, 3, { nTrees: 7, seed: 2 });
    const a = treeEnsembleAttributes(model);
    expect(a.post_transform).toBe('NONE');
    expect(a.nodes_modes.length).toBe(model.trees.reduce((s, t) => s + t.feature.length, 0));
    expect(a.class_weights.every((w) => w > 0)).toBe(true);
    const expected = predictForest(model, d.x);
    const got = runTreeEnsemble(a, d.x);
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i], 6);
  });

  it('reproduce the boosted probabilities', () => {
    const { model } = trainBoosted(d.x, d.y, 3, { nRounds: 8, seed: 2 });
    const a = treeEnsembleAttributes(model);
    expect(a.post_transform).toBe('SOFTMAX');
    expect(a.base_values).toEqual(Array.from(model.baseScore));
    const expected = predictBoosted(model, d.x);
    const got = runTreeEnsemble(a, d.x);
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i], 5);
  });

  it('always names both classes of a two-class model', () => {
    // Every sample is class 1: all leaves are pure class 1 and would otherwise emit only class id 1.
    const x = { data: Float32Array.from([1, 2, 3, 4]), rows: 4, cols: 1 };
    const model = trainForest(x, Int32Array.from([1, 1, 1, 1]), 2, { nTrees: 2 });
    const a = treeEnsembleAttributes(model);
    expect(new Set(a.class_ids)).toEqual(new Set([0, 1]));
    expect(runTreeEnsemble(a, x)).toEqual(predictForest(model, x));
  });
});
