import { describe, expect, it } from 'vitest';
import { GeoCropError, isGeoCropError } from '../contract/errors';
import { featureOrderHash } from '../contract/feature-order';
import { columnClassIndex, defaultPalette, parseModelManifest } from './manifest';

const FEATURES = ['ndvi_peak', 'evi_peak', 'ndvi_jan'];

/** A valid manifest; tests change one thing at a time. */
function valid(): Record<string, unknown> {
  return {
    schemaVersion: 1,
    id: 'croptype-demo',
    version: '1.2.0',
    task: 'crop-type',
    classes: [
      { code: 0, name: 'maize', colour: '#F2C12E' },
      { code: 2, name: 'soybean' },
      { code: 6, name: 'woodland' },
    ],
    features: FEATURES,
    featureOrder: { version: 'custom', hash: featureOrderHash(FEATURES) },
    scaler: { mean: [0.5, 0.3, 0.4], std: [0.1, 0.1, 0.2], inGraph: false },
    input: { name: 'features' },
    output: { probabilities: 'probabilities', format: 'zipmap', label: 'label', labels: [6, 0, 2] },
    training: { description: 'demo world 2022 summer, 3 tiles', dataSha256: 'a'.repeat(64), samples: 12000 },
    metrics: { overallAccuracy: 0.87, f1: { maize: 0.9, soybean: 0.8, woodland: 0.95 } },
    licence: 'CC-BY-4.0',
    created: '2026-11-23',
    onnx: { sha256: 'b'.repeat(64), bytes: 1234 },
  };
}

function problemsOf(json: unknown): { message: string; issues: { path: string; message: string }[] } {
  try {
    parseModelManifest(json);
  } catch (err) {
    expect(isGeoCropError(err, 'MODEL_INVALID')).toBe(true);
    const e = err as GeoCropError;
    expect(e.status).toBe(422);
    return { message: e.message, issues: (e.details as { issues: { path: string; message: string }[] }).issues };
  }
  throw new Error('expected the manifest to be rejected');
}

const edit = (patch: (m: Record<string, unknown>) => void): Record<string, unknown> => {
  const m = structuredClone(valid());
  patch(m);
  return m;
};

