/**
 * ONNX models (as `torch.onnx.export` or tf2onnx write them) → polylab's module list and, for a
 * chain of dense layers, its network value.
 *
 * The graph is read node by node in file order. Every tensor computed from the input is kept as an
 * elementwise function (lib/io/elementwise.ts) of an *anchor*: the output of the last linear or
 * spatial operator, whose module list from the input is known. Gemm, MatMul (+ Add of a bias, in
 * either operand order), Conv, AveragePool, MaxPool and Pad append modules; the elementwise nodes in
 * between (Tanh, Sigmoid, Softplus, Sin, Cos, Exp, Relu, LeakyRelu, Elu, Erf, Gelu, and Add / Sub /
 * Mul / Div / Pow / Neg with scalar constants) build the function, which is read as an activation
 * (SiLU and both GELU forms included) when a linear operator, a residual Add or the graph output
 * consumes it. Flatten, Reshape that keeps the batch axis, Identity and Dropout do not change the flat
 * channels-first vector. Add of two tensors that share a path from the input is a residual block.
 * Anything else — an operator outside this list, a pattern that is not an activation, a Gemm that
 * would mix the batch — is refused with one line naming the node, its op type and what is supported.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { AffineModule, HopeModule } from "../taylor/modules.ts";
import {
  type Canon,
  canonAdd,
  canonConst,
  canonConstantValue,
  canonFn,
  canonKey,
  canonMul,
  canonPow,
  canonX,
  recogniseActivations,
  type UnaryName,
} from "./elementwise.ts";
import { type ImportedModel, modulesToNetwork, productOf } from "./imported.ts";
import { averagePool, constantPad, convolution, emptyAffine, type FeatureMap, maxPool } from "./lowering.ts";
import { decodeOnnx, type OnnxGraph, type OnnxNode, type OnnxTensor } from "./onnx_decode.ts";
import {
  floatAttr,
  intAttr,
  intsAttr,
  permutationAffine,
  reshapeTarget,
  resolveWindow,
  squeezedShape,
  transposeTensor,
} from "./onnx_shapes.ts";

/** Default-domain opsets polylab reads (torch 1.13 writes 13–17; the supported ops are unchanged in 11–21). */
export const ONNX_OPSETS = { min: 11, max: 21 } as const;

/** Operator types polylab maps (others are refused). */
export const SUPPORTED_ONNX_OPS: readonly string[] = [
  "Gemm",
  "MatMul",
  "Add",
  "Sub",
  "Mul",
  "Div",
  "Pow",
  "Neg",
  "Tanh",
  "Sigmoid",
  "Softplus",
  "Sin",
  "Cos",
  "Exp",
  "Relu",
  "LeakyRelu",
  "Elu",
  "Erf",
  "Gelu",
  "Identity",
  "Dropout",
  "Flatten",
  "Reshape",
  "Constant",
  "Conv",
  "Pad",
  "AveragePool",
  "MaxPool",
  "Transpose",
  "Squeeze",
  "Unsqueeze",
];

const SUPPORTED_TEXT =
  "Gemm, MatMul(+Add), Conv, Pad, AveragePool, MaxPool, Flatten, Reshape, Transpose, Identity, " +
  "residual Add, and the activations Tanh, Sigmoid, Softplus, Sin, Cos, Exp, Relu, LeakyRelu, Elu, " +
  "SiLU (x·Sigmoid(x)) and GELU (erf or tanh form)";

const UNARY: Record<string, UnaryName> = {
  Tanh: "tanh",
  Sigmoid: "sigmoid",
  Softplus: "softplus",
  Sin: "sin",
  Cos: "cos",
  Exp: "exp",
  Relu: "relu",
  LeakyRelu: "leaky_relu",
  Elu: "elu",
  Erf: "erf",
};

/** A tensor computed from the input: a module list from the input (an anchor) and its shape. */
interface Anchor {
  readonly id: number;
  readonly trace: readonly HopeModule[];
}

/** A value of the graph. */
type Value =
  | { readonly kind: "const"; readonly tensor: OnnxTensor }
  | {
    readonly kind: "data";
    /** Shape without the batch axis. */
    readonly shape: readonly number[];
    readonly anchor: Anchor;
    /** The value as an elementwise function of the anchor. */
    readonly canon: Canon;
    /** Elementwise nodes that built `canon` since the anchor (for messages). */
    readonly nodes: readonly OnnxNode[];
  };

