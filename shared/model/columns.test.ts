import { describe, expect, it } from 'vitest';
import { isGeoCropError } from '../contract/errors';
import { columnPlan, isIdentityPlan } from './columns';

describe('columnPlan', () => {
  it('maps each model column to the offered column of the same name', () => {
    expect(Array.from(columnPlan(['a', 'b', 'c'], ['c', 'a', 'b']))).toEqual([1, 2, 0]);
    expect(isIdentityPlan(columnPlan(['a', 'b', 'c'], ['a', 'b', 'c']))).toBe(true);
    expect(isIdentityPlan(columnPlan(['a', 'b'], ['b', 'a']))).toBe(false);
  });

  it('lists every missing, extra and duplicated name in one MODEL_FEATURE_MISMATCH', () => {
    let err: unknown;
    try {
      columnPlan(['ndvi_peak', 'evi_peak', 'bsi_dry', 'ndmi_dry'], ['evi_peak', 'ndvi_peak', 'evi_peak', 'ndvi_std']);
    } catch (e) {
      err = e;
    }
    expect(isGeoCropError(err, 'MODEL_FEATURE_MISMATCH')).toBe(true);
    expect((err as Error).message).toBe(
      'Features do not match the model: missing features "bsi_dry", "ndmi_dry" (the model needs them: add the columns); '
        + 'extra feature "ndvi_std" (the model does not use it: drop the column or use a model trained on it); '
        + 'duplicated feature "evi_peak" (each column needs its own name).',
    );
  });
});
