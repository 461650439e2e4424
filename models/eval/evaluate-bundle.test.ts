import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGeoCropError } from '../../shared/contract/errors';
import { MODELS_DIR } from '../bundles';
import { predictClasses } from '../train/classifier';
import { gaussianBlobs } from '../train/synthetic';
import { train, type TrainingResult } from '../train/train';
import { parseEvalArgs } from './cli';
import { UsageError } from '../cli-entry';
import { evaluateBundle } from './evaluate-bundle';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

describe('evaluateBundle (npm run model:eval)', () => {
  let dir: string;
  let root: string;
  let result: TrainingResult;
  // Classes 0 maize, 2 soybean, 6 woodland; overlapping blobs so the model makes mistakes worth counting.
  const codes = [0, 2, 6];
  const names = ['maize', 'soybean', 'woodland'];
  const features = ['ndvi_peak', 'ndmi_dry', 'bsi_dry'];
  const d = gaussianBlobs(300, 3, 3, 23, 1.3);
  const table = (label: (k: number) => string, cols = features) =>
    [`# crop ${cols.join(' ')}`, ...Array.from({ length: d.x.rows }, (_, i) => [label(d.y[i]), ...Array.from(d.x.data.subarray(i * 3, i * 3 + 3)).slice(0, cols.length)].join(' '))].join('\n') + '\n';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'geocrop-eval-'));
    root = join(dir, 'models');
    await writeFile(join(dir, 'train.txt'), table((k) => String(codes[k])));
    result = await train({
      data: join(dir, 'train.txt'), label: 'crop', algorithms: ['forest', 'boosted'], folds: 0, holdout: 0.3, seed: 3,
      settings: { forest: { nTrees: 15 }, boosted: { nRounds: 15 } },
      bundle: { out: join(root, 'eval-test'), licence: 'CC0-1.0', classes: 'crop-types' },
    });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('scores every row with the bundle, as the trained model would, keyed by class name', async () => {
    const data = join(dir, 'names.txt');
    await writeFile(data, table((k) => names[k]));
    const report = await evaluateBundle({ ort, root, id: 'eval-test', data, label: 'crop' });
    // Independent count: the TypeScript model's classes against the labels.
    const predicted = predictClasses(result.model, d.x);
    const expected = names.map((ref, r) => names.map((_, p) => d.y.filter((y, i) => y === r && predicted[i] === p).length));
    expect(names.map((ref) => names.map((pred) => report.metrics.confusion[ref][pred]))).toEqual(expected);
    const correct = expected.reduce((s, row, k) => s + row[k], 0);
    expect(report.metrics.overallAccuracy).toBeCloseTo(correct / d.x.rows, 12);
    expect(report.metrics.overallAccuracy).toBeLessThan(1);
    expect(report.metrics.producersAccuracy.soybean).toBeCloseTo(expected[1][1] / expected[1].reduce((a, b) => a + b, 0), 12);
    expect(report.model).toEqual({ id: 'eval-test', version: '1.0.0', task: 'crop-type' });
    expect(report.data).toMatchObject({ rows: 300, label: 'crop' });
    expect(report.data.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads labels given as class codes the same way as names', async () => {
    const byName = join(dir, 'n.txt');
    const byCode = join(dir, 'c.txt');
    await writeFile(byName, table((k) => names[k]));
    await writeFile(byCode, table((k) => String(codes[k])));
    const a = await evaluateBundle({ ort, root, id: 'eval-test', data: byName, label: 'crop' });
    const b = await evaluateBundle({ ort, root, id: 'eval-test', data: byCode, label: 'crop' });
    expect(b.metrics).toEqual(a.metrics);
  });

  it('names a label that is no class of the model, a missing feature column and a missing bundle', async () => {
    const wrong = join(dir, 'wrong.txt');
    await writeFile(wrong, table((k) => (k === 2 ? 'water' : names[k])));
    const err = await evaluateBundle({ ort, root, id: 'eval-test', data: wrong, label: 'crop' }).catch((e: unknown) => e);
    expect(isGeoCropError(err, 'MODEL_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(/Label "water" of the table is no class of model "eval-test" \(0 maize, 2 soybean, 6 woodland\)/);
    const short = join(dir, 'short.txt');
    await writeFile(short, table((k) => names[k], features.slice(0, 2)));
    await expect(evaluateBundle({ ort, root, id: 'eval-test', data: short, label: 'crop' })).rejects.toThrow(/no column "bsi_dry"/);
    const missing = await evaluateBundle({ ort, root, id: 'nope', data: short }).catch((e: unknown) => e);
    expect(isGeoCropError(missing, 'MODEL_NOT_FOUND')).toBe(true);
  });
});

describe('parseEvalArgs', () => {
  it('reads the options, defaulting to this repository’s bundles and one thread', () => {
    expect(parseEvalArgs(['--model', 'croptype-demo', '--data', 't.txt'])).toEqual({ id: 'croptype-demo', data: 't.txt', root: MODELS_DIR, threads: 1 });
    expect(parseEvalArgs(['--model', 'm', '--data', 't', '--label', 'Class', '--models', '/x', '--threads', '2'])).toEqual({ id: 'm', data: 't', root: '/x', threads: 2, label: 'Class' });
    expect(parseEvalArgs(['--help'])).toBeNull();
  });

  it('explains mistakes', () => {
    expect(() => parseEvalArgs(['--data', 't'])).toThrow(/--model is required/);
    expect(() => parseEvalArgs(['--model', 'm'])).toThrow(/--data is required/);
    expect(() => parseEvalArgs(['--model', 'm', '--data', 't', '--threads', '0'])).toThrow(UsageError);
    expect(() => parseEvalArgs(['--model', 'm', '--data', 't', '--bogus'])).toThrow(/bogus/);
  });
});