type DataValue = Extract<Value, { kind: "data" }>;

/** Reads an ONNX file into an {@link ImportedModel}; every problem is a one-line UsageError. */
export function readOnnxModel(path: string): ImportedModel {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(path);
  } catch (e) {
    throw new UsageError(`${path}: cannot read the file (${(e as Error).message.split("\n")[0]})`);
  }
  return onnxToModel(decodeOnnx(bytes, path), path);
}

function nodeLabel(n: OnnxNode, index?: number): string {
  const name = n.name || (index !== undefined ? `#${index}` : n.outputs[0] ?? "?");
  return `node "${name}" (${n.opType})`;
}

/** Maps a decoded ONNX graph onto polylab's module list (and network, for a dense chain). */
export function onnxToModel(graph: OnnxGraph, source = "model"): ImportedModel {
  return new OnnxReader(graph, source).read();
}

class OnnxReader {
  private readonly env = new Map<string, Value>();
  private readonly consumers = new Map<string, number>();
  private readonly origins = new Map<HopeModule, string>();
  private readonly materialised = new Map<string, Anchor>();
  /** Anchors made by a dense op whose bias may still absorb an Add. */
  private readonly denseAnchors = new Map<Anchor, AffineModule>();
  private nextId = 0;
  /** The input's batch size when the file fixes it (e.g. 1), for Reshape targets that spell it out. */
  private batch: number | undefined;

  constructor(private readonly graph: OnnxGraph, private readonly source: string) {}

  private fail(message: string): never {
    throw new UsageError(`${this.source}: ${message}`);
  }

  private nodeFail(n: OnnxNode, message: string): never {
    this.fail(`${nodeLabel(n)}: ${message}`);
  }

  read(): ImportedModel {
    const g = this.graph;
    if (g.opset < ONNX_OPSETS.min || g.opset > ONNX_OPSETS.max) {
      this.fail(
        `opset ${g.opset || "(none)"} is not supported; export with opset_version between ` +
          `${ONNX_OPSETS.min} and ${ONNX_OPSETS.max} (torch.onnx.export(..., opset_version=13))`,
      );
    }
    g.nodes.forEach((n, i) => {
      const standard = n.domain === "" || n.domain === "ai.onnx";
      if (!standard || !SUPPORTED_ONNX_OPS.includes(n.opType)) {
        const final = g.outputs.some((o) => n.outputs.includes(o.name));
        if (standard && final && (n.opType === "Softmax" || n.opType === "LogSoftmax")) {
          this.fail(
            `${
              nodeLabel(n, i)
            } is not supported: it is not elementwise; polylab expands the logits, so export ` +
              "the model without its final softmax",
          );
        }
        this.fail(
          `${nodeLabel(n, i)}${standard ? "" : ` of domain "${n.domain}"`} is not supported; ` +
            `polylab imports ${SUPPORTED_TEXT}`,
        );
      }
    });
    for (const n of g.nodes) for (const i of n.inputs) if (i) this.count(i);
    for (const o of g.outputs) this.count(o.name);
    for (const [name, tensor] of g.initializers) this.env.set(name, { kind: "const", tensor });
    const dataInputs = g.inputs.filter((v) => !g.initializers.has(v.name));
    if (dataInputs.length !== 1) {
      this.fail(
        `the graph has ${dataInputs.length} data inputs (${dataInputs.map((v) => v.name).join(", ")}); ` +
          "polylab imports models with exactly one input tensor",
      );
    }
    const input = dataInputs[0];
    const shape = input.dims.slice(1);
    if (input.dims.length < 2 || shape.some((d) => typeof d !== "number" || d < 1)) {
      this.fail(
        `input "${input.name}" has dims ${JSON.stringify(input.dims)}; expected [batch, …] with fixed ` +
          "positive sizes after the batch axis",
      );
    }
    const inputShape = shape as number[];
    if (typeof input.dims[0] === "number") this.batch = input.dims[0];
    const root: Anchor = { id: this.nextId++, trace: [] };
    this.env.set(input.name, { kind: "data", shape: inputShape, anchor: root, canon: canonX(), nodes: [] });

    g.nodes.forEach((n) => this.visit(n));

    if (g.outputs.length !== 1) {
      this.fail(
        `the graph has ${g.outputs.length} outputs; polylab imports models with one output tensor`,
      );
    }
    const out = this.env.get(g.outputs[0].name);
    if (!out || out.kind !== "data") {
      this.fail(`output "${g.outputs[0].name}" does not depend on the input`);
    }
    const anchor = this.materialise(out, `output "${g.outputs[0].name}"`);
    if (anchor.trace.length === 0) this.fail("the model computes nothing (its output is its input)");
    const modules = anchor.trace;
    const inputs = productOf(inputShape);
    const dense = modulesToNetwork(modules, inputs, (m) => this.origins.get(m) ?? m.kind);
    return {
      format: "onnx",
      inputs,
      inputShape,
      outputs: productOf(out.shape),
      modules,
      ...("network" in dense ? { network: dense.network } : { notDense: dense.reason }),
    };
  }

