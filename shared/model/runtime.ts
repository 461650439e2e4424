/**
 * Choosing how onnxruntime runs a model. `shared/` cannot look at `navigator` or the host, so the browser and
 * Node edges gather a few facts and this module decides.
 */
import type * as OrtWeb from 'onnxruntime-web';
import type { OnnxSummary } from './onnx/wire';

/** Facts about the host, gathered at the edge. */
export interface RuntimeFacts {
  /**
   * `await navigator.gpu?.requestAdapter()` returned an adapter. (Chromium can expose `navigator.gpu` yet return
   * null, e.g. headless without a GPU.) Node edges pass false.
   */
  webgpuAdapter: boolean;
  /**
   * `globalThis.crossOriginIsolated` in the browser: without it there is no SharedArrayBuffer and onnxruntime's
   * wasm backend runs one thread. Node edges pass true (Node always has SharedArrayBuffer).
   */
  crossOriginIsolated: boolean;
  /** `navigator.hardwareConcurrency` or `os.availableParallelism()`. */
  hardwareConcurrency: number;
}

/** How to run one model. */
export interface RuntimePlan {
  /** Providers in preference order, for `InferenceSession.create` (`createClassifier({ executionProviders })`). */
  executionProviders: ('webgpu' | 'wasm')[];
  /** Threads for the wasm backend (`ort.env.wasm.numThreads`). */
  wasmThreads: number;
  /** Why, in words (for logs and the status page). */
  reason: string;
}

/** Most wasm threads worth using: more contend with the UI thread and other workers for little gain. */
export const MAX_WASM_THREADS = 4;

/** Operator domains whose ops onnxruntime's WebGPU provider does not implement (ai.onnx.ml: trees, ZipMap…). */
const CPU_ONLY_DOMAINS = new Set(['ai.onnx.ml']);

/**
 * Whether the WebGPU provider can run the whole graph: only default-domain ops (MLPs, scalers, Mean). Graphs with
 * ai.onnx.ml ops (tree ensembles) would bounce tensors between GPU and CPU per node, so they go to wasm.
 */
export function graphSupportsWebGpu(summary: Pick<OnnxSummary, 'nodes'>): boolean {
  return summary.nodes.every((n) => !CPU_ONLY_DOMAINS.has(n.domain));
}

/** `min(hardwareConcurrency, 4)` when cross-origin isolated, else 1. */
export function wasmThreadCount(facts: Pick<RuntimeFacts, 'crossOriginIsolated' | 'hardwareConcurrency'>): number {
  if (!facts.crossOriginIsolated) return 1;
  const cores = Number.isFinite(facts.hardwareConcurrency) ? Math.floor(facts.hardwareConcurrency) : 1;
  return Math.max(1, Math.min(cores, MAX_WASM_THREADS));
}

/**
 * Picks execution providers and wasm threads for a model: WebGPU first (wasm as fallback) when an adapter exists
 * and the graph has no ai.onnx.ml ops, else wasm alone.
 *
 * @example
 * const facts = { webgpuAdapter: !!(await navigator.gpu?.requestAdapter()), crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency };
 * const plan = planRuntime(facts, inspectOnnx(modelBytes));
 * configureWasmThreads(ort, plan.wasmThreads);
 * const classifier = await createClassifier({ ort, modelBytes, manifest, executionProviders: plan.executionProviders });
 */
export function planRuntime(facts: RuntimeFacts, summary: Pick<OnnxSummary, 'nodes'>): RuntimePlan {
  const wasmThreads = wasmThreadCount(facts);
  const threads = `wasm with ${wasmThreads} thread${wasmThreads > 1 ? 's' : ''}${facts.crossOriginIsolated ? '' : ' (not cross-origin isolated)'}`;
  if (facts.webgpuAdapter && graphSupportsWebGpu(summary)) {
    return { executionProviders: ['webgpu', 'wasm'], wasmThreads, reason: `WebGPU adapter present and the graph uses only standard ops; fallback ${threads}` };
  }
  const why = facts.webgpuAdapter ? 'the graph has ai.onnx.ml ops (tree ensemble), which WebGPU does not run' : 'no WebGPU adapter';
  return { executionProviders: ['wasm'], wasmThreads, reason: `${why}: ${threads}` };
}

/**
 * Sets `ort.env.wasm.numThreads`. onnxruntime reads it once, when the first session of the process (or worker) is
 * created; later changes are silently ignored, so call this before any `createClassifier`.
 */
export function configureWasmThreads(ort: Pick<typeof OrtWeb, 'env'>, threads: number): void {
  ort.env.wasm.numThreads = Math.max(1, Math.floor(threads));
}
