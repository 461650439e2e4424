/**
 * A small multilayer perceptron classifier: standardised inputs, ReLU hidden layers, softmax output, trained
 * with mini-batch AdamW on cross-entropy and stopped early on a stratified validation split (the weights of the
 * best validation epoch are kept). Plain loops over typed arrays: the nets are small (tens of units) and the
 * exported {@link MlpModel} maps one-to-one onto ONNX `Sub → Div → (MatMul → Add → Relu)* → MatMul → Add → Softmax`.
 */
import { classWeights, type ClassWeighting } from './class-weights';
import { checkLabels, subsetRows } from './matrix';
import { stratifiedHoldout } from './metrics';
import { Rng, deriveSeed } from './random';
import type { Matrix, MlpModel } from './types';

/** MLP settings; every field has a default. */
export interface MlpOptions {
  /** Units per hidden layer (default `[64, 32]`). */
  hidden?: readonly number[];
  /** Most passes over the training data (default 200). */
  maxEpochs?: number;
  /** Default 128. */
  batchSize?: number;
  /** Adam step size (default 1e-3). */
  learningRate?: number;
  /** Decoupled weight decay per step, relative to the learning rate (AdamW; default 1e-4). Biases are not decayed. */
  weightDecay?: number;
  /** Share of the training rows held out, stratified, for early stopping (default 0.1; 0 trains `maxEpochs`). */
  validationFraction?: number;
  /** Epochs without a better validation loss before stopping (default 20). */
  patience?: number;
  /** `balanced` weights each sample's loss by `n / (K · n_k)`. */
  classWeight?: ClassWeighting;
  /** Default 0. */
  seed?: number;
}

/** What training did, for logs and model cards. */
export interface MlpTrainingInfo {
  epochs: number;
  bestEpoch: number;
  /** Mean validation cross-entropy of the kept weights; NaN without a validation split. */
  bestValidationLoss: number;
}

/** Mean and standard deviation per column (std 1 for constant columns, so they standardise to 0). */
export function columnStats(x: Matrix): { mean: Float32Array; std: Float32Array } {
  const { rows, cols, data } = x;
  const sum = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) sum[j] += data[i * cols + j];
  const mean = sum.map((s) => s / rows);
  const sq = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const d = data[i * cols + j] - mean[j];
      sq[j] += d * d;
    }
  }
  const std = sq.map((s) => {
    const sd = Math.sqrt(s / rows);
    return sd > 1e-12 ? sd : 1;
  });
  return { mean: Float32Array.from(mean), std: Float32Array.from(std) };
}

interface Layer {
  inputs: number;
  outputs: number;
  w: Float64Array;
  b: Float64Array;
  gw: Float64Array;
  gb: Float64Array;
  mw: Float64Array;
  vw: Float64Array;
  mb: Float64Array;
  vb: Float64Array;
}

function makeLayer(inputs: number, outputs: number, rng: Rng, relu: boolean): Layer {
  // He initialisation ahead of ReLU, Glorot for the softmax layer.
  const scale = relu ? Math.sqrt(2 / inputs) : Math.sqrt(2 / (inputs + outputs));
  const w = new Float64Array(inputs * outputs);
  for (let i = 0; i < w.length; i++) w[i] = rng.normal() * scale;
  const z = () => new Float64Array(inputs * outputs);
  const zb = () => new Float64Array(outputs);
  return { inputs, outputs, w, b: zb(), gw: z(), gb: zb(), mw: z(), vw: z(), mb: zb(), vb: zb() };
}

/** `out[B × o] = a[B × i] · w[i × o] + b`, ReLU when asked. Zero inputs (ReLU is sparse) are skipped. */
function forwardLayer(a: Float64Array, batch: number, layer: Layer, out: Float64Array, relu: boolean): void {
  const { inputs: ni, outputs: no, w, b } = layer;
  for (let r = 0; r < batch; r++) {
    const o0 = r * no;
    for (let o = 0; o < no; o++) out[o0 + o] = b[o];
    const a0 = r * ni;
    for (let i = 0; i < ni; i++) {
      const v = a[a0 + i];
      if (v === 0) continue;
      const w0 = i * no;
      for (let o = 0; o < no; o++) out[o0 + o] += v * w[w0 + o];
    }
    if (relu) for (let o = 0; o < no; o++) if (out[o0 + o] < 0) out[o0 + o] = 0;
  }
}

