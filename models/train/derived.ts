/**
 * Features computed from a model's input columns inside its graph: differences `a − b` (e.g. a band's change
 * between two half-years) and normalised differences `(a − b) / (a + b)` (NDMI-like band indices). The model
 * then keeps the input columns the app already provides, and the derived columns cost nothing to add at inference.
 *
 * Both sides compute in float32 with the same operations, so the TypeScript columns the learners see and the
 * graph's columns are bit-identical (a MatMul with one +1 and one −1 per column adds exact zeros, and float64
 * arithmetic rounded once to float32 equals float32 arithmetic for + − ÷), and trees route rows identically.
 */
import { GeoCropError } from '../../shared/contract/errors';
import type { ClassifierGraph, GraphNode, GraphTensor } from '../../shared/model/onnx';
import type { Matrix } from './types';

/** Pairs of input feature names, `[a, b]`. */
export type FeaturePair = readonly [string, string];

/** Derived columns, appended after the inputs: all differences, then all normalised differences, each in order. */
export interface DerivedFeatures {
  /** `a − b`. */
  differences: readonly FeaturePair[];
  /** `(a − b) / (a + b)`. */
  normalisedDifferences: readonly FeaturePair[];
}

/** No derived columns. */
export const NO_DERIVED: DerivedFeatures = { differences: [], normalisedDifferences: [] };

/** True when there is at least one derived column. */
export function hasDerived(d: DerivedFeatures): boolean {
  return d.differences.length + d.normalisedDifferences.length > 0;
}

/** Display names of the derived columns, in column order: `a-b` and `nd(a,b)`. */
export function derivedNames(d: DerivedFeatures): string[] {
  return [...d.differences.map(([a, b]) => `${a}-${b}`), ...d.normalisedDifferences.map(([a, b]) => `nd(${a},${b})`)];
}

/**
 * `a − b` for every feature pair `x<from>`, `x<to>` of `names` (e.g. suffixes `_S1`, `_S2`: `NDVI_S1 − NDVI_S2`
 * for each variable measured in both half-years), in the order of `names`.
 */
export function suffixPairs(names: readonly string[], from: string, to: string): FeaturePair[] {
  const out: FeaturePair[] = [];
  for (const a of names) {
    if (!a.endsWith(from)) continue;
    const b = a.slice(0, a.length - from.length) + to;
    if (names.includes(b)) out.push([a, b]);
  }
  return out;
}

function columns(d: DerivedFeatures, inputs: readonly string[]): { diff: [number, number][]; nd: [number, number][] } {
  const index = (name: string): number => {
    const k = inputs.indexOf(name);
    if (k < 0) throw new GeoCropError('MODEL_INVALID', `Derived feature: "${name}" is not an input feature (${inputs.join(', ')}).`);
    return k;
  };
  const pair = ([a, b]: FeaturePair): [number, number] => {
    if (a === b) throw new GeoCropError('MODEL_INVALID', `Derived feature: "${a}" paired with itself is constant.`);
    return [index(a), index(b)];
  };
  return { diff: d.differences.map(pair), nd: d.normalisedDifferences.map(pair) };
}

/**
 * `x` with the derived columns appended (float32, as the graph computes them).
 *
 * @throws GeoCropError `MODEL_INVALID` for an unknown name, or a row where a normalised difference divides by
 *   zero (the graph would feed NaN or ±∞ to the model).
 */