  private count(name: string): void {
    this.consumers.set(name, (this.consumers.get(name) ?? 0) + 1);
  }

  private value(n: OnnxNode, k: number): Value {
    const name = n.inputs[k];
    const v = name ? this.env.get(name) : undefined;
    if (!v) this.nodeFail(n, `input ${k + 1} "${name}" is not computed before this node`);
    return v;
  }

  private optional(n: OnnxNode, k: number): Value | undefined {
    return n.inputs[k] ? this.value(n, k) : undefined;
  }

  private data(n: OnnxNode, k: number): DataValue {
    const v = this.value(n, k);
    if (v.kind !== "data") this.nodeFail(n, `input ${k + 1} must be computed from the model input`);
    return v;
  }

  private constant(n: OnnxNode, k: number, what: string): OnnxTensor {
    const v = this.value(n, k);
    if (v.kind !== "const") {
      this.nodeFail(n, `${what} (input ${k + 1}) must be a constant (an initializer or Constant node)`);
    }
    return v.tensor;
  }

  private set(n: OnnxNode, v: Value): void {
    this.env.set(n.outputs[0], v);
  }

  private newAnchor(trace: readonly HopeModule[]): Anchor {
    return { id: this.nextId++, trace };
  }

  private append(n: OnnxNode, input: DataValue, modules: HopeModule[], shape: number[]): Anchor {
    const base = this.materialise(input, nodeLabel(n));
    for (const m of modules) this.origins.set(m, nodeLabel(n));
    const anchor = this.newAnchor([...base.trace, ...modules]);
    this.set(n, { kind: "data", shape, anchor, canon: canonX(), nodes: [] });
    return anchor;
  }

  /** The anchor of a data value: its elementwise function read as activation modules (memoised). */
  private materialise(v: DataValue, consumer: string): Anchor {
    const key = `${v.anchor.id}|${canonKey(v.canon)}`;
    const known = this.materialised.get(key);
    if (known) return known;
    const acts = recogniseActivations(v.canon);
    if (!acts) {
      const ops = [...new Set(v.nodes.map((n) => n.opType))].join(", ");
      const last = v.nodes[v.nodes.length - 1];
      this.fail(
        `${last ? nodeLabel(last) : consumer}: the elementwise nodes ${
          v.nodes.map((n) => `"${n.name}"`).join(", ")
        } (${ops}) do not form a supported activation; polylab reads Tanh, Sigmoid, Softplus, Sin, Cos, Exp, ` +
          "Relu, LeakyRelu, Elu, SiLU as Mul(x, Sigmoid(x)) and GELU (Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5) " +
          "or its tanh form)",
      );
    }
    if (acts.length === 0) {
      this.materialised.set(key, v.anchor);
      return v.anchor;
    }
    const units = productOf(v.shape);
    const label = v.nodes.length ? nodeLabel(v.nodes[v.nodes.length - 1]) : consumer;
    const mods: HopeModule[] = acts.map((a): HopeModule => {
      if ("kind" in a) {
        // u ↦ a·u + b on every unit: a diagonal affine module
        const m = emptyAffine(units, units, label);
        for (let j = 0; j < units; j++) {
          m.weights[j] = a.shift;
          m.weights[(1 + j) * units + j] = a.scale;
        }
        return m;
      }
      return a.alpha === undefined
        ? { kind: "elementwise", activation: a.activation, units }
        : { kind: "elementwise", activation: a.activation, alpha: a.alpha, units };
    });
    for (const m of mods) this.origins.set(m, label);
    const anchor = this.newAnchor([...v.anchor.trace, ...mods]);
    this.materialised.set(key, anchor);
    return anchor;
  }

