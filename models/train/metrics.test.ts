import { describe, expect, it } from 'vitest';
import { classificationMetrics, confusionMatrix, metricsFromConfusion, stratifiedHoldout, stratifiedKFold } from './metrics';

/** Reference/prediction pairs that reproduce a confusion matrix (reference in rows). */
function pairs(m: number[][]): { ref: number[]; pred: number[] } {
  const ref: number[] = [];
  const pred: number[] = [];
  m.forEach((row, r) => row.forEach((count, p) => {
    for (let i = 0; i < count; i++) {
      ref.push(r);
      pred.push(p);
    }
  }));
  return { ref, pred };
}

describe('accuracy metrics', () => {
  // Reference in rows. Row sums 6, 10, 4; column sums 7, 8, 5; 14 of 20 on the diagonal.
  const M = [
    [5, 1, 0],
    [2, 6, 2],
    [0, 1, 3],
  ];

  it('builds the confusion matrix with reference in rows and prediction in columns', () => {
    const { ref, pred } = pairs(M);
    expect(confusionMatrix(ref, pred, 3)).toEqual(M);
    expect(confusionMatrix([0, 0, 1], [1, 1, 1], 2)).toEqual([[0, 2], [0, 1]]);
  });

  it('matches hand-computed values', () => {
    const { ref, pred } = pairs(M);
    const m = classificationMetrics(ref, pred, 3);
    expect(m.n).toBe(20);
    expect(m.overallAccuracy).toBeCloseTo(0.7, 12);
    expect(m.producersAccuracy[0]).toBeCloseTo(5 / 6, 12);
    expect(m.producersAccuracy[1]).toBeCloseTo(0.6, 12);
    expect(m.producersAccuracy[2]).toBeCloseTo(0.75, 12);
    expect(m.usersAccuracy[0]).toBeCloseTo(5 / 7, 12);
    expect(m.usersAccuracy[1]).toBeCloseTo(0.75, 12);
    expect(m.usersAccuracy[2]).toBeCloseTo(0.6, 12);
    expect(m.f1[0]).toBeCloseTo(10 / 13, 12);
    expect(m.f1[1]).toBeCloseTo(2 / 3, 12);
    expect(m.f1[2]).toBeCloseTo(2 / 3, 12);
    expect(m.macroF1).toBeCloseTo((10 / 13 + 4 / 3) / 3, 12);
    // p_e = (6·7 + 10·8 + 4·5) / 20² = 0.355; κ = (0.7 − 0.355) / (1 − 0.355).
    expect(m.kappa).toBeCloseTo(0.345 / 0.645, 12);
    expect(m.balancedAccuracy).toBeCloseTo((5 / 6 + 0.6 + 0.75) / 3, 12);
    expect(m.support).toEqual([6, 10, 4]);
  });

  it('handles a class that is never predicted and one that is absent altogether', () => {
    const m = metricsFromConfusion([
      [3, 0, 0],
      [2, 0, 0],
      [0, 0, 0],
    ]);
    expect(m.usersAccuracy[1]).toBeNaN();
    expect(m.f1[1]).toBe(0);
    expect(m.f1[2]).toBeNaN();
    // Macro F1 over the two classes that occur: (2·3/(3+5) + 0) / 2.
    expect(m.macroF1).toBeCloseTo(0.375, 12);
    expect(m.balancedAccuracy).toBeCloseTo(0.5, 12);
    expect(m.kappa).toBeCloseTo(0, 12);
  });

  it('rejects mismatched lengths and out-of-range classes', () => {
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow(RangeError);
    expect(() => confusionMatrix([0, 2], [0, 1], 2)).toThrow(/outside/);
  });
});

function labelsOf(counts: number[]): Int32Array {
  return Int32Array.from(counts.flatMap((c, k) => new Array<number>(c).fill(k)));
}

describe('stratifiedKFold', () => {
  const counts = [70, 25, 5, 13];
  // Interleave the classes so fold membership cannot follow input order.
  const y = labelsOf(counts).sort((a, b) => ((a * 7919) % 13) - ((b * 7919) % 13));

  it('partitions the samples into k test sets with disjoint train sets', () => {
    const folds = stratifiedKFold(y, 5, 1);
    expect(folds).toHaveLength(5);
    const seen = new Int32Array(y.length);
    for (const { train, test } of folds) {
      expect(train.length + test.length).toBe(y.length);
      const inTest = new Set(test);
      expect([...train].some((i) => inTest.has(i))).toBe(false);
      for (const i of test) seen[i]++;
      expect([...test]).toEqual([...test].sort((a, b) => a - b));
    }
    expect([...seen].every((v) => v === 1)).toBe(true);
  });

  it('keeps every class proportion within one sample per fold, and fold sizes within one', () => {
    const k = 5;
    const folds = stratifiedKFold(y, k, 7);
    counts.forEach((c, cls) => {
      for (const { test } of folds) {
        const inFold = [...test].filter((i) => y[i] === cls).length;
        expect(Math.abs(inFold - c / k)).toBeLessThan(1);
      }
    });
    const sizes = folds.map((f) => f.test.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('is deterministic in the seed and changes with it', () => {
    const a = stratifiedKFold(y, 4, 3);
    expect(stratifiedKFold(y, 4, 3)).toEqual(a);
    expect(stratifiedKFold(y, 4, 4)).not.toEqual(a);
  });

  it('rejects k < 2 and more folds than samples', () => {
    expect(() => stratifiedKFold(y, 1, 0)).toThrow(RangeError);
    expect(() => stratifiedKFold([0, 1], 3, 0)).toThrow(RangeError);
  });
});

describe('stratifiedHoldout', () => {
  it('holds out the fraction of every class, at least one sample of each', () => {
    const y = labelsOf([100, 40, 3]);
    const { train, test } = stratifiedHoldout(y, 0.2, 9);
    expect(train.length + test.length).toBe(y.length);
    const perClass = [0, 1, 2].map((c) => [...test].filter((i) => y[i] === c).length);
    expect(perClass).toEqual([20, 8, 1]);
    expect(stratifiedHoldout(y, 0.2, 9)).toEqual({ train, test });
    expect(stratifiedHoldout(y, 0.2, 10).test).not.toEqual(test);
  });

  it('rejects fractions outside (0, 1)', () => {
    expect(() => stratifiedHoldout([0, 1], 0, 0)).toThrow(RangeError);
    expect(() => stratifiedHoldout([0, 1], 1, 0)).toThrow(RangeError);
  });
});