/** Softmax of each row of `z` in place. */
function softmaxRows(z: Float64Array, rows: number, k: number): void {
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, z[r * k + c]);
    let s = 0;
    for (let c = 0; c < k; c++) s += z[r * k + c] = Math.exp(z[r * k + c] - max);
    for (let c = 0; c < k; c++) z[r * k + c] /= s;
  }
}

/**
 * Trains an MLP.
 *
 * @example
 * const { model } = trainMlp(ds.x, ds.y, ds.classes.length, { hidden: [64, 32], seed: 1 });
 * const proba = predictMlp(model, ds.x); // Float32Array rows × nClasses
 */
export function trainMlp(x: Matrix, y: Int32Array, nClasses: number, options: MlpOptions = {}): { model: MlpModel; info: MlpTrainingInfo } {
  const hidden = options.hidden ?? [64, 32];
  const maxEpochs = options.maxEpochs ?? 200;
  const batchSize = options.batchSize ?? 128;
  const lr = options.learningRate ?? 1e-3;
  const weightDecay = options.weightDecay ?? 1e-4;
  const validationFraction = options.validationFraction ?? 0.1;
  const patience = options.patience ?? 20;
  const seed = options.seed ?? 0;
  checkLabels(x, y, nClasses);
  if (hidden.some((h) => !(Number.isInteger(h) && h >= 1))) throw new RangeError(`hidden layer sizes must be positive integers, got ${hidden.join(',')}`);
  const K = nClasses;
  const p = x.cols;
  const rng = new Rng(deriveSeed(seed, 0));

  let trainRows: Int32Array;
  let validRows: Int32Array;
  if (validationFraction > 0) {
    const split = stratifiedHoldout(y, validationFraction, deriveSeed(seed, 1));
    trainRows = split.train;
    validRows = split.test;
  } else {
    trainRows = Int32Array.from({ length: x.rows }, (_, i) => i);
    validRows = new Int32Array(0);
  }
  const { mean, std } = columnStats(subsetRows(x, trainRows));
  const standardised = new Float64Array(x.rows * p);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < p; j++) standardised[i * p + j] = (x.data[i * p + j] - mean[j]) / std[j];
  const sampleWeight = classWeights(Int32Array.from(trainRows, (r) => y[r]), K, options.classWeight ?? 'none');

  const sizes = [p, ...hidden, K];
  const layers: Layer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) layers.push(makeLayer(sizes[l], sizes[l + 1], rng, l + 2 < sizes.length));
  const acts = sizes.map((s) => new Float64Array(batchSize * s));
  const grads = sizes.map((s) => new Float64Array(batchSize * s));

  const forward = (rows: Int32Array, from: number, batch: number): Float64Array => {
    const a0 = acts[0];
    for (let r = 0; r < batch; r++) a0.set(standardised.subarray(rows[from + r] * p, rows[from + r] * p + p), r * p);
    for (let l = 0; l < layers.length; l++) forwardLayer(acts[l], batch, layers[l], acts[l + 1], l + 1 < layers.length);
    const out = acts[layers.length];
    softmaxRows(out, batch, K);
    return out;
  };

  const validationLoss = (): number => {
    let loss = 0;
    for (let from = 0; from < validRows.length; from += batchSize) {
      const batch = Math.min(batchSize, validRows.length - from);
      const prob = forward(validRows, from, batch);
      for (let r = 0; r < batch; r++) loss -= Math.log(Math.max(prob[r * K + y[validRows[from + r]]], 1e-12));
    }
    return loss / validRows.length;
  };

  const beta1 = 0.9;
  const beta2 = 0.999;
  let step = 0;
  const adam = (param: Float64Array, grad: Float64Array, m: Float64Array, v: Float64Array, decay: boolean): void => {
    const c1 = 1 - beta1 ** step;
    const c2 = 1 - beta2 ** step;
    for (let i = 0; i < param.length; i++) {
      const g = grad[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      param[i] -= lr * ((m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8) + (decay ? weightDecay * param[i] : 0));
    }
  };

  const order = Int32Array.from(trainRows);
  let best = { loss: Infinity, epoch: 0, weights: layers.map((L) => [L.w.slice(), L.b.slice()]) };
  let epoch = 0;
  for (epoch = 1; epoch <= maxEpochs; epoch++) {
    rng.shuffle(order);
    for (let from = 0; from < order.length; from += batchSize) {
      const batch = Math.min(batchSize, order.length - from);
      const prob = forward(order, from, batch);
      // d(mean weighted cross-entropy)/d(logits) = w · (p − onehot) / batch.
      const gOut = grads[layers.length];
      for (let r = 0; r < batch; r++) {
        const label = y[order[from + r]];
        const w = sampleWeight[label] / batch;
        for (let c = 0; c < K; c++) gOut[r * K + c] = w * (prob[r * K + c] - (c === label ? 1 : 0));
      }
      for (let l = layers.length - 1; l >= 0; l--) {
        const L = layers[l];
        const { inputs: ni, outputs: no } = L;
        const aIn = acts[l];
        const gz = grads[l + 1];
        L.gw.fill(0);
        L.gb.fill(0);
        for (let r = 0; r < batch; r++) {
          for (let o = 0; o < no; o++) L.gb[o] += gz[r * no + o];
          for (let i = 0; i < ni; i++) {
            const v = aIn[r * ni + i];
            if (v === 0) continue;
            const w0 = i * no;
            for (let o = 0; o < no; o++) L.gw[w0 + o] += v * gz[r * no + o];
          }
        }
        if (l > 0) {
          // Gradient through the ReLU of the layer below: zero where its output was zero.
          const gIn = grads[l];
          for (let r = 0; r < batch; r++) {
            for (let i = 0; i < ni; i++) {
              if (aIn[r * ni + i] === 0) {
                gIn[r * ni + i] = 0;
                continue;
              }
              let s = 0;
              const w0 = i * no;
              for (let o = 0; o < no; o++) s += gz[r * no + o] * L.w[w0 + o];
              gIn[r * ni + i] = s;
            }
          }
        }
      }
      step++;
      for (const L of layers) {
        adam(L.w, L.gw, L.mw, L.vw, true);
        adam(L.b, L.gb, L.mb, L.vb, false);
      }
    }
    if (validRows.length === 0) continue;
    const loss = validationLoss();
    if (loss < best.loss - 1e-6) best = { loss, epoch, weights: layers.map((L) => [L.w.slice(), L.b.slice()]) };
    else if (epoch - best.epoch >= patience) break;
  }
  const epochs = Math.min(epoch, maxEpochs);
  const finalWeights = validRows.length ? best.weights : layers.map((L) => [L.w, L.b]);
  const model: MlpModel = {
    kind: 'mlp',
    nFeatures: p,
    nClasses: K,
    mean,
    std,
    layers: layers.map((L, l) => ({
      inputs: L.inputs,
      outputs: L.outputs,
      weights: Float32Array.from(finalWeights[l][0]),
      bias: Float32Array.from(finalWeights[l][1]),
    })),
  };
  return { model, info: { epochs, bestEpoch: validRows.length ? best.epoch : epochs, bestValidationLoss: validRows.length ? best.loss : NaN } };
}

