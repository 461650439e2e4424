/**
 * The subset of `onnx.proto` (ONNX 1.x, proto2) that GeoCrop's graph builders write, as protobufjs reflection types.
 *
 * Hand-written on purpose: the only npm package with generated ONNX types (`onnx-proto`) needs protobufjs 6, and
 * there is no maintained one for protobufjs 7 (the version onnxruntime-web already brings). Field numbers, labels
 * and `packed` options are copied from upstream onnx.proto so that a reader can diff the two; fields GeoCrop never
 * writes are left out (a reader that meets them in other models must not decode through these types — see
 * `wire.ts`, which works on the wire format and keeps unknown fields byte for byte).
 *
 * Encoding only: this module pulls in the full protobufjs build (parser + codegen), which the inference path
 * (browser) does not need.
 */
import protobuf from 'protobufjs';
import { GeoCropError } from '../../contract/errors';

const ONNX_SUBSET_PROTO = `
syntax = "proto2";
package onnx;

message AttributeProto {
  enum AttributeType {
    UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; SPARSE_TENSOR = 11; TYPE_PROTO = 13;
    FLOATS = 6; INTS = 7; STRINGS = 8; TENSORS = 9; GRAPHS = 10; SPARSE_TENSORS = 12; TYPE_PROTOS = 14;
  }
  optional string name = 1;
  optional string doc_string = 13;
  optional AttributeType type = 20;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
}

message ValueInfoProto {
  optional string name = 1;
  optional TypeProto type = 2;
  optional string doc_string = 3;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  optional string domain = 7;
  repeated AttributeProto attribute = 5;
  optional string doc_string = 6;
}

message StringStringEntryProto {
  optional string key = 1;
  optional string value = 2;
}

message ModelProto {
  optional int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional string domain = 4;
  optional int64 model_version = 5;
  optional string doc_string = 6;
  optional GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14;
}

message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  optional string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}

message TensorProto {
  enum DataType {
    UNDEFINED = 0; FLOAT = 1; UINT8 = 2; INT8 = 3; UINT16 = 4; INT16 = 5; INT32 = 6; INT64 = 7; STRING = 8;
    BOOL = 9; FLOAT16 = 10; DOUBLE = 11; UINT32 = 12; UINT64 = 13;
  }
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int32 int32_data = 5 [packed = true];
  repeated bytes string_data = 6;
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
  optional string doc_string = 12;
  optional bytes raw_data = 9;
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
    optional string denotation = 3;
  }
  repeated Dimension dim = 1;
}

message TypeProto {
  message Tensor {
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  message Sequence {
    optional TypeProto elem_type = 1;
  }
  message Map {
    optional int32 key_type = 1;
    optional TypeProto value_type = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
    Sequence sequence_type = 4;
    Map map_type = 5;
  }
  optional string denotation = 6;
}

message OperatorSetIdProto {
  optional string domain = 1;
  optional int64 version = 2;
}
`;

/** ONNX `TensorProto.DataType` values used here. */
export const ONNX_DTYPE = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, STRING: 8 } as const;

/** ONNX `AttributeProto.AttributeType` values used here. */
export const ONNX_ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/* The plain-object shapes protobufjs `fromObject` takes for these messages (camelCase field names). */

/** `AttributeProto` as a plain object. int64 values are JS numbers (safe integers only). */
export interface AttributeObject {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorObject;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}

/** `TensorProto` as a plain object. */
export interface TensorObject {
  name?: string;
  dims: number[];
  dataType: number;
  rawData?: Uint8Array;
  stringData?: Uint8Array[];
}

/** `TypeProto` as a plain object. */
export interface TypeObject {
  tensorType?: { elemType: number; shape?: { dim: ({ dimValue: number } | { dimParam: string })[] } };
  sequenceType?: { elemType: TypeObject };
  mapType?: { keyType: number; valueType: TypeObject };
}

/** `ValueInfoProto` as a plain object. */
export interface ValueInfoObject {
  name: string;
  type?: TypeObject;
}

/** `NodeProto` as a plain object. */
export interface NodeObject {
  input: string[];
  output: string[];
  name?: string;
  opType: string;
  domain?: string;
  attribute?: AttributeObject[];
}

/** `ModelProto` as a plain object. */
export interface ModelObject {
  irVersion: number;
  opsetImport: { domain: string; version: number }[];
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  graph: {
    name: string;
    node: NodeObject[];
    initializer: TensorObject[];
    input: ValueInfoObject[];
    output: ValueInfoObject[];
  };
  metadataProps?: { key: string; value: string }[];
}

let modelType: protobuf.Type | undefined;

/** Serialises a `ModelProto` object to ONNX bytes (what `InferenceSession.create` takes and `model.onnx` holds). */
export function encodeModelProto(model: ModelObject): Uint8Array {
  // Parsed lazily: protobufjs generates its encoders on first use, so importing this module stays cheap.
  modelType ??= protobuf.parse(ONNX_SUBSET_PROTO, { keepCase: false }).root.lookupType('onnx.ModelProto');
  const problem = modelType.verify(model);
  if (problem) throw new GeoCropError('INTERNAL', `A graph builder produced a malformed ModelProto: ${problem}.`);
  const encoded = modelType.encode(modelType.fromObject(model as unknown as Record<string, unknown>)).finish();
  // In Node protobufjs returns a pooled Buffer slice; hand back a plain, exclusively owned Uint8Array.
  return Uint8Array.from(encoded);
}