describe('parseModelManifest', () => {
  it('accepts a valid manifest and fills missing colours from the default palette', () => {
    const m = parseModelManifest(valid());
    expect(m.classes.map((c) => c.colour)).toEqual(['#f2c12e', defaultPalette(3)[1], defaultPalette(3)[2]]);
    expect(m.output.labels).toEqual([6, 0, 2]);
    expect(m.features).toEqual(FEATURES);
  });

  it('maps probability columns to classes by label: integer labels = codes, string labels = names, or explicit', () => {
    expect(columnClassIndex(parseModelManifest(valid()))).toEqual([2, 0, 1]);
    const strings = edit((m) => ((m.output as Record<string, unknown>).labels = ['soybean', 'woodland', 'maize']));
    expect(columnClassIndex(parseModelManifest(strings))).toEqual([1, 2, 0]);
    const explicit = edit((m) => {
      m.classes = [{ code: 0, name: 'maize', label: 'MZ' }, { code: 2, name: 'soybean', label: 'SB' }, { code: 6, name: 'woodland', label: 'WD' }];
      (m.output as Record<string, unknown>).labels = ['WD', 'MZ', 'SB'];
    });
    expect(columnClassIndex(parseModelManifest(explicit))).toEqual([2, 0, 1]);
  });

  it('names the path and says what to add for a missing field', () => {
    const { issues, message } = problemsOf(edit((m) => delete (m.training as Record<string, unknown>).dataSha256));
    expect(issues).toEqual([{ path: 'training.dataSha256', message: 'missing: add the SHA-256 of the training data, 64 lower-case hex digits' }]);
    expect(message).toBe('Invalid model manifest "croptype-demo": training.dataSha256: missing: add the SHA-256 of the training data, 64 lower-case hex digits.');
  });

  it('reports every problem at once, with what was found', () => {
    const { issues } = problemsOf(edit((m) => {
      m.version = '1.2';
      m.task = 'croptype';
      (m.classes as Record<string, unknown>[])[1].code = 255;
      m.licence = '';
      m.colour = '#fff';
    }));
    expect(issues.map((i) => i.path).sort()).toEqual(['', 'classes[1].code', 'licence', 'task', 'version']);
    expect(issues.find((i) => i.path === 'version')?.message).toBe('must be a semantic version such as "1.0.0" (got "1.2")');
    expect(issues.find((i) => i.path === 'classes[1].code')?.message).toMatch(/255 is the nodata value/);
    expect(issues.find((i) => i.path === '')?.message).toMatch(/unknown field "colour": remove or rename/);
  });

  it('catches a feature list that no longer matches its hash, and gives the right hash', () => {
    const { issues } = problemsOf(edit((m) => (m.features = ['evi_peak', 'ndvi_peak', 'ndvi_jan'])));
    const want = featureOrderHash(['evi_peak', 'ndvi_peak', 'ndvi_jan']);
    expect(issues).toEqual([{ path: 'featureOrder.hash', message: expect.stringContaining(`set the hash to "${want}"`) }]);
  });

  it.each([
    ['duplicate class codes', (m: Record<string, unknown>) => ((m.classes as Record<string, unknown>[])[2].code = 0), 'classes', /class code 0 is used twice/],
    ['a crop-mask with 3 classes', (m: Record<string, unknown>) => (m.task = 'crop-mask'), 'classes', /exactly 2 classes/],
    ['a scaler of the wrong length', (m: Record<string, unknown>) => ((m.scaler as Record<string, unknown>).mean = [0, 0]), 'scaler.mean', /has 2 values but there are 3 features/],
    ['a zero std', (m: Record<string, unknown>) => ((m.scaler as Record<string, unknown>).std = [0.1, 0, 0.2]), 'scaler.std[1]', /must be > 0/],
    ['a label with no class', (m: Record<string, unknown>) => ((m.output as Record<string, unknown>).labels = [6, 0, 9]), 'output.labels', /label 9 matches no class: add a class with code \(or label\) 9/],
    ['a class the model never predicts', (m: Record<string, unknown>) => ((m.output as Record<string, unknown>).labels = [6, 0]), 'classes[1]', /class "soybean" \(label 2\) is not an output.labels column/],
    ['mixed label kinds', (m: Record<string, unknown>) => ((m.output as Record<string, unknown>).labels = [6, 'maize', 2]), 'output.labels', /all integers or all non-empty strings/],
    ['a duplicated feature', (m: Record<string, unknown>) => (m.features = ['ndvi_peak', 'ndvi_peak', 'ndvi_jan']), 'features', /"ndvi_peak" is listed twice/],
    ['a bad created date', (m: Record<string, unknown>) => (m.created = '23/11/2026'), 'created', /ISO 8601 date/],
    ['an upper-case SHA-256', (m: Record<string, unknown>) => ((m.onnx as Record<string, unknown>).sha256 = 'B'.repeat(64)), 'onnx.sha256', /64 lower-case hex digits/],
  ])('rejects %s', (_name, patch, path, message) => {
    const { issues } = problemsOf(edit(patch));
    const hit = issues.find((i) => i.path === path);
    expect(hit, JSON.stringify(issues)).toBeDefined();
    expect(hit?.message).toMatch(message);
  });

  it('rejects non-objects without crashing', () => {
    for (const bad of [null, 42, 'manifest', []]) expect(problemsOf(bad).issues.length).toBeGreaterThan(0);
  });
});

describe('defaultPalette', () => {
  it('is deterministic: pinned colours for the first classes', () => {
    expect(defaultPalette(4)).toEqual(['#d22d2d', '#22a047', '#8d2dd2', '#a09022']);
    expect(defaultPalette(0)).toEqual([]);
  });

  it('gives n distinct #rrggbb colours, a prefix of any longer palette', () => {
    const p = defaultPalette(40);
    expect(new Set(p).size).toBe(40);
    for (const c of p) expect(c).toMatch(/^#[0-9a-f]{6}$/);
    expect(defaultPalette(7)).toEqual(p.slice(0, 7));
  });
});
