import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from './did-you-mean';

describe('did-you-mean', () => {
  it('computes edit distances', () => {
    expect(editDistance('radius', 'radius_m')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('yaer', 'year')).toBe(1);
  });

  it('suggests close names, aliases and containing names; nothing for unrelated ones', () => {
    const known = ['lon', 'lat', 'radius_m'];
    expect(suggest('radius', known)).toBe('radius_m');
    expect(suggest('Lat', known)).toBe('lat');
    expect(suggest('longitude', known, { longitude: 'lon' })).toBe('lon');
    expect(suggest('kernel', ['smoothing_kernel', 'model'])).toBe('smoothing_kernel');
    expect(suggest('colour', known)).toBeUndefined();
  });
});
