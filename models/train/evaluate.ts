/**
 * Accuracy estimates for learners: stratified k-fold cross-validation with pooled out-of-fold predictions, and a
 * fit on one split evaluated on another (the final hold-out). Ensembles are scored from their members' held-out
 * probabilities, which is exactly what the ensemble model would predict, without fitting anything twice.
 */
import { averageProba, makeEnsemble, predictProba, type Learner } from './classifier';
import { argmaxRows, subsetRows } from './matrix';
import { classificationMetrics, stratifiedKFold, type ClassificationMetrics } from './metrics';
import { deriveSeed } from './random';
import type { ClassifierModel, Matrix } from './types';

/** Ensembles to score: name → member learner names (probabilities averaged with equal weights). */
export type EnsembleSpec = Readonly<Record<string, readonly string[]>>;

/** The result for one learner or ensemble. */
export interface ModelEvaluation {
  name: string;
  /** Metrics of all held-out predictions together (pooled over folds). */
  metrics: ClassificationMetrics;
  /** Metrics per fold (one entry for a hold-out evaluation). */
  folds: ClassificationMetrics[];
  /** Wall time spent fitting, summed over folds (members' times for an ensemble). */
  fitSeconds: number;
  /** Held-out probabilities, row-major `rows × nClasses`, rows in the order of the evaluated samples. */
  proba: Float32Array;
}

/** Progress of an evaluation: one event per fitted learner. */
export interface EvaluationProgress {
  fold: number;
  folds: number;
  learner: string;
  seconds: number;
}

/** Cross-validation settings. */
export interface CrossValidationOptions {
  /** Number of folds (default 5). */
  k?: number;
  /** Seed of the folds and of every learner (default 0). */
  seed?: number;
  ensembles?: EnsembleSpec;
  onProgress?: (p: EvaluationProgress) => void;
}

function checkEnsembles(learners: readonly Learner[], ensembles: EnsembleSpec): void {
  const names = new Set(learners.map((l) => l.name));
  if (names.size !== learners.length) throw new RangeError('learner names must be unique');
  for (const [name, members] of Object.entries(ensembles)) {
    if (names.has(name)) throw new RangeError(`ensemble "${name}" has the name of a learner`);
    for (const m of members) if (!names.has(m)) throw new RangeError(`ensemble "${name}" names unknown learner "${m}"`);
    if (members.length === 0) throw new RangeError(`ensemble "${name}" has no members`);
  }
}

/**
 * Stratified k-fold cross-validation: each learner is fitted on k − 1 folds and predicts the remaining one; the
 * out-of-fold predictions of all folds are pooled into one confusion matrix per learner and per ensemble.
 *
 * @example
 * const cv = crossValidate(ds.x, ds.y, ds.classes.length, [makeLearner('forest'), makeLearner('mlp')], {
 *   k: 5, seed: 42, ensembles: { ensemble: ['forest', 'mlp'] },
 * });
 * cv.find((r) => r.name === 'ensemble')!.metrics.overallAccuracy;
 */
export function crossValidate(x: Matrix, y: Int32Array, nClasses: number, learners: readonly Learner[], options: CrossValidationOptions = {}): ModelEvaluation[] {
  const k = options.k ?? 5;
  const seed = options.seed ?? 0;
  const ensembles = options.ensembles ?? {};
  checkEnsembles(learners, ensembles);
  const K = nClasses;
  const folds = stratifiedKFold(y, k, seed);
  const pooled = new Map(learners.map((l) => [l.name, new Float32Array(x.rows * K)]));
  const seconds = new Map(learners.map((l) => [l.name, 0]));
  const foldProba: Map<string, Float32Array>[] = [];

  folds.forEach((split, f) => {
    const trainX = subsetRows(x, split.train);
    const trainY = Int32Array.from(split.train, (i) => y[i]);
    const testX = subsetRows(x, split.test);
    const here = new Map<string, Float32Array>();
    for (const learner of learners) {
      const t0 = performance.now();
      // Run seed and fold index both feed the learner's seed: each fold's fit is reproducible on its own.
      const model = learner.fit(trainX, trainY, K, deriveSeed(seed, f));
      const s = (performance.now() - t0) / 1000;
      seconds.set(learner.name, seconds.get(learner.name)! + s);
      const proba = predictProba(model, testX);
      here.set(learner.name, proba);
      const out = pooled.get(learner.name)!;
      split.test.forEach((row, r) => out.set(proba.subarray(r * K, r * K + K), row * K));
      options.onProgress?.({ fold: f + 1, folds: k, learner: learner.name, seconds: s });
    }
    foldProba.push(here);
  });

  const result = (name: string, proba: Float32Array, perFold: Float32Array[], fitSeconds: number): ModelEvaluation => ({
    name,
    metrics: classificationMetrics(y, argmaxRows(proba, K), K),
    folds: folds.map((split, f) => classificationMetrics(Int32Array.from(split.test, (i) => y[i]), argmaxRows(perFold[f], K), K)),
    fitSeconds,
    proba,
  });
  const results = learners.map((l) => result(l.name, pooled.get(l.name)!, foldProba.map((m) => m.get(l.name)!), seconds.get(l.name)!));
  for (const [name, members] of Object.entries(ensembles)) {
    results.push(
      result(
        name,
        averageProba(members.map((m) => pooled.get(m)!)),
        foldProba.map((fp) => averageProba(members.map((m) => fp.get(m)!))),
        members.reduce((a, m) => a + seconds.get(m)!, 0),
      ),
    );
  }
  return results;
}

/** Models fitted on a training split and their scores on a test split. */
export interface HoldoutEvaluation {
  models: Record<string, ClassifierModel>;
  results: ModelEvaluation[];
}

/**
 * Fits every learner on the training rows, builds the ensembles from the fitted members, and scores all of them on
 * the test rows (the final hold-out: never used to choose settings).
 */
export function fitAndEvaluate(
  train: { x: Matrix; y: Int32Array },
  test: { x: Matrix; y: Int32Array },
  nClasses: number,
  learners: readonly Learner[],
  options: { seed?: number; ensembles?: EnsembleSpec; onProgress?: (p: EvaluationProgress) => void } = {},
): HoldoutEvaluation {
  const ensembles = options.ensembles ?? {};
  checkEnsembles(learners, ensembles);
  const K = nClasses;
  const models: Record<string, ClassifierModel> = {};
  const results: ModelEvaluation[] = [];
  const score = (name: string, model: ClassifierModel, fitSeconds: number): void => {
    const proba = predictProba(model, test.x);
    const metrics = classificationMetrics(test.y, argmaxRows(proba, K), K);
    results.push({ name, metrics, folds: [metrics], fitSeconds, proba });
  };
  for (const learner of learners) {
    const t0 = performance.now();
    models[learner.name] = learner.fit(train.x, train.y, K, options.seed ?? 0);
    const s = (performance.now() - t0) / 1000;
    options.onProgress?.({ fold: 1, folds: 1, learner: learner.name, seconds: s });
    score(learner.name, models[learner.name], s);
  }
  for (const [name, members] of Object.entries(ensembles)) {
    models[name] = makeEnsemble(members.map((m) => models[m]));
    score(name, models[name], members.reduce((a, m) => a + results.find((r) => r.name === m)!.fitSeconds, 0));
  }
  return { models, results };
}
