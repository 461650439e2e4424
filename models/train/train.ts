/**
 * The training run behind `npm run train`: read a table, hold out a stratified test split, cross-validate every
 * learner (and their ensemble) on the rest, fit the final models on the rest, score them once on the hold-out,
 * and write the model and its metrics.
 *
 * The shipped model is the one fitted on the development rows (everything but the hold-out), so the hold-out
 * figures describe exactly the model in the bundle. Settings are never chosen on the hold-out.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeLearner, type Algorithm, type LearnerSettings } from './classifier';
import { crossValidate, fitAndEvaluate, type EnsembleSpec, type ModelEvaluation } from './evaluate';
import { subsetRows } from './matrix';
import { stratifiedHoldout, type ClassificationMetrics } from './metrics';
import { modelToJson } from './serialize';
import { readTableFile } from './table';
import type { ClassifierModel, Dataset } from './types';

/** What to train and where to write it. */
export interface TrainingOptions {
  data: string;
  label: string;
  /** Output directory; nothing is written when absent. */
  out?: string;
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
  dataset: { file: string; rows: number; label: string; classes: readonly string[]; classCounts: number[]; featureNames: readonly string[] };
  /** Name of the shipped model: the single learner, or `ensemble`. */
  shipped: string;
  model: ClassifierModel;
  crossValidation?: { k: number; rows: number; results: EvaluationSummary[] };
  holdout?: { fraction: number; trainRows: number; testRows: number; results: EvaluationSummary[] };
  seconds: number;
}

const summary = (r: ModelEvaluation): EvaluationSummary => ({ name: r.name, metrics: r.metrics, folds: r.folds, fitSeconds: r.fitSeconds });

/** Runs a training and, with `out`, writes `model.json`, `metrics.json` and `card.md` there. */
export async function train(options: TrainingOptions): Promise<TrainingResult> {
  const t0 = performance.now();
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 42;
  const k = options.folds ?? 5;
  const holdout = options.holdout ?? 0.2;
  if (options.algorithms.length === 0) throw new RangeError('no algorithm to train');
  const ds: Dataset = await readTableFile(options.data, { label: options.label, features: options.features });
  const K = ds.classes.length;
  if (K < 2) throw new RangeError(`the label column "${options.label}" has a single class (${ds.classes[0]}): nothing to learn`);
  const classCounts = ds.classes.map((_, c) => ds.y.filter((v) => v === c).length);
  log(`${options.data}: ${ds.x.rows} rows, ${ds.x.cols} features, classes ${ds.classes.map((c, i) => `${c} (${classCounts[i]})`).join(', ')}`);

  const learners = options.algorithms.map((a) => makeLearner(a, options.settings));
  const ensembles: EnsembleSpec = learners.length > 1 ? { ensemble: learners.map((l) => l.name) } : {};
  const shipped = learners.length > 1 ? 'ensemble' : learners[0].name;
  const progress = (p: { fold: number; folds: number; learner: string; seconds: number }) => log(`  fold ${p.fold}/${p.folds} ${p.learner}: ${p.seconds.toFixed(1)} s`);

  const split = holdout > 0 ? stratifiedHoldout(ds.y, holdout, seed) : { train: Int32Array.from(ds.y.keys()), test: new Int32Array(0) };
  const dev = { x: subsetRows(ds.x, split.train), y: Int32Array.from(split.train, (i) => ds.y[i]) };
  const dataset = { file: options.data, rows: ds.x.rows, label: options.label, classes: ds.classes, classCounts, featureNames: ds.featureNames };

  let crossValidation: TrainingResult['crossValidation'];
  if (k > 0) {
    log(`${k}-fold cross-validation on ${dev.y.length} development rows`);
    const cv = crossValidate(dev.x, dev.y, K, learners, { k, seed, ensembles, onProgress: progress });
    crossValidation = { k, rows: dev.y.length, results: cv.map(summary) };
    log(formatTable(`cross-validation (${k} folds, pooled)`, crossValidation.results, ds.classes));
  }

  const test = { x: subsetRows(ds.x, split.test), y: Int32Array.from(split.test, (i) => ds.y[i]) };
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

  if (options.out) {
    await mkdir(options.out, { recursive: true });
    await writeFile(join(options.out, 'model.json'), JSON.stringify({ classes: ds.classes, featureNames: ds.featureNames, model: modelToJson(result.model) }));
    const { model: _model, ...metrics } = result;
    await writeFile(join(options.out, 'metrics.json'), JSON.stringify({ ...metrics, algorithms: options.algorithms, settings: options.settings ?? {}, seed }, jsonNumbers, 2) + '\n');
    await writeFile(join(options.out, 'card.md'), modelCard(result, options, seed));
    log(`wrote ${join(options.out, 'model.json')}, metrics.json and card.md`);
  }
  return result;
}

/** NaN and ±Infinity have no JSON form; write them as null instead of letting JSON.stringify do it silently. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
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

function modelCard(r: TrainingResult, o: TrainingOptions, seed: number): string {
  const table = (results: readonly EvaluationSummary[]) =>
    [
      '| model | OA % | macro F1 | kappa | ' + r.dataset.classes.map((c) => `F1 / PA % / UA % (${c})`).join(' | ') + ' |',
      '|---|---|---|---|' + r.dataset.classes.map(() => '---|').join(''),
      ...results.map(
        (e) =>
          `| ${e.name} | ${pct(e.metrics.overallAccuracy)} | ${e.metrics.macroF1.toFixed(3)} | ${e.metrics.kappa.toFixed(3)} | ` +
          r.dataset.classes.map((_, c) => `${e.metrics.f1[c].toFixed(3)} / ${pct(e.metrics.producersAccuracy[c])} / ${pct(e.metrics.usersAccuracy[c])}`).join(' | ') +
          ' |',
      ),
    ].join('\n');
  return [
    `# Model card`,
    '',
    `Shipped model: **${r.shipped}** (${o.algorithms.join(' + ')}${o.algorithms.length > 1 ? ', probabilities averaged' : ''}), seed ${seed}.`,
    `Training data: \`${r.dataset.file}\`, label \`${r.dataset.label}\`, ${r.dataset.rows} rows, ${r.dataset.featureNames.length} features; ` +
      `classes ${r.dataset.classes.map((c, i) => `${c} (${r.dataset.classCounts[i]})`).join(', ')}.`,
    '',
    'PA = producer\'s accuracy (recall), UA = user\'s accuracy (precision).',
    '',
    ...(r.crossValidation ? [`## Stratified ${r.crossValidation.k}-fold cross-validation (${r.crossValidation.rows} development rows, pooled)`, '', table(r.crossValidation.results), ''] : []),
    ...(r.holdout
      ? [`## Hold-out test (${r.holdout.testRows} rows, ${pct(r.holdout.fraction)} % stratified; the shipped model was fitted on the other ${r.holdout.trainRows})`, '', table(r.holdout.results), '']
      : []),
    `Training run: ${r.seconds.toFixed(1)} s.`,
    '',
  ].join('\n');
}
