/**
 * A plain-data classifier graph that the builders return and {@link encodeClassifier} turns into ONNX bytes.
 *
 * Builders work on this form rather than on bytes so graphs compose (scaler in front, several models averaged)
 * by renaming tensors, without decoding protobuf.
 */
import { GeoCropError } from '../../contract/errors';
import { encodeModelProto, ONNX_ATTR, ONNX_DTYPE, type AttributeObject, type NodeObject, type TensorObject, type TypeObject, type ValueInfoObject } from './proto';

/** An attribute value: exactly one key. Integers must be safe JS integers (they are written as int64). */
export type AttributeValue =
  | { int: number }
  | { ints: readonly number[] }
  | { float: number }
  | { floats: readonly number[] }
  | { string: string }
  | { strings: readonly string[] };

/** One operator node. `domain` is `''` (default ONNX opset) or `'ai.onnx.ml'`. */
export interface GraphNode {
  opType: string;
  domain?: '' | 'ai.onnx.ml';
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Readonly<Record<string, AttributeValue>>;
}

/** A constant tensor (weights, biases, scaler statistics). Float32 only: all GeoCrop constants are float32. */
export interface GraphTensor {
  name: string;
  /** Shape, e.g. `[in, out]` for a weight matrix (row-major data). */
  dims: readonly number[];
  data: Float32Array;
}

/** Class labels: integers (written as int64) or strings. */
export type ClassLabels = readonly number[] | readonly string[];

/**
 * A classifier as a graph fragment: one float32 input `[N, nFeatures]`, one float32 probability tensor
 * `[N, classLabels.length]` whose column `j` belongs to `classLabels[j]`, and optionally a label tensor `[N]`.
 */
export interface ClassifierGraph {
  input: string;
  nFeatures: number;
  probabilities: string;
  label?: string;
  classLabels: ClassLabels;
  nodes: readonly GraphNode[];
  initializers: readonly GraphTensor[];
}

/** Names and options for the encoded model's interface. */
export interface EncodeOptions {
  /** Graph input name. Default `features`. */
  inputName?: string;
  /** Probability output name. Default `probabilities`. */
  probabilitiesName?: string;
  /** Label output name (graphs that compute a label). Default `label`. */
  labelName?: string;
  /**
   * Emit probabilities as a ZipMap `seq(map(label, float))`, as sklearn/onnxmltools converters do by default.
   * The float tensor feeding it is named `<probabilitiesName>_tensor`. Default false.
   */
  zipMap?: boolean;
  /** `producer_name` of the model. Default `geocrop`. */
  producerName?: string;
  /** Free-text `doc_string` of the model. */
  docString?: string;
}

/** Normalises labels given as numbers, bigints or a BigInt64Array (int64) or strings; checks they are unique. */
export function normaliseLabels(labels: readonly (number | bigint)[] | BigInt64Array | readonly string[]): ClassLabels {
  const list = Array.from(labels as ArrayLike<number | bigint | string>);
  if (list.length === 0) throw new GeoCropError('MODEL_INVALID', 'classLabels is empty: give one label per class.');
  let out: ClassLabels;
  if (list.every((l) => typeof l === 'string')) out = list as string[];
  else if (list.every((l) => typeof l !== 'string')) {
    out = list.map((l) => {
      const n = Number(l);
      if (!Number.isSafeInteger(n)) throw new GeoCropError('MODEL_INVALID', `class label ${String(l)} is not a safe integer (|label| < 2^53).`);
      return n;
    });
  } else throw new GeoCropError('MODEL_INVALID', 'classLabels mixes numbers and strings: use one kind.');
  if (new Set<number | string>(out).size !== out.length) throw new GeoCropError('MODEL_INVALID', 'classLabels has duplicates: each class needs its own label.');
  return out;
}

/** Every tensor name a graph mentions (input, node inputs/outputs, initializers). */
export function tensorNames(g: ClassifierGraph): Set<string> {
  const names = new Set<string>([g.input, g.probabilities]);
  if (g.label) names.add(g.label);
  for (const n of g.nodes) for (const t of [...n.inputs, ...n.outputs]) if (t) names.add(t);
  for (const t of g.initializers) names.add(t.name);
  return names;
}

/** The same graph with every tensor renamed by `rename` (empty optional-input names stay empty). */
export function renameGraph(g: ClassifierGraph, rename: (name: string) => string): ClassifierGraph {
  const r = (t: string): string => (t === '' ? '' : rename(t));
  return {
    ...g,
    input: r(g.input),
    probabilities: r(g.probabilities),
    ...(g.label !== undefined ? { label: r(g.label) } : {}),
    nodes: g.nodes.map((n) => ({ ...n, inputs: n.inputs.map(r), outputs: n.outputs.map(r) })),
    initializers: g.initializers.map((t) => ({ ...t, name: r(t.name) })),
  };
}

/** Prefixes every tensor name with `prefix`, except the input, which becomes `inputName`. */
export function prefixGraph(g: ClassifierGraph, prefix: string, inputName: string): ClassifierGraph {
  return renameGraph(g, (t) => (t === g.input ? inputName : `${prefix}${t}`));
}

