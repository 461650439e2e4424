import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectOnnx } from '../../shared/model';
import { MODELS_DIR, readBundleFiles, readModelIndex } from '../bundles';
import { benchRecord, benchRows, measureInference, median } from './measure';
import { REFERENCE_MLP_ID, referenceMlpBytes, syntheticManifest } from './synthetic';
import { benchTargets } from './targets';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

describe('the reference MLP', () => {
  it('is the 51→64→32→10 graph npm run train exports for an MLP (scaler in the graph), the same bytes every time', () => {
    const bytes = referenceMlpBytes();
    expect(referenceMlpBytes()).toEqual(bytes);
    const ops = inspectOnnx(bytes).nodes.map((n) => n.opType);
    expect(ops.slice(0, 2)).toEqual(['Sub', 'Div']);
    expect(ops.filter((o) => o === 'MatMul')).toHaveLength(3);
    expect(ops.filter((o) => o === 'Relu')).toHaveLength(2);
    expect(ops.at(-1)).toBe('Softmax');
  });
});

describe('benchTargets', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'geocrop-bench-targets-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('lists every shipped bundle, then the reference MLP written as a valid bundle of its own', async () => {
    const targets = await benchTargets(scratch);
    const shipped = (await readModelIndex()).bundles.map((b) => ({ id: b.id, root: MODELS_DIR, shipped: true }));
    expect(targets).toEqual([...shipped, { id: REFERENCE_MLP_ID, root: scratch, shipped: false }]);
    expect((await readBundleFiles(scratch, REFERENCE_MLP_ID)).model).toEqual(referenceMlpBytes());
  });
});

describe('measureInference (Node, onnxruntime-web wasm)', () => {
  const bytes = referenceMlpBytes();

  it('opens, runs and classifies three times each and reports positive, finite figures', async () => {
    const manifest = await syntheticManifest(REFERENCE_MLP_ID, bytes, 'test');
    const rows = 1000;
    const m = await measureInference({ ort, bytes, manifest, data: benchRows(rows, 51), rows, batch: 256, warmupMs: 50 });
    expect(Number.isFinite(m.firstPassRowsPerS) && m.firstPassRowsPerS > 0).toBe(true);
    for (const series of [m.openMs, m.runRowsPerS, m.classifyRowsPerS]) {
      expect(series).toHaveLength(3);
      for (const v of series) expect(Number.isFinite(v) && v > 0).toBe(true);
    }
    const record = benchRecord(m, { runtime: 'node', model: REFERENCE_MLP_ID, threads: 1, rows, batch: 256, bytes: bytes.length });
    expect(record.classify_rows_per_s).toBe(Math.round(median(m.classifyRowsPerS)));
  });

  it('stops with an AbortError when the signal has fired, and refuses too few rows', async () => {
    const manifest = await syntheticManifest(REFERENCE_MLP_ID, bytes, 'test');
    const controller = new AbortController();
    controller.abort();
    await expect(measureInference({ ort, bytes, manifest, data: benchRows(10, 51), rows: 10, batch: 10 }, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    await expect(measureInference({ ort, bytes, manifest, data: benchRows(10, 51), rows: 20, batch: 10 })).rejects.toThrow(/holds 10 rows, 20 asked/);
  });
});
