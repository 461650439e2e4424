/**
 * Per-pixel classification with a model bundle over an injected onnxruntime (onnxruntime-web in the browser and
 * in Node, or anything with the same `InferenceSession`/`Tensor` API).
 */
import type * as OrtWeb from 'onnxruntime-web';
import { CLASS_NODATA } from '../contract/classes';
import { GeoCropError, abortError, throwIfAborted } from '../contract/errors';
import { columnPlan, isIdentityPlan } from './columns';
import { graphProblems } from './graph-check';
import { columnClassIndex, type ModelManifest } from './manifest';
import { exposeZipMapInput, inspectOnnx } from './onnx/wire';
import { sha256Hex } from './sha256';

/** The parts of the onnxruntime module the classifier uses (`import * as ort from 'onnxruntime-web'` fits). */
export type OrtModule = Pick<typeof OrtWeb, 'InferenceSession' | 'Tensor'>;

/** Execution providers in onnxruntime's form, e.g. `['webgpu', 'wasm']` (see `planRuntime`). */
export type ExecutionProviders = NonNullable<OrtWeb.InferenceSession.SessionOptions['executionProviders']>;

/** Rows per inference call unless told otherwise: 65,536 rows × 51 features is a 13 MiB input tensor. */
export const DEFAULT_BATCH_ROWS = 65_536;

/** Options of {@link createClassifier}. */
export interface ClassifierOptions {
  ort: OrtModule;
  /** The bundle's `model.onnx`; its SHA-256 must equal `manifest.onnx.sha256`. */
  modelBytes: Uint8Array;
  /** The bundle's manifest, already parsed with `parseModelManifest`. */
  manifest: ModelManifest;
  /** Default `['wasm']`. */
  executionProviders?: ExecutionProviders;
  /**
   * Rows per inference call; bounds memory to about `batchSize × (features + classes) × 4` bytes plus the
   * runtime's own buffers. Default {@link DEFAULT_BATCH_ROWS}.
   */
  batchSize?: number;
  /** Also return per-class probabilities (rows × classes). Default false. */
  probabilities?: boolean;
}

/** What {@link Classifier.classify} returns; one entry per input row. */
export interface ClassifyResult {
  /** Manifest class code of the most probable class; `255` (nodata) for rows flagged invalid. */
  classes: Uint8Array;
  /** The winning class's probability, 0–1; 0 for nodata rows. */
  confidence: Float32Array;
  /**
   * With `probabilities: true`: row-major rows × `manifest.classes.length`, columns in `manifest.classes` order;
   * zeros for nodata rows.
   */
  probabilities?: Float32Array;
}

/** A loaded model. Calls to `classify` run one after another (one session, one batch at a time). */
export interface Classifier {
  readonly manifest: ModelManifest;
  /**
   * Classifies `rows = features.length / featureNames.length` pixels.
   *
   * @param features row-major float32, `rows × featureNames.length` (pixel by pixel, features in `featureNames` order).
   * @param featureNames names of the columns of `features`; matched to the model's inputs by name, in any order.
   * @param valid optional per-row mask: 0 marks a nodata row (skipped; class 255, confidence 0).
   * @throws GeoCropError `MODEL_FEATURE_MISMATCH` naming missing/extra features or a length mismatch;
   *   AbortError when `signal` fires (checked between batches).
   */
  classify(features: Float32Array, featureNames: readonly string[], valid?: Uint8Array, signal?: AbortSignal): Promise<ClassifyResult>;
  /** Frees the inference session after any running `classify` finishes. */
  release(): Promise<void>;
}

function modelInvalid(manifest: ModelManifest, message: string): GeoCropError {
  return new GeoCropError('MODEL_INVALID', `Model "${manifest.id}" ${manifest.version}: ${message}`);
}

/**
 * Verifies the ONNX bytes against the manifest (size, SHA-256, inputs, outputs, class labels) and opens an
 * inference session.
 *
 * @throws GeoCropError `MODEL_INVALID` (hash mismatch, graph vs manifest, onnxruntime cannot load the model);
 *   AbortError when `signal` fires.
 * @example
 * import * as ort from 'onnxruntime-web';
 * const classifier = await createClassifier({ ort, modelBytes, manifest });
 * const { classes, confidence } = await classifier.classify(stack, FEATURE_ORDER_V1, validMask);
 * await classifier.release();
 */
export async function createClassifier(options: ClassifierOptions, signal?: AbortSignal): Promise<Classifier> {
  const { ort, manifest } = options;
  let bytes = options.modelBytes;
  throwIfAborted(signal);
  if (bytes.length !== manifest.onnx.bytes) {
    throw modelInvalid(manifest, `model.onnx is ${bytes.length} bytes but the manifest says ${manifest.onnx.bytes}: the file does not belong to this manifest (or was truncated).`);
  }
  const sha = await sha256Hex(bytes);
  throwIfAborted(signal);
  if (sha !== manifest.onnx.sha256) {
    throw modelInvalid(manifest, `model.onnx has SHA-256 ${sha} but the manifest says ${manifest.onnx.sha256}: the file was changed or belongs to another bundle.`);
  }
  const problems = graphProblems(inspectOnnx(bytes), manifest);
  if (problems.length) throw modelInvalid(manifest, `${problems.join('; ')}.`);
  let probabilityOutput = manifest.output.probabilities;
  if (manifest.output.format === 'zipmap') {
    const exposed = exposeZipMapInput(bytes, probabilityOutput);
    bytes = exposed.bytes;
    probabilityOutput = exposed.tensor;
  }

  let session: OrtWeb.InferenceSession;
  try {
    // No spinning: an idle onnxruntime wasm thread otherwise busy-waits on a core for the whole run, and the read
    // stage (most of a run, between inference calls) loses half of a two-core tablet.
    session = await ort.InferenceSession.create(bytes, { executionProviders: options.executionProviders ?? ['wasm'], extra: { session: { intra_op: { allow_spinning: '0' } } } });
  } catch (err) {
    throw modelInvalid(manifest, `onnxruntime cannot load model.onnx: ${(err as Error).message}`);
  }
  if (signal?.aborted) {
    await session.release();
    throw abortError(signal);
  }
  const extraInputs = session.inputNames.filter((n) => n !== manifest.input.name);
  if (extraInputs.length) {
    await session.release();
    throw modelInvalid(manifest, `the graph has inputs besides "${manifest.input.name}" (${extraInputs.join(', ')}); GeoCrop feeds one features tensor.`);
  }
  return openClassifier(ort, session, manifest, probabilityOutput, options);
}

