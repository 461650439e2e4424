import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGeoCropError } from '../../shared/contract/errors';
import { completeManifest, createClassifier } from '../../shared/model';
import { makeEnsemble, predictProba } from './classifier';
import { appendDerived, derivedNames, suffixPairs, type DerivedFeatures } from './derived';
import { exportOnnx } from './export-onnx';
import { trainForest } from './forest';
import { trainMlp } from './mlp';
import { Rng } from './random';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

const inputs = ['red_S1', 'nir_S1', 'red_S2', 'nir_S2', 'slope'];

/** Reflectance-like rows whose class depends on the NDVI change between half-years, which no single input shows. */
function halfYears(n: number, seed: number): { x: { data: Float32Array; rows: number; cols: number }; y: Int32Array } {
  const rng = new Rng(seed);
  const data = new Float32Array(n * 5);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const [r1, n1, r2, n2] = [0.03 + 0.2 * rng.next(), 0.1 + 0.4 * rng.next(), 0.03 + 0.2 * rng.next(), 0.1 + 0.4 * rng.next()];
    data.set([r1, n1, r2, n2, 10 * rng.next()], i * 5);
    const change = (n1 - r1) / (n1 + r1) - (n2 - r2) / (n2 + r2);
    y[i] = change > 0.15 ? 2 : change < -0.15 ? 0 : 1;
  }
  return { x: { data, rows: n, cols: 5 }, y };
}

describe('derived features', () => {
  const derived: DerivedFeatures = { differences: suffixPairs(inputs, '_S1', '_S2'), normalisedDifferences: [['nir_S1', 'red_S1'], ['nir_S2', 'red_S2']] };

  it('pairs suffixes and appends float32 columns after the inputs', () => {
    expect(derived.differences).toEqual([['red_S1', 'red_S2'], ['nir_S1', 'nir_S2']]);
    expect(derivedNames(derived)).toEqual(['red_S1-red_S2', 'nir_S1-nir_S2', 'nd(nir_S1,red_S1)', 'nd(nir_S2,red_S2)']);
    const x = { data: Float32Array.of(0.1, 0.5, 0.2, 0.3, 4), rows: 1, cols: 5 };
    const out = appendDerived(x, inputs, derived);
    expect(out.cols).toBe(9);
    expect(Array.from(out.data.subarray(0, 5))).toEqual(Array.from(x.data));
    expect(Array.from(out.data.subarray(5))).toEqual([
      Math.fround(x.data[0] - x.data[2]),
      Math.fround(x.data[1] - x.data[3]),
      Math.fround(Math.fround(x.data[1] - x.data[0]) / Math.fround(x.data[1] + x.data[0])),
      Math.fround(Math.fround(x.data[3] - x.data[2]) / Math.fround(x.data[3] + x.data[2])),
    ]);
  });

  it('are computed by the exported graph exactly as in training: the bundle reads the inputs only', async () => {
    const d = halfYears(600, 4);
    const X = appendDerived(d.x, inputs, derived);
    const forest = trainForest(X, d.y, 3, { nTrees: 20, seed: 4 });
    const model = makeEnsemble([forest, trainMlp(X, d.y, 3, { hidden: [8], maxEpochs: 20, seed: 4 }).model]);
    const bytes = exportOnnx(model, [0, 1, 2], { derived: { inputs, features: derived } });
    const manifest = await completeManifest({
      id: 'derived-test', version: '0.0.1', task: 'crop-type', classes: [0, 1, 2].map((code) => ({ code, name: `c${code}` })),
      features: inputs, featureOrder: { version: 'test' }, output: { labels: [0, 1, 2] },
      training: { description: 'synthetic', dataSha256: '0'.repeat(64) }, metrics: {}, licence: 'CC0-1.0', created: '2026-11-23',
    }, bytes);
    const classifier = await createClassifier({ ort, modelBytes: bytes, manifest, probabilities: true });
    const got = (await classifier.classify(d.x.data, inputs)).probabilities!;
    await classifier.release();
    const want = predictProba(model, X);
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    expect(worst).toBeLessThan(1e-5);
    // The forest must have used the derived columns (the classes are defined by them), or this proves nothing.
    expect(forest.trees.some((t) => Array.from(t.feature).some((f) => f >= 5))).toBe(true);
  });

  it('refuses unknown names, self-pairs and a normalised difference over a zero sum', () => {
    const x = { data: Float32Array.of(0.1, 0.5, 0.2, 0.3, 0), rows: 1, cols: 5 };
    const err = (f: () => unknown): Error => {
      try {
        f();
      } catch (e) {
        expect(isGeoCropError(e, 'MODEL_INVALID')).toBe(true);
        return e as Error;
      }
      throw new Error('expected an error');
    };
    expect(err(() => appendDerived(x, inputs, { differences: [['nir_S3', 'nir_S1']], normalisedDifferences: [] })).message).toMatch(/"nir_S3" is not an input feature/);
    expect(err(() => appendDerived(x, inputs, { differences: [['slope', 'slope']], normalisedDifferences: [] })).message).toMatch(/paired with itself/);
    expect(err(() => appendDerived(x, inputs, { differences: [], normalisedDifferences: [['slope', 'slope_x' as string]] })).message).toMatch(/not an input/);
    const zero = { data: Float32Array.of(0.1, -0.1, 0.2, 0.3, 0), rows: 1, cols: 5 };
    expect(err(() => appendDerived(zero, inputs, { differences: [], normalisedDifferences: [['nir_S1', 'red_S1']] })).message).toMatch(/nd\(nir_S1,red_S1\) is not finite in row 1/);
  });
});
