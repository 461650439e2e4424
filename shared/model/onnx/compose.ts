/**
 * Composing classifier graphs: a standardising scaler in front of a model, and several models averaged into one
 * graph (e.g. gradient-boosted trees + an MLP exported as a single `model.onnx`).
 *
 * Sub-graphs are always prefixed with a namespace the composer itself never uses, so composing composed graphs
 * cannot collide on tensor names.
 */
import { GeoCropError } from '../../contract/errors';
import { prefixGraph, type ClassifierGraph, type GraphNode, type GraphTensor } from './graph';

/** Per-feature standardisation `(x − mean) / std`, in input-column order. */
export interface ScalerSpec {
  mean: ArrayLike<number>;
  /** Strictly positive. */
  std: ArrayLike<number>;
}

/**
 * `graph` with `Sub(mean)` and `Div(std)` nodes in front of its input, so the resulting graph takes raw
 * features. Record it in the manifest as `scaler.inGraph: true`.
 */
export function withScaler(graph: ClassifierGraph, scaler: ScalerSpec): ClassifierGraph {
  const n = graph.nFeatures;
  if (scaler.mean.length !== n || scaler.std.length !== n) {
    throw new GeoCropError('MODEL_INVALID', `Scaler has ${scaler.mean.length} means and ${scaler.std.length} stds; the model has ${n} features: give one of each per feature.`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scaler.mean[i]) || !(scaler.std[i] > 0) || !Number.isFinite(scaler.std[i])) {
      throw new GeoCropError('MODEL_INVALID', `Scaler feature ${i}: mean must be finite and std finite and > 0 (got ${scaler.mean[i]}, ${scaler.std[i]}).`);
    }
  }
  const inner = prefixGraph(graph, 'scaled/', 'scaler/standardised');
  const initializers: GraphTensor[] = [
    { name: 'scaler/mean', dims: [1, n], data: Float32Array.from(scaler.mean) },
    { name: 'scaler/std', dims: [1, n], data: Float32Array.from(scaler.std) },
  ];
  const nodes: GraphNode[] = [
    { opType: 'Sub', inputs: ['scaler/x', 'scaler/mean'], outputs: ['scaler/centred'] },
    { opType: 'Div', inputs: ['scaler/centred', 'scaler/std'], outputs: ['scaler/standardised'] },
  ];
  return { ...inner, input: 'scaler/x', nodes: [...nodes, ...inner.nodes], initializers: [...initializers, ...inner.initializers] };
}

/**
 * One graph that runs every member on the same input and outputs the mean of their probabilities
 * (`Mean`, or with `weights` the weighted sum `Σ wᵢ·pᵢ / Σ wᵢ`). Members must agree on the number of features and
 * on the class labels, in the same order. The result has no label output (GeoCrop takes the argmax).
 *
 * @example
 * const graph = averageClassifiers([treeEnsembleGraph(trees), withScaler(mlpGraph(mlp), scaler)]);
 * const bytes = encodeClassifier(graph);
 */
export function averageClassifiers(members: readonly ClassifierGraph[], weights?: readonly number[]): ClassifierGraph {
  if (members.length < 2) throw new GeoCropError('MODEL_INVALID', `averageClassifiers needs at least 2 models (got ${members.length}).`);
  const [first] = members;
  members.forEach((m, i) => {
    if (m.nFeatures !== first.nFeatures) throw new GeoCropError('MODEL_INVALID', `Ensemble member ${i} takes ${m.nFeatures} features but member 0 takes ${first.nFeatures}.`);
    const same = m.classLabels.length === first.classLabels.length && m.classLabels.every((l, j) => l === first.classLabels[j]);
    if (!same) throw new GeoCropError('MODEL_INVALID', `Ensemble member ${i} has class labels [${m.classLabels.join(', ')}] but member 0 has [${first.classLabels.join(', ')}]: members must agree, in the same order.`);
  });
  if (weights && (weights.length !== members.length || !weights.every((w) => Number.isFinite(w) && w >= 0) || !weights.some((w) => w > 0))) {
    throw new GeoCropError('MODEL_INVALID', `Ensemble weights must be one finite, non-negative number per member with a positive sum (got [${weights.join(', ')}]).`);
  }
  const prefixed = members.map((m, i) => prefixGraph(m, `member${i}/`, 'ensemble/x'));
  const nodes: GraphNode[] = prefixed.flatMap((m) => m.nodes);
  const initializers: GraphTensor[] = prefixed.flatMap((m) => m.initializers);
  if (!weights) {
    nodes.push({ opType: 'Mean', inputs: prefixed.map((m) => m.probabilities), outputs: ['ensemble/probabilities'] });
  } else {
    const total = weights.reduce((a, b) => a + b, 0);
    prefixed.forEach((m, i) => {
      initializers.push({ name: `ensemble/w${i}`, dims: [], data: Float32Array.of(weights[i] / total) });
      nodes.push({ opType: 'Mul', inputs: [m.probabilities, `ensemble/w${i}`], outputs: [`ensemble/weighted${i}`] });
    });
    nodes.push({ opType: 'Sum', inputs: prefixed.map((_, i) => `ensemble/weighted${i}`), outputs: ['ensemble/probabilities'] });
  }
  return {
    input: 'ensemble/x',
    nFeatures: first.nFeatures,
    probabilities: 'ensemble/probabilities',
    classLabels: first.classLabels,
    nodes,
    initializers,
  };
}