function attribute(name: string, v: AttributeValue): AttributeObject {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  const int = (x: number): number => {
    if (!Number.isSafeInteger(x)) throw new GeoCropError('INTERNAL', `attribute ${name}: ${x} is not a safe integer.`);
    return x;
  };
  if ('int' in v) return { name, type: ONNX_ATTR.INT, i: int(v.int) };
  if ('ints' in v) return { name, type: ONNX_ATTR.INTS, ints: v.ints.map(int) };
  if ('float' in v) return { name, type: ONNX_ATTR.FLOAT, f: v.float };
  if ('floats' in v) return { name, type: ONNX_ATTR.FLOATS, floats: [...v.floats] };
  if ('string' in v) return { name, type: ONNX_ATTR.STRING, s: enc(v.string) };
  return { name, type: ONNX_ATTR.STRINGS, strings: v.strings.map(enc) };
}

function tensor(t: GraphTensor): TensorObject {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (count !== t.data.length) throw new GeoCropError('INTERNAL', `tensor ${t.name}: dims [${t.dims.join(', ')}] hold ${count} values but data has ${t.data.length}.`);
  // raw_data is little-endian; copy through a DataView so a big-endian host would still write LE.
  const raw = new Uint8Array(t.data.length * 4);
  const view = new DataView(raw.buffer);
  t.data.forEach((x, i) => view.setFloat32(i * 4, x, true));
  return { name: t.name, dims: [...t.dims], dataType: ONNX_DTYPE.FLOAT, rawData: raw };
}

const tensorType = (elemType: number, dims?: (number | string)[]): TypeObject => ({
  tensorType: { elemType, ...(dims ? { shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } : {}) },
});

/** `classlabels_int64s` or `classlabels_strings`, as ai.onnx.ml classifiers and ZipMap take them. */
export function classLabelAttribute(labels: ClassLabels): Record<string, AttributeValue> {
  return typeof labels[0] === 'string' ? { classlabels_strings: { strings: labels as readonly string[] } } : { classlabels_int64s: { ints: labels as readonly number[] } };
}

/**
 * Serialises a classifier graph to ONNX model bytes (IR version 8; opsets `''` 17 and, when used,
 * `ai.onnx.ml` 3) with input `[N, nFeatures]` float32 and outputs `label` (when computed) and `probabilities`.
 *
 * @example
 * const bytes = encodeClassifier(withScaler(mlpGraph(mlp), scaler), { zipMap: false });
 * const session = await ort.InferenceSession.create(bytes);
 */
export function encodeClassifier(g: ClassifierGraph, options: EncodeOptions = {}): Uint8Array {
  const inputName = options.inputName ?? 'features';
  const probName = options.probabilitiesName ?? 'probabilities';
  const labelName = options.labelName ?? 'label';
  const zipMap = options.zipMap ?? false;
  const probTensor = zipMap ? `${probName}_tensor` : probName;
  const publicNames = new Map<string, string>([[g.input, inputName], [g.probabilities, probTensor]]);
  if (g.label !== undefined) publicNames.set(g.label, labelName);
  const publicList = [inputName, probName, ...(zipMap ? [probTensor] : []), ...(g.label !== undefined ? [labelName] : [])];
  const reserved = new Set(publicList);
  if (reserved.size !== publicList.length) throw new GeoCropError('MODEL_INVALID', `input and output names must differ (got ${publicList.join(', ')}).`);
  for (const t of tensorNames(g)) {
    if (!publicNames.has(t) && reserved.has(t)) throw new GeoCropError('MODEL_INVALID', `internal tensor "${t}" clashes with a public name: choose other input/output names.`);
  }
  const graph = renameGraph(g, (t) => publicNames.get(t) ?? t);
  const numericLabels = typeof g.classLabels[0] === 'number';
  const labelType = numericLabels ? ONNX_DTYPE.INT64 : ONNX_DTYPE.STRING;
  const nodes: GraphNode[] = [...graph.nodes];
  if (zipMap) nodes.push({ opType: 'ZipMap', domain: 'ai.onnx.ml', inputs: [probTensor], outputs: [probName], attributes: classLabelAttribute(g.classLabels) });

  const outputs: ValueInfoObject[] = [];
  if (g.label !== undefined) outputs.push({ name: labelName, type: tensorType(labelType, ['N']) });
  outputs.push(zipMap
    ? { name: probName, type: { sequenceType: { elemType: { mapType: { keyType: labelType, valueType: tensorType(ONNX_DTYPE.FLOAT) } } } } }
    : { name: probName, type: tensorType(ONNX_DTYPE.FLOAT, ['N', g.classLabels.length]) });

  const usesMl = nodes.some((n) => n.domain === 'ai.onnx.ml');
  return encodeModelProto({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }, ...(usesMl ? [{ domain: 'ai.onnx.ml', version: 3 }] : [])],
    producerName: options.producerName ?? 'geocrop',
    ...(options.docString ? { docString: options.docString } : {}),
    graph: {
      name: 'geocrop_classifier',
      node: nodes.map((n, i): NodeObject => ({
        name: `${n.opType.toLowerCase()}_${i}`,
        opType: n.opType,
        domain: n.domain ?? '',
        input: [...n.inputs],
        output: [...n.outputs],
        attribute: Object.entries(n.attributes ?? {}).map(([k, v]) => attribute(k, v)),
      })),
      initializer: graph.initializers.map(tensor),
      input: [{ name: inputName, type: tensorType(ONNX_DTYPE.FLOAT, ['N', g.nFeatures]) }],
      output: outputs,
    },
  });
}
