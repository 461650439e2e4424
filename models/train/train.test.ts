import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictProba } from './classifier';
import { parseTrainArgs, UsageError } from './cli';
import { modelFromJson } from './serialize';
import { gaussianBlobs } from './synthetic';
import { train } from './train';

describe('train (the npm run train pipeline)', () => {
  let dir: string;
  let csv: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'geocrop-train-'));
    const d = gaussianBlobs(240, 3, 2, 17, 4);
    const names = ['water', 'maize'];
    const lines = ['label,red,nir,swir'];
    for (let i = 0; i < d.x.rows; i++) lines.push([names[d.y[i]], ...d.x.data.subarray(i * 3, i * 3 + 3)].join(','));
    csv = join(dir, 'samples.csv');
    await writeFile(csv, lines.join('\n') + '\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('cross-validates, scores the hold-out once and writes a model that predicts like the one in memory', async () => {
    const out = join(dir, 'bundle');
    const lines: string[] = [];
    const r = await train({
      data: csv,
      label: 'label',
      out,
      features: ['nir', 'red'],
      algorithms: ['forest', 'mlp'],
      settings: { forest: { nTrees: 10 }, mlp: { maxEpochs: 50, batchSize: 32 } },
      folds: 3,
      holdout: 0.25,
      seed: 1,
      log: (l) => lines.push(l),
    });
    expect(r.dataset.classes).toEqual(['maize', 'water']);
    expect(r.dataset.featureNames).toEqual(['nir', 'red']);
    expect(r.shipped).toBe('ensemble');
    expect(r.crossValidation!.rows).toBe(180);
    expect(r.crossValidation!.results.map((e) => e.name)).toEqual(['forest', 'mlp', 'ensemble']);
    expect(r.holdout!.testRows).toBe(60);
    for (const e of r.holdout!.results) expect(e.metrics.overallAccuracy).toBeGreaterThan(0.9);
    expect(lines.some((l) => l.startsWith('cross-validation (3 folds, pooled)'))).toBe(true);

    const saved = JSON.parse(await readFile(join(out, 'model.json'), 'utf8'));
    expect(saved.classes).toEqual(['maize', 'water']);
    const model = modelFromJson(saved.model);
    const x = { data: Float32Array.of(0.1, 0.2, 3, -1), rows: 2, cols: 2 };
    expect(predictProba(model, x)).toEqual(predictProba(r.model, x));
    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.holdout.results[2].metrics.confusion).toEqual(r.holdout!.results[2].metrics.confusion);
    expect(metrics.model).toBeUndefined();
    const card = await readFile(join(out, 'card.md'), 'utf8');
    expect(card).toContain('Shipped model: **ensemble** (forest + mlp, probabilities averaged)');
    expect(card).toContain('## Hold-out test (60 rows');
  });

  it('trains a single learner without cross-validation or hold-out', async () => {
    const r = await train({ data: csv, label: 'label', algorithms: ['boosted'], settings: { boosted: { nRounds: 5 } }, folds: 0, holdout: 0 });
    expect(r.shipped).toBe('boosted');
    expect(r.model.kind).toBe('boosted');
    expect(r.crossValidation).toBeUndefined();
    expect(r.holdout).toBeUndefined();
  });

  it('refuses a label with a single class', async () => {
    const one = join(dir, 'one.txt');
    await writeFile(one, '# c a\n1 0.5\n1 0.7\n');
    await expect(train({ data: one, label: 'c', algorithms: ['forest'] })).rejects.toThrow(/single class/);
  });
});

describe('parseTrainArgs', () => {
  it('maps flags onto learner settings', () => {
    const o = parseTrainArgs(['--data', 'f.txt', '--label', 'Class', '--out', 'models/x', '--algo', 'extra-trees,mlp', '--trees', '50', '--hidden', '32,16', '--class-weight', 'balanced', '--holdout', '0', '--features', 'a, b'])!;
    expect(o.algorithms).toEqual(['extra-trees', 'mlp']);
    expect(o.settings!['extra-trees']).toEqual({ nTrees: 50, classWeight: 'balanced' });
    expect(o.settings!.mlp).toEqual({ hidden: [32, 16], classWeight: 'balanced' });
    expect(o.features).toEqual(['a', 'b']);
    expect(o.holdout).toBe(0);
    expect(parseTrainArgs(['--data', 'f', '--label', 'c'])!.algorithms).toEqual(['forest', 'mlp']);
    expect(parseTrainArgs(['--help'])).toBeNull();
  });

  it('explains bad command lines', () => {
    const bad = (args: string[], msg: RegExp) => expect(() => parseTrainArgs(args)).toThrow(msg);
    bad(['--label', 'c'], /--data is required/);
    bad(['--data', 'f', '--label', 'c', '--algo', 'svm'], /unknown --algo "svm"/);
    bad(['--data', 'f', '--label', 'c', '--trees', '1.5'], /--trees must be an integer ≥ 1/);
    bad(['--data', 'f', '--label', 'c', '--holdout', '1'], /--holdout/);
    bad(['--data', 'f', '--label', 'c', '--folds', '1'], /--folds/);
    bad(['--data', 'f', '--label', 'c', '--bogus'], /bogus/);
    expect(() => parseTrainArgs(['--data'])).toThrow(UsageError);
  });
});
