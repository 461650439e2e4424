/**
 * The training run behind `npm run train`: read a table, hold out a stratified test split, cross-validate every
 * learner (and their ensemble) on the rest, fit the final models on the rest, score them once on the hold-out,
 * and write the model bundle (`model.onnx`, `manifest.json`, `card.md`; see `bundle.ts`).
 *
 * The shipped model is the one fitted on the development rows (everything but the hold-out), so the hold-out
 * figures describe exactly the model in the bundle. Settings are never chosen on the hold-out.
 */
import { readFile } from 'node:fs/promises';
import { sha256Hex, type ModelManifest } from '../../shared/model';
import { sampleRows, writeTrainingBundle, type BundleOptions } from './bundle';
import { makeLearner, type Algorithm, type LearnerSettings } from './classifier';
import { appendDerived, derivedNames, hasDerived, NO_DERIVED, type DerivedFeatures } from './derived';
import { crossValidate, fitAndEvaluate, type EnsembleSpec, type ModelEvaluation } from './evaluate';
import { subsetRows } from './matrix';
import { stratifiedHoldout, type ClassificationMetrics } from './metrics';
import { parseTable } from './table';
import type { ClassifierModel, Dataset } from './types';

/** Development rows the exported graph is compared on before a bundle is written. */
const EXPORT_CHECK_ROWS = 2000;

/** What to train and where to write it. */
export interface TrainingOptions {
  data: string;
  label: string;
  /** The bundle: folder (`out`, e.g. `models/<id>`) and what the manifest says; nothing is written when absent. */
  bundle?: BundleOptions;
  features?: readonly string[];
  /** Learners to fit; with two or more, their probability average is the shipped model. */
  algorithms: readonly Algorithm[];
  settings?: LearnerSettings;
  /** Folds of the cross-validation (default 5; 0 skips it). */
  folds?: number;
  /** Share held out for the final test (default 0.2; 0 skips it). */
  holdout?: number;
  /** Default 42. */
  seed?: number;
  /** Columns computed from the features, in the training matrix and in the exported graph (default none). */
  derived?: DerivedFeatures;
  log?: (line: string) => void;
}

/** Metrics of one model, without the raw probabilities. */
export interface EvaluationSummary {
  name: string;
  metrics: ClassificationMetrics;
  folds: ClassificationMetrics[];
  fitSeconds: number;
}

/** Everything a run produced. */
export interface TrainingResult {
  dataset: {
    file: string;
    rows: number;
    label: string;
    classes: readonly string[];
    classCounts: number[];
    /** The model's inputs (table columns), which the bundle's manifest lists. */
    featureNames: readonly string[];
    /** Columns the model computes from its inputs (see `derived.ts`), appended after them. */
    derived: DerivedFeatures;
  };
  /** Name of the shipped model: the single learner, or `ensemble`. */
  shipped: string;
  model: ClassifierModel;
  crossValidation?: { k: number; rows: number; results: EvaluationSummary[] };
  holdout?: { fraction: number; trainRows: number; testRows: number; results: EvaluationSummary[] };
  seconds: number;
  /** With a bundle: its manifest, and the largest ONNX-vs-TypeScript probability difference on the checked rows. */
  written?: { manifest: ModelManifest; exportError: number };
}

const summary = (r: ModelEvaluation): EvaluationSummary => ({ name: r.name, metrics: r.metrics, folds: r.folds, fitSeconds: r.fitSeconds });

