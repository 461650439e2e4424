/**
 * Reading ONNX model bytes at the protobuf wire level: a summary of the graph (opsets, inputs, outputs, nodes and
 * their class labels), and the one rewrite inference needs (expose the tensor that feeds a ZipMap).
 *
 * Wire level rather than decode/re-encode through `proto.ts`: a model from a converter carries fields that subset
 * does not declare (value_info, metadata, functions, external data…), and a decode/encode round trip would drop
 * them. Here every field not touched is copied byte for byte. Uses only protobufjs' minimal Reader/Writer (no
 * reflection, no code generation), so it is small and CSP-friendly in the browser.
 */
import minimal from 'protobufjs/minimal';
import { GeoCropError } from '../../contract/errors';

type Reader = minimal.Reader;

/** What a graph input or output holds. */
export type OnnxValueKind = 'tensor' | 'sequence' | 'map' | 'other';

/** One graph input or output. */
export interface OnnxValueInfo {
  name: string;
  kind: OnnxValueKind;
}

/** One node of the main graph. `classLabels` is set for nodes with a `classlabels_int64s`/`_strings` attribute. */
export interface OnnxNodeInfo {
  opType: string;
  /** `''` for the default ONNX domain (also when the file says `ai.onnx`). */
  domain: string;
  inputs: string[];
  outputs: string[];
  classLabels?: number[] | string[];
}

/** The parts of a model GeoCrop checks before running it. */
export interface OnnxSummary {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  nodes: OnnxNodeInfo[];
}

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

function invalid(message: string): GeoCropError {
  return new GeoCropError('MODEL_INVALID', `model.onnx: ${message}`);
}

/** An int64 as protobufjs returns it (a number, or a Long when the `long` package is loadable) → number. */
function toNumber(v: number | { low: number; high: number }): number {
  return typeof v === 'number' ? v : v.high * 4294967296 + (v.low >>> 0);
}

/**
 * Calls `visit(field, wireType, tagStart)` for each field up to `end`; a visitor that does not read the value
 * returns false and the value is skipped.
 */
function eachField(r: Reader, end: number, visit: (field: number, wire: number, tagStart: number) => boolean): void {
  while (r.pos < end) {
    const tagStart = r.pos;
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 0) throw invalid('corrupt protobuf (field number 0): the file is not an ONNX model or is truncated.');
    if (!visit(field, wire, tagStart)) r.skipType(wire);
  }
  if (r.pos !== end) throw invalid('corrupt protobuf (a field overruns its message): the file is truncated or not an ONNX model.');
}

/** Position just after a length-delimited value's length prefix, and the value's end. */
function lenRange(r: Reader): [number, number] {
  const len = r.uint32();
  const start = r.pos;
  if (start + len > r.len) throw invalid('corrupt protobuf (a length runs past the end of the file): the file is truncated.');
  return [start, start + len];
}

/** Repeated int64 field value(s), packed or not. */
function readInt64s(r: Reader, wire: number, into: number[]): void {
  if (wire === WIRE_LEN) {
    const [, end] = lenRange(r);
    while (r.pos < end) into.push(toNumber(r.int64()));
  } else into.push(toNumber(r.int64()));
}

function readValueInfo(r: Reader, end: number): OnnxValueInfo {
  let name = '';
  let kind: OnnxValueKind = 'other';
  eachField(r, end, (field, wire) => {
    if (field === 1 && wire === WIRE_LEN) {
      name = r.string();
      return true;
    }
    if (field === 2 && wire === WIRE_LEN) {
      const [, typeEnd] = lenRange(r);
      eachField(r, typeEnd, (f) => {
        // TypeProto oneof: 1 tensor_type, 4 sequence_type, 5 map_type (others: sparse, optional, opaque).
        kind = f === 1 ? 'tensor' : f === 4 ? 'sequence' : f === 5 ? 'map' : kind;
        return false;
      });
      return true;
    }
    return false;
  });
  return { name, kind };
}

const CLASS_LABEL_ATTRIBUTES = new Set(['classlabels_int64s', 'classlabels_strings']);

