import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGeoCropError } from '../../shared/contract/errors';
import { completeManifest, createClassifier, inspectOnnx, type ModelManifest } from '../../shared/model';
import { trainBoosted } from './boosted';
import { makeEnsemble, predictProba } from './classifier';
import { exportOnnx } from './export-onnx';
import { trainForest } from './forest';
import { trainMlp } from './mlp';
import { argmaxRows, subsetRows } from './matrix';
import { gaussianBlobs } from './synthetic';
import type { ClassifierModel, Matrix } from './types';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

/** Probabilities of the exported graph through the app's inference code, columns in class-index order. */
async function onnxProba(model: ClassifierModel, labels: number[], x: Matrix): Promise<{ proba: Float32Array; manifest: ModelManifest }> {
  const bytes = exportOnnx(model, labels);
  const features = Array.from({ length: x.cols }, (_, j) => `f${j}`);
  const manifest = await completeManifest({
    id: 'export-test', version: '0.0.1', task: model.nClasses === 2 ? 'crop-mask' : 'crop-type',
    // Codes in descending label order, so a column-order mix-up between graph and manifest would show.
    classes: [...labels].sort((a, b) => b - a).map((code) => ({ code, name: `c${code}` })),
    features, featureOrder: { version: 'test' }, output: { labels },
    training: { description: 'synthetic blobs', dataSha256: '0'.repeat(64) }, metrics: {}, licence: 'CC0-1.0', created: '2026-11-23',
  }, bytes);
  const classifier = await createClassifier({ ort, modelBytes: bytes, manifest, probabilities: true, batchSize: 97 });
  try {
    const out = (await classifier.classify(x.data, features)).probabilities!;
    const K = labels.length;
    const proba = new Float32Array(x.rows * K);
    const column = labels.map((l) => manifest.classes.findIndex((c) => c.code === l));
    for (let i = 0; i < x.rows; i++) for (let k = 0; k < K; k++) proba[i * K + k] = out[i * K + column[k]];
    return { proba, manifest };
  } finally {
    await classifier.release();
  }
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('exportOnnx: the graph predicts what predictProba predicts', () => {
  // Overlapping classes, so leaves hold mixed distributions and boosted scores are far from saturated.
  const data = gaussianBlobs(1000, 6, 4, 11, 1.2);
  // Unequal classes: boosting then starts from unequal log priors, which the export must carry (equal ones cancel).
  const trainRows = Int32Array.from({ length: 600 }, (_, i) => i).filter((i) => data.y[i] !== 0 || i % 3 === 0);
  const train = { x: subsetRows(data.x, trainRows), y: Int32Array.from(trainRows, (i) => data.y[i]) };
  const test = { x: subsetRows(data.x, Int32Array.from({ length: 400 }, (_, i) => 600 + i)) };
  const labels = [3, 5, 7, 9];
  const forest = trainForest(train.x, train.y, 4, { nTrees: 25, seed: 1 });
  const boosted = trainBoosted(train.x, train.y, 4, { nRounds: 20, seed: 1 }).model;
  const mlp = trainMlp(train.x, train.y, 4, { hidden: [16, 8], maxEpochs: 30, seed: 1 }).model;

  it.each([
    ['forest', forest],
    ['boosted', boosted],
    ['mlp', mlp],
    ['ensemble (weighted forest + boosted + mlp)', makeEnsemble([forest, boosted, mlp], [2, 1, 1])],
  ] as const)('%s', async (_name, model) => {
    const reference = predictProba(model, test.x);
    const { proba } = await onnxProba(model, labels, test.x);
    expect(maxDiff(proba, reference)).toBeLessThan(1e-5);
    // Not a vacuous match: the model tells the classes apart, so the rows' most probable classes cover all four.
    expect(new Set(argmaxRows(reference, 4)).size).toBe(4);
  });

  it('two-class models keep both columns (onnxruntime would otherwise score them as "binary")', async () => {
    const d = gaussianBlobs(300, 3, 2, 5, 1.5);
    const two = makeEnsemble([trainForest(d.x, d.y, 2, { nTrees: 10, seed: 2 }), trainBoosted(d.x, d.y, 2, { nRounds: 10, seed: 2 }).model]);
    for (const model of [two, ...two.members]) {
      const { proba } = await onnxProba(model, [0, 1], d.x);
      expect(maxDiff(proba, predictProba(model, d.x))).toBeLessThan(1e-5);
    }
  });

  it('writes one graph: a lone forest is one TreeEnsembleClassifier with its labels, an ensemble averages members', () => {
    const single = inspectOnnx(exportOnnx(forest, labels));
    expect(single.nodes.map((n) => n.opType)).toEqual(['TreeEnsembleClassifier']);
    expect(single.nodes[0].classLabels).toEqual(labels);
    const mixed = inspectOnnx(exportOnnx(makeEnsemble([forest, mlp], [3, 1]), labels));
    expect(mixed.inputs.map((i) => i.name)).toEqual(['features']);
    expect(mixed.outputs.map((o) => o.name)).toEqual(['probabilities']);
    expect(mixed.nodes.map((n) => n.opType)).toEqual(expect.arrayContaining(['TreeEnsembleClassifier', 'Sub', 'Div', 'Softmax', 'Mul', 'Sum']));
  });

  it('refuses labels that do not fit the model', () => {
    let err: unknown;
    try {
      exportOnnx(forest, [0, 1, 2]);
    } catch (e) {
      err = e;
    }
    expect(isGeoCropError(err, 'MODEL_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(/3 class labels for a model with 4 classes/);
  });
});
