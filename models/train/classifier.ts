/**
 * One entry point over the learners: {@link predictProba} for any fitted model (the plain-TypeScript reference an
 * ONNX export is checked against), the probability-averaging ensemble, and named learners with their settings
 * so evaluation and the CLI can treat them alike.
 */
import { predictBoosted, trainBoosted, type BoostingOptions } from './boosted';
import { predictForest, trainForest, type ForestOptions } from './forest';
import { argmaxRows } from './matrix';
import { predictMlp, trainMlp, type MlpOptions } from './mlp';
import { deriveSeed } from './random';
import type { ClassifierModel, EnsembleModel, Matrix } from './types';

/** Class probabilities of any model, row-major `rows × nClasses`; each row sums to 1. */
export function predictProba(model: ClassifierModel, x: Matrix): Float32Array {
  switch (model.kind) {
    case 'forest':
      return predictForest(model, x);
    case 'boosted':
      return predictBoosted(model, x);
    case 'mlp':
      return predictMlp(model, x);
    case 'ensemble':
      return predictEnsemble(model, x);
  }
}

/** Most probable class index per row. */
export function predictClasses(model: ClassifierModel, x: Matrix): Int32Array {
  return argmaxRows(predictProba(model, x), model.nClasses);
}

/**
 * An ensemble whose probabilities are the weighted mean of its members' (equal weights by default).
 *
 * @example
 * const model = makeEnsemble([forest, mlp]);
 * predictProba(model, x); // (forest + mlp) / 2
 */
export function makeEnsemble(members: readonly ClassifierModel[], weights?: readonly number[]): EnsembleModel {
  if (members.length === 0) throw new RangeError('an ensemble needs at least one member');
  const { nFeatures, nClasses } = members[0];
  for (const m of members) {
    if (m.nFeatures !== nFeatures || m.nClasses !== nClasses) throw new RangeError(`ensemble members disagree: ${m.nFeatures}×${m.nClasses} vs ${nFeatures}×${nClasses}`);
  }
  const w = weights ? [...weights] : members.map(() => 1);
  if (w.length !== members.length || w.some((v) => !(v >= 0)) || !(w.reduce((a, b) => a + b, 0) > 0)) {
    throw new RangeError(`ensemble weights must be ${members.length} non-negative numbers with a positive sum`);
  }
  const sum = w.reduce((a, b) => a + b, 0);
  return { kind: 'ensemble', nFeatures, nClasses, members: [...members], weights: Float32Array.from(w, (v) => v / sum) };
}

function predictEnsemble(model: EnsembleModel, x: Matrix): Float32Array {
  return averageProba(model.members.map((m) => predictProba(m, x)), model.weights);
}

/** Weighted mean of probability arrays (weights are normalised to sum 1; equal when absent). */
export function averageProba(probas: readonly Float32Array[], weights?: ArrayLike<number>): Float32Array {
  const w = weights ? Array.from(weights) : probas.map(() => 1);
  const sum = w.reduce((a, b) => a + b, 0);
  const acc = new Float64Array(probas[0].length);
  probas.forEach((p, m) => {
    if (p.length !== acc.length) throw new RangeError('probability arrays differ in length');
    for (let i = 0; i < p.length; i++) acc[i] += (w[m] / sum) * p[i];
  });
  return Float32Array.from(acc);
}

/** The learners the pipeline knows. */
export type Algorithm = 'forest' | 'extra-trees' | 'boosted' | 'mlp';

/** All algorithm names, in the order the CLI lists them. */
export const ALGORITHMS: readonly Algorithm[] = ['forest', 'extra-trees', 'boosted', 'mlp'];

/** Settings per algorithm; absent fields take each learner's defaults. */
export interface LearnerSettings {
  forest?: ForestOptions;
  'extra-trees'?: ForestOptions;
  boosted?: BoostingOptions;
  mlp?: MlpOptions;
}

/** A named way to fit a model; `seed` is mixed into the learner's own seed so folds differ but reproduce. */
export interface Learner {
  readonly name: string;
  fit(x: Matrix, y: Int32Array, nClasses: number, seed: number): ClassifierModel;
}

/** The learner for an algorithm with its settings. */
export function makeLearner(algorithm: Algorithm, settings: LearnerSettings = {}): Learner {
  switch (algorithm) {
    case 'forest':
    case 'extra-trees': {
      const base = settings[algorithm] ?? {};
      const splitter = algorithm === 'forest' ? 'best' : 'random';
      return { name: algorithm, fit: (x, y, k, seed) => trainForest(x, y, k, { splitter, ...base, seed: deriveSeed(base.seed ?? 0, seed) }) };
    }
    case 'boosted': {
      const base = settings.boosted ?? {};
      return { name: algorithm, fit: (x, y, k, seed) => trainBoosted(x, y, k, { ...base, seed: deriveSeed(base.seed ?? 0, seed) }).model };
    }
    case 'mlp': {
      const base = settings.mlp ?? {};
      return { name: algorithm, fit: (x, y, k, seed) => trainMlp(x, y, k, { ...base, seed: deriveSeed(base.seed ?? 0, seed) }).model };
    }
  }
}
