import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGeoCropError } from '../../shared/contract/errors';
import { createClassifier, sha256Hex } from '../../shared/model';
import { checkBundles, readBundleFiles, readModelIndex } from '../bundles';
import { predictProba } from './classifier';
import { FOREST_DEFAULTS, commandLine, parseTrainArgs, UsageError } from './cli';
import { gaussianBlobs } from './synthetic';
import { train } from './train';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

describe('train (the npm run train pipeline)', () => {
  let dir: string;
  let csv: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'geocrop-train-'));
    const d = gaussianBlobs(240, 3, 2, 17, 4);
    const names = ['water', 'maize'];
    // Feature names from the pipeline's catalogue, so the bundle passes the same checks as committed ones.
    const lines = ['label,ndvi_peak,bsi_dry,ndmi_dry'];
    for (let i = 0; i < d.x.rows; i++) lines.push([names[d.y[i]], ...d.x.data.subarray(i * 3, i * 3 + 3)].join(','));
    csv = join(dir, 'samples.csv');
    await writeFile(csv, lines.join('\n') + '\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('cross-validates, scores the hold-out once and writes a bundle that passes checkBundles and predicts like the model', async () => {
    const root = join(dir, 'models');
    const lines: string[] = [];
    const r = await train({
      data: csv,
      label: 'label',
      features: ['bsi_dry', 'ndvi_peak'],
      algorithms: ['forest', 'mlp'],
      settings: { forest: { nTrees: 10 }, mlp: { maxEpochs: 50, batchSize: 32 } },
      folds: 3,
      holdout: 0.25,
      seed: 1,
      bundle: { out: join(root, 'blobs-test'), licence: 'CC0-1.0', classes: 'crop-types', created: '2026-11-23', notes: '# Blobs\n\nTwo Gaussian blobs.', command: 'npm run train -- --data samples.csv' },
      log: (l) => lines.push(l),
    });
    expect(r.dataset.classes).toEqual(['maize', 'water']);
    expect(r.shipped).toBe('ensemble');
    expect(r.crossValidation!.rows).toBe(180);
    expect(r.crossValidation!.results.map((e) => e.name)).toEqual(['forest', 'mlp', 'ensemble']);
    expect(r.holdout!.testRows).toBe(60);
    for (const e of r.holdout!.results) expect(e.metrics.overallAccuracy).toBeGreaterThan(0.9);
    expect(lines.some((l) => l.startsWith('cross-validation (3 folds, pooled)'))).toBe(true);

    const [manifest] = await checkBundles(root, { ort });
    expect(await readModelIndex(root)).toEqual({ bundles: [{ id: 'blobs-test', version: '1.0.0', task: 'crop-type' }] });
    expect(manifest.features).toEqual(['bsi_dry', 'ndvi_peak']);
    expect(manifest.featureOrder.version).toBe('blobs-test-1');
    expect(manifest.classes.map((c) => [c.code, c.name, c.colour])).toEqual([[0, 'maize', '#f2c12e'], [9, 'water', '#2b7bd6']]);
    expect(manifest.output.labels).toEqual([0, 9]);
    expect(manifest.training.dataSha256).toBe(await sha256Hex(await readFile(csv)));
    expect(manifest.training.samples).toBe(180);
    const shipped = r.holdout!.results[2].metrics;
    expect(manifest.metrics['holdout.overallAccuracy']).toBe(shipped.overallAccuracy);
    expect(manifest.metrics['holdout.confusion.water']).toEqual({ maize: shipped.confusion[1][0], water: shipped.confusion[1][1] });
    expect(manifest.metrics['cv.macroF1']).toBe(r.crossValidation!.results[2].metrics.macroF1);
    expect(r.written!.exportError).toBeLessThan(1e-5);

    const files = await readBundleFiles(root, 'blobs-test');
    expect(files.card).toMatch(/^# Blobs\n\nTwo Gaussian blobs\./);
    expect(files.card).toContain('npm run train -- --data samples.csv');
    expect(files.card).toContain('| water | ' + shipped.confusion[1].join(' | ') + ' |');
    // The bundle in the app's inference code: same classes as the model in memory, by code.
    const classifier = await createClassifier({ ort, modelBytes: files.model, manifest });
    const x = { data: Float32Array.of(0.1, 0.2, 3, -1, -2, 4), rows: 3, cols: 2 };
    const { classes } = await classifier.classify(x.data, ['bsi_dry', 'ndvi_peak']);
    await classifier.release();
    const p = predictProba(r.model, x);
    expect(Array.from(classes)).toEqual([0, 1, 2].map((i) => (p[2 * i] >= p[2 * i + 1] ? 0 : 9)));
  });

  it('refuses a bundle over the size budget, or in a folder that is not its id, and writes nothing', async () => {
    const root = join(dir, 'refused');
    const options = { data: csv, label: 'label', algorithms: ['forest'] as const, settings: { forest: { nTrees: 3 } }, folds: 0 };
    const tooBig = await train({ ...options, bundle: { out: join(root, 'big'), licence: 'CC0-1.0', maxModelBytes: 200 } }).catch((e: unknown) => e);
    expect(isGeoCropError(tooBig, 'MODEL_INVALID')).toBe(true);
    expect((tooBig as Error).message).toMatch(/over the 0\.0 MB bundle budget: grow smaller trees \(--max-depth, --min-leaf\)/);
    const misnamed = await train({ ...options, bundle: { out: join(root, 'folder'), id: 'other', licence: 'CC0-1.0' } }).catch((e: unknown) => e);
    expect((misnamed as Error).message).toMatch(/Bundle id "other" differs from its folder "folder"/);
    expect(await stat(root).then(() => true, () => false)).toBe(false);
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
  it('maps flags onto learner settings and the bundle', () => {
    const argv = ['--data', 'f.txt', '--label', 'Class', '--out', 'models/x', '--licence', 'CC-BY-4.0', '--classes', 'crop-mask', '--algo', 'extra-trees,mlp', '--trees', '50', '--hidden', '32,16', '--class-weight', 'balanced', '--holdout', '0', '--features', 'a, b'];
    const o = parseTrainArgs(argv)!;
    expect(o.algorithms).toEqual(['extra-trees', 'mlp']);
    expect(o.settings!['extra-trees']).toEqual({ nTrees: 50, maxDepth: FOREST_DEFAULTS.maxDepth, minSamplesLeaf: FOREST_DEFAULTS.minSamplesLeaf, classWeight: 'balanced' });
    // Boosting keeps its own depth and leaf defaults unless the flags are given.
    expect(o.settings!.boosted).toEqual({ classWeight: 'balanced' });
    expect(parseTrainArgs(['--data', 'f', '--label', 'c', '--max-depth', '4'])!.settings!.boosted).toEqual({ maxDepth: 4 });
    expect(o.bundle).toEqual({ out: 'models/x', licence: 'CC-BY-4.0', classes: 'crop-mask', command: commandLine(argv) });
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
    bad(['--data', 'f', '--label', 'c', '--out', 'models/x'], /--licence is required with --out/);
    bad(['--data', 'f', '--label', 'c', '--licence', 'MIT'], /--licence describe a bundle: give --out/);
    bad(['--data', 'f', '--label', 'c', '--out', 'models/x', '--licence', 'MIT', '--classes', 'crops'], /--classes must be one of crop-types, crop-mask, labels/);
    bad(['--data', 'f', '--label', 'c', '--out', 'models/x', '--licence', 'MIT', '--task', 'yield'], /--task must be one of crop-type, crop-mask/);
    expect(() => parseTrainArgs(['--data'])).toThrow(UsageError);
  });

  it('writes a reproduction command a shell runs unchanged', () => {
    const argv = ['--data', 'a b.txt', '--description', "farmers' fields $HOME", '--label', 'class'];
    const line = commandLine(argv);
    expect(line.startsWith('npm run train -- --data ')).toBe(true);
    // The shell splits the quoted line back into exactly the original arguments.
    const echoed = execFileSync('sh', ['-c', `printf '%s\\n' ${line.slice('npm run train -- '.length)}`], { encoding: 'utf8' });
    expect(echoed.split('\n').slice(0, -1)).toEqual(argv);
  });
});