export function appendDerived(x: Matrix, inputs: readonly string[], d: DerivedFeatures): Matrix {
  if (!hasDerived(d)) return x;
  if (inputs.length !== x.cols) throw new RangeError(`${inputs.length} input names for ${x.cols} columns`);
  const { diff, nd } = columns(d, inputs);
  const cols = x.cols + diff.length + nd.length;
  const data = new Float32Array(x.rows * cols);
  for (let r = 0; r < x.rows; r++) {
    const src = r * x.cols;
    const dst = r * cols;
    data.set(x.data.subarray(src, src + x.cols), dst);
    let k = dst + x.cols;
    for (const [a, b] of diff) data[k++] = x.data[src + a] - x.data[src + b];
    for (const [a, b] of nd) {
      const va = x.data[src + a];
      const vb = x.data[src + b];
      const v = Math.fround(Math.fround(va - vb) / Math.fround(va + vb));
      if (!Number.isFinite(v)) throw new GeoCropError('MODEL_INVALID', `Derived feature nd(${inputs[a]},${inputs[b]}) is not finite in row ${r + 1} (${inputs[a]} + ${inputs[b]} = 0).`);
      data[k++] = v;
    }
  }
  return { data, rows: x.rows, cols };
}

/** A `[p × m]` float32 matrix whose column `j` has `+1` at row `a` and `sign` at row `b` of pair `j`. */
function pairMatrix(name: string, p: number, pairs: readonly [number, number][], sign: 1 | -1): GraphTensor {
  const data = new Float32Array(p * pairs.length);
  pairs.forEach(([a, b], j) => {
    data[a * pairs.length + j] = 1;
    data[b * pairs.length + j] = sign;
  });
  return { name, dims: [p, pairs.length], data };
}

/**
 * `graph` (which reads `inputs.length + derived` columns) behind nodes that compute the derived columns from the
 * `inputs.length` raw inputs: the result reads the raw inputs only.
 */
export function withDerivedFeatures(graph: ClassifierGraph, inputs: readonly string[], d: DerivedFeatures): ClassifierGraph {
  if (!hasDerived(d)) return graph;
  const { diff, nd } = columns(d, inputs);
  const p = inputs.length;
  if (graph.nFeatures !== p + diff.length + nd.length) {
    throw new GeoCropError('MODEL_INVALID', `Derived features: the model reads ${graph.nFeatures} columns but ${p} inputs + ${diff.length + nd.length} derived = ${p + diff.length + nd.length}.`);
  }
  const x = 'derived/x';
  const nodes: GraphNode[] = [];
  const initializers: GraphTensor[] = [];
  const parts = [x];
  if (diff.length) {
    initializers.push(pairMatrix('derived/diff_w', p, diff, -1));
    nodes.push({ opType: 'MatMul', inputs: [x, 'derived/diff_w'], outputs: ['derived/diff'] });
    parts.push('derived/diff');
  }
  if (nd.length) {
    initializers.push(pairMatrix('derived/nd_minus_w', p, nd, -1), pairMatrix('derived/nd_plus_w', p, nd, 1));
    nodes.push(
      { opType: 'MatMul', inputs: [x, 'derived/nd_minus_w'], outputs: ['derived/nd_minus'] },
      { opType: 'MatMul', inputs: [x, 'derived/nd_plus_w'], outputs: ['derived/nd_plus'] },
      { opType: 'Div', inputs: ['derived/nd_minus', 'derived/nd_plus'], outputs: ['derived/nd'] },
    );
    parts.push('derived/nd');
  }
  nodes.push({ opType: 'Concat', inputs: parts, outputs: ['derived/columns'], attributes: { axis: { int: 1 } } });
  // The model's own tensors get a prefix no derived tensor uses, and its input becomes the concatenation.
  const rename = (t: string): string => (t === '' ? '' : t === graph.input ? 'derived/columns' : `model/${t}`);
  return {
    input: x,
    nFeatures: p,
    probabilities: rename(graph.probabilities),
    ...(graph.label !== undefined ? { label: rename(graph.label) } : {}),
    classLabels: graph.classLabels,
    nodes: [...nodes, ...graph.nodes.map((n) => ({ ...n, inputs: n.inputs.map(rename), outputs: n.outputs.map(rename) }))],
    initializers: [...initializers, ...graph.initializers.map((t) => ({ ...t, name: rename(t.name) }))],
  };
}
