/**
 * Benchmark models that are not shipped bundles: the reference MLP behind the "MLP ≥ 1 M rows/s on one
 * WASM thread" target (no shipped bundle is an MLP alone), and manifests for random-weight graphs.
 */
import { CLASSES } from '../../shared/contract/classes';
import { FEATURE_ORDER_V1 } from '../../shared/contract/feature-order';
import { completeManifest, type ModelManifest } from '../../shared/model';
import { prng, randomMlp } from '../../shared/model/testing/reference';
import { writeBundle } from '../bundles';
import { exportOnnx } from '../train/export-onnx';
import type { MlpModel } from '../train/types';

/** Bundle id of the reference MLP; the id says what it is wherever a result table names it. */
export const REFERENCE_MLP_ID = 'mlp-51-64-32-10-random';

/** The reference MLP's layer widths: the 51 `v1` features, `npm run train`'s default hidden layers, 10 crop types. */
const WIDTHS = [FEATURE_ORDER_V1.length, 64, 32, CLASSES.length];

/** A crop-type manifest for benchmark bytes: all `v1` features, the ten crop-type codes as labels. */
export async function syntheticManifest(id: string, bytes: Uint8Array, description: string): Promise<ModelManifest> {
  return completeManifest({
    id,
    version: '0.0.0',
    task: 'crop-type',
    classes: CLASSES.map((c) => ({ code: c.code, name: c.name })),
    features: [...FEATURE_ORDER_V1],
    featureOrder: { version: 'v1' },
    output: { labels: CLASSES.map((c) => c.code) },
    training: { description, dataSha256: '0'.repeat(64) },
    metrics: {},
    licence: 'CC0-1.0',
    created: '2026-11-23',
  }, bytes);
}

/**
 * `model.onnx` of a 51→64→32→10 MLP with seeded random weights, exported exactly as `npm run train` exports a
 * trained MLP (`exportOnnx`: scaler `Sub`/`Div` in the graph, MatMul/Add/Relu layers, Softmax). Weights do not
 * change the arithmetic per row, so its speed is that of a trained net of the same shape.
 */
export function referenceMlpBytes(): Uint8Array {
  const rng = prng(51_64_32_10);
  const F = WIDTHS[0];
  const model: MlpModel = {
    kind: 'mlp',
    nFeatures: F,
    nClasses: CLASSES.length,
    // Uniform [0, 1) bench rows: mean ½, standard deviation √(1/12).
    mean: new Float32Array(F).fill(0.5),
    std: new Float32Array(F).fill(Math.sqrt(1 / 12)),
    layers: randomMlp(rng, WIDTHS).map((l, i) => ({ ...l, inputs: WIDTHS[i], outputs: WIDTHS[i + 1] })),
  };
  return exportOnnx(model, CLASSES.map((c) => c.code), { docString: `GeoCrop benchmark: ${REFERENCE_MLP_ID}, random weights` });
}

/**
 * Writes the reference MLP as a bundle `<root>/mlp-51-64-32-10-random/` (validated, listed in `<root>/index.json`),
 * so the Node and browser benches load it like any bundle. Returns its id.
 */
export async function writeReferenceMlp(root: string): Promise<string> {
  const model = referenceMlpBytes();
  const manifest = await syntheticManifest(REFERENCE_MLP_ID, model, 'none: seeded random weights (benchmark only)');
  const card = `# ${REFERENCE_MLP_ID}\n\nBenchmark only: a ${WIDTHS.join('→')} MLP with seeded random weights, exported as \`npm run train\` exports MLPs (models/bench/synthetic.ts). It classifies nothing.\n`;
  await writeBundle(root, { manifest, model, card });
  return REFERENCE_MLP_ID;
}
