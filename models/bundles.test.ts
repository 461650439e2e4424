import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSES } from '../shared/contract/classes';
import { isGeoCropError } from '../shared/contract/errors';
import { FEATURE_ORDER_V1, featureOrderHash } from '../shared/contract/feature-order';
import { completeManifest, type ModelManifest } from '../shared/model';
import { averageClassifiers, encodeClassifier, mlpGraph, treeEnsembleGraph, withScaler } from '../shared/model/onnx';
import { prng, randomMlp, randomTrees } from '../shared/model/testing';
import { MODELS_DIR, checkBundles, readBundleFiles, readModelIndex, writeBundle } from './bundles';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('committed model bundles (models/index.json)', () => {
  it('every listed bundle passes: schema, id, SHA-256, features in the catalogue, classes vs graph, loads and runs', async () => {
    const index = await readModelIndex();
    const manifests = await checkBundles(MODELS_DIR, { ort });
    expect(manifests.map((m) => m.id)).toEqual(index.bundles.map((b) => b.id));
  });

  it('every bundle folder is listed (no orphan bundle goes unchecked)', async () => {
    const listed = new Set((await readModelIndex()).bundles.map((b) => b.id));
    for (const entry of await readdir(MODELS_DIR, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const hasManifest = await stat(join(MODELS_DIR, entry.name, 'manifest.json')).then(() => true, () => false);
      if (hasManifest) expect(listed.has(entry.name), `models/${entry.name} has a manifest.json but is not in models/index.json`).toBe(true);
    }
  });
});

describe('a bundle written to a temporary models folder', () => {
  let root: string;
  const id = 'croptype-test';
  const nFeatures = FEATURE_ORDER_V1.length;
  const rng = prng(7);
  const trees = treeEnsembleGraph({ nFeatures, classLabels: CLASSES.map((c) => c.code), trees: randomTrees(rng, { nFeatures, nClasses: CLASSES.length, nTrees: 8, depth: 4, leaves: 'probability' }), aggregate: 'AVERAGE' });
  const mlp = withScaler(mlpGraph({ nFeatures, layers: randomMlp(rng, [nFeatures, 16, CLASSES.length]) }), { mean: new Array(nFeatures).fill(0.3), std: new Array(nFeatures).fill(0.2) });
  const model = encodeClassifier(averageClassifiers([trees, mlp]));
  const card = `# ${id}\n\nSynthetic trees + MLP average; for tests only.\n`;
  let manifest: ModelManifest;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'geocrop-models-'));
    manifest = await completeManifest({
      id,
      version: '0.0.1',
      task: 'crop-type',
      classes: CLASSES.map((c) => ({ code: c.code, name: c.name, colour: c.colour })),
      features: [...FEATURE_ORDER_V1],
      featureOrder: { version: 'v1' },
      output: { labels: CLASSES.map((c) => c.code) },
      training: { description: 'random weights', dataSha256: 'd'.repeat(64) },
      metrics: {},
      licence: 'CC0-1.0',
      created: '2026-11-23',
    }, model);
    await writeBundle(root, { manifest, model, card }, { ort });
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Runs `edit` on a fresh copy of the good bundle in its own root, then checks that root. */
  async function checkEdited(edit: (dir: string, root: string) => Promise<void>): Promise<Error> {
    const other = await mkdtemp(join(tmpdir(), 'geocrop-models-'));
    try {
      await writeBundle(other, { manifest, model, card });
      await edit(join(other, id), other);
      return await rejection(checkBundles(other, { ort }));
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  }
  const editJson = async (file: string, patch: (j: Record<string, unknown>) => void): Promise<void> => {
    const j = JSON.parse(await readFile(file, 'utf8'));
    patch(j);
    await writeFile(file, JSON.stringify(j));
  };

  it('is listed in index.json and passes the same checks as committed bundles', async () => {
    expect(await readModelIndex(root)).toEqual({ bundles: [{ id, version: '0.0.1', task: 'crop-type' }] });
    const [checked] = await checkBundles(root, { ort });
    expect(checked.featureOrder.version).toBe('v1');
    expect(checked.classes.map((c) => c.code)).toEqual(CLASSES.map((c) => c.code));
    expect((await readBundleFiles(root, id)).card).toBe(card);
  });

  it('a changed model.onnx fails the SHA-256 check', async () => {
    const err = await checkEdited(async (dir) => {
      const bytes = await readFile(join(dir, 'model.onnx'));
      bytes[bytes.length - 10] ^= 0xff;
      await writeFile(join(dir, 'model.onnx'), bytes);
    });
    expect(isGeoCropError(err, 'MODEL_INVALID')).toBe(true);
    expect(err.message).toMatch(/model\.onnx has SHA-256 [0-9a-f]{64} but onnx\.sha256 says/);
  });

  it('a feature outside the catalogue is named; a claimed v1 order must be exactly v1', async () => {
    const typo = await checkEdited((dir) => editJson(join(dir, 'manifest.json'), (j) => {
      const f = j.features as string[];
      f[3] = 'ndvi_dek';
      j.featureOrder = { version: 'custom', hash: featureOrderHash(f) };
    }));
    expect(typo.message).toMatch(/features "ndvi_dek" are not in the feature catalogue/);
    const reordered = await checkEdited((dir) => editJson(join(dir, 'manifest.json'), (j) => {
      const f = j.features as string[];
      [f[0], f[1]] = [f[1], f[0]];
      (j.featureOrder as Record<string, string>).hash = featureOrderHash(f);
    }));
    expect(reordered.message).toMatch(/featureOrder\.version "v1" means exactly the 51 features of order v1/);
  });

  it('classes that disagree with the graph, a missing card, or a stale index entry are reported', async () => {
    const labels = await checkEdited((dir) => editJson(join(dir, 'manifest.json'), (j) => {
      const classes = j.classes as Record<string, unknown>[];
      classes.pop();
      (j.output as Record<string, unknown>).labels = classes.map((c) => c.code);
    }));
    // The averaged graph records no labels, so only the one-row run can see 10 columns for 9 labels.
    expect(labels.message).toMatch(/is float32 \[1, 10\], expected float32 \[1, 9\]/);
    const noCard = await checkEdited((dir) => rm(join(dir, 'card.md')));
    expect(noCard.message).toMatch(/card\.md is missing or empty/);
    const stale = await checkEdited((_dir, r) => editJson(join(r, 'index.json'), (j) => ((j.bundles as Record<string, unknown>[])[0].version = '0.0.2')));
    expect(stale.message).toMatch(/lists "croptype-test" as crop-type 0\.0\.2 but its manifest says crop-type 0\.0\.1/);
    const missing = await checkEdited((_dir, r) => editJson(join(r, 'index.json'), (j) => ((j.bundles as Record<string, unknown>[])[0].id = 'croptype-gone')));
    expect(isGeoCropError(missing, 'MODEL_NOT_FOUND')).toBe(true);
  });
});
