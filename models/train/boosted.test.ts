import { describe, expect, it } from 'vitest';
import { predictBoosted, trainBoosted } from './boosted';
import { argmaxRows, subsetRows } from './matrix';
import { gaussianBlobs, pureNoise } from './synthetic';
import { leafIndex } from './tree';

const range = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, i) => from + i);

describe('gradient-boosted trees', () => {
  it('reaches high held-out accuracy on separable blobs', () => {
    const d = gaussianBlobs(1500, 8, 3, 11);
    const { model, info } = trainBoosted(subsetRows(d.x, range(0, 1000)), d.y.slice(0, 1000), 3, { nRounds: 60, seed: 1 });
    const pred = argmaxRows(predictBoosted(model, subsetRows(d.x, range(1000, 1500))), 3);
    expect(pred.filter((p, i) => p === d.y[1000 + i]).length / 500).toBeGreaterThan(0.95);
    expect(model.trees.length).toBe(info.keptRounds * 3);
    expect(model.trees.every((t) => t.outputs === 1)).toBe(true);
  });

  it('stays near chance on pure noise and stops early', () => {
    const d = pureNoise(3000, 10, 2, 4);
    const { model, info } = trainBoosted(subsetRows(d.x, range(0, 1000)), d.y.slice(0, 1000), 2, { nRounds: 300, seed: 2 });
    const pred = argmaxRows(predictBoosted(model, subsetRows(d.x, range(1000, 3000))), 2);
    expect(Math.abs(pred.filter((p, i) => p === d.y[1000 + i]).length / 2000 - 0.5)).toBeLessThan(0.045);
    expect(info.rounds).toBeLessThan(300);
  });

  it('predicts the class priors with no rounds', () => {
    const y = Int32Array.from([0, 0, 0, 1, 2, 2, 2, 2]);
    const x = { data: Float32Array.from(y, (v) => v), rows: 8, cols: 1 };
    const { model } = trainBoosted(x, y, 3, { nRounds: 0, validationFraction: 0 });
    const p = predictBoosted(model, x);
    expect(p[0]).toBeCloseTo(3 / 8, 6);
    expect(p[1]).toBeCloseTo(1 / 8, 6);
    expect(p[2]).toBeCloseTo(4 / 8, 6);
  });

  it('predicts softmax(baseScore + Σ leaf values of the class trees), as ONNX SOFTMAX would', () => {
    const d = gaussianBlobs(300, 4, 3, 6, 1);
    const { model } = trainBoosted(d.x, d.y, 3, { nRounds: 5, validationFraction: 0, seed: 3 });
    const p = predictBoosted(model, d.x);
    for (const row of [0, 17, 123]) {
      const raw = Array.from(model.baseScore);
      model.trees.forEach((t, i) => (raw[model.treeClass[i]] += t.value[leafIndex(t, d.x.data, row, d.x.cols)]));
      const e = raw.map((v) => Math.exp(v));
      const s = e.reduce((a, b) => a + b, 0);
      for (let k = 0; k < 3; k++) expect(p[row * 3 + k]).toBeCloseTo(e[k] / s, 6);
    }
  });

  it('is bit-identical for the same seed and differs for another', () => {
    const d = gaussianBlobs(300, 5, 3, 3, 1.5);
    const a = trainBoosted(d.x, d.y, 3, { nRounds: 4, seed: 7 });
    expect(trainBoosted(d.x, d.y, 3, { nRounds: 4, seed: 7 })).toEqual(a);
    expect(trainBoosted(d.x, d.y, 3, { nRounds: 4, seed: 8 }).model.trees[0].threshold).not.toEqual(a.model.trees[0].threshold);
  });

  it('honours maxDepth', () => {
    const d = gaussianBlobs(500, 5, 2, 9, 1);
    const { model } = trainBoosted(d.x, d.y, 2, { nRounds: 3, maxDepth: 2, minSamplesLeaf: 1, validationFraction: 0 });
    // A depth-2 tree has at most 7 nodes.
    for (const t of model.trees) expect(t.feature.length).toBeLessThanOrEqual(7);
  });
});