function openClassifier(ort: OrtModule, session: OrtWeb.InferenceSession, manifest: ModelManifest, probabilityOutput: string, options: ClassifierOptions): Classifier {
  const nFeatures = manifest.features.length;
  const nClasses = manifest.classes.length;
  const batchRows = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_ROWS));
  const columnClass = Int32Array.from(columnClassIndex(manifest));
  const columnCode = Uint8Array.from(columnClass, (k) => manifest.classes[k].code);
  const scaler = manifest.scaler && !manifest.scaler.inGraph ? manifest.scaler : undefined;
  const mean = scaler ? Float32Array.from(scaler.mean) : undefined;
  const std = scaler ? Float32Array.from(scaler.std) : undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let released = false;

  async function run(features: Float32Array, featureNames: readonly string[], valid: Uint8Array | undefined, signal: AbortSignal | undefined): Promise<ClassifyResult> {
    const plan = columnPlan(manifest.features, featureNames);
    const width = featureNames.length;
    const rows = features.length / width;
    if (!Number.isInteger(rows)) {
      throw new GeoCropError('MODEL_FEATURE_MISMATCH', `features has ${features.length} values, not a whole number of rows of ${width} features: pass rows × featureNames.length values.`);
    }
    if (valid && valid.length !== rows) throw new GeoCropError('MODEL_FEATURE_MISMATCH', `valid has ${valid.length} entries but there are ${rows} rows: pass one per row.`);
    const classes = new Uint8Array(rows).fill(CLASS_NODATA);
    const confidence = new Float32Array(rows);
    const probabilities = options.probabilities ? new Float32Array(rows * nClasses) : undefined;
    // Rows can go to onnxruntime as a view of the caller's array only if nothing needs rearranging.
    const direct = !valid && !scaler && isIdentityPlan(plan);
    const buffer = direct ? undefined : new Float32Array(Math.min(batchRows, rows) * nFeatures);
    const rowOf = new Int32Array(Math.min(batchRows, rows));
    let next = 0;
    while (next < rows) {
      throwIfAborted(signal);
      let n = 0;
      let input: Float32Array;
      if (buffer) {
        for (; next < rows && n < batchRows; next++) {
          if (valid && valid[next] === 0) continue;
          const src = next * width;
          const dst = n * nFeatures;
          for (let j = 0; j < nFeatures; j++) {
            const x = features[src + plan[j]];
            buffer[dst + j] = mean && std ? (x - mean[j]) / std[j] : x;
          }
          rowOf[n++] = next;
        }
        input = buffer.subarray(0, n * nFeatures);
      } else {
        n = Math.min(batchRows, rows - next);
        for (let i = 0; i < n; i++) rowOf[i] = next + i;
        input = features.subarray(next * nFeatures, (next + n) * nFeatures);
        next += n;
      }
      if (n === 0) continue;
      const tensor = new ort.Tensor('float32', input, [n, nFeatures]);
      const out = await session.run({ [manifest.input.name]: tensor }, [probabilityOutput]);
      throwIfAborted(signal);
      const probs = out[probabilityOutput];
      const data = probs.data as Float32Array;
      const nColumns = probs.dims[1];
      if (probs.type !== 'float32' || probs.dims.length !== 2 || probs.dims[0] !== n || nColumns !== columnClass.length) {
        throw new GeoCropError('MODEL_INVALID', `Model "${manifest.id}": output "${probabilityOutput}" is ${probs.type} [${probs.dims.join(', ')}], expected float32 [${n}, ${columnClass.length}] (one column per output.labels entry).`);
      }
      for (let i = 0; i < n; i++) {
        const row = rowOf[i];
        let best = -1;
        let bestP = -Infinity;
        for (let j = 0; j < nColumns; j++) {
          const p = data[i * nColumns + j];
          if (p > bestP) {
            bestP = p;
            best = j;
          }
        }
        // A row whose probabilities are all NaN (e.g. NaN features through an MLP) has no class: nodata.
        if (best >= 0) {
          classes[row] = columnCode[best];
          confidence[row] = bestP;
        }
        if (probabilities) for (let j = 0; j < nColumns; j++) probabilities[row * nClasses + columnClass[j]] = data[i * nColumns + j];
      }
      probs.dispose();
    }
    return { classes, confidence, ...(probabilities ? { probabilities } : {}) };
  }

  return {
    manifest,
    classify(features, featureNames, valid, signal) {
      if (released) return Promise.reject(new GeoCropError('INTERNAL', `Classifier for model "${manifest.id}" was released; create a new one.`));
      const result = queue.then(() => run(features, featureNames, valid, signal));
      queue = result.catch(() => undefined);
      return result;
    },
    async release() {
      if (released) return;
      released = true;
      await queue;
      await session.release();
    },
  };
}
