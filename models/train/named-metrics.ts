/**
 * Accuracy figures keyed by class name, as people read them and as JSON carries them: for `npm run model:eval`
 * output and for a bundle manifest's `metrics` (which only holds numbers and `{name: number}` maps, so the
 * confusion matrix becomes one map per reference class).
 */
import type { ClassificationMetrics } from './metrics';

/** {@link ClassificationMetrics} with per-class values keyed by class name; `null` where a ratio is undefined (0/0). */
export interface NamedMetrics {
  n: number;
  overallAccuracy: number;
  macroF1: number;
  kappa: number | null;
  balancedAccuracy: number;
  /** Recall per reference class. */
  producersAccuracy: Record<string, number | null>;
  /** Precision per predicted class; `null` for a class never predicted. */
  usersAccuracy: Record<string, number | null>;
  f1: Record<string, number | null>;
  support: Record<string, number>;
  /** `confusion[reference][predicted]` = samples. */
  confusion: Record<string, Record<string, number>>;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
const byName = <T>(names: readonly string[], values: readonly number[], f: (v: number) => T): Record<string, T> =>
  Object.fromEntries(names.map((name, k) => [name, f(values[k])]));

/**
 * Metrics keyed by class name (`names[k]` for class index `k`).
 *
 * @example
 * namedMetrics(classificationMetrics(ref, pred, 2), ['non-crop', 'crop']).producersAccuracy.crop; // 0.87
 */
export function namedMetrics(m: ClassificationMetrics, names: readonly string[]): NamedMetrics {
  if (names.length !== m.confusion.length) throw new RangeError(`${names.length} class names for a ${m.confusion.length}-class confusion matrix`);
  return {
    n: m.n,
    overallAccuracy: m.overallAccuracy,
    macroF1: m.macroF1,
    kappa: finite(m.kappa),
    balancedAccuracy: m.balancedAccuracy,
    producersAccuracy: byName(names, m.producersAccuracy, finite),
    usersAccuracy: byName(names, m.usersAccuracy, finite),
    f1: byName(names, m.f1, finite),
    support: byName(names, m.support, (v) => v),
    confusion: Object.fromEntries(names.map((name, k) => [name, byName(names, m.confusion[k], (v) => v)])),
  };
}

/** A manifest `metrics` value: numbers, or maps of class name → number. */
export type ManifestMetrics = Record<string, number | Record<string, number>>;

const numbersOnly = (r: Record<string, number | null>): Record<string, number> =>
  Object.fromEntries(Object.entries(r).filter((e): e is [string, number] => e[1] !== null));

/**
 * One evaluation as manifest metrics under `prefix` (e.g. `cv.overallAccuracy`, `holdout.f1`,
 * `holdout.confusion.maize` = the predictions for reference maize). Undefined ratios are left out (the manifest
 * holds finite numbers only).
 */
export function manifestMetrics(prefix: string, m: ClassificationMetrics, names: readonly string[]): ManifestMetrics {
  const n = namedMetrics(m, names);
  const out: ManifestMetrics = {
    [`${prefix}.n`]: n.n,
    [`${prefix}.overallAccuracy`]: n.overallAccuracy,
    [`${prefix}.macroF1`]: n.macroF1,
    [`${prefix}.balancedAccuracy`]: n.balancedAccuracy,
    [`${prefix}.producersAccuracy`]: numbersOnly(n.producersAccuracy),
    [`${prefix}.usersAccuracy`]: numbersOnly(n.usersAccuracy),
    [`${prefix}.f1`]: numbersOnly(n.f1),
  };
  if (n.kappa !== null) out[`${prefix}.kappa`] = n.kappa;
  for (const [ref, row] of Object.entries(n.confusion)) out[`${prefix}.confusion.${ref}`] = row;
  return out;
}
