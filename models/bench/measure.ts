/**
 * The inference measurement behind `models/bench/inference.ts` (Node) and the browser bench's Worker
 * (`browser/worker.ts`): one loop, so Node and Chromium numbers differ by runtime only. Platform-neutral: the
 * caller injects onnxruntime (with `env.wasm.numThreads` already set) and the model's bytes and manifest.
 */
import type * as OrtWeb from 'onnxruntime-web';
import { throwIfAborted } from '../../shared/contract/errors';
import { createClassifier, type ModelManifest } from '../../shared/model';
import { prng, randomRows } from '../../shared/model/testing/reference';

/** Rows per measured pass unless told otherwise: four batches. */
export const BENCH_ROWS = 262_144;
/** Rows per `session.run`, as the app classifies (`DEFAULT_BATCH_ROWS`). */
export const BENCH_BATCH = 65_536;
/** Seed of the uniform random rows, so every runtime classifies the same values. */
const ROWS_SEED = 2026;
/** Untimed passes before the timed ones, by default: longer than Chromium's wasm tier-up on an idle machine. */
export const WARMUP_MS = 5000;
/** Each figure is the median of this many repetitions. */
const REPS = 3;

/** What is measured and how. */
export interface MeasureOptions {
  ort: Pick<typeof OrtWeb, 'InferenceSession' | 'Tensor'>;
  /** The bundle's `model.onnx`. */
  bytes: Uint8Array;
  manifest: ModelManifest;
  /** Row-major rows × `manifest.features.length`, at least `rows` of them ({@link benchRows}). */
  data: Float32Array;
  rows: number;
  batch: number;
  /** Untimed `session.run` passes for this long before the timed ones (default {@link WARMUP_MS}). */
  warmupMs?: number;
}

/** One measurement: medians, and every repetition for the record. */
export interface Measurement {
  /** `createClassifier` (byte count, SHA-256, graph check, `InferenceSession.create`); the first includes the wasm start. */
  openMs: number[];
  /** Rows/s of the first pass of `session.run` over `rows` in batches of `batch`: a new session on cold code. */
  firstPassRowsPerS: number;
  /** Rows/s of bare `session.run` over the same rows, once `warmupMs` of untimed passes have run. */
  runRowsPerS: number[];
  /** Rows/s of `classify` (column matching, batching, argmax) over the same rows. */
  classifyRowsPerS: number[];
}

/** One model on one runtime and thread count, as `npm run bench` records it. */
export interface InferenceBench {
  /** `node`: onnxruntime-web's wasm backend in Node; `chromium`: the same in a module Worker of headless Chromium. */
  runtime: 'node' | 'chromium';
  model: string;
  threads: number;
  rows: number;
  batch: number;
  bytes: number;
  open_ms: number;
  first_pass_rows_per_s: number;
  run_rows_per_s: number;
  classify_rows_per_s: number;
}

/** Middle value (upper middle for an even count). */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** `n` rows of uniform [0, 1) values for a model with `nFeatures` inputs, the same on every runtime. */
export function benchRows(n: number, nFeatures: number): Float32Array {
  return randomRows(prng(ROWS_SEED), n, nFeatures);
}

/**
 * Opens the model three times; times a first `session.run` pass over `rows` rows, then (after `warmupMs` of
 * untimed passes) three more, then three `classify` passes over the same rows.
 *
 * @throws AbortError when `signal` fires (checked between repetitions); whatever onnxruntime or
 *   `createClassifier` throws (GeoCropError `MODEL_INVALID` for a bundle that does not match its manifest).
 */
export async function measureInference(options: MeasureOptions, signal?: AbortSignal): Promise<Measurement> {
  const { ort, bytes, manifest, data, rows, batch, warmupMs = WARMUP_MS } = options;
  const F = manifest.features.length;
  if (data.length < rows * F) throw new RangeError(`measureInference: data holds ${Math.floor(data.length / F)} rows, ${rows} asked`);
  const openMs: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    throwIfAborted(signal);
    const t0 = performance.now();
    const c = await createClassifier({ ort, modelBytes: bytes, manifest, batchSize: batch }, signal);
    openMs.push(performance.now() - t0);
    await c.release();
  }

  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const runRowsPerS: number[] = [];
  let firstPass: number;
  try {
    const feeds = (n: number, at: number) => ({ [manifest.input.name]: new ort.Tensor('float32', data.subarray(at * F, (at + n) * F), [n, F]) });
    const pass = async (): Promise<number> => {
      const t0 = performance.now();
      for (let at = 0; at < rows; at += batch) await session.run(feeds(Math.min(batch, rows - at), at), [manifest.output.probabilities]);
      return rows / ((performance.now() - t0) / 1000);
    };
    // V8 starts wasm on baseline code and optimises hot functions in the background. In Chromium the first pass
    // ran at a quarter to a third of the later rate, and reaching it took seconds (20 s on a busy machine); Node's
    // first pass ran at about two thirds. So the first pass is reported apart and the timed ones follow `warmupMs`
    // of untimed passes.
    firstPass = await pass();
    for (const until = performance.now() + warmupMs; performance.now() < until; ) {
      throwIfAborted(signal);
      await pass();
    }
    for (let rep = 0; rep < REPS; rep++) {
      throwIfAborted(signal);
      runRowsPerS.push(await pass());
    }
  } finally {
    await session.release();
  }

  const classifier = await createClassifier({ ort, modelBytes: bytes, manifest, batchSize: batch }, signal);
  const classifyRowsPerS: number[] = [];
  try {
    const all = data.subarray(0, rows * F);
    await classifier.classify(all.subarray(0, Math.min(batch, rows) * F), manifest.features, undefined, signal); // warm-up
    for (let rep = 0; rep < REPS; rep++) {
      const t0 = performance.now();
      await classifier.classify(all, manifest.features, undefined, signal);
      classifyRowsPerS.push(rows / ((performance.now() - t0) / 1000));
    }
  } finally {
    await classifier.release();
  }
  return { openMs, firstPassRowsPerS: firstPass, runRowsPerS, classifyRowsPerS };
}

/** The record of a measurement: rounded medians. */
export function benchRecord(m: Measurement, what: Omit<InferenceBench, 'open_ms' | 'first_pass_rows_per_s' | 'run_rows_per_s' | 'classify_rows_per_s'>): InferenceBench {
  return { ...what, open_ms: Math.round(median(m.openMs)), first_pass_rows_per_s: Math.round(m.firstPassRowsPerS), run_rows_per_s: Math.round(median(m.runRowsPerS)), classify_rows_per_s: Math.round(median(m.classifyRowsPerS)) };
}