  private visit(n: OnnxNode): void {
    switch (n.opType) {
      case "Constant":
        return this.constantNode(n);
      case "Identity":
      case "Dropout":
        if (
          n.opType === "Dropout" && n.outputs.length > 1 && n.outputs[1] && this.consumers.get(n.outputs[1])
        ) {
          this.nodeFail(n, "its mask output is used; polylab reads Dropout only as the identity (inference)");
        }
        return this.set(n, this.value(n, 0));
      case "Gemm":
        return this.gemm(n);
      case "MatMul":
        return this.matmul(n);
      case "Flatten":
        return this.flatten(n);
      case "Reshape":
        return this.reshape(n);
      case "Conv":
        return this.conv(n);
      case "AveragePool":
      case "MaxPool":
        return this.pool(n);
      case "Pad":
        return this.pad(n);
      case "Transpose":
        return this.transpose(n);
      case "Squeeze":
      case "Unsqueeze":
        return this.squeeze(n);
      case "Add":
      case "Sub":
      case "Mul":
      case "Div":
      case "Pow":
        return this.binary(n);
      default:
        return this.unary(n);
    }
  }

  private constantNode(n: OnnxNode): void {
    const a = n.attributes;
    const t = a.get("value");
    let tensor: OnnxTensor;
    if (t?.type === "tensor") tensor = t.value;
    else if (a.get("value_float")?.type === "float") {
      tensor = {
        name: "",
        dims: [],
        dtype: "float",
        data: Float64Array.of(a.get("value_float")!.value as number),
      };
    } else if (a.get("value_floats")?.type === "floats") {
      const v = a.get("value_floats")!.value as number[];
      tensor = { name: "", dims: [v.length], dtype: "float", data: Float64Array.from(v) };
    } else if (a.get("value_int")?.type === "int") {
      tensor = {
        name: "",
        dims: [],
        dtype: "int64",
        data: Float64Array.of(a.get("value_int")!.value as number),
      };
    } else if (a.get("value_ints")?.type === "ints") {
      const v = a.get("value_ints")!.value as number[];
      tensor = { name: "", dims: [v.length], dtype: "int64", data: Float64Array.from(v) };
    } else this.nodeFail(n, "only tensor, float and int values are supported");
    this.set(n, { kind: "const", tensor });
  }

  private gemm(n: OnnxNode): void {
    const a = this.value(n, 0), b = this.value(n, 1);
    if (a.kind !== "data" || b.kind !== "const") {
      this.nodeFail(n, "expected the data as input A and a constant weight matrix as input B");
    }
    if (intAttr(n, "transA", 0) !== 0) {
      this.nodeFail(
        n,
        "transA = 1 would contract over the batch axis; export with the data as A untransposed",
      );
    }
    const transB = intAttr(n, "transB", 0) !== 0;
    const alpha = floatAttr(n, "alpha", 1), beta = floatAttr(n, "beta", 1);
    const w = b.tensor;
    if (w.dims.length !== 2) {
      this.nodeFail(n, `weight B has dims ${JSON.stringify(w.dims)}; expected a matrix`);
    }
    const [K, M] = transB ? [w.dims[1], w.dims[0]] : [w.dims[0], w.dims[1]];
    this.checkVector(n, a, K);
    const c = this.optional(n, 2);
    if (c && c.kind !== "const") this.nodeFail(n, "bias C must be a constant");
    const affine = this.affine(K, M, (i, j) => alpha * w.data[transB ? j * K + i : i * M + j]);
    if (c) this.addBias(n, affine, c.tensor, beta);
    this.dense(n, a, affine);
  }

