import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGeoCropError } from '../../contract/errors';
import { prng, randomRows, randomTrees, treeEnsembleReference } from '../testing/reference';
import { buildTreeEnsembleClassifier, type Tree, type TreeBranchMode, type TreeEnsembleSpec } from './tree-ensemble';
import { inspectOnnx } from './wire';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

async function run(bytes: Uint8Array, rows: Float32Array, nFeatures: number): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run({ features: new ort.Tensor('float32', rows, [rows.length / nFeatures, nFeatures]) });
  } finally {
    await session.release();
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const ALL_MODES: TreeBranchMode[] = ['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ'];

/** Rows whose values often sit exactly on a split threshold (so LEQ/LT and EQ/NEQ differ), plus some NaNs. */
function tieRows(rng: () => number, trees: readonly Tree[], rows: number, nFeatures: number): Float32Array {
  const thresholds = trees.flatMap((t) => t.flatMap((n) => (n.mode === 'LEAF' ? [] : [n.threshold])));
  return Float32Array.from({ length: rows * nFeatures }, () => {
    const u = rng();
    return u < 0.4 ? thresholds[Math.floor(rng() * thresholds.length)] : u < 0.45 ? NaN : rng();
  });
}

describe('buildTreeEnsembleClassifier run by onnxruntime-web', () => {
  it('matches the TS reference for a forest using every branch mode, ties, NaNs and missing-tracks-true', async () => {
    const rng = prng(1);
    const nFeatures = 6;
    const trees = randomTrees(rng, { nFeatures, nClasses: 5, nTrees: 25, depth: 5, leaves: 'probability', modes: ALL_MODES })
      .map((tree) => tree.map((n, i) => (n.mode !== 'LEAF' && i % 3 === 0 ? { ...n, missingTracksTrue: true } : n)));
    const spec: TreeEnsembleSpec = { nFeatures, classLabels: [3, 1, 4, 15, 9], trees, aggregate: 'AVERAGE', postTransform: 'NONE' };
    const rows = tieRows(rng, trees, 800, nFeatures);
    const out = await run(buildTreeEnsembleClassifier(spec), rows, nFeatures);
    expect(out.probabilities.dims).toEqual([800, 5]);
    const ref = treeEnsembleReference(spec, rows);
    expect(maxAbsDiff(out.probabilities.data as Float32Array, ref)).toBeLessThan(1e-5);
    // Forest leaves are probability vectors, so averaged rows sum to 1.
    expect(ref.subarray(0, 5).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(out.label.type).toBe('int64');
  });

  it('matches the reference for boosting: SOFTMAX over summed margins plus base values, string labels', async () => {
    const rng = prng(2);
    const spec: TreeEnsembleSpec = {
      nFeatures: 4,
      classLabels: ['maize', 'soybean', 'grassland'],
      trees: randomTrees(rng, { nFeatures: 4, nClasses: 3, nTrees: 30, depth: 3, leaves: 'margin', modes: ['BRANCH_LT'] }),
      postTransform: 'SOFTMAX',
      baseValues: [0.3, -0.2, 0.1],
    };
    const rows = randomRows(rng, 500, 4);
    const out = await run(buildTreeEnsembleClassifier(spec), rows, 4);
    expect(maxAbsDiff(out.probabilities.data as Float32Array, treeEnsembleReference(spec, rows))).toBeLessThan(1e-5);
    expect(out.label.type).toBe('string');
    expect(new Set(out.label.data as string[])).toEqual(new Set(['maize', 'soybean', 'grassland']));
  });

  it('matches the reference for LOGISTIC and for two classes with base values (folded into the leaves)', async () => {
    const rng = prng(3);
    for (const [nClasses, post] of [[4, 'LOGISTIC'], [2, 'SOFTMAX'], [2, 'NONE']] as const) {
      const spec: TreeEnsembleSpec = {
        nFeatures: 3,
        classLabels: Array.from({ length: nClasses }, (_, i) => BigInt(i)),
        trees: randomTrees(rng, { nFeatures: 3, nClasses, nTrees: 10, depth: 3, leaves: 'margin' }),
        postTransform: post,
        baseValues: Array.from({ length: nClasses }, (_, i) => 0.25 * (i + 1)),
      };
      const rows = randomRows(rng, 300, 3);
      const out = await run(buildTreeEnsembleClassifier(spec), rows, 3);
      expect(maxAbsDiff(out.probabilities.data as Float32Array, treeEnsembleReference(spec, rows)), `${nClasses} classes, ${post}`).toBeLessThan(1e-5);
    }
  });

  it('matches the reference for one tree per class (one-hot leaves, as boosting libraries grow them), zeros omitted', async () => {
    const rng = prng(5);
    const nClasses = 4;
    const perClass = randomTrees(rng, { nFeatures: 3, nClasses: 1, nTrees: 12, depth: 3, leaves: 'margin' });
    const trees: Tree[] = perClass.map((tree, t) => tree.map((n) => (n.mode === 'LEAF' ? { mode: 'LEAF', weights: Array.from({ length: nClasses }, (_, c) => (c === t % nClasses ? n.weights[0] : 0)) } : n)));
    // One leaf that adds nothing at all.
    trees[0] = trees[0].map((n, i) => (i === trees[0].length - 1 ? { mode: 'LEAF', weights: [0, 0, 0, 0] } : n));
    const spec: TreeEnsembleSpec = { nFeatures: 3, classLabels: [0, 1, 2, 3], trees, postTransform: 'SOFTMAX', baseValues: [0.1, 0, -0.1, 0.2] };
    const dense = buildTreeEnsembleClassifier({ ...spec, trees: spec.trees.map((tree) => tree.map((n) => (n.mode === 'LEAF' ? { ...n, weights: n.weights.map((w) => w + 1e-30) } : n))) });
    const sparse = buildTreeEnsembleClassifier(spec);
    expect(sparse.length).toBeLessThan(dense.length * 0.75);
    const rows = randomRows(rng, 400, 3);
    const out = await run(sparse, rows, 3);
    expect(maxAbsDiff(out.probabilities.data as Float32Array, treeEnsembleReference(spec, rows))).toBeLessThan(1e-5);
  });

  it('with zipMap the probabilities output is a sequence of maps fed by a float tensor', () => {
    const spec: TreeEnsembleSpec = { nFeatures: 2, classLabels: [7, 8], trees: randomTrees(prng(4), { nFeatures: 2, nClasses: 2, nTrees: 2, depth: 2, leaves: 'probability' }) };
    const summary = inspectOnnx(buildTreeEnsembleClassifier({ ...spec, zipMap: true }));
    expect(summary.outputs).toEqual([{ name: 'label', kind: 'tensor' }, { name: 'probabilities', kind: 'sequence' }]);
    const zip = summary.nodes.find((n) => n.opType === 'ZipMap');
    expect(zip).toMatchObject({ domain: 'ai.onnx.ml', inputs: ['probabilities_tensor'], outputs: ['probabilities'], classLabels: [7, 8] });
    expect(summary.opsets).toEqual([{ domain: '', version: 17 }, { domain: 'ai.onnx.ml', version: 3 }]);
  });
});

describe('buildTreeEnsembleClassifier input checks', () => {
  const leaf = (w: number[]) => ({ mode: 'LEAF' as const, weights: w });
  const branch = (trueChild: number, falseChild: number, feature = 0) => ({ mode: 'BRANCH_LEQ' as const, feature, threshold: 0.5, trueChild, falseChild });
  const cases: [string, Partial<TreeEnsembleSpec>, RegExp][] = [
    ['child out of range', { trees: [[branch(1, 5), leaf([1, 0]), leaf([0, 1])]] }, /node 0 points to node 5/],
    ['cycle back to the root', { trees: [[branch(1, 2), branch(0, 2), leaf([0, 1])]] }, /points to node 0/],
    ['node with two parents', { trees: [[branch(1, 1), leaf([1, 0]), leaf([0, 1])]] }, /node 1 has 2 parents/],
    ['orphan node', { trees: [[branch(1, 2), leaf([1, 0]), leaf([0, 1]), leaf([1, 0])]] }, /node 3 has 0 parents/],
    ['leaf weights per class', { trees: [[leaf([1, 0, 0])]] }, /leaf 0 has 3 weights; give one per class \(2\)/],
    ['feature out of range', { trees: [[branch(1, 2, 9), leaf([1, 0]), leaf([0, 1])]] }, /splits on feature 9; it must be 0…1/],
    ['no trees', { trees: [] }, /no trees/],
    ['mixed labels', { classLabels: [1, 'b'] as unknown as string[] }, /mixes numbers and strings/],
    ['duplicate labels', { classLabels: [1, 1] }, /duplicates/],
    ['base values per class', { baseValues: [1] }, /baseValues must be 2 finite numbers/],
  ];
  it.each(cases)('rejects %s with MODEL_INVALID', (_name, patch, message) => {
    const spec: TreeEnsembleSpec = { nFeatures: 2, classLabels: [0, 1], trees: [[leaf([1, 0])]], ...patch };
    let err: unknown;
    try {
      buildTreeEnsembleClassifier(spec);
    } catch (e) {
      err = e;
    }
    expect(isGeoCropError(err, 'MODEL_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(message);
  });

  it('accepts int64 labels as a BigInt64Array', () => {
    const bytes = buildTreeEnsembleClassifier({ nFeatures: 1, classLabels: BigInt64Array.of(5n, -2n), trees: [[leaf([1, 0])]] });
    expect(inspectOnnx(bytes).nodes[0].classLabels).toEqual([5, -2]);
  });
});
