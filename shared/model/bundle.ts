/**
 * Validation of a whole model bundle (`manifest.json`, `model.onnx`, `card.md`) before it is committed or
 * served. Platform-neutral: the caller reads the files (Node `fs` in tests and the server, `fetch` in the PWA).
 */
import { FEATURE_ORDER_V1, FEATURE_ORDER_VERSION } from '../contract/feature-order';
import { GeoCropError } from '../contract/errors';
import { FEATURE_CATALOGUE } from '../features/catalogue';
import { createClassifier, type OrtModule } from './classifier';
import { graphProblems } from './graph-check';
import { parseModelManifest, type ModelManifest } from './manifest';
import { inspectOnnx } from './onnx/wire';
import { sha256Hex } from './sha256';

/** A bundle's files, as read by the caller. */
export interface BundleFiles {
  /** `manifest.json`, parsed as JSON (not yet validated). */
  manifest: unknown;
  /** `model.onnx`. */
  model: Uint8Array;
  /** `card.md` (the model card), or undefined when the file is missing. */
  card: string | undefined;
}

/** The feature names a model may use, and the frozen orders a manifest can claim by version. */
export interface FeatureCatalogue {
  /** Every feature the pipeline can compute (`shared/features/catalogue.ts`). */
  names: readonly string[];
  /** Frozen orders by version, e.g. `{ v1: FEATURE_ORDER_V1 }`. */
  orders: Readonly<Record<string, readonly string[]>>;
}

/** The pipeline's catalogue: every `FEATURE_CATALOGUE` name; order `v1` = `FEATURE_ORDER_V1`. */
export const DEFAULT_FEATURE_CATALOGUE: FeatureCatalogue = {
  names: FEATURE_CATALOGUE.map((d) => d.name),
  orders: { [FEATURE_ORDER_VERSION]: FEATURE_ORDER_V1 },
};

/** Options of {@link validateBundle}. */
export interface BundleCheckOptions {
  /** The bundle's folder name, which must equal `manifest.id`. */
  expectedId?: string;
  /** Default {@link DEFAULT_FEATURE_CATALOGUE}. */
  catalogue?: FeatureCatalogue;
  /** When given, the model is also loaded and run on one row, which checks what only a run can (column count). */
  ort?: OrtModule;
}

/**
 * Where the manifest's features disagree with the catalogue: names it does not know, or a claimed frozen order
 * (`featureOrder.version` that the catalogue defines) that the list does not follow exactly. Empty when it fits.
 */
export function featureProblems(manifest: Pick<ModelManifest, 'features' | 'featureOrder'>, catalogue: FeatureCatalogue = DEFAULT_FEATURE_CATALOGUE): string[] {
  const known = new Set(catalogue.names);
  const unknown = manifest.features.filter((f) => !known.has(f));
  const out: string[] = [];
  if (unknown.length) out.push(`features ${unknown.map((f) => `"${f}"`).join(', ')} are not in the feature catalogue (docs/features.md): rename them to catalogue names or drop them`);
  const version = manifest.featureOrder.version;
  const order = Object.hasOwn(catalogue.orders, version) ? catalogue.orders[version] : undefined;
  if (order && !(manifest.features.length === order.length && manifest.features.every((f, i) => f === order[i]))) {
    out.push(`featureOrder.version "${version}" means exactly the ${order.length} features of order ${version}, in that order, but the list differs: use that list or give the model's own list another version (e.g. "custom")`);
  }
  return out;
}

/**
 * Checks a bundle: manifest schema, id, `model.onnx` size and SHA-256, feature names in the catalogue, the graph
 * against the manifest (input, outputs, class labels), a non-empty model card, and (with `ort`) a one-row run.
 *
 * @returns the parsed manifest.
 * @throws GeoCropError `MODEL_INVALID` listing every problem found.
 */
export async function validateBundle(files: BundleFiles, options: BundleCheckOptions = {}): Promise<ModelManifest> {
  const manifest = parseModelManifest(files.manifest);
  const problems: string[] = [];
  if (options.expectedId !== undefined && options.expectedId !== manifest.id) problems.push(`manifest id "${manifest.id}" differs from the bundle folder "${options.expectedId}": rename one`);
  if (files.model.length !== manifest.onnx.bytes) problems.push(`model.onnx is ${files.model.length} bytes but onnx.bytes says ${manifest.onnx.bytes}`);
  const sha = await sha256Hex(files.model);
  if (sha !== manifest.onnx.sha256) problems.push(`model.onnx has SHA-256 ${sha} but onnx.sha256 says ${manifest.onnx.sha256}: re-export the manifest with the model`);
  problems.push(...featureProblems(manifest, options.catalogue));
  if (!files.card?.trim()) problems.push('card.md is missing or empty: describe the model, its data, metrics and limits');
  let graphOk = false;
  try {
    const graph = graphProblems(inspectOnnx(files.model), manifest);
    problems.push(...graph);
    graphOk = graph.length === 0;
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (options.ort && graphOk && problems.length === 0) {
    try {
      const classifier = await createClassifier({ ort: options.ort, modelBytes: files.model, manifest, batchSize: 1 });
      try {
        await classifier.classify(new Float32Array(manifest.features.length), manifest.features);
      } finally {
        await classifier.release();
      }
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length) throw new GeoCropError('MODEL_INVALID', `Model bundle "${manifest.id}": ${problems.join('; ')}.`, { problems });
  return manifest;
}
