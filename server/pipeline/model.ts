/**
 * Model bundles for Node runs: `models/<id>/` (manifest.json + model.onnx + card.md, listed in
 * `models/index.json`) validated and opened with onnxruntime-web's wasm backend, adapted to the
 * {@link PipelineModel} the infer stage calls.
 */
import os from 'node:os';
import * as ort from 'onnxruntime-web';
import { GeoCropError, isGeoCropError } from '../../shared/contract/errors';
import { createClassifier, configureWasmThreads, findBundle, validateBundle, wasmThreadCount, type ModelManifest } from '../../shared/model';
import type { PipelineModel } from '../../shared/pipeline/types';
import { classifierModel } from '../../shared/pipeline/model-adapter';
import { MODELS_DIR, readBundleFiles, readModelIndex } from '../../models/bundles';

/** A model ready for `run`, plus what a caller needs around it. */
export interface LoadedModel extends PipelineModel {
  /** The validated bundle manifest (classes, features, metrics, licence…). */
  manifest: ModelManifest;
  /** Frees the inference session; call once the runs that use it are done. */
  release(): Promise<void>;
}

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** Folder holding `index.json` and the bundle folders. Default: the repo's `models/`. */
  root?: string;
  /**
   * onnxruntime wasm threads. onnxruntime reads this once per process, at the first session; later values are
   * ignored. Default: the cores, at most 4.
   */
  threads?: number;
}

let threadsSet = false;

/**
 * Loads bundle `id`: checks it is listed, validates it (schema, SHA-256, features in the catalogue, graph vs
 * manifest), and opens an inference session.
 *
 * @throws GeoCropError `MODEL_NOT_FOUND` naming the bundles that exist; `MODEL_INVALID` listing what is wrong with
 *   the bundle; AbortError when `signal` fires.
 * @example
 * const model = await loadModel('croptype-demo');
 * try { await run(request, nodePipelineEnv({ model })); } finally { await model.release(); }
 */
export async function loadModel(id: string, opts: LoadModelOptions = {}, signal?: AbortSignal): Promise<LoadedModel> {
  const root = opts.root ?? MODELS_DIR;
  let index;
  try {
    index = await readModelIndex(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new GeoCropError('MODEL_NOT_FOUND', `No model index at ${root}/index.json, so no model "${id}": point to a models folder that has one.`, { id, root });
  }
  let entry;
  try {
    entry = findBundle(index, id);
  } catch (err) {
    if (!isGeoCropError(err, 'MODEL_NOT_FOUND')) throw err;
    const listed = index.bundles.map((b) => b.id).join(', ') || 'none';
    throw new GeoCropError('MODEL_NOT_FOUND', `No model bundle "${id}" in ${root} (its index.json lists: ${listed}): use one of those ids, or a models folder that has "${id}".`, { id, root, available: index.bundles.map((b) => b.id) });
  }
  const files = await readBundleFiles(root, entry.id);
  const manifest = await validateBundle(files, { expectedId: entry.id });
  if (!threadsSet) {
    // Node has SharedArrayBuffer, so it counts as cross-origin isolated for the thread rule.
    configureWasmThreads(ort, opts.threads ?? wasmThreadCount({ crossOriginIsolated: true, hardwareConcurrency: os.availableParallelism() }));
    threadsSet = true;
  }
  const classifier = await createClassifier({ ort, modelBytes: files.model, manifest }, signal);
  return classifierModel(classifier);
}
