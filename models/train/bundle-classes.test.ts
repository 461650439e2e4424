import { describe, expect, it } from 'vitest';
import { CLASSES } from '../../shared/contract/classes';
import { isGeoCropError } from '../../shared/contract/errors';
import { bundleClasses } from './bundle-classes';

function failure(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    expect(isGeoCropError(e, 'MODEL_INVALID')).toBe(true);
    return e as Error;
  }
  throw new Error('expected a GeoCropError');
}

describe('bundleClasses', () => {
  it('crop-types: codes or names (any case) become the contract classes, listed in code order', () => {
    const byCode = bundleClasses(['0', '3', '9'], 'crop-types');
    expect(byCode.labels).toEqual([0, 3, 9]);
    expect(byCode.classes).toEqual([0, 3, 9].map((k) => ({ code: k, name: CLASSES[k].name, colour: CLASSES[k].colour })));
    // Table classes sort as strings ("Maize" < "water" < …); the labels follow that index order, the classes code order.
    const byName = bundleClasses(['Bare / built', 'maize', 'water'], 'crop-types');
    expect(byName.labels).toEqual([8, 0, 9]);
    expect(byName.classes.map((c) => c.code)).toEqual([0, 8, 9]);
    expect(failure(() => bundleClasses(['0', '10'], 'crop-types')).message).toMatch(/label "10" is not a crop-type class/);
    expect(failure(() => bundleClasses(['maize', 'Maize'], 'crop-types')).message).toMatch(/resolve to the same class code/);
  });

  it('crop-mask: 0/1 (as "1.000000" too) or non-crop/crop', () => {
    expect(bundleClasses(['0', '1'], 'crop-mask')).toEqual({
      classes: [{ code: 0, name: 'non-crop', colour: '#bdbdbd' }, { code: 1, name: 'crop', colour: '#e8b21c' }],
      labels: [0, 1],
    });
    expect(bundleClasses(['crop', 'non-crop'], 'crop-mask').labels).toEqual([1, 0]);
    expect(bundleClasses(['0.000000', '1.000000'], 'crop-mask').labels).toEqual([0, 1]);
    expect(failure(() => bundleClasses(['0', '1', '2'], 'crop-mask')).message).toMatch(/2 classes but the label column holds 3/);
    expect(failure(() => bundleClasses(['no', 'yes'], 'crop-mask')).message).toMatch(/label "no" is not a crop-mask class/);
  });

  it('labels: integer labels keep their value as code, other labels are numbered in order', () => {
    expect(bundleClasses(['2', '40'], 'labels')).toEqual({ classes: [{ code: 2, name: '2' }, { code: 40, name: '40' }], labels: [2, 40] });
    expect(bundleClasses(['forest', 'urban'], 'labels')).toEqual({ classes: [{ code: 0, name: 'forest' }, { code: 1, name: 'urban' }], labels: [0, 1] });
    expect(bundleClasses(['1', '300'], 'labels').labels).toEqual([0, 1]);
  });
});
