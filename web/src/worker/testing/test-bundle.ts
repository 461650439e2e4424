/**
 * Test support: a small, deterministic model bundle written to a temporary models folder, for tests that need a
 * real classifier before the trained `croptype-demo` bundle exists. Seeded trees averaged with an MLP, behind a
 * standardising scaler, so both onnxruntime op domains (ai.onnx.ml and the default one) run.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-web';
import { CLASSES } from '../../../../shared/contract/classes';
import { completeManifest, type ModelManifest } from '../../../../shared/model';
import { averageClassifiers, encodeClassifier, mlpGraph, treeEnsembleGraph, withScaler } from '../../../../shared/model/onnx';
import { prng, randomMlp, randomTrees } from '../../../../shared/model/testing';
import { writeBundle } from '../../../../models/bundles';

/** Id of the test bundle. */
export const TEST_MODEL_ID = 'parity-test';

/**
 * Catalogue features the test model reads, with a plausible mean and spread of each (for the scaler). NDVI and
 * SWIR only: the run reads three bands (red, nir, swir16), and swir16 is a 20 m band, so resampling is exercised.
 */
export const TEST_MODEL_FEATURES: readonly (readonly [name: string, mean: number, std: number])[] = [
  ['ndvi_jan', 0.5, 0.2],
  ['ndvi_feb', 0.5, 0.2],
  ['ndvi_peak', 0.6, 0.2],
  ['ndvi_mean', 0.4, 0.15],
  ['ndvi_std', 0.1, 0.05],
  ['ndvi_peak_day', 150, 60],
  ['season_length', 90, 40],
  ['ndvi_dry', 0.25, 0.1],
  ['swir16_at_peak', 0.2, 0.08],
];

/** The bundle's files. Same seed, same bytes on every run. */
export async function testBundle(): Promise<{ manifest: ModelManifest; model: Uint8Array; card: string }> {
  const names = TEST_MODEL_FEATURES.map((f) => f[0]);
  const n = names.length;
  const rng = prng(20261123);
  const labels = CLASSES.map((c) => c.code);
  const trees = treeEnsembleGraph({ nFeatures: n, classLabels: labels, trees: randomTrees(rng, { nFeatures: n, nClasses: labels.length, nTrees: 6, depth: 4, leaves: 'probability' }), aggregate: 'AVERAGE' });
  const mlp = mlpGraph({ nFeatures: n, layers: randomMlp(rng, [n, 12, labels.length]), classLabels: labels });
  const scaler = { mean: TEST_MODEL_FEATURES.map((f) => f[1]), std: TEST_MODEL_FEATURES.map((f) => f[2]) };
  const model = encodeClassifier(withScaler(averageClassifiers([trees, mlp]), scaler));
  const manifest = await completeManifest({
    id: TEST_MODEL_ID,
    version: '0.0.1',
    task: 'crop-type',
    classes: CLASSES.map((c) => ({ code: c.code, name: c.name, colour: c.colour })),
    features: names,
    featureOrder: { version: 'parity-test' },
    scaler: { ...scaler, inGraph: true },
    // The averaged graph ends in a Mean node, which records no labels: state them.
    output: { labels },
    training: { description: 'seeded random weights; tests only', dataSha256: '0'.repeat(64) },
    metrics: {},
    licence: 'CC0-1.0',
    created: '2026-11-23',
  }, model);
  return { manifest, model, card: `# ${TEST_MODEL_ID}\n\nSeeded random trees + MLP for the pipeline tests. Predicts nothing real.\n` };
}

/** Writes the test bundle (validated, listed in `index.json`) into a new temporary models folder; returns the folder. */
export async function writeTestModels(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'geocrop-test-models-'));
  await writeBundle(dir, await testBundle(), { ort });
  return dir;
}
