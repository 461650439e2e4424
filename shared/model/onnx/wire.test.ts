import minimal from 'protobufjs/minimal';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGeoCropError } from '../../contract/errors';
import { prng, randomTrees } from '../testing/reference';
import { buildMlp } from './mlp';
import { randomMlp } from '../testing/reference';
import { buildTreeEnsembleClassifier } from './tree-ensemble';
import { exposeZipMapInput, inspectOnnx } from './wire';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

const zipModel = (labels: number[] | string[]) =>
  buildTreeEnsembleClassifier({ nFeatures: 3, classLabels: labels, trees: randomTrees(prng(30), { nFeatures: 3, nClasses: labels.length, nTrees: 4, depth: 2, leaves: 'probability' }), zipMap: true, aggregate: 'AVERAGE' });

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** A model plus fields the builders never write: a metadata entry, an unknown top-level field, graph value_info. */
function withForeignFields(bytes: Uint8Array): { bytes: Uint8Array; marker: Uint8Array; valueInfo: Uint8Array } {
  const metadata = minimal.Writer.create().uint32((14 << 3) | 2).fork().uint32((1 << 3) | 2).string('converter').uint32((2 << 3) | 2).string('skl2onnx 1.17 marker').ldelim().finish();
  const unknown = minimal.Writer.create().uint32((1000 << 3) | 2).bytes(Uint8Array.of(0xde, 0xad, 0xbe, 0xef)).finish();
  // Rebuild the graph field with a value_info entry (field 13) appended.
  const valueInfo = minimal.Writer.create().uint32((13 << 3) | 2).fork().uint32((1 << 3) | 2).string('probabilities_tensor').uint32((3 << 3) | 2).string('doc kept').ldelim().finish();
  const r = minimal.Reader.create(bytes);
  const parts: Uint8Array[] = [];
  while (r.pos < r.len) {
    const start = r.pos;
    const tag = r.uint32();
    if (tag === ((7 << 3) | 2)) {
      const graph = r.bytes();
      const grown = new Uint8Array(graph.length + valueInfo.length);
      grown.set(graph);
      grown.set(valueInfo, graph.length);
      parts.push(minimal.Writer.create().uint32(tag).bytes(grown).finish());
    } else {
      r.skipType(tag & 7);
      parts.push(bytes.subarray(start, r.pos));
    }
  }
  parts.push(metadata, unknown);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return { bytes: out, marker: new TextEncoder().encode('skl2onnx 1.17 marker'), valueInfo };
}

describe('inspectOnnx', () => {
  it('reads opsets, inputs, outputs, nodes and int64/string class labels', () => {
    const summary = inspectOnnx(zipModel(['a', 'b', 'c']));
    expect(summary.irVersion).toBe(8);
    expect(summary.inputs).toEqual([{ name: 'features', kind: 'tensor' }]);
    expect(summary.nodes.map((n) => [n.opType, n.domain, n.classLabels])).toEqual([
      ['TreeEnsembleClassifier', 'ai.onnx.ml', ['a', 'b', 'c']],
      ['ZipMap', 'ai.onnx.ml', ['a', 'b', 'c']],
    ]);
    expect(inspectOnnx(zipModel([-3, 0, 2 ** 40])).nodes[0].classLabels).toEqual([-3, 0, 2 ** 40]);
  });

  it('reads class labels whatever the field order and packing (values before the name, packed ints)', () => {
    const W = () => minimal.Writer.create();
    const attribute = (build: (w: minimal.Writer) => void) => {
      const w = W();
      build(w);
      return w.finish();
    };
    const unpackedFirst = attribute((w) => w.uint32(8 << 3).int64(3).uint32(8 << 3).int64(-4).uint32((1 << 3) | 2).string('classlabels_int64s').uint32(20 << 3).int32(7));
    const packed = attribute((w) => w.uint32((1 << 3) | 2).string('classlabels_int64s').uint32((8 << 3) | 2).fork().int64(5).int64(6).ldelim());
    const stringsFirst = attribute((w) => w.uint32((9 << 3) | 2).string('b').uint32((9 << 3) | 2).string('a').uint32((1 << 3) | 2).string('classlabels_strings'));
    const other = attribute((w) => w.uint32((9 << 3) | 2).string('BRANCH_LEQ').uint32((1 << 3) | 2).string('nodes_modes'));
    const node = (attr: Uint8Array[]) => {
      const w = W().uint32((4 << 3) | 2).string('ZipMap').uint32((7 << 3) | 2).string('ai.onnx.ml');
      for (const a of attr) w.uint32((5 << 3) | 2).bytes(a);
      return w.finish();
    };
    const graph = W();
    for (const n of [node([unpackedFirst]), node([packed]), node([other, stringsFirst])]) graph.uint32((1 << 3) | 2).bytes(n);
    const model = W().uint32(1 << 3).int64(8).uint32((7 << 3) | 2).bytes(graph.finish()).finish();
    expect(inspectOnnx(model).nodes.map((n) => n.classLabels)).toEqual([[3, -4], [5, 6], ['b', 'a']]);
  });

  it('rejects bytes that are not an ONNX model with MODEL_INVALID', () => {
    const good = buildMlp({ nFeatures: 2, layers: randomMlp(prng(31), [2, 2]) });
    for (const bad of [new Uint8Array(0), new TextEncoder().encode('{"not": "onnx"}'), good.subarray(0, good.length - 7), Uint8Array.of(0x3a, 0x05, 0x01)]) {
      let err: unknown;
      try {
        inspectOnnx(bad);
      } catch (e) {
        err = e;
      }
      expect(isGeoCropError(err, 'MODEL_INVALID'), `${bad.length} bytes`).toBe(true);
      expect((err as Error).message).toMatch(/^model\.onnx: /);
    }
  });
});

