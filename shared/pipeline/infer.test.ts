import { describe, expect, it } from 'vitest';
import { isGeoCropError } from '../contract/errors';
import type { FeatureStack } from '../features/season-finish';
import { inferClasses, INFER_BATCH_ROWS } from './infer';
import type { PipelineModel } from './types';

function stack(n: number, names: string[], value: (f: number, p: number) => number): FeatureStack {
  const data = new Float32Array(names.length * n);
  names.forEach((_, f) => { for (let p = 0; p < n; p++) data[f * n + p] = value(f, p); });
  return { names, pixels: n, data, valid: new Uint8Array(n).fill(1), obsCount: new Uint16Array(n), ndviSeries: { dates: [], values: new Int16Array(0) } };
}

// Class = round(b − a) of the model's two inputs, confidence 0.5; records what it was given.
function model(featureNames: string[]): PipelineModel & { calls: number[] } {
  const calls: number[] = [];
  return {
    id: 'test', version: '1', featureNames, classes: [], calls,
    async classify(rows, names) {
      const F = names.length;
      const n = rows.length / F;
      calls.push(n);
      const classes = new Uint8Array(n);
      for (let i = 0; i < n; i++) classes[i] = Math.round(rows[i * F + 1] - rows[i * F]);
      return { classes, confidence: new Float32Array(n).fill(0.5) };
    },
  };
}

describe('infer stage', () => {
  it('packs rows in the model order by name, skips invalid pixels, and batches', async () => {
    const n = INFER_BATCH_ROWS + 10;
    const s = stack(n, ['x', 'a', 'b'], (f, p) => (f === 2 ? (p % 7) + 100 : f === 1 ? 100 : -1));
    const valid = new Uint8Array(n).fill(1);
    valid[3] = 0;
    const m = model(['a', 'b']);
    const out = await inferClasses(m, s, valid, {}, () => undefined);
    expect(out.classes[0]).toBe(0);
    expect(out.classes[6]).toBe(6);
    expect(out.classes[3]).toBe(255);
    expect(out.confidence[3]).toBeNaN();
    expect(out.confidence[4]).toBe(0.5);
    expect(m.calls).toEqual([INFER_BATCH_ROWS, 9]);
  });
  it('takes features outside the stack from `extra` (the baseline)', async () => {
    const s = stack(3, ['a'], () => 1);
    const out = await inferClasses(model(['a', 'baseline_crop']), s, s.valid, { baseline_crop: Float32Array.from([1, 2, 3]) }, () => undefined);
    expect([...out.classes]).toEqual([0, 1, 2]);
  });
  it('names the features a model needs that the run lacks', async () => {
    const s = stack(2, ['a'], () => 0);
    const err = await inferClasses(model(['a', 'evi_peak']), s, s.valid, {}, () => undefined).catch((e: unknown) => e);
    expect(isGeoCropError(err, 'MODEL_FEATURE_MISMATCH')).toBe(true);
    expect((err as Error).message).toContain('evi_peak');
  });
});

describe('run() with a model on external inputs', () => {
  it('fails before any download with MODEL_FEATURE_MISMATCH naming the inputs', async () => {
    const { run } = await import('./run');
    const { parseJobRequest } = await import('../contract/job');
    let calls = 0;
    const env = {
      fetch: async () => { calls++; return new Response('{}'); }, stacUrl: 'http://x/stac', s3HttpsTemplate: 'http://x/{bucket}/{key}',
      model: { ...model(['blue_S1', 'slope']), id: 'cropmask-se' },
    };
    const err = await run(parseJobRequest({ aoi: { lon: 30.0, lat: -17.8, radius_m: 1000 }, year: 2022 }), env).catch((e: unknown) => e);
    expect(isGeoCropError(err, 'MODEL_FEATURE_MISMATCH')).toBe(true);
    expect((err as Error).message).toMatch(/blue_S1, slope/);
    expect(calls).toBe(0);
  });
});
