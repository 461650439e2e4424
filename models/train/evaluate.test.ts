import { describe, expect, it } from 'vitest';
import { averageProba, makeEnsemble, makeLearner, predictClasses, predictProba } from './classifier';
import { crossValidate, fitAndEvaluate } from './evaluate';
import { subsetRows } from './matrix';
import { gaussianBlobs } from './synthetic';

const learners = [makeLearner('forest', { forest: { nTrees: 10 } }), makeLearner('mlp', { mlp: { maxEpochs: 100, hidden: [16], batchSize: 32 } })];

describe('crossValidate', () => {
  const d = gaussianBlobs(300, 6, 3, 21, 3);

  it('pools out-of-fold predictions of every sample, per learner and for the ensemble', () => {
    const progress: string[] = [];
    const results = crossValidate(d.x, d.y, 3, learners, {
      k: 4,
      seed: 1,
      ensembles: { ensemble: ['forest', 'mlp'] },
      onProgress: (p) => progress.push(`${p.fold}/${p.folds} ${p.learner}`),
    });
    expect(results.map((r) => r.name)).toEqual(['forest', 'mlp', 'ensemble']);
    expect(progress).toHaveLength(8);
    expect(progress[0]).toBe('1/4 forest');
    for (const r of results) {
      expect(r.metrics.n).toBe(300);
      expect(r.folds).toHaveLength(4);
      expect(r.folds.reduce((a, f) => a + f.n, 0)).toBe(300);
      expect(r.metrics.overallAccuracy, r.name).toBeGreaterThan(0.9);
      expect(r.proba.length).toBe(900);
    }
    const [forest, mlp, ensemble] = results;
    expect(ensemble.proba).toEqual(averageProba([forest.proba, mlp.proba]));
    expect(ensemble.fitSeconds).toBeCloseTo(forest.fitSeconds + mlp.fitSeconds, 9);
  });

  it('is deterministic in the seed', () => {
    const a = crossValidate(d.x, d.y, 3, learners, { k: 3, seed: 2 });
    const b = crossValidate(d.x, d.y, 3, learners, { k: 3, seed: 2 });
    expect(b.map((r) => r.proba)).toEqual(a.map((r) => r.proba));
  });

  it('rejects ensembles of unknown learners', () => {
    expect(() => crossValidate(d.x, d.y, 3, learners, { ensembles: { e: ['forest', 'boosted'] } })).toThrow(/unknown learner "boosted"/);
  });
});

describe('fitAndEvaluate', () => {
  it('fits on the training split, builds the ensemble model, and scores it as predictProba does', () => {
    const d = gaussianBlobs(400, 5, 2, 4, 3);
    const tr = Int32Array.from({ length: 300 }, (_, i) => i);
    const te = Int32Array.from({ length: 100 }, (_, i) => 300 + i);
    const test = { x: subsetRows(d.x, te), y: d.y.slice(300) };
    const { models, results } = fitAndEvaluate({ x: subsetRows(d.x, tr), y: d.y.slice(0, 300) }, test, 2, learners, { ensembles: { both: ['forest', 'mlp'] } });
    expect(Object.keys(models)).toEqual(['forest', 'mlp', 'both']);
    expect(models.both.kind).toBe('ensemble');
    const both = results.find((r) => r.name === 'both')!;
    expect(both.proba).toEqual(predictProba(models.both, test.x));
    expect(both.metrics.n).toBe(100);
    expect(both.metrics.overallAccuracy).toBeGreaterThan(0.9);
  });
});

describe('ensemble', () => {
  it('averages member probabilities with normalised weights', () => {
    const d = gaussianBlobs(200, 4, 3, 8, 1);
    const f = makeLearner('forest', { forest: { nTrees: 5 } }).fit(d.x, d.y, 3, 0);
    const b = makeLearner('boosted', { boosted: { nRounds: 5 } }).fit(d.x, d.y, 3, 0);
    const e = makeEnsemble([f, b], [3, 1]);
    expect([...e.weights]).toEqual([0.75, 0.25]);
    const pf = predictProba(f, d.x);
    const pb = predictProba(b, d.x);
    const pe = predictProba(e, d.x);
    for (let i = 0; i < pe.length; i++) expect(pe[i]).toBeCloseTo(0.75 * pf[i] + 0.25 * pb[i], 6);
    expect(predictClasses(e, d.x)).toHaveLength(200);
  });

  it('rejects mismatched members and bad weights', () => {
    const a = makeLearner('forest', { forest: { nTrees: 1 } }).fit(gaussianBlobs(20, 3, 2, 1).x, gaussianBlobs(20, 3, 2, 1).y, 2, 0);
    const b = makeLearner('forest', { forest: { nTrees: 1 } }).fit(gaussianBlobs(20, 4, 2, 1).x, gaussianBlobs(20, 4, 2, 1).y, 2, 0);
    expect(() => makeEnsemble([a, b])).toThrow(/disagree/);
    expect(() => makeEnsemble([a], [0])).toThrow(/weights/);
    expect(() => makeEnsemble([])).toThrow(/at least one/);
  });

  it('each learner fits the kind of model its name says', () => {
    const d = gaussianBlobs(60, 3, 2, 2);
    const kinds = (['forest', 'extra-trees', 'boosted', 'mlp'] as const).map((a) => makeLearner(a, { boosted: { nRounds: 2 }, mlp: { maxEpochs: 2 } }).fit(d.x, d.y, 2, 0).kind);
    expect(kinds).toEqual(['forest', 'forest', 'boosted', 'mlp']);
  });
});