describe('exposeZipMapInput', () => {
  it('removes the ZipMap, outputs its float input instead, and onnxruntime-web can then read it', async () => {
    const original = zipModel([4, 5, 6]);
    const exposed = exposeZipMapInput(original, 'probabilities');
    expect(exposed.tensor).toBe('probabilities_tensor');
    expect(exposed.labels).toEqual([4, 5, 6]);
    const summary = inspectOnnx(exposed.bytes);
    expect(summary.outputs).toEqual([{ name: 'label', kind: 'tensor' }, { name: 'probabilities_tensor', kind: 'tensor' }]);
    expect(summary.nodes.map((n) => n.opType)).toEqual(['TreeEnsembleClassifier']);

    const session = await ort.InferenceSession.create(exposed.bytes);
    const out = await session.run({ features: new ort.Tensor('float32', new Float32Array([0.2, 0.5, 0.9, 0.7, 0.1, 0.3]), [2, 3]) }, ['probabilities_tensor']);
    await session.release();
    expect(out.probabilities_tensor.dims).toEqual([2, 3]);
    const sums = [0, 1].map((r) => Array.from(out.probabilities_tensor.data as Float32Array).slice(r * 3, r * 3 + 3).reduce((a, b) => a + b, 0));
    expect(sums[0]).toBeCloseTo(1, 5);
    expect(sums[1]).toBeCloseTo(1, 5);
  });

  it('keeps fields it does not know byte for byte (metadata, unknown fields, value_info)', async () => {
    const foreign = withForeignFields(zipModel(['x', 'y']));
    expect(inspectOnnx(foreign.bytes).outputs.map((o) => o.kind)).toEqual(['tensor', 'sequence']);
    const exposed = exposeZipMapInput(foreign.bytes, 'probabilities');
    expect(indexOfBytes(exposed.bytes, foreign.marker)).toBeGreaterThan(0);
    expect(indexOfBytes(exposed.bytes, Uint8Array.of(0xde, 0xad, 0xbe, 0xef))).toBeGreaterThan(0);
    expect(indexOfBytes(exposed.bytes, foreign.valueInfo)).toBeGreaterThan(0);
    // Still a model onnxruntime accepts.
    const session = await ort.InferenceSession.create(exposed.bytes);
    expect(session.outputNames).toEqual(['label', 'probabilities_tensor']);
    await session.release();
  });

  it('refuses an output that no ZipMap produces', () => {
    expect(() => exposeZipMapInput(zipModel([1, 2]), 'label')).toThrow(/output "label" is not produced by a ZipMap node/);
  });
});
