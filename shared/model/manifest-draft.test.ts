import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { featureOrderHash } from '../contract/feature-order';
import { createClassifier } from './classifier';
import { completeManifest, type ManifestDraft } from './manifest-draft';
import { buildMlp, buildTreeEnsembleClassifier } from './onnx';
import { sha256Hex } from './sha256';
import { prng, randomMlp, randomTrees } from './testing';

const features = ['ndvi_peak', 'evi_peak', 'ndvi_jan'];
const draft = (classes: ManifestDraft['classes']): ManifestDraft => ({
  id: 'draft-test',
  version: '0.1.0',
  task: 'crop-type',
  classes,
  features,
  featureOrder: { version: 'custom' },
  training: { description: 'synthetic', dataSha256: 'c'.repeat(64) },
  metrics: { overallAccuracy: 0.5 },
  licence: 'CC0-1.0',
  created: '2026-11-23',
});

describe('completeManifest', () => {
  it('derives hash, size, SHA-256, names, ZipMap format and string labels from a tree ensemble', async () => {
    const bytes = buildTreeEnsembleClassifier({ nFeatures: 3, classLabels: ['maize', 'bare'], zipMap: true, trees: randomTrees(prng(1), { nFeatures: 3, nClasses: 2, nTrees: 3, depth: 2, leaves: 'probability' }) });
    const m = await completeManifest(draft([{ code: 0, name: 'maize' }, { code: 8, name: 'bare' }]), bytes);
    expect(m.onnx).toEqual({ sha256: await sha256Hex(bytes), bytes: bytes.length });
    expect(m.featureOrder).toEqual({ version: 'custom', hash: featureOrderHash(features) });
    expect(m.input).toEqual({ name: 'features' });
    expect(m.output).toEqual({ probabilities: 'probabilities', format: 'zipmap', label: 'label', labels: ['maize', 'bare'] });
    const classifier = await createClassifier({ ort, modelBytes: bytes, manifest: m });
    expect((await classifier.classify(new Float32Array(6), features)).classes.every((c) => c === 0 || c === 8)).toBe(true);
    await classifier.release();
  });

  it('asks for output.labels when the graph records none (MLP), and accepts them from the draft', async () => {
    const bytes = buildMlp({ nFeatures: 3, layers: randomMlp(prng(2), [3, 2]) });
    const classes = [{ code: 0, name: 'non-crop' }, { code: 1, name: 'crop' }];
    await expect(completeManifest(draft(classes), bytes)).rejects.toThrow(/Cannot derive output\.labels .* set it in the draft/);
    const m = await completeManifest({ ...draft(classes), task: 'crop-mask', output: { labels: [0, 1] } }, bytes);
    expect(m.output).toEqual({ probabilities: 'probabilities', format: 'tensor', labels: [0, 1] });
  });
});