  private matmul(n: OnnxNode): void {
    const a = this.value(n, 0), b = this.value(n, 1);
    if (a.kind !== "data" || b.kind !== "const") {
      this.nodeFail(n, "expected the data as the first input and a constant weight matrix as the second");
    }
    const w = b.tensor;
    if (w.dims.length !== 2 && w.dims.length !== 1) {
      this.nodeFail(n, `weight has dims ${JSON.stringify(w.dims)}; expected a matrix`);
    }
    const K = w.dims[0], M = w.dims.length === 2 ? w.dims[1] : 1;
    this.checkVector(n, a, K);
    this.dense(n, a, this.affine(K, M, (i, j) => w.data[i * M + j]), w.dims.length === 1 ? [] : [M]);
  }

  private checkVector(n: OnnxNode, a: DataValue, K: number): void {
    if (a.shape.length !== 1) {
      this.nodeFail(
        n,
        `its data input has shape [batch, ${a.shape.join(", ")}]; a dense layer needs [batch, features] ` +
          "(add a Flatten before it)",
      );
    }
    if (a.shape[0] !== K) {
      this.nodeFail(n, `its data input has ${a.shape[0]} features but the weight expects ${K}`);
    }
  }

  private affine(K: number, M: number, w: (i: number, j: number) => number): AffineModule {
    const weights = new Float64Array((K + 1) * M);
    for (let i = 0; i < K; i++) for (let j = 0; j < M; j++) weights[(i + 1) * M + j] = w(i, j);
    return { kind: "affine", inputs: K, units: M, weights };
  }

  /** Adds `scale · c` (a scalar, [M] or [1, M]) to the bias row of an affine module. */
  private addBias(n: OnnxNode, m: AffineModule, c: OnnxTensor, scale: number): void {
    const M = m.units;
    const size = c.data.length;
    const okDims = size === 1 ||
      (size === M && (c.dims.length === 1 || (c.dims.length === 2 && c.dims[0] === 1)));
    if (!okDims) {
      this.nodeFail(n, `bias has dims ${JSON.stringify(c.dims)}; expected a scalar, [${M}] or [1, ${M}]`);
    }
    for (let j = 0; j < M; j++) m.weights[j] += scale * c.data[size === 1 ? 0 : j];
  }

  private dense(n: OnnxNode, a: DataValue, affine: AffineModule, shape: number[] = [affine.units]): void {
    const anchor = this.append(n, a, [affine], shape);
    this.denseAnchors.set(anchor, affine);
  }

  private flatten(n: OnnxNode): void {
    const v = this.data(n, 0);
    const rank = v.shape.length + 1;
    let axis = intAttr(n, "axis", 1);
    if (axis < 0) axis += rank;
    if (axis !== 1) this.nodeFail(n, `axis ${axis} would merge the batch axis; only axis = 1 is supported`);
    this.set(n, { ...v, shape: [productOf(v.shape)] });
  }

  private reshape(n: OnnxNode): void {
    const v = this.data(n, 0);
    const target = Array.from(this.constant(n, 1, "the shape").data);
    const shape = reshapeTarget(v.shape, target, intAttr(n, "allowzero", 0) !== 0, this.batch);
    if (!shape) {
      this.nodeFail(
        n,
        `shape ${JSON.stringify(target)} does not keep the batch axis first; polylab reads Reshape to ` +
          "[batch, …] (e.g. [-1, features] or [0, -1])",
      );
    }
    this.set(n, { ...v, shape });
  }

  /** Spatial map of a data value: [C, H, W] or [C, L] (1-D). */
  private featureMap(n: OnnxNode, v: DataValue): { map: FeatureMap; oneD: boolean } {
    if (v.shape.length === 3) {
      return { map: { channels: v.shape[0], height: v.shape[1], width: v.shape[2] }, oneD: false };
    }
    if (v.shape.length === 2) {
      return { map: { channels: v.shape[0], height: 1, width: v.shape[1] }, oneD: true };
    }
    return this.nodeFail(
      n,
      `input has shape [batch, ${v.shape.join(", ")}]; expected [batch, C, H, W] or [batch, C, L]`,
    );
  }