/** Class probabilities, row-major `rows × nClasses`, computed from the float32 weights as ONNX would. */
export function predictMlp(model: MlpModel, x: Matrix): Float32Array {
  if (x.cols !== model.nFeatures) throw new RangeError(`model expects ${model.nFeatures} features, got ${x.cols}`);
  const K = model.nClasses;
  const out = new Float32Array(x.rows * K);
  const widest = Math.max(x.cols, ...model.layers.map((L) => L.outputs));
  let a = new Float64Array(widest);
  let z = new Float64Array(widest);
  for (let r = 0; r < x.rows; r++) {
    for (let j = 0; j < x.cols; j++) a[j] = (x.data[r * x.cols + j] - model.mean[j]) / model.std[j];
    model.layers.forEach((L, l) => {
      for (let o = 0; o < L.outputs; o++) z[o] = L.bias[o];
      for (let i = 0; i < L.inputs; i++) {
        const v = a[i];
        if (v === 0) continue;
        for (let o = 0; o < L.outputs; o++) z[o] += v * L.weights[i * L.outputs + o];
      }
      if (l + 1 < model.layers.length) for (let o = 0; o < L.outputs; o++) if (z[o] < 0) z[o] = 0;
      [a, z] = [z, a];
    });
    softmaxRows(a, 1, K);
    for (let c = 0; c < K; c++) out[r * K + c] = a[c];
  }
  return out;
}
