import { describe, expect, it } from 'vitest';
import { isGeoCropError } from '../contract/errors';
import { findBundle, parseModelIndex } from './bundle-index';

describe('parseModelIndex / findBundle', () => {
  const index = parseModelIndex({ bundles: [{ id: 'croptype-demo', version: '1.0.0', task: 'crop-type' }, { id: 'cropmask-demo', version: '0.1.0', task: 'crop-mask' }] });

  it('finds a listed bundle and answers MODEL_NOT_FOUND (404) listing the others', () => {
    expect(findBundle(index, 'cropmask-demo').task).toBe('crop-mask');
    let err: unknown;
    try {
      findBundle(index, 'croptype-v2');
    } catch (e) {
      err = e;
    }
    expect(isGeoCropError(err, 'MODEL_NOT_FOUND')).toBe(true);
    expect((err as { status: number }).status).toBe(404);
    expect((err as Error).message).toBe('No model bundle "croptype-v2" (available: "croptype-demo", "cropmask-demo").');
  });

  it('accepts an empty list and rejects duplicates, unknown fields and bad tasks', () => {
    expect(parseModelIndex({ bundles: [] }).bundles).toEqual([]);
    const bad: [unknown, RegExp][] = [
      [{ bundles: [{ id: 'a', version: '1.0.0', task: 'crop-type' }, { id: 'a', version: '1.0.1', task: 'crop-type' }] }, /lists bundle "a" twice/],
      [{ bundles: [], default: 'a' }, /default/],
      [{ bundles: [{ id: 'a', version: '1.0.0', task: 'landcover' }] }, /bundles\.0\.task/],
      [{}, /bundles/],
    ];
    for (const [json, message] of bad) expect(() => parseModelIndex(json)).toThrow(message);
  });
});
