/**
 * Test support: a real model bundle (ONNX `TreeEnsembleClassifier`, manifest, card) with a rule simple enough to
 * check by hand — one split on `ndvi_peak` — written into a temporary models folder. Until the lead's trained
 * `croptype-demo` exists, this is what `loadModel` and the CLI load in tests; it goes through the same
 * validation, onnxruntime session and class mapping as any bundle.
 */
import { CLASSES, classCode } from '../../../shared/contract/classes';
import { completeManifest, type ModelManifest } from '../../../shared/model';
import { buildTreeEnsembleClassifier } from '../../../shared/model/onnx';
import { writeBundle } from '../../../models/bundles';

/** The bundle id written by {@link writeThresholdBundle}. */
export const THRESHOLD_MODEL_ID = 'test-ndvi-threshold';
/** `ndvi_peak` above this → maize, else grassland. */
export const NDVI_THRESHOLD = 0.6;
/** Leaf probability of maize above the threshold (the confidence a maize pixel gets). */
export const MAIZE_CONFIDENCE = 0.75;
/** Leaf probability of grassland at or below the threshold. */
export const GRASS_CONFIDENCE = 0.9;

const MAIZE = classCode('maize');
const GRASS = classCode('grassland');

/**
 * The rule the bundle encodes, in plain code (the test oracle). ONNX stores split values as float32, so the
 * comparison is against float32(0.6), which is what decides a pixel whose NDVI is exactly that float.
 */
export function thresholdRule(ndviPeak: number): { code: number; confidence: number } {
  return ndviPeak > Math.fround(NDVI_THRESHOLD) ? { code: MAIZE, confidence: MAIZE_CONFIDENCE } : { code: GRASS, confidence: GRASS_CONFIDENCE };
}

function leaf(winner: number, p: number): number[] {
  // The loser of the split gets the rest, so the argmax and its probability are the rule's.
  return CLASSES.map((c) => (c.code === winner ? p : c.code === (winner === MAIZE ? GRASS : MAIZE) ? 1 - p : 0));
}

/** Writes the bundle (validated by `writeBundle`) into `root` and lists it in `root/index.json`. */
export async function writeThresholdBundle(root: string): Promise<ModelManifest> {
  const model = buildTreeEnsembleClassifier({
    nFeatures: 1,
    classLabels: CLASSES.map((c) => c.code),
    trees: [[
      { mode: 'BRANCH_GT', feature: 0, threshold: NDVI_THRESHOLD, trueChild: 1, falseChild: 2 },
      { mode: 'LEAF', weights: leaf(MAIZE, MAIZE_CONFIDENCE) },
      { mode: 'LEAF', weights: leaf(GRASS, GRASS_CONFIDENCE) },
    ]],
  });
  const manifest = await completeManifest({
    id: THRESHOLD_MODEL_ID,
    version: '0.0.1',
    task: 'crop-type',
    classes: CLASSES.map((c) => ({ code: c.code, name: c.name, colour: c.colour })),
    features: ['ndvi_peak'],
    featureOrder: { version: 'custom' },
    output: { labels: CLASSES.map((c) => c.code) },
    training: { description: `hand-written rule: ndvi_peak > ${NDVI_THRESHOLD} → maize, else grassland (tests only)`, dataSha256: '0'.repeat(64) },
    metrics: {},
    licence: 'CC0-1.0',
    created: '2026-11-23',
  }, model);
  return writeBundle(root, { manifest, model, card: `# ${THRESHOLD_MODEL_ID}\n\nOne split on ndvi_peak; for pipeline tests only.\n` });
}
