/**
 * Builds small ONNX models in memory with the same protobuf library the reader uses (`onnx-proto`),
 * for the op-mapping tests: a graph is a list of nodes, initializers and one data input.
 *
 * @example
 * ```ts
 * const bytes = buildOnnx({
 *   input: [1, 2],
 *   nodes: [node("Gemm", ["x", "W"], ["y"], { transB: 1 })],
 *   initializers: [tensor("W", [3, 2], [1, 2, 3, 4, 5, 6])],
 * });
 * ```
 *
 * @module
 */

import onnxProto from "onnx-proto";
import type { onnx as OnnxNamespace } from "onnx-proto";

const onnx = (onnxProto as unknown as { onnx: typeof OnnxNamespace }).onnx;

/** An attribute value: number (float unless `ints`/`int` given), list, string or tensor. */
export type AttributeValue =
  | { f: number }
  | { i: number }
  | { floats: number[] }
  | { ints: number[] }
  | { s: string }
  | { t: OnnxNamespace.ITensorProto };

/** A TensorProto: float32 by default, stored in raw_data unless `field` asks for the typed field. */
export function tensor(
  name: string,
  dims: number[],
  values: number[],
  options: { dtype?: "float" | "double" | "int64"; field?: boolean } = {},
): OnnxNamespace.ITensorProto {
  const dtype = options.dtype ?? "float";
  const code = { float: 1, double: 11, int64: 7 }[dtype];
  const t: OnnxNamespace.ITensorProto = { name, dims, dataType: code };
  if (options.field) {
    if (dtype === "float") t.floatData = values;
    else if (dtype === "double") t.doubleData = values;
    else t.int64Data = values;
    return t;
  }
  const size = dtype === "float" ? 4 : 8;
  const raw = new Uint8Array(values.length * size);
  const view = new DataView(raw.buffer);
  values.forEach((v, k) => {
    if (dtype === "float") view.setFloat32(k * size, v, true);
    else if (dtype === "double") view.setFloat64(k * size, v, true);
    else view.setBigInt64(k * size, BigInt(v), true);
  });
  t.rawData = raw;
  return t;
}

/** A node; attributes as `{ name: value }` with plain numbers read as floats (use `{i}` for ints). */
export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes: Record<string, AttributeValue | number | number[] | string> = {},
  name = `${opType}_${outputs[0]}`,
): OnnxNamespace.INodeProto {
  const T = onnx.AttributeProto.AttributeType;
  const attribute = Object.entries(attributes).map(([key, v]): OnnxNamespace.IAttributeProto => {
    if (typeof v === "number") return { name: key, type: T.FLOAT, f: v };
    if (typeof v === "string") return { name: key, type: T.STRING, s: new TextEncoder().encode(v) };
    if (Array.isArray(v)) return { name: key, type: T.INTS, ints: v };
    if ("f" in v) return { name: key, type: T.FLOAT, f: v.f };
    if ("i" in v) return { name: key, type: T.INT, i: v.i };
    if ("floats" in v) return { name: key, type: T.FLOATS, floats: v.floats };
    if ("ints" in v) return { name: key, type: T.INTS, ints: v.ints };
    if ("s" in v) return { name: key, type: T.STRING, s: new TextEncoder().encode(v.s) };
    return { name: key, type: T.TENSOR, t: v.t };
  });
  return { opType, input: inputs, output: outputs, name, attribute };
}

/** A scalar float Constant node. */
export function constant(output: string, value: number): OnnxNamespace.INodeProto {
  return node("Constant", [], [output], { value: { t: tensor("", [], [value]) } });
}

/** The graph of one test model. */
export interface GraphSpec {
  /** Dims of the data input "x" (first = batch; a string is symbolic). */
  readonly input: (number | string)[];
  /** Nodes in order; the last node's first output is the graph output unless `output` says otherwise. */
  readonly nodes: OnnxNamespace.INodeProto[];
  /** Initializers. */
  readonly initializers?: OnnxNamespace.ITensorProto[];
  /** Default-domain opset (13). */
  readonly opset?: number;
  /** Graph output name. */
  readonly output?: string;
  /** List the initializers as graph inputs too (keep_initializers_as_inputs). */
  readonly initializersAsInputs?: boolean;
}

/** Encodes a {@link GraphSpec} as the bytes of an ONNX file. */
export function buildOnnx(spec: GraphSpec): Uint8Array {
  const valueInfo = (name: string, dims: (number | string)[]): OnnxNamespace.IValueInfoProto => ({
    name,
    type: {
      tensorType: {
        elemType: 1,
        shape: { dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
  const inits = spec.initializers ?? [];
  const output = spec.output ?? spec.nodes[spec.nodes.length - 1].output![0];
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: "polylab-test",
    opsetImport: [{ domain: "", version: spec.opset ?? 13 }],
    graph: {
      name: "test",
      node: spec.nodes,
      initializer: inits,
      input: [
        valueInfo("x", spec.input),
        ...(spec.initializersAsInputs ? inits.map((t) => valueInfo(t.name!, t.dims as number[])) : []),
      ],
      output: [valueInfo(output, [])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
