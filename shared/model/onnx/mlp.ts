/**
 * Multi-layer perceptrons as plain ONNX ops (MatMul, Add, Relu, Softmax), which every onnxruntime execution
 * provider runs, WebGPU included.
 */
import { GeoCropError } from '../../contract/errors';
import { encodeClassifier, normaliseLabels, type ClassifierGraph, type EncodeOptions, type GraphNode, type GraphTensor } from './graph';
import { withScaler, type ScalerSpec } from './compose';

/** A dense layer `y = x·W + b`. */
export interface DenseLayer {
  /** `W`, row-major `[in][out]`: the weight from input `i` to output `o` is `weights[i * out + o]`. */
  weights: Float32Array;
  /** `b`, length `out`. */
  bias: Float32Array;
}

/** Input of {@link mlpGraph} / {@link buildMlp}. */
export interface MlpSpec {
  /** Number of input columns (the first layer's `in`). */
  nFeatures: number;
  /** Hidden layers then the output layer; the last layer's `out` is the number of classes. */
  layers: readonly DenseLayer[];
  /** Activation after every layer but the last. Only `relu` for now. Default `relu`. */
  activation?: 'relu';
  /** Label of each output unit. Default `0, 1, …, C − 1` (int64). */
  classLabels?: readonly (number | bigint)[] | BigInt64Array | readonly string[];
}

/**
 * An MLP graph whose output layer goes through a softmax, so its output is class probabilities. No label output.
 */
export function mlpGraph(spec: MlpSpec): ClassifierGraph {
  if (spec.layers.length === 0) throw new GeoCropError('MODEL_INVALID', 'MLP: no layers.');
  if ((spec.activation ?? 'relu') !== 'relu') throw new GeoCropError('MODEL_INVALID', `MLP: activation "${String(spec.activation)}" is not supported; use "relu".`);
  const nodes: GraphNode[] = [];
  const initializers: GraphTensor[] = [];
  let width = spec.nFeatures;
  let x = 'mlp/x';
  spec.layers.forEach((layer, l) => {
    const out = layer.bias.length;
    if (out < 1 || layer.weights.length !== width * out) {
      throw new GeoCropError('MODEL_INVALID', `MLP layer ${l}: weights hold ${layer.weights.length} values but in×out is ${width}×${out} = ${width * out} (in = ${l === 0 ? 'nFeatures' : `layer ${l - 1} out`}, out = bias length).`);
    }
    if (!layer.weights.every(Number.isFinite) || !layer.bias.every(Number.isFinite)) throw new GeoCropError('MODEL_INVALID', `MLP layer ${l} has a non-finite weight or bias.`);
    initializers.push({ name: `mlp/w${l}`, dims: [width, out], data: layer.weights }, { name: `mlp/b${l}`, dims: [out], data: layer.bias });
    nodes.push(
      { opType: 'MatMul', inputs: [x, `mlp/w${l}`], outputs: [`mlp/mm${l}`] },
      { opType: 'Add', inputs: [`mlp/mm${l}`, `mlp/b${l}`], outputs: [`mlp/z${l}`] },
    );
    x = `mlp/z${l}`;
    if (l < spec.layers.length - 1) {
      nodes.push({ opType: 'Relu', inputs: [x], outputs: [`mlp/a${l}`] });
      x = `mlp/a${l}`;
    }
    width = out;
  });
  nodes.push({ opType: 'Softmax', inputs: [x], outputs: ['mlp/probabilities'], attributes: { axis: { int: -1 } } });
  const labels = normaliseLabels(spec.classLabels ?? Array.from({ length: width }, (_, i) => i));
  if (labels.length !== width) throw new GeoCropError('MODEL_INVALID', `MLP: ${labels.length} class labels for ${width} output units.`);
  return { input: 'mlp/x', nFeatures: spec.nFeatures, probabilities: 'mlp/probabilities', classLabels: labels, nodes, initializers };
}

/**
 * ONNX bytes of an MLP classifier: input `features` float32 `[N, nFeatures]`, output `probabilities` float32
 * `[N, C]` (softmax). With `scaler`, Sub/Div nodes standardise the input first.
 *
 * @example
 * const bytes = buildMlp({ nFeatures: 51, layers: [{ weights: w0, bias: b0 }, { weights: w1, bias: b1 }] });
 */
export function buildMlp(spec: MlpSpec & EncodeOptions & { scaler?: ScalerSpec }): Uint8Array {
  const graph = mlpGraph(spec);
  return encodeClassifier(spec.scaler ? withScaler(graph, spec.scaler) : graph, spec);
}