function readAttributeLabels(r: Reader, end: number): { name: string; ints: number[]; strings: string[] } {
  let name = '';
  const ints: number[] = [];
  const strings: string[] = [];
  // Tree ensembles carry huge int and string lists (node ids, modes). Writers put the name (field 1) first, so
  // any other attribute is skipped whole as soon as it is named; values seen before the name are only located,
  // and decoded once the name says they are class labels.
  const values: [field: number, valueStart: number, wire: number][] = [];
  eachField(r, end, (field, wire) => {
    if (field === 1 && wire === WIRE_LEN) {
      name = r.string();
      if (!CLASS_LABEL_ATTRIBUTES.has(name)) r.pos = end;
      return true;
    }
    if (field === 8 || field === 9) {
      values.push([field, r.pos, wire]);
      r.skipType(wire);
      return true;
    }
    return false;
  });
  const wanted = name === 'classlabels_int64s' ? 8 : name === 'classlabels_strings' ? 9 : 0;
  if (wanted) {
    const back = r.pos;
    const decoder = new TextDecoder();
    for (const [field, valueStart, wire] of values) {
      if (field !== wanted) continue;
      r.pos = valueStart;
      if (field === 8) readInt64s(r, wire, ints);
      else if (wire === WIRE_LEN) {
        const [s, e] = lenRange(r);
        strings.push(decoder.decode(r.buf.subarray(s, e)));
      }
    }
    r.pos = back;
  }
  return { name, ints, strings };
}

function readNode(r: Reader, end: number): OnnxNodeInfo {
  const node: OnnxNodeInfo = { opType: '', domain: '', inputs: [], outputs: [] };
  eachField(r, end, (field, wire) => {
    if (wire !== WIRE_LEN) return false;
    if (field === 1) node.inputs.push(r.string());
    else if (field === 2) node.outputs.push(r.string());
    else if (field === 4) node.opType = r.string();
    else if (field === 7) {
      const d = r.string();
      node.domain = d === 'ai.onnx' ? '' : d;
    } else if (field === 5) {
      const [, attrEnd] = lenRange(r);
      const a = readAttributeLabels(r, attrEnd);
      if (a.name === 'classlabels_int64s') node.classLabels = a.ints;
      else if (a.name === 'classlabels_strings') node.classLabels = a.strings;
    } else return false;
    return true;
  });
  return node;
}

/** The byte range of the main graph (ModelProto field 7); other top-level fields go to `visitModelField`. */
function withGraph(bytes: Uint8Array, visitModelField?: (field: number, wire: number, r: Reader) => boolean): [number, number] {
  const r = minimal.Reader.create(bytes);
  let graph: [number, number] | undefined;
  eachField(r, bytes.length, (field, wire) => {
    if (field === 7 && wire === WIRE_LEN) {
      graph = lenRange(r);
      r.pos = graph[1];
      return true;
    }
    return visitModelField ? visitModelField(field, wire, r) : false;
  });
  if (!graph) throw invalid('no graph: the file is not an ONNX model (or is empty).');
  return graph;
}

/**
 * Summarises an ONNX model: IR version, opsets, main-graph inputs/outputs (tensor or not) and nodes (op type,
 * domain, tensor names, class labels). Subgraphs (If/Loop bodies) are not descended into.
 *
 * @throws GeoCropError `MODEL_INVALID` when the bytes are not a well-formed ONNX model.
 */
export function inspectOnnx(bytes: Uint8Array): OnnxSummary {
  const summary: OnnxSummary = { irVersion: 0, opsets: [], inputs: [], outputs: [], nodes: [] };
  try {
    const [gStart, gEnd] = withGraph(bytes, (field, wire, r) => {
      if (field === 1 && wire === WIRE_VARINT) {
        summary.irVersion = toNumber(r.int64());
        return true;
      }
      if (field === 8 && wire === WIRE_LEN) {
        const [, end] = lenRange(r);
        const opset = { domain: '', version: 0 };
        eachField(r, end, (f, w) => {
          if (f === 1 && w === WIRE_LEN) opset.domain = r.string();
          else if (f === 2 && w === WIRE_VARINT) opset.version = toNumber(r.int64());
          else return false;
          return true;
        });
        if (opset.domain === 'ai.onnx') opset.domain = '';
        summary.opsets.push(opset);
        return true;
      }
      return false;
    });
    const r = minimal.Reader.create(bytes);
    r.pos = gStart;
    eachField(r, gEnd, (field, wire) => {
      if (wire !== WIRE_LEN || (field !== 1 && field !== 11 && field !== 12)) return false;
      const [, end] = lenRange(r);
      if (field === 1) summary.nodes.push(readNode(r, end));
      else (field === 11 ? summary.inputs : summary.outputs).push(readValueInfo(r, end));
      return true;
    });
  } catch (err) {
    if (err instanceof GeoCropError) throw err;
    // protobufjs throws RangeError ("index out of range") on truncated input.
    throw invalid(`cannot be read as ONNX (${(err as Error).message}).`);
  }
  if (summary.irVersion === 0) throw invalid('no ir_version: the file is not an ONNX model.');
  return summary;
}

