import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGeoCropError } from '../../contract/errors';
import { mlpReference, prng, randomMlp, randomRows, randomTrees, standardise, treeEnsembleReference } from '../testing/reference';
import { averageClassifiers, withScaler } from './compose';
import { encodeClassifier } from './graph';
import { mlpGraph, type MlpSpec } from './mlp';
import { treeEnsembleGraph, type TreeEnsembleSpec } from './tree-ensemble';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

async function probabilities(bytes: Uint8Array, rows: Float32Array, nFeatures: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({ features: new ort.Tensor('float32', rows, [rows.length / nFeatures, nFeatures]) }, ['probabilities']);
    return out.probabilities.data as Float32Array;
  } finally {
    await session.release();
  }
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-5): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  expect(worst).toBeLessThan(tol);
}

const rng = prng(20);
const nFeatures = 5;
const mlp: MlpSpec = { nFeatures, layers: randomMlp(rng, [nFeatures, 8, 3]), classLabels: [10, 20, 30] };
const trees: TreeEnsembleSpec = { nFeatures, classLabels: [10, 20, 30], trees: randomTrees(rng, { nFeatures, nClasses: 3, nTrees: 12, depth: 3, leaves: 'probability' }), aggregate: 'AVERAGE' };
// Raw features on a scale where the MLP without standardisation would saturate.
const mean = [100, -50, 3, 0.5, 1000];
const std = [20, 10, 0.5, 0.1, 250];
const raw = randomRows(rng, 300, nFeatures).map((u, i) => mean[i % nFeatures] + (u - 0.5) * 4 * std[i % nFeatures]);

describe('withScaler', () => {
  it('standardises raw features in the graph before the model', async () => {
    const got = await probabilities(encodeClassifier(withScaler(mlpGraph(mlp), { mean, std })), raw, nFeatures);
    expectClose(got, mlpReference(mlp, standardise(raw, mean, std)));
  });

  it('nests without tensor-name clashes', async () => {
    const twice = withScaler(withScaler(mlpGraph(mlp), { mean: [0, 0, 0, 0, 0], std: [2, 2, 2, 2, 2] }), { mean, std });
    const got = await probabilities(encodeClassifier(twice), raw, nFeatures);
    expectClose(got, mlpReference(mlp, standardise(standardise(raw, mean, std), [0, 0, 0, 0, 0], [2, 2, 2, 2, 2])));
  });

  it('rejects a scaler of the wrong length or with std ≤ 0', () => {
    for (const [scaler, message] of [
      [{ mean: [0], std: [1] }, /1 means and 1 stds; the model has 5 features/],
      [{ mean, std: [1, 1, 0, 1, 1] }, /feature 2: mean must be finite and std finite and > 0/],
    ] as const) {
      expect(() => withScaler(mlpGraph(mlp), scaler)).toThrow(message);
    }
  });
});

describe('averageClassifiers: trees + MLP in one graph', () => {
  it('outputs the mean of the members’ probabilities, each member with its own preprocessing', async () => {
    const graph = averageClassifiers([treeEnsembleGraph(trees), withScaler(mlpGraph(mlp), { mean, std })]);
    // Each tensor is produced once (by one node or initializer): the members' names did not clash.
    const produced = graph.nodes.flatMap((n) => n.outputs).concat(graph.initializers.map((t) => t.name));
    expect(new Set(produced).size).toBe(produced.length);
    const got = await probabilities(encodeClassifier(graph), raw, nFeatures);
    const a = treeEnsembleReference(trees, raw);
    const b = mlpReference(mlp, standardise(raw, mean, std));
    expectClose(got, a.map((v, i) => (v + b[i]) / 2));
  });

  it('applies weights as a normalised weighted sum', async () => {
    const graph = averageClassifiers([treeEnsembleGraph(trees), withScaler(mlpGraph(mlp), { mean, std })], [3, 1]);
    const got = await probabilities(encodeClassifier(graph), raw, nFeatures);
    const a = treeEnsembleReference(trees, raw);
    const b = mlpReference(mlp, standardise(raw, mean, std));
    expectClose(got, a.map((v, i) => 0.75 * v + 0.25 * b[i]));
  });

  it('refuses members that disagree on labels or features, or bad weights', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => averageClassifiers([treeEnsembleGraph(trees), mlpGraph({ ...mlp, classLabels: [10, 30, 20] })]), /member 1 has class labels \[10, 30, 20\] but member 0 has \[10, 20, 30\]/],
      [() => averageClassifiers([treeEnsembleGraph(trees), mlpGraph({ nFeatures: 4, layers: randomMlp(prng(1), [4, 3]), classLabels: [10, 20, 30] })]), /member 1 takes 4 features but member 0 takes 5/],
      [() => averageClassifiers([treeEnsembleGraph(trees)]), /at least 2 models/],
      [() => averageClassifiers([treeEnsembleGraph(trees), mlpGraph(mlp)], [1, -1]), /weights must be one finite, non-negative number per member/],
    ];
    for (const [fn, message] of cases) {
      let err: unknown;
      try {
        fn();
      } catch (e) {
        err = e;
      }
      expect(isGeoCropError(err, 'MODEL_INVALID')).toBe(true);
      expect((err as Error).message).toMatch(message);
    }
  });
});
