/**
 * The last step of `npm run train -- --out models/<id>`: export the shipped model to ONNX, check that the graph
 * predicts what the TypeScript model predicts (through the app's own inference code), complete the manifest and
 * write the bundle (`model.onnx`, `manifest.json`, `card.md`) with `writeBundle`, which also lists it in
 * `models/index.json`.
 */
import { basename, dirname, resolve } from 'node:path';
import * as ort from 'onnxruntime-web';
import { GeoCropError } from '../../shared/contract/errors';
import { FEATURE_ORDER_V1, FEATURE_ORDER_VERSION } from '../../shared/contract/feature-order';
import { DEFAULT_FEATURE_CATALOGUE, completeManifest, createClassifier, type ModelManifest, type ModelTask } from '../../shared/model';
import { writeBundle } from '../bundles';
import { bundleClasses, type ClassScheme } from './bundle-classes';
import { modelCard } from './card';
import { predictProba } from './classifier';
import { appendDerived, NO_DERIVED, type DerivedFeatures } from './derived';
import { exportOnnx } from './export-onnx';
import { subsetRows } from './matrix';
import { manifestMetrics, type ManifestMetrics } from './named-metrics';
import type { LearnerSettings } from './classifier';
import type { TrainingResult } from './train';
import type { ClassifierModel, Matrix } from './types';

/**
 * Largest `model.onnx` a training run writes: bundles are cached on tablets for offline use, so 10 MB is the
 * budget. Forests grow with the data; `--max-depth`, `--min-leaf` and `--trees` bring them back under it.
 */
export const MAX_MODEL_BYTES = 10_000_000;

/** Largest difference between ONNX and TypeScript probabilities accepted (float32 sums of hundreds of trees). */
export const EXPORT_TOLERANCE = 1e-5;

/** What the bundle says about itself beyond the training result. */
export interface BundleOptions {
  /** The bundle folder `<models root>/<id>`; its parent gets the `index.json` entry. */
  out: string;
  /** Default: the folder name (which must equal the id). */
  id?: string;
  /** Semantic version, default `1.0.0`. */
  version?: string;
  /** Default `crop-mask` for the crop-mask class scheme, else `crop-type`. */
  task?: ModelTask;
  /** Default `labels` (classes as found in the table). */
  classes?: ClassScheme;
  /** Licence of the weights (SPDX id where one exists), e.g. `CC-BY-4.0`. */
  licence: string;
  /** ISO 8601 date; default today (UTC). */
  created?: string;
  /** What the data is (source, region, season, sampling); the run adds file and row counts. */
  description?: string;
  /** Default `v1` when the features are exactly `FEATURE_ORDER_V1`, else `<id>-1`. */
  featureOrder?: string;
  /** Human-written markdown that opens the model card. */
  notes?: string;
  /** The command that reproduces the bundle, for the card. */
  command?: string;
  /** The command that produces the training table, for the card. */
  dataCommand?: string;
  /**
   * The inputs are not the pipeline's features (e.g. DE Africa's GeoMAD half-year medians): check the bundle against
   * its own feature list instead of the feature catalogue. Such a bundle is valid but the app cannot feed it, so it
   * belongs outside `models/` (whose test requires catalogue features) until the catalogue knows its inputs.
   */
  externalFeatures?: boolean;
  /** Default {@link MAX_MODEL_BYTES}. */
  maxModelBytes?: number;
}

