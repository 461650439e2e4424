import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGeoCropError } from '../contract/errors';
import { createClassifier, type Classifier, type ClassifierOptions } from './classifier';
import { parseModelManifest, type ModelManifest } from './manifest';
import { averageClassifiers, encodeClassifier, withScaler } from './onnx';
import { buildMlp, mlpGraph, type MlpSpec } from './onnx/mlp';
import { buildTreeEnsembleClassifier, treeEnsembleGraph, type TreeEnsembleSpec, type TreePostTransform } from './onnx/tree-ensemble';
import { argmaxRows, manifestJsonFor, mlpReference, prng, randomMlp, randomRows, randomTrees, standardise, treeEnsembleReference } from './testing';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

const NAMES = ['ndvi_peak', 'evi_peak', 'ndvi_jan', 'ndmi_mean', 'bsi_dry', 'season_length'];
const F = NAMES.length;

interface Setup {
  classifier: Classifier;
  manifest: ModelManifest;
}

async function setup(bytes: Uint8Array, labels: number[] | string[], extra: { format?: 'tensor' | 'zipmap'; classes?: Record<string, unknown>[]; overrides?: Record<string, unknown>; options?: Partial<ClassifierOptions> } = {}): Promise<Setup> {
  const manifest = parseModelManifest(await manifestJsonFor({ bytes, features: NAMES, labels, format: extra.format, classes: extra.classes, overrides: extra.overrides }));
  const classifier = await createClassifier({ ort, modelBytes: bytes, manifest, ...extra.options });
  return { classifier, manifest };
}

