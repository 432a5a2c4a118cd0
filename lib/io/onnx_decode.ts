/**
 * Reading an ONNX file into plain values: the protobuf is decoded by `onnx-proto` (the ONNX schema
 * compiled for protobufjs), and this module only copies what polylab needs out of the decoded
 * message — nodes with their attributes, initializers and Constant tensors as float64 arrays, the
 * graph's inputs and outputs with their dimensions. Every problem is a one-line {@link UsageError}.
 *
 * @module
 */

import onnxProto from "onnx-proto";
import type { onnx as OnnxNamespace } from "onnx-proto";
import { UsageError } from "../errors.ts";

const onnx = (onnxProto as unknown as { onnx: typeof OnnxNamespace }).onnx;

/** A tensor stored in the file (initializer, Constant value or tensor attribute), promoted to float64. */
export interface OnnxTensor {
  /** Its name (empty for an attribute's tensor). */
  readonly name: string;
  /** Dimensions (a scalar has none). */
  readonly dims: readonly number[];
  /** ONNX element type name, e.g. `float`, `double`, `int64`. */
  readonly dtype: string;
  /** The values in C order: float32 values promoted exactly, integers as doubles. */
  readonly data: Float64Array;
}

/** A node attribute, decoded. */
export type OnnxAttribute =
  | { readonly type: "float"; readonly value: number }
  | { readonly type: "int"; readonly value: number }
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "tensor"; readonly value: OnnxTensor }
  | { readonly type: "floats"; readonly value: readonly number[] }
  | { readonly type: "ints"; readonly value: readonly number[] }
  | { readonly type: "other"; readonly value: null };

/** A graph node. */
export interface OnnxNode {
  /** The node's name (may be empty in hand-built graphs). */
  readonly name: string;
  /** Operator type, e.g. `Gemm`. */
  readonly opType: string;
  /** Operator domain (`""` or `ai.onnx` for the standard operators). */
  readonly domain: string;
  /** Input value names (`""` for an omitted optional input). */
  readonly inputs: readonly string[];
  /** Output value names. */
  readonly outputs: readonly string[];
  /** Attributes by name. */
  readonly attributes: ReadonlyMap<string, OnnxAttribute>;
}

/** A graph input or output: its name and dimensions (a number, a symbolic name, or null if unknown). */
export interface OnnxValueInfo {
  /** Value name. */
  readonly name: string;
  /** Dimensions: numbers, symbolic names (`"batch"`) or null. */
  readonly dims: readonly (number | string | null)[];
  /** Whether the file gives a tensor shape at all. */
  readonly hasShape: boolean;
}

/** What polylab reads from a ModelProto. */
export interface OnnxGraph {
  /** IR version of the file. */
  readonly irVersion: number;
  /** Opset of the default (`ai.onnx`) domain. */
  readonly opset: number;
  /** Producer, e.g. `pytorch 1.13.0`. */
  readonly producer: string;
  /** Graph inputs (initializers may be listed here too). */
  readonly inputs: readonly OnnxValueInfo[];
  /** Graph outputs. */
  readonly outputs: readonly OnnxValueInfo[];
  /** Initializers by name. */
  readonly initializers: ReadonlyMap<string, OnnxTensor>;
  /** Nodes in file order. */
  readonly nodes: readonly OnnxNode[];
}

const DTYPES: Record<number, string> = {
  1: "float",
  2: "uint8",
  3: "int8",
  4: "uint16",
  5: "int16",
  6: "int32",
  7: "int64",
  8: "string",
  9: "bool",
  10: "float16",
  11: "double",
  12: "uint32",
  13: "uint64",
  14: "complex64",
  15: "complex128",
  16: "bfloat16",
};

/** Converts a protobuf integer (number or Long) to a number, refusing values beyond 2^53. */
function int(v: unknown, where: string): number {
  if (typeof v === "number") return v;
  if (v && typeof v === "object" && "toNumber" in v) {
    const n = (v as { toNumber(): number }).toNumber();
    if (!Number.isSafeInteger(n)) throw new UsageError(`${where}: integer ${String(v)} is out of range`);
    return n;
  }
  return 0;
}

/**
 * Decodes the bytes of an ONNX file (a ModelProto). A truncated or corrupt file, or one that is not
 * ONNX, is a one-line {@link UsageError} naming `path`.
 */
export function decodeOnnx(bytes: Uint8Array, path: string): OnnxGraph {
  let model: OnnxNamespace.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new UsageError(
      `${path}: not a readable ONNX model (protobuf: ${(e as Error).message.split("\n")[0]}); ` +
        "the file is truncated or corrupt — export it again",
    );
  }
  const graph = model.graph;
  if (!graph || !graph.node || graph.node.length === 0) {
    throw new UsageError(`${path}: the ONNX model has no graph nodes; is this an ONNX model file?`);
  }
  let opset = 0;
  for (const o of model.opsetImport ?? []) {
    if (!o.domain || o.domain === "ai.onnx") opset = int(o.version, `${path}: opset_import`);
  }
  const initializers = new Map<string, OnnxTensor>();
  for (const t of graph.initializer ?? []) {
    const tensor = readTensor(t, `${path}: initializer "${t.name}"`);
    initializers.set(tensor.name, tensor);
  }
  if ((graph.sparseInitializer ?? []).length > 0) {
    throw new UsageError(`${path}: sparse initializers are not supported; export dense weights`);
  }
  const nodes = graph.node.map((n, i): OnnxNode => {
    const where = `${path}: node "${n.name || `#${i}`}" (${n.opType})`;
    const attributes = new Map<string, OnnxAttribute>();
    for (const a of n.attribute ?? []) attributes.set(a.name ?? "", readAttribute(a, `${where} ${a.name}`));
    return {
      name: n.name ?? "",
      opType: n.opType ?? "",
      domain: n.domain ?? "",
      inputs: n.input ?? [],
      outputs: n.output ?? [],
      attributes,
    };
  });
  return {
    irVersion: int(model.irVersion, `${path}: ir_version`),
    opset,
    producer: `${model.producerName ?? ""} ${model.producerVersion ?? ""}`.trim(),
    inputs: (graph.input ?? []).map((v) => valueInfo(v)),
    outputs: (graph.output ?? []).map((v) => valueInfo(v)),
    initializers,
    nodes,
  };
}

