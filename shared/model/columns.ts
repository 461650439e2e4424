/**
 * Matching offered feature columns to a model's inputs by name. Position alone is never trusted: a feature stack
 * built in a different order, or with one feature renamed, must fail loudly rather than classify garbage.
 */
import { GeoCropError } from '../contract/errors';

/**
 * For each model input column `j`, the index of the offered column that feeds it.
 *
 * @param modelNames the model's features, in its input order (`manifest.features`).
 * @param offered the names of the columns being offered, in their order.
 * @throws GeoCropError `MODEL_FEATURE_MISMATCH` naming every missing, extra or duplicated feature.
 * @example
 * columnPlan(['ndvi_peak', 'evi_peak'], ['evi_peak', 'ndvi_peak']); // Int32Array [1, 0]
 */
export function columnPlan(modelNames: readonly string[], offered: readonly string[]): Int32Array {
  const position = new Map<string, number>();
  const duplicated = new Set<string>();
  offered.forEach((name, i) => (position.has(name) ? duplicated.add(name) : position.set(name, i)));
  const wanted = new Set(modelNames);
  const missing = modelNames.filter((n) => !position.has(n));
  const extra = [...position.keys()].filter((n) => !wanted.has(n));
  if (missing.length || extra.length || duplicated.size) {
    const list = (names: Iterable<string>): string => [...names].map((n) => `"${n}"`).join(', ');
    const parts: string[] = [];
    if (missing.length) parts.push(`missing feature${missing.length > 1 ? 's' : ''} ${list(missing)} (the model needs ${missing.length > 1 ? 'them' : 'it'}: add the column${missing.length > 1 ? 's' : ''})`);
    if (extra.length) parts.push(`extra feature${extra.length > 1 ? 's' : ''} ${list(extra)} (the model does not use ${extra.length > 1 ? 'them' : 'it'}: drop the column${extra.length > 1 ? 's' : ''} or use a model trained on ${extra.length > 1 ? 'them' : 'it'})`);
    if (duplicated.size) parts.push(`duplicated feature${duplicated.size > 1 ? 's' : ''} ${list(duplicated)} (each column needs its own name)`);
    throw new GeoCropError('MODEL_FEATURE_MISMATCH', `Features do not match the model: ${parts.join('; ')}.`, {
      missing,
      extra,
      duplicated: [...duplicated],
    });
  }
  return Int32Array.from(modelNames, (n) => position.get(n) as number);
}

/** True when `plan` maps every column to itself (the offered order is the model's order). */
export function isIdentityPlan(plan: Int32Array): boolean {
  return plan.every((v, i) => v === i);
}