  private conv(n: OnnxNode): void {
    const x = this.data(n, 0);
    const w = this.constant(n, 1, "the kernel");
    const bias = this.optional(n, 2);
    if (bias && bias.kind !== "const") this.nodeFail(n, "the bias must be a constant");
    if (intAttr(n, "group", 1) !== 1) {
      this.nodeFail(n, `group ${intAttr(n, "group", 1)} is not supported (use 1)`);
    }
    const { map, oneD } = this.featureMap(n, x);
    const rank = oneD ? 3 : 4;
    if (w.dims.length !== rank || w.dims[1] !== map.channels) {
      this.nodeFail(
        n,
        `kernel dims ${JSON.stringify(w.dims)} do not fit an input of ${map.channels} channels`,
      );
    }
    const kernel = w.dims.slice(2);
    const ks = intsAttr(n, "kernel_shape");
    if (ks && ks.some((d, i) => d !== kernel[i])) {
      this.nodeFail(n, "kernel_shape differs from the kernel's dims");
    }
    if (bias && bias.tensor.data.length !== w.dims[0]) {
      this.nodeFail(n, `bias has ${bias.tensor.data.length} values for ${w.dims[0]} output channels`);
    }
    const win = resolveWindow(n, map, oneD, kernel, (m) => this.nodeFail(n, m));
    const { module, out } = convolution(map, w.dims[0], w.data, bias?.tensor.data, win, oneD, nodeLabel(n));
    this.append(n, x, [module], oneD ? [out.channels, out.width] : [out.channels, out.height, out.width]);
  }

  private pool(n: OnnxNode): void {
    const x = this.data(n, 0);
    const { map, oneD } = this.featureMap(n, x);
    const ks = intsAttr(n, "kernel_shape");
    if (!ks || ks.length !== (oneD ? 1 : 2)) {
      this.nodeFail(n, "kernel_shape is missing or has the wrong rank");
    }
    if (n.outputs.length > 1 && n.outputs[1] && this.consumers.get(n.outputs[1])) {
      this.nodeFail(n, "its Indices output is used; polylab reads the pooled values only");
    }
    const win = resolveWindow(n, map, oneD, ks, (m) => this.nodeFail(n, m));
    if (intAttr(n, "ceil_mode", 0) !== 0) {
      const ceil = (size: number, k: number, s: number, p: number) => Math.ceil((size + p - k) / s) + 1;
      const floor = (size: number, k: number, s: number, p: number) => Math.floor((size + p - k) / s) + 1;
      const same = ceil(map.height, win.kh, win.sh, win.pads[0] + win.pads[2]) ===
          floor(map.height, win.kh, win.sh, win.pads[0] + win.pads[2]) &&
        ceil(map.width, win.kw, win.sw, win.pads[1] + win.pads[3]) ===
          floor(map.width, win.kw, win.sw, win.pads[1] + win.pads[3]);
      if (!same) {
        this.nodeFail(n, "ceil_mode = 1 adds partial windows, which are not supported (use ceil_mode = 0)");
      }
    }
    const label = nodeLabel(n);
    const shape = (o: FeatureMap) => (oneD ? [o.channels, o.width] : [o.channels, o.height, o.width]);
    if (n.opType === "AveragePool") {
      const { module, out } = averagePool(map, win, intAttr(n, "count_include_pad", 0) !== 0, oneD, label);
      this.append(n, x, [module], shape(out));
    } else {
      const { modules, out } = maxPool(map, win, oneD, label);
      this.append(n, x, modules, shape(out));
    }
  }

  private pad(n: OnnxNode): void {
    const x = this.data(n, 0);
    const modeAttr = n.attributes.get("mode");
    const mode = modeAttr?.type === "string" ? modeAttr.value : "constant";
    if (mode !== "constant") this.nodeFail(n, `mode "${mode}" is not supported (only constant padding)`);
    const pads = Array.from(this.constant(n, 1, "pads").data);
    const value = this.optional(n, 2);
    if (value && value.kind !== "const") this.nodeFail(n, "the constant value must be a constant");
    const fill = value && value.kind === "const" && value.tensor.data.length > 0 ? value.tensor.data[0] : 0;
    const rank = x.shape.length + 1;
    let axes = Array.from({ length: rank }, (_, a) => a);
    const axesValue = this.optional(n, 3);
    if (axesValue) {
      if (axesValue.kind !== "const") this.nodeFail(n, "axes must be a constant");
      axes = Array.from(axesValue.tensor.data, (a) => (a < 0 ? a + rank : a));
    }
    if (pads.length !== 2 * axes.length) {
      this.nodeFail(n, `expected ${2 * axes.length} pads, got ${pads.length}`);
    }
    const begin = new Array(rank).fill(0), end = new Array(rank).fill(0);
    axes.forEach((a, k) => {
      begin[a] = pads[k];
      end[a] = pads[k + axes.length];
    });
    if (begin[0] !== 0 || end[0] !== 0) this.nodeFail(n, "padding the batch axis is not supported");
    const padded = constantPad(x.shape, begin.slice(1), end.slice(1), fill, nodeLabel(n));
    if (!padded) return this.set(n, x);
    this.append(n, x, [padded.module], padded.shape);
  }