function valueInfo(v: OnnxNamespace.IValueInfoProto): OnnxValueInfo {
  const shape = v.type?.tensorType?.shape;
  const dims = (shape?.dim ?? []).map((d) => {
    if (d.dimParam) return d.dimParam;
    if (d.dimValue !== undefined && d.dimValue !== null) return int(d.dimValue, `input "${v.name}"`);
    return null;
  });
  return { name: v.name ?? "", dims, hasShape: !!shape };
}

function readAttribute(a: OnnxNamespace.IAttributeProto, where: string): OnnxAttribute {
  switch (a.type) {
    case onnx.AttributeProto.AttributeType.FLOAT:
      return { type: "float", value: a.f ?? 0 };
    case onnx.AttributeProto.AttributeType.INT:
      return { type: "int", value: int(a.i, where) };
    case onnx.AttributeProto.AttributeType.STRING:
      return { type: "string", value: new TextDecoder().decode(a.s ?? new Uint8Array()) };
    case onnx.AttributeProto.AttributeType.TENSOR:
      return { type: "tensor", value: readTensor(a.t ?? {}, where) };
    case onnx.AttributeProto.AttributeType.FLOATS:
      return { type: "floats", value: a.floats ?? [] };
    case onnx.AttributeProto.AttributeType.INTS:
      return { type: "ints", value: (a.ints ?? []).map((v) => int(v, where)) };
    default:
      return { type: "other", value: null };
  }
}

/**
 * Reads a TensorProto's values into float64 (float32 promoted exactly): from `raw_data`
 * (little-endian) or the typed field (`float_data`, `double_data`, `int32_data`, `int64_data`).
 * float, double, int8–int64 and uint8–uint32 and bool are read; other types and external data are
 * refused naming `where`.
 */
export function readTensor(t: OnnxNamespace.ITensorProto, where: string): OnnxTensor {
  const dims = (t.dims ?? []).map((d) => int(d, where));
  const count = dims.reduce((a, b) => a * b, 1);
  const code = t.dataType ?? 0;
  const dtype = DTYPES[code] ?? `type ${code}`;
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData ?? []).length > 0) {
    throw new UsageError(
      `${where}: weights stored in an external data file are not supported; export without external data`,
    );
  }
  if (t.segment) throw new UsageError(`${where}: segmented tensors are not supported`);
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
  let data: Float64Array;
  const bad = (): never => {
    throw new UsageError(
      `${where}: ${dtype} tensors are not supported; use float32 or float64 weights (e.g. model.float())`,
    );
  };
  if (raw) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const size: Record<string, number> = {
      float: 4,
      double: 8,
      int64: 8,
      int32: 4,
      int16: 2,
      int8: 1,
      uint8: 1,
      uint16: 2,
      uint32: 4,
      bool: 1,
    };
    const s = size[dtype] ?? bad();
    if (raw.byteLength !== s * count) {
      throw new UsageError(
        `${where}: raw_data holds ${raw.byteLength} bytes but dims ${JSON.stringify(dims)} need ${
          s * count
        }; ` +
          "the file is corrupt",
      );
    }
    data = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const o = k * s;
      switch (dtype) {
        case "float":
          data[k] = view.getFloat32(o, true);
          break;
        case "double":
          data[k] = view.getFloat64(o, true);
          break;
        case "int64":
          data[k] = Number(view.getBigInt64(o, true));
          break;
        case "int32":
          data[k] = view.getInt32(o, true);
          break;
        case "int16":
          data[k] = view.getInt16(o, true);
          break;
        case "int8":
          data[k] = view.getInt8(o);
          break;
        case "uint16":
          data[k] = view.getUint16(o, true);
          break;
        case "uint32":
          data[k] = view.getUint32(o, true);
          break;
        default:
          data[k] = view.getUint8(o);
      }
    }
  } else {
    let values: ArrayLike<unknown>;
    switch (dtype) {
      case "float":
        values = t.floatData ?? [];
        break;
      case "double":
        values = t.doubleData ?? [];
        break;
      case "int64":
        values = t.int64Data ?? [];
        break;
      case "int32":
      case "int16":
      case "int8":
      case "uint8":
      case "uint16":
      case "bool":
        values = t.int32Data ?? [];
        break;
      case "uint32":
        values = t.uint64Data ?? [];
        break;
      default:
        return bad();
    }
    if (values.length !== count) {
      throw new UsageError(
        `${where}: holds ${values.length} values but dims ${JSON.stringify(dims)} need ${count}; ` +
          "the file is corrupt",
      );
    }
    data = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const v = values[k];
      data[k] = typeof v === "number" ? v : int(v, where);
    }
  }
  return { name: t.name ?? "", dims, dtype, data };
}