/** Runs a training and, with `bundle`, writes the bundle to `bundle.out` and lists it in the index beside it. */
export async function train(options: TrainingOptions): Promise<TrainingResult> {
  const t0 = performance.now();
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 42;
  const k = options.folds ?? 5;
  const holdout = options.holdout ?? 0.2;
  if (options.algorithms.length === 0) throw new RangeError('no algorithm to train');
  const bytes = await readFile(options.data);
  const ds: Dataset = parseTable(bytes.toString('utf8'), { label: options.label, features: options.features, source: options.data });
  const K = ds.classes.length;
  if (K < 2) throw new RangeError(`the label column "${options.label}" has a single class (${ds.classes[0]}): nothing to learn`);
  const classCounts = ds.classes.map((_, c) => ds.y.filter((v) => v === c).length);
  log(`${options.data}: ${ds.x.rows} rows, ${ds.x.cols} features, classes ${ds.classes.map((c, i) => `${c} (${classCounts[i]})`).join(', ')}`);
  const derived = options.derived ?? NO_DERIVED;
  // The learners see the derived columns too; the exported graph computes them from the inputs.
  const X = appendDerived(ds.x, ds.featureNames, derived);
  if (hasDerived(derived)) log(`derived columns (${derivedNames(derived).length}): ${derivedNames(derived).join(' ')}`);

  const learners = options.algorithms.map((a) => makeLearner(a, options.settings));
  const ensembles: EnsembleSpec = learners.length > 1 ? { ensemble: learners.map((l) => l.name) } : {};
  const shipped = learners.length > 1 ? 'ensemble' : learners[0].name;
  const progress = (p: { fold: number; folds: number; learner: string; seconds: number }) => log(`  fold ${p.fold}/${p.folds} ${p.learner}: ${p.seconds.toFixed(1)} s`);

  const split = holdout > 0 ? stratifiedHoldout(ds.y, holdout, seed) : { train: Int32Array.from(ds.y.keys()), test: new Int32Array(0) };
  const dev = { x: subsetRows(X, split.train), y: Int32Array.from(split.train, (i) => ds.y[i]) };
  const dataset = { file: options.data, rows: ds.x.rows, label: options.label, classes: ds.classes, classCounts, featureNames: ds.featureNames, derived };

  let crossValidation: TrainingResult['crossValidation'];
  if (k > 0) {
    log(`${k}-fold cross-validation on ${dev.y.length} development rows`);
    const cv = crossValidate(dev.x, dev.y, K, learners, { k, seed, ensembles, onProgress: progress });
    crossValidation = { k, rows: dev.y.length, results: cv.map(summary) };
    log(formatTable(`cross-validation (${k} folds, pooled)`, crossValidation.results, ds.classes));
  }

  const test = { x: subsetRows(X, split.test), y: Int32Array.from(split.test, (i) => ds.y[i]) };
  log(`fitting on ${dev.y.length} rows${test.y.length ? `, testing on ${test.y.length} held-out rows` : ''}`);
  // Without a hold-out the scores on the training rows are meaningless and dropped.
  const fitted = fitAndEvaluate(dev, test.y.length ? test : dev, K, learners, { seed, ensembles, onProgress: progress });
  let holdoutResult: TrainingResult['holdout'];
  if (test.y.length) {
    holdoutResult = { fraction: holdout, trainRows: dev.y.length, testRows: test.y.length, results: fitted.results.map(summary) };
    log(formatTable(`hold-out (${test.y.length} rows, never used for choices)`, holdoutResult.results, ds.classes));
  }
  const result: TrainingResult = {
    dataset,
    shipped,
    model: fitted.models[shipped],
    crossValidation,
    holdout: holdoutResult,
    seconds: (performance.now() - t0) / 1000,
  };

  if (options.bundle) {
    const inputs = { result, dataSha256: await sha256Hex(bytes), checkRows: sampleRows(subsetRows(ds.x, split.train), EXPORT_CHECK_ROWS), algorithms: options.algorithms, settings: options.settings ?? {}, seed };
    result.written = await writeTrainingBundle(inputs, options.bundle);
    log(`wrote ${options.bundle.out}/{model.onnx, manifest.json, card.md} (${result.written.manifest.onnx.bytes} bytes; ONNX vs TypeScript ≤ ${result.written.exportError.toExponential(1)})`);
  }
  return result;
}

const pct = (v: number) => (Number.isNaN(v) ? '—' : (100 * v).toFixed(1));

/** A fixed-width table of OA, macro F1, kappa and per-class F1 / producer's / user's accuracy. */
export function formatTable(title: string, results: readonly EvaluationSummary[], classes: readonly string[]): string {
  const head = ['model', 'OA %', 'macroF1', 'kappa', ...classes.map((c) => `F1/PA/UA[${c}]`), 'fit s'];
  const rows = results.map((r) => [
    r.name,
    pct(r.metrics.overallAccuracy),
    r.metrics.macroF1.toFixed(3),
    r.metrics.kappa.toFixed(3),
    ...classes.map((_, c) => `${r.metrics.f1[c].toFixed(2)}/${pct(r.metrics.producersAccuracy[c])}/${pct(r.metrics.usersAccuracy[c])}`),
    r.fitSeconds.toFixed(1),
  ]);
  const width = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => c.padEnd(width[j])).join('  ');
  return [title, line(head), ...rows.map(line)].join('\n');
}