  /** A Transpose that keeps the batch axis first: a permutation of the flat vector (an affine module). */
  private transpose(n: OnnxNode): void {
    const v = this.value(n, 0);
    if (v.kind === "const") {
      return this.set(n, { kind: "const", tensor: transposeTensor(v.tensor, intsAttr(n, "perm")) });
    }
    const x = this.data(n, 0);
    const rank = x.shape.length + 1;
    const perm = intsAttr(n, "perm") ?? Array.from({ length: rank }, (_, a) => rank - 1 - a);
    if (perm.length !== rank || perm[0] !== 0) {
      this.nodeFail(
        n,
        `perm ${
          JSON.stringify(perm)
        } moves the batch axis; only permutations of the other axes are supported`,
      );
    }
    const axes = perm.slice(1).map((a) => a - 1);
    const shape = axes.map((a) => x.shape[a]);
    if (axes.every((a, k) => a === k) || x.shape.filter((d) => d > 1).length <= 1) {
      return this.set(n, { ...x, shape }); // the flat order does not change
    }
    const m = permutationAffine(x.shape, axes, nodeLabel(n));
    this.append(n, x, [m], shape);
  }

  /** Squeeze / Unsqueeze of axes other than the batch axis: the flat vector does not change. */
  private squeeze(n: OnnxNode): void {
    const x = this.data(n, 0);
    const given = n.inputs[1] ? Array.from(this.constant(n, 1, "axes").data) : intsAttr(n, "axes");
    const shape = squeezedShape(x.shape, given, n.opType === "Squeeze", (m) => this.nodeFail(n, m));
    this.set(n, { ...x, shape });
  }

  private unary(n: OnnxNode): void {
    const v = this.data(n, 0);
    let canon: Canon;
    if (n.opType === "Neg") canon = canonMul(v.canon, canonConst(-1));
    else if (n.opType === "Gelu") {
      const a = n.attributes.get("approximate");
      const approx = a?.type === "string" ? a.value : "none";
      if (approx !== "none" && approx !== "tanh") {
        this.nodeFail(n, `approximate "${approx}" is not supported`);
      }
      canon = canonFn(approx === "tanh" ? "gelu_tanh" : "gelu", v.canon);
    } else {
      const name = UNARY[n.opType];
      let alpha: number | undefined;
      if (name === "leaky_relu") alpha = floatAttr(n, "alpha", Math.fround(0.01));
      if (name === "elu") alpha = floatAttr(n, "alpha", 1);
      canon = canonFn(name, v.canon, alpha);
    }
    this.set(n, { ...v, canon, nodes: [...v.nodes, n] });
  }

