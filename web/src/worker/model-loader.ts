/**
 * A model bundle served at `/models/<id>/` turned into the pipeline's `PipelineModel`: manifest and ONNX bytes
 * fetched (with the house retry rules), verified and opened by `shared/model`'s classifier over an injected
 * onnxruntime. Platform-neutral (only `fetch`), so Node tests load models exactly as the Worker does.
 */
import { classifierModel } from '../../../shared/pipeline/model-adapter';
import { GeoCropError, throwIfAborted } from '../../../shared/contract/errors';
import { createClassifier, inspectOnnx, parseModelManifest, planRuntime, type ModelManifest, type OrtModule, type RuntimeFacts, type RuntimePlan } from '../../../shared/model';
import { fetchWithRetry, type FetchFn, type RetryPolicy } from '../../../shared/net/fetch-retry';
import type { PipelineModel } from '../../../shared/pipeline/types';

/** Options of {@link loadPipelineModel}. */
export interface LoadModelOptions {
  ort: OrtModule;
  fetch: FetchFn;
  /** Absolute URL of the models folder, with a trailing slash, e.g. `https://geocrop.example/models/`. */
  modelsUrl: string;
  /** Bundle id (a job request's `model`). */
  id: string;
  /** Host facts for {@link planRuntime}; default: wasm only, which every host has. */
  facts?: RuntimeFacts;
  retry?: Partial<RetryPolicy>;
}

/** A loaded model: what `run()` needs, plus the manifest, how it runs, and a way to free the session. */
export interface LoadedModel extends PipelineModel {
  readonly manifest: ModelManifest;
  readonly runtime: RuntimePlan;
  release(): Promise<void>;
}

const WASM_ONLY: RuntimeFacts = { webgpuAdapter: false, crossOriginIsolated: true, hardwareConcurrency: 1 };

/**
 * Fetches, verifies (size, SHA-256, graph vs manifest) and opens bundle `id`.
 *
 * @throws GeoCropError `MODEL_NOT_FOUND` (as the server says), `MODEL_INVALID`, `READ_FAILED`; AbortError.
 * @example
 * const model = await loadPipelineModel({ ort, fetch, modelsUrl: new URL('/models/', self.location.origin).href, id: 'croptype-demo' });
 * await run(request, { ...env, model });
 */
export async function loadPipelineModel(opts: LoadModelOptions, signal?: AbortSignal): Promise<LoadedModel> {
  const urls = modelFileUrls(opts.modelsUrl, opts.id);
  const manifestRes = await get(opts, urls.manifest, `manifest of model "${opts.id}"`, signal);
  const manifest = parseModelManifest(await manifestRes.json());
  if (manifest.id !== opts.id) {
    throw new GeoCropError('MODEL_INVALID', `The bundle served as "${opts.id}" says it is "${manifest.id}": the models folder is inconsistent; fix its manifest.json or folder name.`, { id: opts.id });
  }
  const modelRes = await get(opts, urls.model, `model.onnx of "${opts.id}"`, signal);
  const modelBytes = new Uint8Array(await modelRes.arrayBuffer());
  throwIfAborted(signal);
  const runtime = planRuntime(opts.facts ?? WASM_ONLY, inspectOnnx(modelBytes));
  const classifier = await createClassifier({ ort: opts.ort, modelBytes, manifest, executionProviders: runtime.executionProviders }, signal);
  return { ...classifierModel(classifier), runtime };
}

/** The URLs of bundle `id`'s files that {@link loadPipelineModel} fetches (e.g. to save them for offline use). */
export function modelFileUrls(modelsUrl: string, id: string): { manifest: string; model: string } {
  const base = new URL(`${encodeURIComponent(id)}/`, modelsUrl);
  return { manifest: new URL('manifest.json', base).href, model: new URL('model.onnx', base).href };
}

/** GET with retries; a non-2xx answer becomes the server's GeoCropError when it sent one. */
async function get(opts: LoadModelOptions, url: string, what: string, signal?: AbortSignal): Promise<Response> {
  const res = await fetchWithRetry(opts.fetch, url, {}, { errorCode: 'READ_FAILED', what, policy: opts.retry }, signal);
  if (res.ok) return res;
  const body: unknown = await res.json().catch(() => undefined);
  const payload = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (payload && typeof payload === 'object' && 'code' in payload) throw GeoCropError.fromJSON(payload);
  if (res.status === 404) throw new GeoCropError('MODEL_NOT_FOUND', `No model bundle "${opts.id}" at ${url} (HTTP 404).`, { id: opts.id });
  throw new GeoCropError('READ_FAILED', `Could not fetch the ${what} from ${url}: HTTP ${res.status}.`, { url, status: res.status });
}
