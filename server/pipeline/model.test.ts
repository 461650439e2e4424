import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSES } from '../../shared/contract/classes';
import { GeoCropError } from '../../shared/contract/errors';
import { loadModel } from './model';
import { GRASS_CONFIDENCE, MAIZE_CONFIDENCE, THRESHOLD_MODEL_ID, writeThresholdBundle } from './testing/threshold-model';

let root: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'geocrop-models-'));
  await writeThresholdBundle(path.join(root, 'good'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function failure(p: Promise<unknown>): Promise<GeoCropError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof GeoCropError) return err;
    throw err;
  }
  throw new Error('expected a GeoCropError');
}

describe('loadModel', () => {
  it('opens a bundle as a PipelineModel that classifies through onnxruntime', async () => {
    const model = await loadModel(THRESHOLD_MODEL_ID, { root: path.join(root, 'good'), threads: 1 });
    try {
      expect(model).toMatchObject({ id: THRESHOLD_MODEL_ID, version: '0.0.1', featureNames: ['ndvi_peak'] });
      expect(model.classes).toEqual(CLASSES.map((c) => ({ code: c.code, name: c.name, colour: c.colour.toLowerCase() })));
      const rows = Float32Array.of(0.2, 0.61, 0.9, 0.59);
      const { classes, confidence } = await model.classify(rows, ['ndvi_peak'], Uint8Array.of(1, 1, 1, 0));
      expect(Array.from(classes)).toEqual([7, 0, 0, 255]);
      expect(Array.from(confidence)).toEqual([GRASS_CONFIDENCE, MAIZE_CONFIDENCE, MAIZE_CONFIDENCE, 0].map(Math.fround));
    } finally {
      await model.release();
    }
  });

  it('MODEL_NOT_FOUND names the folder and the ids it lists', async () => {
    const err = await failure(loadModel('croptype-demo', { root: path.join(root, 'good') }));
    expect(err.code).toBe('MODEL_NOT_FOUND');
    expect(err.message).toBe(`No model bundle "croptype-demo" in ${path.join(root, 'good')} (its index.json lists: ${THRESHOLD_MODEL_ID}): use one of those ids, or a models folder that has "croptype-demo".`);
    expect((await failure(loadModel('x', { root: path.join(root, 'nowhere') }))).code).toBe('MODEL_NOT_FOUND');
  });

  it('MODEL_INVALID when model.onnx is not the file its manifest describes', async () => {
    const bad = path.join(root, 'bad');
    cpSync(path.join(root, 'good'), bad, { recursive: true });
    const onnx = path.join(bad, THRESHOLD_MODEL_ID, 'model.onnx');
    const bytes = readFileSync(onnx);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(onnx, bytes);
    const err = await failure(loadModel(THRESHOLD_MODEL_ID, { root: bad }));
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toContain('SHA-256');
  });
});