/** Expected class codes and confidences from reference probabilities (columns in `labels` order). */
function expectMatches(result: { classes: Uint8Array; confidence: Float32Array }, ref: Float64Array, manifest: ModelManifest, tol = 1e-5): void {
  const labels: (number | string)[] = manifest.output.labels;
  const codeOfLabel = new Map(manifest.classes.map((c) => [c.label ?? (typeof labels[0] === 'number' ? c.code : c.name), c.code]));
  const { index, margin } = argmaxRows(ref, labels.length);
  let compared = 0;
  for (let r = 0; r < index.length; r++) {
    expect(Math.abs(result.confidence[r] - ref[r * labels.length + index[r]])).toBeLessThan(tol);
    // float32 inference vs float64 reference may swap near-ties; compare the class where the winner is clear.
    if (margin[r] > 1e-4) {
      expect(result.classes[r]).toBe(codeOfLabel.get(labels[index[r]]));
      compared++;
    }
  }
  expect(compared).toBeGreaterThan(index.length * 0.95);
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

function treeSpec(seed: number, labels: number[] | string[], post: TreePostTransform): TreeEnsembleSpec {
  const rng = prng(seed);
  return {
    nFeatures: F,
    classLabels: labels,
    trees: randomTrees(rng, { nFeatures: F, nClasses: labels.length, nTrees: 20, depth: 4, leaves: post === 'NONE' ? 'probability' : 'margin', modes: ['BRANCH_LEQ', 'BRANCH_LT'] }),
    postTransform: post,
    aggregate: post === 'NONE' ? 'AVERAGE' : 'SUM',
  };
}

describe('createClassifier + classify: tree ensembles', () => {
  const combos: ['tensor' | 'zipmap', 'int64' | 'string', TreePostTransform][] = [
    ['tensor', 'int64', 'NONE'],
    ['tensor', 'string', 'SOFTMAX'],
    ['zipmap', 'int64', 'SOFTMAX'],
    ['zipmap', 'string', 'NONE'],
  ];
  it.each(combos)('%s output, %s labels, %s post-transform: classes and confidence match tree traversal', async (format, labelKind, post) => {
    const labels = labelKind === 'int64' ? [30, 10, 20, 40] : ['maize', 'soybean', 'woodland', 'bare'];
    const spec = treeSpec(40, labels, post);
    const bytes = buildTreeEnsembleClassifier({ ...spec, zipMap: format === 'zipmap' });
    // Classes listed in another order than the graph's columns, with codes unrelated to column positions.
    const classes = labelKind === 'int64'
      ? [{ code: 4, name: 'd', label: 40 }, { code: 1, name: 'a', label: 10 }, { code: 3, name: 'c', label: 30 }, { code: 2, name: 'b', label: 20 }]
      : [{ code: 0, name: 'maize' }, { code: 8, name: 'bare' }, { code: 2, name: 'soybean' }, { code: 6, name: 'woodland' }];
    const { classifier, manifest } = await setup(bytes, labels, { format, classes, options: { probabilities: true } });
    const rows = randomRows(prng(41), 1000, F);
    const result = await classifier.classify(rows, NAMES);
    const ref = treeEnsembleReference(spec, rows);
    expectMatches(result, ref, manifest);
    // Probabilities come back in manifest class order.
    const column = manifest.classes.map((c) => (labels as (number | string)[]).indexOf(c.label ?? c.name));
    for (let r = 0; r < 50; r++) {
      manifest.classes.forEach((_, k) => expect(result.probabilities?.[r * 4 + k]).toBeCloseTo(ref[r * 4 + column[k]], 5));
    }
    await classifier.release();
  });

  it('runs a two-class crop-mask model', async () => {
    const spec = treeSpec(42, [0, 1], 'NONE');
    const { classifier, manifest } = await setup(buildTreeEnsembleClassifier(spec), [0, 1], {
      classes: [{ code: 0, name: 'non-crop' }, { code: 1, name: 'crop' }],
      overrides: { task: 'crop-mask' },
    });
    const rows = randomRows(prng(43), 500, F);
    const result = await classifier.classify(rows, NAMES);
    expectMatches(result, treeEnsembleReference(spec, rows), manifest);
    expect(new Set(result.classes)).toEqual(new Set([0, 1]));
    await classifier.release();
  });
});

describe('createClassifier + classify: MLPs, scalers and averaged ensembles', () => {
  const rng = prng(50);
  const mlp: MlpSpec = { nFeatures: F, layers: randomMlp(rng, [F, 16, 16, 3]) };
  const mean = [0.6, 0.4, 0.5, 0.1, 0.2, 120];
  const std = [0.1, 0.1, 0.2, 0.05, 0.1, 30];
  const raw = randomRows(rng, 700, F).map((u, i) => mean[i % F] + (u - 0.5) * 4 * std[i % F]);
  const scalerJson = (inGraph: boolean) => ({ scaler: { mean, std, inGraph } });

  it('MLP: classes and confidence match matrix maths', async () => {
    const { classifier, manifest } = await setup(buildMlp(mlp), [0, 1, 2]);
    const rows = randomRows(prng(51), 700, F);
    expectMatches(await classifier.classify(rows, NAMES), mlpReference(mlp, rows), manifest);
    await classifier.release();
  });

  it('applies the manifest scaler when the graph lacks it, and not again when it is in the graph', async () => {
    const ref = mlpReference(mlp, standardise(raw, mean, std));
    const outside = await setup(buildMlp(mlp), [0, 1, 2], { overrides: scalerJson(false) });
    const inside = await setup(buildMlp({ ...mlp, scaler: { mean, std } }), [0, 1, 2], { overrides: scalerJson(true) });
    const a = await outside.classifier.classify(raw, NAMES);
    const b = await inside.classifier.classify(raw, NAMES);
    expectMatches(a, ref, outside.manifest);
    expectMatches(b, ref, inside.manifest);
    for (let r = 0; r < raw.length / F; r++) expect(Math.abs(a.confidence[r] - b.confidence[r])).toBeLessThan(1e-6);
    await outside.classifier.release();
    await inside.classifier.release();
  });

  it('averaged trees + scaled MLP in one graph: mean of both references', async () => {
    const trees = treeSpec(52, [0, 1, 2], 'NONE');
    const bytes = encodeClassifier(averageClassifiers([treeEnsembleGraph(trees), withScaler(mlpGraph(mlp), { mean, std })]));
    const { classifier, manifest } = await setup(bytes, [0, 1, 2]);
    const t = treeEnsembleReference(trees, raw);
    const m = mlpReference(mlp, standardise(raw, mean, std));
    expectMatches(await classifier.classify(raw, NAMES), t.map((v, i) => (v + m[i]) / 2), manifest);
    await classifier.release();
  });

  it('a valid row whose probabilities are NaN (NaN features through an MLP) comes out as nodata', async () => {
    const { classifier } = await setup(buildMlp(mlp), [0, 1, 2]);
    const rows = randomRows(prng(53), 3, F);
    rows[F + 2] = NaN;
    const result = await classifier.classify(rows, NAMES);
    expect(Array.from(result.classes)[1]).toBe(255);
    expect(result.confidence[1]).toBe(0);
    expect(result.classes[0]).not.toBe(255);
    await classifier.release();
  });
});

describe('classify: features by name, nodata, batches', () => {
  const spec = treeSpec(60, [0, 1, 2, 3, 4], 'NONE');
  const bytes = buildTreeEnsembleClassifier(spec);
  const labels = [0, 1, 2, 3, 4];
  const rows = randomRows(prng(61), 257, F);
  const n = rows.length / F;

  it('shuffled input columns give identical output', async () => {
    const { classifier } = await setup(bytes, labels);
    const order = [3, 0, 5, 1, 4, 2];
    const shuffled = new Float32Array(rows.length);
    for (let r = 0; r < n; r++) order.forEach((src, j) => (shuffled[r * F + j] = rows[r * F + src]));
    const a = await classifier.classify(rows, NAMES);
    const b = await classifier.classify(shuffled, order.map((i) => NAMES[i]));
    expect(b.classes).toEqual(a.classes);
    expect(b.confidence).toEqual(a.confidence);
    // …and a wrong name order with the same data would not: the check above is not vacuous.
    const c = await classifier.classify(shuffled, NAMES);
    expect(c.classes).not.toEqual(a.classes);
    await classifier.release();
  });

  it('missing, extra and duplicated features are errors that name them', async () => {
    const { classifier } = await setup(bytes, labels);
    const missing = await rejection(classifier.classify(new Float32Array(5 * (F - 1)), NAMES.filter((f) => f !== 'ndmi_mean')));
    expect(isGeoCropError(missing, 'MODEL_FEATURE_MISMATCH')).toBe(true);
    expect(missing.message).toMatch(/missing feature "ndmi_mean"/);
    const extra = await rejection(classifier.classify(new Float32Array(5 * (F + 1)), [...NAMES, 'ndvi_p90']));
    expect(extra.message).toMatch(/extra feature "ndvi_p90"/);
    expect((extra as { details?: unknown }).details).toEqual({ missing: [], extra: ['ndvi_p90'], duplicated: [] });
    const renamed = await rejection(classifier.classify(new Float32Array(5 * F), NAMES.map((f) => (f === 'bsi_dry' ? 'bsi_wet' : f))));
    expect(renamed.message).toMatch(/missing feature "bsi_dry".*extra feature "bsi_wet"/);
    const dup = await rejection(classifier.classify(new Float32Array(5 * (F + 1)), [...NAMES, 'evi_peak']));
    expect(dup.message).toMatch(/duplicated feature "evi_peak"/);
    await classifier.release();
  });

  it('rejects features that are not whole rows, and a mask of the wrong length', async () => {
    const { classifier } = await setup(bytes, labels);
    expect((await rejection(classifier.classify(new Float32Array(F * 3 + 1), NAMES))).message).toMatch(/not a whole number of rows/);
    expect((await rejection(classifier.classify(new Float32Array(F * 3), NAMES, new Uint8Array(2)))).message).toMatch(/valid has 2 entries but there are 3 rows/);
    await classifier.release();
  });

  it('nodata rows: class 255 and confidence 0, other rows unchanged', async () => {
    const { classifier } = await setup(bytes, labels, { options: { probabilities: true } });
    const valid = Uint8Array.from({ length: n }, (_, r) => (r % 3 === 1 || r < 4 ? 0 : 1));
    const all = await classifier.classify(rows, NAMES);
    const masked = await classifier.classify(rows, NAMES, valid);
    for (let r = 0; r < n; r++) {
      if (valid[r]) {
        expect(masked.classes[r]).toBe(all.classes[r]);
        expect(masked.confidence[r]).toBe(all.confidence[r]);
      } else {
        expect(masked.classes[r]).toBe(255);
        expect(masked.confidence[r]).toBe(0);
        expect(Array.from(masked.probabilities!.subarray(r * 5, r * 5 + 5))).toEqual([0, 0, 0, 0, 0]);
      }
    }
    const none = await classifier.classify(rows, NAMES, new Uint8Array(n));
    expect(none.classes.every((c) => c === 255)).toBe(true);
    await classifier.release();
  });

  it('batches smaller than the row count give identical results (direct and gathered paths)', async () => {
    const whole = await setup(bytes, labels);
    const small = await setup(bytes, labels, { options: { batchSize: 10 } });
    const valid = Uint8Array.from({ length: n }, (_, r) => (r % 7 === 0 ? 0 : 1));
    const reversed = [...NAMES].reverse();
    const rev = new Float32Array(rows.length);
    for (let r = 0; r < n; r++) for (let j = 0; j < F; j++) rev[r * F + j] = rows[r * F + (F - 1 - j)];
    for (const [data, names, mask] of [[rows, NAMES, undefined], [rows, NAMES, valid], [rev, reversed, valid]] as const) {
      const a = await whole.classifier.classify(data, names, mask);
      const b = await small.classifier.classify(data, names, mask);
      expect(b.classes).toEqual(a.classes);
      expect(b.confidence).toEqual(a.confidence);
    }
    await whole.classifier.release();
    await small.classifier.release();
  });

  it('concurrent classify calls run one after another and each gets its own result', async () => {
    const { classifier } = await setup(bytes, labels, { options: { batchSize: 16 } });
    const [a, b] = await Promise.all([classifier.classify(rows, NAMES), classifier.classify(rows.subarray(0, 10 * F), NAMES)]);
    expect(a.classes.length).toBe(n);
    expect(b.classes).toEqual(a.classes.subarray(0, 10));
    await classifier.release();
    expect((await rejection(classifier.classify(rows, NAMES))).message).toMatch(/was released/);
  });

  it('an aborted signal rejects with AbortError', async () => {
    const { classifier, manifest } = await setup(bytes, labels);
    const ctrl = new AbortController();
    ctrl.abort();
    expect((await rejection(classifier.classify(rows, NAMES, undefined, ctrl.signal))).name).toBe('AbortError');
    expect((await rejection(createClassifier({ ort, modelBytes: bytes, manifest }, ctrl.signal))).name).toBe('AbortError');
    await classifier.release();
  });
});

describe('createClassifier: the model must be the one the manifest describes', () => {
  const spec = treeSpec(70, [0, 1, 2], 'NONE');
  const bytes = buildTreeEnsembleClassifier(spec);

  it('SHA-256 mismatch → MODEL_INVALID', async () => {
    const manifest = parseModelManifest(await manifestJsonFor({ bytes, features: NAMES, labels: [0, 1, 2] }));
    const tampered = bytes.slice();
    tampered[tampered.length - 20] ^= 0x01;
    const err = await rejection(createClassifier({ ort, modelBytes: tampered, manifest }));
    expect(isGeoCropError(err, 'MODEL_INVALID')).toBe(true);
    expect(err.message).toMatch(/has SHA-256 [0-9a-f]{64} but the manifest says/);
    const shorter = await rejection(createClassifier({ ort, modelBytes: bytes.subarray(1), manifest }));
    expect(shorter.message).toMatch(/is \d+ bytes but the manifest says \d+/);
  });

  it('labels, output format, or input name that differ from the graph → MODEL_INVALID saying what to change', async () => {
    const manifest = async (overrides: Record<string, unknown>, b = bytes) => parseModelManifest(await manifestJsonFor({ bytes: b, features: NAMES, labels: [0, 1, 2], overrides }));
    const cases: [ModelManifest, Uint8Array, RegExp][] = [
      [await manifest({ output: { probabilities: 'probabilities', format: 'tensor', labels: [1, 0, 2] } }), bytes, /graph's class labels are \[0, 1, 2\] but output\.labels is \[1, 0, 2\]/],
      [await manifest({}, buildTreeEnsembleClassifier({ ...spec, zipMap: true })), buildTreeEnsembleClassifier({ ...spec, zipMap: true }), /is a sequence .* set output\.format to "zipmap"/],
      [await manifest({ input: { name: 'x' } }), bytes, /graph has no input "x" \(inputs: "features"\): fix input\.name/],
      [await manifest({ output: { probabilities: 'probs', format: 'tensor', labels: [0, 1, 2] } }), bytes, /graph has no output "probs" \(outputs: "label", "probabilities"\)/],
    ];
    for (const [m, b, message] of cases) {
      const err = await rejection(createClassifier({ ort, modelBytes: b, manifest: m }));
      expect(isGeoCropError(err, 'MODEL_INVALID')).toBe(true);
      expect(err.message).toMatch(message);
    }
  });

  it('a graph with fewer probability columns than output.labels fails on first run', async () => {
    const mlpBytes = buildMlp({ nFeatures: F, layers: randomMlp(prng(71), [F, 3]) });
    const { classifier } = await setup(mlpBytes, [0, 1, 2, 3]);
    const err = await rejection(classifier.classify(new Float32Array(F * 2), NAMES));
    expect(isGeoCropError(err, 'MODEL_INVALID')).toBe(true);
    expect(err.message).toMatch(/is float32 \[2, 3\], expected float32 \[2, 4\]/);
    await classifier.release();
  });
});