  private binary(n: OnnxNode): void {
    const a = this.value(n, 0), b = this.value(n, 1);
    if (a.kind === "const" && b.kind === "const") {
      this.nodeFail(n, "computes on constants only; fold constants before export (do_constant_folding=True)");
    }
    if (n.opType === "Add" && (a.kind === "const" || b.kind === "const")) {
      const [d, c] = a.kind === "data" ? [a, b as Extract<Value, { kind: "const" }>] : [b as DataValue, a];
      if (this.foldBias(n, d, c.tensor)) return;
    }
    if (a.kind === "data" && b.kind === "data" && a.anchor !== b.anchor) {
      if (n.opType === "Add") return this.residual(n, a, b);
      this.nodeFail(
        n,
        `${n.opType} of two different tensors is not supported; only Add of two branches (a residual connection)`,
      );
    }
    const scalar = (v: Value): Canon => {
      if (v.kind === "data") return v.canon;
      if (v.tensor.data.length !== 1) {
        this.nodeFail(
          n,
          `a constant of dims ${JSON.stringify(v.tensor.dims)} in ${n.opType}; elementwise ops take scalar ` +
            "constants (a bias vector only right after MatMul or Gemm)",
        );
      }
      return canonConst(v.tensor.data[0]);
    };
    const data = (a.kind === "data" ? a : b) as DataValue;
    const ca = scalar(a), cb = scalar(b);
    let canon: Canon;
    try {
      switch (n.opType) {
        case "Add":
          canon = canonAdd(ca, cb);
          break;
        case "Sub":
          canon = canonAdd(ca, canonMul(cb, canonConst(-1)));
          break;
        case "Mul":
          canon = canonMul(ca, cb);
          break;
        case "Div": {
          const d = canonConstantValue(cb);
          if (d === undefined || d === 0) {
            this.nodeFail(n, "only division by a non-zero scalar constant is supported");
          }
          canon = canonMul(ca, canonConst(1 / d));
          break;
        }
        default: {
          const e = canonConstantValue(cb);
          if (b.kind !== "const" || e === undefined || !Number.isInteger(e) || e < 0 || e > 8) {
            this.nodeFail(n, "only a power by an integer constant 0–8 is supported");
          }
          canon = canonPow(ca, e);
        }
      }
    } catch (e) {
      if (e instanceof RangeError) {
        this.nodeFail(n, `the elementwise expression grows too large (${e.message})`);
      }
      throw e;
    }
    const nodes = [
      ...(a.kind === "data" ? a.nodes : []),
      ...(b.kind === "data" && b !== a ? b.nodes : []),
      n,
    ];
    this.set(n, { kind: "data", shape: data.shape, anchor: data.anchor, canon, nodes: [...new Set(nodes)] });
  }

  /** Add of a bias right after a MatMul/Gemm whose output nothing else reads: folded into its bias. */
  private foldBias(n: OnnxNode, d: DataValue, c: OnnxTensor): boolean {
    const affine = this.denseAnchors.get(d.anchor);
    if (!affine || canonKey(d.canon) !== canonKey(canonX()) || d.nodes.length > 0) return false;
    const producedBy = n.inputs.find((name) => this.env.get(name) === d);
    if (!producedBy || (this.consumers.get(producedBy) ?? 0) !== 1) return false;
    if (c.data.length !== 1 && c.data.length !== affine.units) return false;
    const folded: AffineModule = { ...affine, weights: affine.weights.slice() };
    this.addBias(n, folded, c, 1);
    this.origins.set(folded, this.origins.get(affine) ?? nodeLabel(n));
    const trace = [...d.anchor.trace.slice(0, -1), folded];
    const anchor = this.newAnchor(trace);
    this.denseAnchors.set(anchor, folded);
    this.set(n, { kind: "data", shape: d.shape, anchor, canon: canonX(), nodes: [] });
    return true;
  }

  /** Add of two branches, one on the other's path from the input: u + F(u). */
  private residual(n: OnnxNode, a: DataValue, b: DataValue): void {
    if (productOf(a.shape) !== productOf(b.shape) || a.shape.length !== b.shape.length) {
      this.nodeFail(n, `adds tensors of shapes [${a.shape}] and [${b.shape}]; a residual needs equal shapes`);
    }
    const ta = this.materialise(a, nodeLabel(n)).trace, tb = this.materialise(b, nodeLabel(n)).trace;
    const [short, long] = ta.length <= tb.length ? [ta, tb] : [tb, ta];
    const prefix = short.every((m, i) => long[i] === m);
    if (!prefix || long.length === short.length) {
      this.nodeFail(
        n,
        "adds two branches that are not a skip connection u + F(u); polylab reads residual Add only",
      );
    }
    const block: HopeModule = { kind: "residual", body: long.slice(short.length) };
    this.origins.set(block, nodeLabel(n));
    const anchor = this.newAnchor([...short, block]);
    this.set(n, { kind: "data", shape: a.shape, anchor, canon: canonX(), nodes: [] });
  }
}