/** Result of {@link exposeZipMapInput}. */
export interface ZipMapExposed {
  /** The rewritten model. */
  bytes: Uint8Array;
  /** The float tensor `[N, C]` that fed the ZipMap, now a graph output in the ZipMap output's place. */
  tensor: string;
  /** The ZipMap's class labels (its map keys, i.e. the tensor's column labels). */
  labels?: number[] | string[];
}

function valueInfoBytes(name: string): Uint8Array {
  // ValueInfoProto { name = 1; type = 2 { tensor_type = 1 { elem_type = 1 (FLOAT) } } }; the shape is left to
  // onnxruntime's inference.
  const w = minimal.Writer.create();
  w.uint32((1 << 3) | WIRE_LEN).string(name);
  w.uint32((2 << 3) | WIRE_LEN).fork().uint32((1 << 3) | WIRE_LEN).fork().uint32((1 << 3) | WIRE_VARINT).int32(1).ldelim().ldelim();
  return w.finish();
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Rewrites a model whose output `output` is a ZipMap `seq(map(label, float))` so that the ZipMap is gone and the
 * float tensor that fed it is a graph output instead (onnxruntime-web can only return tensors). Every other byte
 * of the model is kept.
 *
 * @throws GeoCropError `MODEL_INVALID` when no ZipMap node produces `output`.
 */
export function exposeZipMapInput(bytes: Uint8Array, output: string): ZipMapExposed {
  const summary = inspectOnnx(bytes);
  const zipMap = summary.nodes.find((n) => n.opType === 'ZipMap' && n.domain === 'ai.onnx.ml' && n.outputs[0] === output);
  if (!zipMap) throw invalid(`output "${output}" is not produced by a ZipMap node: set output.format to "tensor" or name the ZipMap's output.`);
  const tensor = zipMap.inputs[0];
  const alreadyOutput = summary.outputs.some((o) => o.name === tensor);

  const [gStart, gEnd] = withGraph(bytes);
  const r = minimal.Reader.create(bytes);
  r.pos = gStart;
  const graphChunks: Uint8Array[] = [];
  eachField(r, gEnd, (field, wire, tagStart) => {
    if (wire === WIRE_LEN && (field === 1 || field === 12)) {
      const [s, e] = lenRange(r);
      r.pos = e;
      const payload = bytes.subarray(s, e);
      if (field === 1) {
        const node = readNode(minimal.Reader.create(payload), payload.length);
        if (node.opType === 'ZipMap' && node.outputs[0] === output) return true;
      } else if (readValueInfo(minimal.Reader.create(payload), payload.length).name === output) {
        if (!alreadyOutput) graphChunks.push(minimal.Writer.create().uint32((12 << 3) | WIRE_LEN).bytes(valueInfoBytes(tensor)).finish());
        return true;
      }
    } else r.skipType(wire);
    graphChunks.push(bytes.subarray(tagStart, r.pos));
    return true;
  });
  // Re-emit the model: every top-level field but the graph verbatim, then the new graph.
  const top = minimal.Reader.create(bytes);
  const modelChunks: Uint8Array[] = [];
  eachField(top, bytes.length, (field, wire, tagStart) => {
    top.skipType(wire);
    if (!(field === 7 && wire === WIRE_LEN)) modelChunks.push(bytes.subarray(tagStart, top.pos));
    return true;
  });
  const graph = concat(graphChunks);
  modelChunks.push(minimal.Writer.create().uint32((7 << 3) | WIRE_LEN).bytes(graph).finish());
  return { bytes: concat(modelChunks), tensor, ...(zipMap.classLabels ? { labels: zipMap.classLabels } : {}) };
}
