/**
 * The infer stage's view of a loaded classifier. Both edges load bundles their own way (the Worker over HTTP, Node
 * from models/) and hand the classifier here, so the mapping cannot drift between them.
 */
import type { Classifier } from '../model/classifier';
import type { ModelManifest } from '../model/manifest';
import type { PipelineModel } from './types';

/** A {@link PipelineModel} backed by an onnxruntime session, with its manifest and a way to free it. */
export interface ClassifierModel extends PipelineModel {
  manifest: ModelManifest;
  release(): Promise<void>;
}

/** Wraps a classifier for `run()`. */
export function classifierModel(classifier: Classifier): ClassifierModel {
  const manifest = classifier.manifest;
  return {
    id: manifest.id,
    version: manifest.version,
    featureNames: manifest.features,
    classes: manifest.classes.map(({ code, name, colour }) => ({ code, name, colour })),
    manifest,
    classify: (rows, featureNames, valid, signal) => classifier.classify(rows, featureNames, valid, signal),
    release: () => classifier.release(),
  };
}
