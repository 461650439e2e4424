import { describe, expect, it } from 'vitest';
import { metricsFromConfusion } from './metrics';
import { manifestMetrics, namedMetrics } from './named-metrics';

describe('named metrics', () => {
  // Reference in rows: 8 crop (6 right), 4 non-crop (3 right); nothing is predicted as "water".
  const m = metricsFromConfusion([
    [3, 1, 0],
    [2, 6, 0],
    [0, 0, 0],
  ]);
  const names = ['non-crop', 'crop', 'water'];

  it('keys per-class values by class name and writes undefined ratios as null', () => {
    const n = namedMetrics(m, names);
    expect(n.overallAccuracy).toBeCloseTo(9 / 12, 12);
    expect(n.producersAccuracy).toEqual({ 'non-crop': 0.75, crop: 0.75, water: null });
    expect(n.usersAccuracy.crop).toBeCloseTo(6 / 7, 12);
    expect(n.usersAccuracy.water).toBeNull();
    expect(n.confusion.crop).toEqual({ 'non-crop': 2, crop: 6, water: 0 });
    expect(n.support).toEqual({ 'non-crop': 4, crop: 8, water: 0 });
    expect(JSON.parse(JSON.stringify(n))).toEqual(n);
    expect(() => namedMetrics(m, names.slice(1))).toThrow(/2 class names for a 3-class/);
  });

  it('manifest form: prefixed keys, one confusion map per reference class, finite numbers only', () => {
    const out = manifestMetrics('holdout', m, names);
    expect(out['holdout.overallAccuracy']).toBeCloseTo(0.75, 12);
    expect(out['holdout.confusion.non-crop']).toEqual({ 'non-crop': 3, crop: 1, water: 0 });
    expect(out['holdout.producersAccuracy']).toEqual({ 'non-crop': 0.75, crop: 0.75 });
    const values = Object.values(out).flatMap((v) => (typeof v === 'number' ? [v] : Object.values(v)));
    expect(values.every(Number.isFinite)).toBe(true);
  });
});
