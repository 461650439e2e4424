/**
 * Accuracy assessment as remote sensing reports it (Congalton & Green; Olofsson et al. 2014) and the stratified
 * splits used to estimate it. The confusion matrix here has REFERENCE (truth) in rows and PREDICTED (map) in
 * columns, as scikit-learn does; the textbooks often transpose it, so producer's accuracy is the row-wise ratio
 * (recall) and user's accuracy the column-wise one (precision).
 */
import { Rng } from './random';

/** Accuracy figures for one set of predictions. Ratios are 0–1; NaN where a ratio has a zero denominator. */
export interface ClassificationMetrics {
  /** `confusion[ref][pred]` = number of samples of reference class `ref` predicted as `pred`. */
  confusion: number[][];
  n: number;
  overallAccuracy: number;
  /** Mean F1 over the classes present in the reference or the predictions. */
  macroF1: number;
  kappa: number;
  /** Mean producer's accuracy over the classes present in the reference (robust to class imbalance). */
  balancedAccuracy: number;
  /** Per class: recall, `confusion[k][k] / Σ row k` (omission error = 1 − this). */
  producersAccuracy: number[];
  /** Per class: precision, `confusion[k][k] / Σ column k` (commission error = 1 − this). */
  usersAccuracy: number[];
  f1: number[];
  /** Reference samples per class (row sums). */
  support: number[];
}

/** Confusion matrix, reference in rows and prediction in columns. */
export function confusionMatrix(reference: ArrayLike<number>, predicted: ArrayLike<number>, nClasses: number): number[][] {
  if (reference.length !== predicted.length) throw new RangeError(`${reference.length} reference labels but ${predicted.length} predictions`);
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i];
    const p = predicted[i];
    if (!(r >= 0 && r < nClasses && p >= 0 && p < nClasses) || !Number.isInteger(r) || !Number.isInteger(p)) {
      throw new RangeError(`sample ${i}: class ${r} → ${p} outside 0…${nClasses - 1}`);
    }
    m[r][p]++;
  }
  return m;
}

/** All metrics of a confusion matrix (reference in rows). */
export function metricsFromConfusion(confusion: number[][]): ClassificationMetrics {
  const k = confusion.length;
  const rowSum = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const colSum = confusion[0]?.map((_, j) => confusion.reduce((a, row) => a + row[j], 0)) ?? [];
  const n = rowSum.reduce((a, b) => a + b, 0);
  let diag = 0;
  for (let i = 0; i < k; i++) diag += confusion[i][i];
  const producersAccuracy = confusion.map((row, i) => row[i] / rowSum[i]);
  const usersAccuracy = confusion.map((row, i) => row[i] / colSum[i]);
  const f1 = confusion.map((row, i) => {
    const denom = rowSum[i] + colSum[i];
    // 2·tp / (2·tp + fp + fn) is F1 without the 0/0 of precision when nothing is predicted as the class.
    return denom === 0 ? NaN : (2 * row[i]) / denom;
  });
  const present = f1.filter((v) => !Number.isNaN(v));
  const overallAccuracy = diag / n;
  let expected = 0;
  for (let i = 0; i < k; i++) expected += (rowSum[i] * colSum[i]) / (n * n);
  const kappa = expected === 1 ? (overallAccuracy === 1 ? 1 : NaN) : (overallAccuracy - expected) / (1 - expected);
  return {
    confusion: confusion.map((r) => [...r]),
    n,
    overallAccuracy,
    macroF1: mean(present),
    kappa,
    balancedAccuracy: mean(producersAccuracy.filter((_, i) => rowSum[i] > 0)),
    producersAccuracy,
    usersAccuracy,
    f1,
    support: rowSum,
  };
}

function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

/** Metrics of predictions against reference labels. */
export function classificationMetrics(reference: ArrayLike<number>, predicted: ArrayLike<number>, nClasses: number): ClassificationMetrics {
  return metricsFromConfusion(confusionMatrix(reference, predicted, nClasses));
}

/** Indices of the samples used to train and to test in one split. */
export interface Split {
  train: Int32Array;
  test: Int32Array;
}

/** Sample indices per class, each list shuffled by `rng`. */
function shuffledByClass(labels: ArrayLike<number>, rng: Rng): number[][] {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]);
    if (list) list.push(i);
    else byClass.set(labels[i], [i]);
  }
  // Classes in label order, not first-seen order, so the split depends on the data only through the labels.
  return [...byClass.keys()].sort((a, b) => a - b).map((c) => rng.shuffle(byClass.get(c)!));
}

function toSplit(isTest: Uint8Array): Split {
  const test: number[] = [];
  const train: number[] = [];
  for (let i = 0; i < isTest.length; i++) (isTest[i] ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

/**
 * Stratified k-fold: each class is dealt round-robin over the folds after a seeded shuffle, continuing the deal
 * from class to class, so every fold holds each class's proportion to within one sample and fold sizes differ by
 * at most one. Returns k splits whose test sets partition the samples; test indices are ascending.
 *
 * @example
 * const folds = stratifiedKFold(dataset.y, 5, 42);
 * folds[0].train; folds[0].test; // Int32Array of sample indices
 */
export function stratifiedKFold(labels: ArrayLike<number>, k: number, seed: number): Split[] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer ≥ 2, got ${k}`);
  if (labels.length < k) throw new RangeError(`${labels.length} samples cannot make ${k} folds`);
  const fold = new Int32Array(labels.length);
  let next = 0;
  for (const members of shuffledByClass(labels, new Rng(seed))) {
    for (const i of members) {
      fold[i] = next;
      next = (next + 1) % k;
    }
  }
  return Array.from({ length: k }, (_, f) => toSplit(Uint8Array.from(fold, (v) => (v === f ? 1 : 0))));
}

/**
 * Stratified hold-out split: `round(testFraction × class size)` samples of each class go to the test set (at least
 * one when a class has two or more samples, so every class is tested).
 */
export function stratifiedHoldout(labels: ArrayLike<number>, testFraction: number, seed: number): Split {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`testFraction must be in (0, 1), got ${testFraction}`);
  const isTest = new Uint8Array(labels.length);
  for (const members of shuffledByClass(labels, new Rng(seed))) {
    let m = Math.round(testFraction * members.length);
    if (m === 0 && members.length >= 2) m = 1;
    if (m === members.length) m = members.length - 1;
    for (let j = 0; j < m; j++) isTest[members[j]] = 1;
  }
  return toSplit(isTest);
}
