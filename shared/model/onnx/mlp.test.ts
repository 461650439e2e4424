import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGeoCropError } from '../../contract/errors';
import { mlpReference, prng, randomMlp, randomRows } from '../testing/reference';
import { buildMlp, mlpGraph } from './mlp';
import { inspectOnnx } from './wire';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

describe('buildMlp run by onnxruntime-web', () => {
  it('matches float64 matrix maths (relu hidden layers, softmax output)', async () => {
    const rng = prng(10);
    const spec = { nFeatures: 7, layers: randomMlp(rng, [7, 16, 12, 5]) };
    const rows = randomRows(rng, 400, 7);
    const session = await ort.InferenceSession.create(buildMlp(spec));
    const out = await session.run({ features: new ort.Tensor('float32', rows, [400, 7]) });
    await session.release();
    expect(session.outputNames).toEqual(['probabilities']);
    expect(out.probabilities.dims).toEqual([400, 5]);
    const ref = mlpReference(spec, rows);
    const got = out.probabilities.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref[i]));
    expect(worst).toBeLessThan(1e-5);
  });

  it('uses only default-domain ops (so WebGPU can run it)', () => {
    const summary = inspectOnnx(buildMlp({ nFeatures: 3, layers: randomMlp(prng(11), [3, 4, 2]) }));
    expect(new Set(summary.nodes.map((n) => n.opType))).toEqual(new Set(['MatMul', 'Add', 'Relu', 'Softmax']));
    expect(summary.nodes.every((n) => n.domain === '')).toBe(true);
    expect(summary.opsets).toEqual([{ domain: '', version: 17 }]);
  });
});

describe('mlpGraph input checks', () => {
  it('defaults labels to 0…C−1 and accepts string labels', () => {
    expect(mlpGraph({ nFeatures: 3, layers: randomMlp(prng(12), [3, 4]) }).classLabels).toEqual([0, 1, 2, 3]);
    expect(mlpGraph({ nFeatures: 3, layers: randomMlp(prng(12), [3, 2]), classLabels: ['crop', 'other'] }).classLabels).toEqual(['crop', 'other']);
  });

  it.each([
    ['a layer whose weights do not fit in×out', { nFeatures: 4, layers: randomMlp(prng(13), [3, 2]) }, /layer 0: weights hold 6 values but in×out is 4×2 = 8/],
    ['a chain that does not connect', { nFeatures: 3, layers: [...randomMlp(prng(13), [3, 5]), ...randomMlp(prng(14), [4, 2])] }, /layer 1: weights hold 8 values but in×out is 5×2 = 10/],
    ['labels that do not match the output units', { nFeatures: 3, layers: randomMlp(prng(13), [3, 2]), classLabels: [0, 1, 2] }, /3 class labels for 2 output units/],
    ['no layers', { nFeatures: 3, layers: [] }, /no layers/],
  ])('rejects %s', (_name, spec, message) => {
    let err: unknown;
    try {
      mlpGraph(spec);
    } catch (e) {
      err = e;
    }
    expect(isGeoCropError(err, 'MODEL_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(message);
  });
});
