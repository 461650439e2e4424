/**
 * Scores a model bundle on a labelled table through the app's own inference path: `createClassifier` over
 * onnxruntime-web, feature columns matched by name, the manifest's classes. What this reports is what the app's
 * maps would get on those samples, not what the training code's TypeScript models would.
 */
import { readFile } from 'node:fs/promises';
import type * as OrtWeb from 'onnxruntime-web';
import { GeoCropError } from '../../shared/contract/errors';
import { createClassifier, parseModelManifest, sha256Hex, type ModelManifest } from '../../shared/model';
import { readBundleFiles } from '../bundles';
import { classificationMetrics } from '../train/metrics';
import { namedMetrics, type NamedMetrics } from '../train/named-metrics';
import { parseTable, tableColumns } from '../train/table';

/** Label columns tried, in order, when none is named. */
export const DEFAULT_LABEL_COLUMNS = ['class', 'Class', 'label', 'Label'] as const;

/** What {@link evaluateBundle} needs. */
export interface EvaluateBundleOptions {
  /** onnxruntime-web (or anything with its API), configured by the caller (threads). */
  ort: Pick<typeof OrtWeb, 'InferenceSession' | 'Tensor'>;
  /** Folder holding `<id>/` bundles (the repository's `models/`). */
  root: string;
  id: string;
  /** Table file: CSV or whitespace, `# ` header (the format `npm run train` reads). */
  data: string;
  /** Label column; default the first of {@link DEFAULT_LABEL_COLUMNS} in the header. */
  label?: string;
}

/** The report printed by `npm run model:eval`. */
export interface BundleEvaluation {
  model: { id: string; version: string; task: string };
  data: { file: string; sha256: string; rows: number; label: string };
  /** Keyed by the manifest's class names; reference in the confusion rows. */
  metrics: NamedMetrics;
}

/** Manifest class index of each table label: integer labels are class codes, others class names. */
function classIndexOf(manifest: ModelManifest, labels: readonly string[]): number[] {
  return labels.map((label) => {
    const key = label.trim();
    const k = /^[+-]?\d+(\.0*)?$/.test(key)
      ? manifest.classes.findIndex((c) => c.code === Number(key))
      : manifest.classes.findIndex((c) => c.name.toLowerCase() === key.toLowerCase() || String(c.label ?? '') === key);
    if (k < 0) {
      throw new GeoCropError('MODEL_INVALID', `Label "${label}" of the table is no class of model "${manifest.id}" (${manifest.classes.map((c) => `${c.code} ${c.name}`).join(', ')}): use class codes or names.`);
    }
    return k;
  });
}

/**
 * Runs bundle `id` over every row of the table and scores its classes against the label column.
 *
 * @throws GeoCropError `MODEL_NOT_FOUND` / `MODEL_INVALID` for a missing or bad bundle or a label that is no
 *   class of the model; a `TableError` for a malformed table or a missing feature column.
 * @example
 * const report = await evaluateBundle({ ort, root: MODELS_DIR, id: 'croptype-demo', data: 'table.txt' });
 * report.metrics.overallAccuracy;
 */
export async function evaluateBundle(options: EvaluateBundleOptions): Promise<BundleEvaluation> {
  const files = await readBundleFiles(options.root, options.id);
  const manifest = parseModelManifest(files.manifest);
  const bytes = await readFile(options.data);
  const text = bytes.toString('utf8');
  const label = options.label ?? DEFAULT_LABEL_COLUMNS.find((c) => tableColumns(text, options.data).includes(c));
  if (label === undefined) throw new GeoCropError('MODEL_INVALID', `${options.data}: no label column (${DEFAULT_LABEL_COLUMNS.join(', ')}); name it with --label.`);
  const table = parseTable(text, { label, features: manifest.features, source: options.data });
  const classOfTableClass = classIndexOf(manifest, table.classes);
  const reference = Int32Array.from(table.y, (y) => classOfTableClass[y]);

  const classifier = await createClassifier({ ort: options.ort, modelBytes: files.model, manifest });
  let codes: Uint8Array;
  try {
    ({ classes: codes } = await classifier.classify(table.x.data, table.featureNames));
  } finally {
    await classifier.release();
  }
  const indexOfCode = new Map(manifest.classes.map((c, k) => [c.code, k]));
  const predicted = Int32Array.from(codes, (code) => indexOfCode.get(code) ?? -1);
  const unclassified = predicted.indexOf(-1);
  if (unclassified >= 0) throw new GeoCropError('MODEL_INVALID', `Model "${manifest.id}" gave row ${unclassified + 1} no class (NaN probabilities?): check that row's features.`);
  const metrics = classificationMetrics(reference, predicted, manifest.classes.length);
  return {
    model: { id: manifest.id, version: manifest.version, task: manifest.task },
    data: { file: options.data, sha256: await sha256Hex(bytes), rows: table.x.rows, label },
    metrics: namedMetrics(metrics, manifest.classes.map((c) => c.name)),
  };
}
