/**
 * Infer stage: the feature stack (feature-major planes) → row-major batches in the model's feature order →
 * class and confidence per pixel. Batches bound memory: a 1000 × 1000 AOI never holds more than one batch of
 * rows besides the stack itself.
 */
import { GeoCropError, throwIfAborted } from '../contract/errors';
import { CLASS_NODATA } from '../contract/classes';
import { featurePlane, type FeatureStack } from '../features/season-finish';
import type { PipelineModel } from './types';

/** Rows per classify call. */
export const INFER_BATCH_ROWS = 65_536;

/** Infer-stage output. */
export interface InferOutput {
  classes: Uint8Array;
  /** Max class probability 0..1, NaN where no class. */
  confidence: Float32Array;
}

/**
 * Classifies every pixel where `valid` is 1 (the rest get 255 / NaN).
 *
 * @param extra planes for catalogue features that are not in the stack (e.g. `baseline_crop`).
 * @throws GeoCropError `MODEL_FEATURE_MISMATCH` naming any feature the model wants that this run cannot compute.
 */
export async function inferClasses(
  model: PipelineModel,
  stack: FeatureStack,
  valid: Uint8Array,
  extra: Readonly<Record<string, Float32Array>>,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<InferOutput> {
  const n = stack.pixels;
  const names = model.featureNames;
  const missing = names.filter((f) => !stack.names.includes(f) && !extra[f]);
  if (missing.length) {
    throw new GeoCropError('MODEL_FEATURE_MISMATCH', `Model ${model.id} needs feature(s) ${missing.join(', ')}, which this run does not compute (missing bands or no baseline). Choose another model or enable the inputs it needs.`, { model: model.id, missing });
  }
  const planes = names.map((f) => extra[f] ?? featurePlane(stack, f));
  const F = names.length;
  const classes = new Uint8Array(n).fill(CLASS_NODATA);
  const confidence = new Float32Array(n).fill(Number.NaN);
  const rows = new Float32Array(INFER_BATCH_ROWS * F);
  const index = new Int32Array(INFER_BATCH_ROWS);
  let p = 0;
  while (p < n) {
    throwIfAborted(signal);
    // Pack only valid pixels, so nodata rows never reach the model.
    let r = 0;
    for (; p < n && r < INFER_BATCH_ROWS; p++) {
      if (!valid[p]) continue;
      const base = r * F;
      for (let f = 0; f < F; f++) rows[base + f] = planes[f][p];
      index[r++] = p;
    }
    if (r === 0) break;
    const out = await model.classify(rows.subarray(0, r * F), names, undefined, signal);
    for (let i = 0; i < r; i++) {
      classes[index[i]] = out.classes[i];
      confidence[index[i]] = out.confidence[i];
    }
    onProgress(p / n);
  }
  return { classes, confidence };
}
