import { describe, expect, it } from 'vitest';
import { argmaxRows, subsetRows } from './matrix';
import { columnStats, predictMlp, trainMlp } from './mlp';
import { gaussianBlobs, pureNoise } from './synthetic';
import type { Matrix, MlpModel } from './types';

function heldOut(n: number, nTrain: number) {
  return {
    tr: Int32Array.from({ length: nTrain }, (_, i) => i),
    te: Int32Array.from({ length: n - nTrain }, (_, i) => nTrain + i),
  };
}

function accuracy(model: MlpModel, x: Matrix, y: Int32Array): number {
  const pred = argmaxRows(predictMlp(model, x), model.nClasses);
  return pred.filter((p, i) => p === y[i]).length / y.length;
}

describe('MLP', () => {
  it('reaches high held-out accuracy on separable blobs', () => {
    const d = gaussianBlobs(1500, 8, 3, 11);
    const { tr, te } = heldOut(1500, 1000);
    const { model, info } = trainMlp(subsetRows(d.x, tr), d.y.slice(0, 1000), 3, { seed: 1, maxEpochs: 60 });
    expect(accuracy(model, subsetRows(d.x, te), d.y.slice(1000))).toBeGreaterThan(0.95);
    expect(info.bestEpoch).toBeGreaterThan(0);
  });

  it('stays near chance on pure noise and stops early', () => {
    const d = pureNoise(3000, 10, 2, 4);
    const { tr, te } = heldOut(3000, 1000);
    const { model, info } = trainMlp(subsetRows(d.x, tr), d.y.slice(0, 1000), 2, { seed: 2, maxEpochs: 300, patience: 10 });
    expect(Math.abs(accuracy(model, subsetRows(d.x, te), d.y.slice(1000)) - 0.5)).toBeLessThan(0.045);
    expect(info.epochs).toBeLessThan(300);
  });

  it('is bit-identical for the same seed and differs for another', () => {
    const d = gaussianBlobs(300, 5, 3, 3, 1.5);
    const a = trainMlp(d.x, d.y, 3, { seed: 4, maxEpochs: 5, hidden: [8] });
    const b = trainMlp(d.x, d.y, 3, { seed: 4, maxEpochs: 5, hidden: [8] });
    const c = trainMlp(d.x, d.y, 3, { seed: 5, maxEpochs: 5, hidden: [8] });
    expect(b).toEqual(a);
    expect(c.model.layers[0].weights).not.toEqual(a.model.layers[0].weights);
  });

  it('stores layer shapes for ONNX MatMul ([in × out]) and standardisation stats of the training rows', () => {
    const d = gaussianBlobs(200, 5, 4, 3);
    const { model } = trainMlp(d.x, d.y, 4, { hidden: [7, 6], maxEpochs: 2, validationFraction: 0 });
    expect(model.layers.map((l) => [l.inputs, l.outputs, l.weights.length, l.bias.length])).toEqual([
      [5, 7, 35, 7],
      [7, 6, 42, 6],
      [6, 4, 24, 4],
    ]);
    const { mean, std } = columnStats(d.x);
    expect(model.mean).toEqual(mean);
    expect(model.std).toEqual(std);
  });

  it('predicts what the documented formula gives on hand-set weights', () => {
    const model: MlpModel = {
      kind: 'mlp',
      nFeatures: 2,
      nClasses: 2,
      mean: Float32Array.of(1, 0),
      std: Float32Array.of(2, 1),
      layers: [
        // h = relu(z · [[1, -1], [2, 0]] + [0, 0.5])
        { inputs: 2, outputs: 2, weights: Float32Array.of(1, -1, 2, 0), bias: Float32Array.of(0, 0.5) },
        // logits = h · [[1, 0], [0, 1]] + [0, 0]
        { inputs: 2, outputs: 2, weights: Float32Array.of(1, 0, 0, 1), bias: Float32Array.of(0, 0) },
      ],
    };
    // x = (3, 1) → z = (1, 1) → h = relu(1 + 2, -1 + 0.5) = (3, 0) → softmax(3, 0).
    const p = predictMlp(model, { data: Float32Array.of(3, 1), rows: 1, cols: 2 });
    const e = Math.exp(3);
    expect(p[0]).toBeCloseTo(e / (e + 1), 6);
    expect(p[1]).toBeCloseTo(1 / (e + 1), 6);
  });

  it('standardises constant columns to zero instead of dividing by zero', () => {
    const { mean, std } = columnStats({ data: Float32Array.of(5, 1, 5, 3), rows: 2, cols: 2 });
    expect([...mean]).toEqual([5, 2]);
    expect([...std]).toEqual([1, 1]);
  });
});