/** Training facts the bundle records. */
export interface BundleInputs {
  result: TrainingResult;
  /** SHA-256 of the training table file. */
  dataSha256: string;
  /** Rows of input features (without derived columns) the exported graph is checked on (a sample of the development rows is enough). */
  checkRows: Matrix;
  algorithms: readonly string[];
  settings: LearnerSettings;
  seed: number;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Runs `bytes` through `createClassifier` (onnxruntime-web, as the app does) on the input rows `x` and compares the
 * probabilities with {@link predictProba} on `x` plus the `derived` columns.
 *
 * @returns the largest absolute difference.
 * @throws GeoCropError `MODEL_INVALID` when it exceeds {@link EXPORT_TOLERANCE}: the export is wrong and must not ship.
 */
export async function verifyExport(model: ClassifierModel, bytes: Uint8Array, manifest: ModelManifest, x: Matrix, derived: DerivedFeatures = NO_DERIVED): Promise<number> {
  const classifier = await createClassifier({ ort, modelBytes: bytes, manifest, probabilities: true });
  let onnx: Float32Array;
  try {
    onnx = (await classifier.classify(x.data, manifest.features)).probabilities!;
  } finally {
    await classifier.release();
  }
  const reference = predictProba(model, appendDerived(x, manifest.features, derived));
  // The classifier orders columns like manifest.classes; the model orders them by class index.
  const K = model.nClasses;
  const column = (manifest.output.labels as number[]).map((label) => manifest.classes.findIndex((c) => c.code === label));
  let worst = 0;
  for (let i = 0; i < x.rows; i++) {
    for (let k = 0; k < K; k++) worst = Math.max(worst, Math.abs(onnx[i * K + column[k]] - reference[i * K + k]));
  }
  if (!(worst <= EXPORT_TOLERANCE)) {
    throw new GeoCropError('MODEL_INVALID', `The exported model.onnx of "${manifest.id}" disagrees with the trained model by up to ${worst} in probability (tolerance ${EXPORT_TOLERANCE}): not writing a bundle that predicts differently from what was evaluated.`);
  }
  return worst;
}

/**
 * Exports, checks and writes the bundle of a training run.
 *
 * @returns the written manifest and the largest ONNX-vs-TypeScript probability difference seen.
 * @throws GeoCropError `MODEL_INVALID` (model too large, labels that fit no class scheme, export mismatch,
 *   bundle validation).
 */
export async function writeTrainingBundle(inputs: BundleInputs, options: BundleOptions): Promise<{ manifest: ModelManifest; exportError: number }> {
  const { result: r } = inputs;
  const folder = resolve(options.out);
  const id = options.id ?? basename(folder);
  if (basename(folder) !== id) {
    throw new GeoCropError('MODEL_INVALID', `Bundle id "${id}" differs from its folder "${basename(folder)}": a bundle lives in models/<id>; use --out ${dirname(options.out)}/${id} or drop --id.`);
  }
  const scheme = options.classes ?? 'labels';
  const { classes, labels } = bundleClasses(r.dataset.classes, scheme);
  const model = exportOnnx(r.model, labels, { docString: `GeoCrop ${id}: ${r.shipped} trained by models/train`, derived: { inputs: r.dataset.featureNames, features: r.dataset.derived } });
  const cap = options.maxModelBytes ?? MAX_MODEL_BYTES;
  if (model.length > cap) {
    throw new GeoCropError('MODEL_INVALID', `model.onnx of "${id}" would be ${(model.length / 1e6).toFixed(1)} MB, over the ${(cap / 1e6).toFixed(1)} MB bundle budget: grow smaller trees (--max-depth, --min-leaf) or fewer (--trees, --rounds).`);
  }
  const nameOf = new Map(classes.map((c) => [c.code, c.name]));
  const names = labels.map((l) => nameOf.get(l)!);
  const metrics: ManifestMetrics = {};
  const cv = r.crossValidation?.results.find((e) => e.name === r.shipped);
  if (cv) Object.assign(metrics, { 'cv.folds': r.crossValidation!.k }, manifestMetrics('cv', cv.metrics, names));
  const holdout = r.holdout?.results.find((e) => e.name === r.shipped);
  if (holdout) Object.assign(metrics, manifestMetrics('holdout', holdout.metrics, names));
  const features = [...r.dataset.featureNames];
  const trainRows = r.holdout?.trainRows ?? r.dataset.rows;
  const split = r.holdout ? `${trainRows} rows fitted, ${r.holdout.testRows} held out` : `all ${trainRows} rows fitted`;
  const manifest = await completeManifest(
    {
      id,
      version: options.version ?? '1.0.0',
      task: options.task ?? (scheme === 'crop-mask' ? 'crop-mask' : 'crop-type'),
      classes,
      features,
      featureOrder: { version: options.featureOrder ?? (sameList(features, FEATURE_ORDER_V1) ? FEATURE_ORDER_VERSION : `${id}-1`) },
      output: { labels },
      training: {
        description: `${options.description ? `${options.description.trim()} ` : ''}Table ${basename(r.dataset.file)}: ${r.dataset.rows} rows, label "${r.dataset.label}"; ${split}.`,
        dataSha256: inputs.dataSha256,
        samples: trainRows,
      },
      metrics,
      licence: options.licence,
      created: options.created ?? new Date().toISOString().slice(0, 10),
    },
    model,
  );
  const exportError = await verifyExport(r.model, model, manifest, inputs.checkRows, r.dataset.derived);
  const card = modelCard(r, { manifest, notes: options.notes, command: options.command, dataCommand: options.dataCommand, algorithms: inputs.algorithms, settings: inputs.settings, seed: inputs.seed });
  const catalogue = options.externalFeatures ? { names: features, orders: DEFAULT_FEATURE_CATALOGUE.orders } : DEFAULT_FEATURE_CATALOGUE;
  const written = await writeBundle(dirname(folder), { manifest, model, card }, { ort, catalogue });
  return { manifest: written, exportError };
}

/** Up to `n` evenly spread rows of `x`, enough to check an export without predicting the whole table twice. */
export function sampleRows(x: Matrix, n: number): Matrix {
  if (x.rows <= n) return x;
  return subsetRows(x, Int32Array.from({ length: n }, (_, i) => Math.floor((i * x.rows) / n)));
}
