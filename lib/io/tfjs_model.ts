/**
 * TensorFlow.js layers models (`model.json` + the weight files of its `weightsManifest`, as
 * `model.save` and the tensorflowjs converter write them) → polylab's module list and, for a chain of
 * dense layers, its network value. Read from the files directly (no tfjs-node, no tfjs at all): the
 * topology is JSON and the weights are little-endian float32 values concatenated in manifest order.
 *
 * Layers: InputLayer, Dense (activation linear, tanh, sigmoid, softplus, swish/silu, gelu, gelu_new,
 * relu, elu, exponential, leaky_relu; with or without bias), Activation, LeakyReLU(alpha), ELU(alpha),
 * ReLU (plain), Dropout (the identity at inference), Flatten, Conv1D/Conv2D (valid or same padding,
 * dilation 1, one group), AveragePooling1D/2D, MaxPooling1D/2D, and Add of a skip connection in a
 * functional model. Feature maps are channels-last in Keras; polylab's spatial modules are
 * channels-first, so a permutation module is inserted before the first spatial layer and at Flatten
 * (none is needed for one channel). Variables are the input's elements in C order (Keras layout).
 *
 * @module
 */

import { dirname, join } from "node:path";
import { UsageError } from "../errors.ts";
import type { ActivationName } from "../series/activations.ts";
import type { AffineModule, HopeModule } from "../taylor/modules.ts";
import { type ImportedModel, modulesToNetwork, productOf } from "./imported.ts";
import {
  averagePool,
  channelPermutation,
  convolution,
  type FeatureMap,
  maxPool,
  type Window,
} from "./lowering.ts";

/** tfjs / Keras activation names → polylab activation (and α). */
const ACTIVATION_NAMES: Record<string, { activation: ActivationName; alpha?: number }> = {
  linear: { activation: "linear" },
  tanh: { activation: "tanh" },
  sigmoid: { activation: "sigmoid" },
  softplus: { activation: "softplus" },
  swish: { activation: "silu" },
  silu: { activation: "silu" },
  gelu: { activation: "gelu" },
  gelu_new: { activation: "gelu_tanh" },
  relu: { activation: "relu" },
  elu: { activation: "elu", alpha: 1 },
  exponential: { activation: "exp" },
  leaky_relu: { activation: "leaky_relu", alpha: 0.2 },
};

/** Layer classes polylab reads. */
export const SUPPORTED_TFJS_LAYERS: readonly string[] = [
  "InputLayer",
  "Dense",
  "Activation",
  "LeakyReLU",
  "ELU",
  "ReLU",
  "Dropout",
  "Flatten",
  "Conv1D",
  "Conv2D",
  "AveragePooling1D",
  "AveragePooling2D",
  "MaxPooling1D",
  "MaxPooling2D",
  "Add",
];

const ALIASES: Record<string, string> = {
  Convolution1D: "Conv1D",
  Convolution2D: "Conv2D",
  AvgPool1D: "AveragePooling1D",
  AvgPool2D: "AveragePooling2D",
  MaxPool1D: "MaxPooling1D",
  MaxPool2D: "MaxPooling2D",
};

/** One weight of the manifest. */
interface ManifestWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** A layer of the topology with the tensors it reads. */
interface LayerSpec {
  readonly name: string;
  readonly className: string;
  readonly config: Record<string, unknown>;
  /** Keys of the input tensors (`layer:node:tensor`); empty for an InputLayer. */
  readonly inputs: readonly string[];
}

/** A tensor during the walk: modules from the input, Keras shape (no batch), and the flat order. */
interface Tensor {
  readonly trace: readonly HopeModule[];
  readonly shape: readonly number[];
  /** "keras": flat in the Keras layout (channels-last); "first": channels-first (after a spatial module). */
  readonly order: "keras" | "first";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Reads `model.json` (or the folder holding it) and its weight files; every problem is a one-line
 * UsageError naming the file, layer or weight.
 */
export function readTfjsModel(path: string): ImportedModel {
  let file = path;
  try {
    if (Deno.statSync(path).isDirectory) file = join(path, "model.json");
  } catch (e) {
    throw new UsageError(`${path}: cannot read the file (${(e as Error).message.split("\n")[0]})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(Deno.readTextFileSync(file));
  } catch (e) {
    throw new UsageError(`${file}: not a readable model.json (${(e as Error).message.split("\n")[0]})`);
  }
  return tfjsToModel(json, (p) => Deno.readFileSync(join(dirname(file), p)), file);
}

/**
 * Maps a parsed `model.json` onto polylab's values; `readWeights(path)` returns the bytes of a
 * weight file named in the manifest (relative to the model.json folder).
 */
export function tfjsToModel(
  json: unknown,
  readWeights: (path: string) => Uint8Array,
  source = "model.json",
): ImportedModel {
  const fail = (message: string): never => {
    throw new UsageError(`${source}: ${message}`);
  };
  if (!isObject(json) || !isObject(json.modelTopology)) {
    return fail('expected a tfjs layers model with "modelTopology" (a graph model cannot be imported)');
  }
  const top = isObject(json.modelTopology.model_config)
    ? json.modelTopology.model_config
    : json.modelTopology;
  const weights = readManifest(json.weightsManifest, readWeights, fail);
  const { layers, output } = topology(top, fail);
  return new TfjsReader(layers, weights, source).read(output);
}

function readManifest(
  manifest: unknown,
  readWeights: (path: string) => Uint8Array,
  fail: (m: string) => never,
): ManifestWeight[] {
  if (manifest === undefined) return [];
  if (!Array.isArray(manifest)) return fail("weightsManifest must be a list of {paths, weights}");
  const out: ManifestWeight[] = [];
  for (const [g, group] of manifest.entries()) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      return fail(`weightsManifest[${g}]: expected {paths, weights}`);
    }
    const parts: Uint8Array[] = [];
    for (const p of group.paths) {
      if (typeof p !== "string") return fail(`weightsManifest[${g}].paths: expected file names`);
      try {
        parts.push(readWeights(p));
      } catch (e) {
        return fail(`weight file "${p}" cannot be read (${(e as Error).message.split("\n")[0]})`);
      }
    }
    const total = parts.reduce((a, b) => a + b.length, 0);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    const view = new DataView(bytes.buffer);
    let offset = 0;
    for (const [k, w] of group.weights.entries()) {
      if (!isObject(w) || typeof w.name !== "string" || !Array.isArray(w.shape)) {
        return fail(`weightsManifest[${g}].weights[${k}]: expected {name, shape, dtype}`);
      }
      if (w.quantization !== undefined) {
        return fail(`weight "${w.name}" is quantized; save the model with float32 weights`);
      }
      if ((w.dtype ?? "float32") !== "float32") {
        return fail(`weight "${w.name}" has dtype ${w.dtype}; polylab reads float32 weights`);
      }
      const shape = w.shape as number[];
      const count = productOf(shape);
      if (offset + 4 * count > total) {
        return fail(
          `weight file(s) ${group.paths.join(", ")} hold ${total} bytes but the manifest needs at least ` +
            `${offset + 4 * count} (through "${w.name}"); the weights are truncated — save the model again`,
        );
      }
      const data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(offset + 4 * i, true);
      offset += 4 * count;
      out.push({ name: w.name, shape, data });
    }
    if (offset !== total) {
      return fail(
        `weight file(s) ${group.paths.join(", ")} hold ${total} bytes but the manifest lists ${offset}; ` +
          "the files do not belong to this model.json",
      );
    }
  }
  return out;
}

/** The layers (in order) with their input tensors, the output tensor and the input shape. */
function topology(
  top: Record<string, unknown>,
  fail: (m: string) => never,
): { layers: LayerSpec[]; output: string } {
  const cls = top.class_name;
  const config = top.config;
  const rawLayers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(rawLayers) || rawLayers.length === 0) return fail("modelTopology has no layers");
  const specs: LayerSpec[] = [];
  if (cls === "Sequential") {
    let prev: string | undefined;
    for (const [i, l] of rawLayers.entries()) {
      if (!isObject(l) || typeof l.class_name !== "string" || !isObject(l.config)) {
        return fail(`layer ${i}: expected {class_name, config}`);
      }
      const name = typeof l.config.name === "string" ? l.config.name : `layer${i}`;
      specs.push({ name, className: l.class_name, config: l.config, inputs: prev ? [prev] : [] });
      prev = `${name}:0:0`;
    }
    return { layers: specs, output: prev! };
  }
  if (cls !== "Model" && cls !== "Functional") {
    return fail(`model class "${String(cls)}" is not supported; use a Sequential or functional model`);
  }
  for (const [i, l] of rawLayers.entries()) {
    if (!isObject(l) || typeof l.class_name !== "string" || !isObject(l.config)) {
      return fail(`layer ${i}: expected {class_name, config}`);
    }
    const name = typeof l.name === "string" ? l.name : String(l.config.name ?? `layer${i}`);
    const nodes = Array.isArray(l.inbound_nodes) ? l.inbound_nodes : [];
    if (nodes.length > 1) {
      return fail(`layer "${name}" is called ${nodes.length} times; shared layers are not supported`);
    }
    specs.push({
      name,
      className: l.class_name,
      config: l.config,
      inputs: nodes.length ? inboundKeys(nodes[0]) : [],
    });
  }
  const outs = isObject(config) ? config.output_layers : undefined;
  const list = Array.isArray(outs) && Array.isArray(outs[0]) ? outs : [outs];
  if (!Array.isArray(list) || list.length !== 1 || !Array.isArray(list[0])) {
    return fail("the model must have exactly one output");
  }
  const [oname, onode, otensor] = list[0] as [string, number, number];
  return { layers: specs, output: `${oname}:${onode ?? 0}:${otensor ?? 0}` };
}

/** Input tensor keys of one inbound node (tfjs/Keras 2 lists, or Keras 3 `keras_history` args). */
function inboundKeys(node: unknown): string[] {
  if (Array.isArray(node)) {
    return node.filter(Array.isArray).map((t) => `${t[0]}:${t[1] ?? 0}:${t[2] ?? 0}`);
  }
  const keys: string[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isObject(v)) {
      const h = isObject(v.config) ? v.config.keras_history : undefined;
      if (Array.isArray(h)) keys.push(`${h[0]}:${h[1] ?? 0}:${h[2] ?? 0}`);
      else if (isObject(v) && "args" in v) visit(v.args);
    }
  };
  visit(node);
  return keys;
}

class TfjsReader {
  private readonly env = new Map<string, Tensor>();
  private readonly origins = new Map<HopeModule, string>();
  private inputShape: number[] | undefined;
  /** The tensor the previous layer made (a Sequential model's next input). */
  private lastKey: string | undefined;

  constructor(
    private readonly layers: readonly LayerSpec[],
    private readonly weights: readonly ManifestWeight[],
    private readonly source: string,
  ) {}

  private fail(l: LayerSpec, message: string): never {
    throw new UsageError(`${this.source}: layer "${l.name}" (${l.className}): ${message}`);
  }

  read(output: string): ImportedModel {
    for (const l of this.layers) this.visit(l);
    const out = this.env.get(output);
    if (!out || !this.inputShape) {
      throw new UsageError(`${this.source}: the output does not depend on the input`);
    }
    let trace = out.trace;
    if (out.order === "first") {
      const perm = this.permutation(out, true, `${this.source}: output`);
      if (perm) trace = [...trace, perm];
    }
    if (trace.length === 0) throw new UsageError(`${this.source}: the model computes nothing`);
    const inputs = productOf(this.inputShape);
    const dense = modulesToNetwork(trace, inputs, (m) => this.origins.get(m) ?? m.kind);
    return {
      format: "tfjs",
      inputs,
      inputShape: this.inputShape,
      outputs: productOf(out.shape),
      modules: trace,
      ...("network" in dense ? { network: dense.network } : { notDense: dense.reason }),
    };
  }

  private visit(l: LayerSpec): void {
    const className = ALIASES[l.className] ?? l.className;
    if (!SUPPORTED_TFJS_LAYERS.includes(className)) {
      this.fail(
        l,
        `layer class ${l.className} is not supported; polylab reads ${SUPPORTED_TFJS_LAYERS.join(", ")}`,
      );
    }
    if (className === "InputLayer") {
      this.start(l, l.config);
      return;
    }
    if (l.inputs.length === 0) this.start(l, l.config); // first layer of a Sequential model
    const ins = (l.inputs.length ? l.inputs : [this.lastKey]).map((k) => {
      const t = this.env.get(k!);
      if (!t) this.fail(l, `its input "${k}" is not computed before it`);
      return t;
    });
    let t: Tensor;
    switch (className) {
      case "Add":
        t = this.add(l, ins);
        break;
      case "Dense":
        t = this.dense(l, ins[0]);
        break;
      case "Activation":
        t = this.activate(l, ins[0], this.activation(l, l.config.activation));
        break;
      case "LeakyReLU": {
        const a = l.config.alpha ?? l.config.negative_slope ?? 0.3;
        if (typeof a !== "number") this.fail(l, "alpha must be a number");
        t = this.activate(l, ins[0], { activation: "leaky_relu", alpha: a });
        break;
      }
      case "ELU": {
        const a = l.config.alpha ?? 1;
        if (typeof a !== "number") this.fail(l, "alpha must be a number");
        t = this.activate(l, ins[0], { activation: "elu", alpha: a });
        break;
      }
      case "ReLU": {
        const c = l.config;
        if (
          (c.max_value ?? c.maxValue ?? null) !== null || (c.threshold ?? 0) !== 0 ||
          (c.negative_slope ?? 0) !== 0
        ) {
          this.fail(l, "only the plain ReLU (no max_value, threshold or negative_slope) is supported");
        }
        t = this.activate(l, ins[0], { activation: "relu" });
        break;
      }
      case "Dropout":
        t = ins[0];
        break;
      case "Flatten":
        t = this.flatten(l, ins[0]);
        break;
      case "Conv1D":
      case "Conv2D":
        t = this.conv(l, ins[0], className === "Conv1D");
        break;
      default:
        t = this.pool(l, ins[0], className);
    }
    const key = `${l.name}:0:0`;
    this.env.set(key, t);
    this.lastKey = key;
  }

  /** Records the model input from a layer's batch input shape. */
  private start(l: LayerSpec, c: Record<string, unknown>): void {
    const shape = c.batch_input_shape ?? c.batchInputShape ?? c.batch_shape;
    if (
      !Array.isArray(shape) || shape.length < 2 || shape.slice(1).some((d) => typeof d !== "number" || d < 1)
    ) {
      this.fail(l, "the input shape (batch_input_shape) must be [null, …] with fixed positive sizes");
    }
    if (this.inputShape) this.fail(l, "a second input; polylab imports models with one input");
    this.inputShape = shape.slice(1) as number[];
    const key = `${l.name}:0:0`;
    this.env.set(key, { trace: [], shape: this.inputShape, order: "keras" });
    this.lastKey = key;
  }

  private activation(l: LayerSpec, name: unknown): { activation: ActivationName; alpha?: number } {
    const key = typeof name === "string" ? name : isObject(name) ? String(name.class_name ?? "") : "linear";
    const found = ACTIVATION_NAMES[key] ?? ACTIVATION_NAMES[key.toLowerCase()];
    if (!found && key === "softmax") {
      this.fail(
        l,
        'activation "softmax" is not elementwise, so it is not supported; polylab expands the ' +
          "logits: for a classifier, save the model with a linear output layer",
      );
    }
    if (!found) {
      this.fail(
        l,
        `activation "${key}" is not supported; polylab reads ${Object.keys(ACTIVATION_NAMES).join(", ")}`,
      );
    }
    return found;
  }

  private activate(l: LayerSpec, t: Tensor, a: { activation: ActivationName; alpha?: number }): Tensor {
    if (a.activation === "linear") return t;
    const units = productOf(t.shape);
    const m: HopeModule = a.alpha === undefined
      ? { kind: "elementwise", activation: a.activation, units }
      : { kind: "elementwise", activation: a.activation, alpha: a.alpha, units };
    this.origins.set(m, `layer "${l.name}" (${l.className})`);
    return { ...t, trace: [...t.trace, m] };
  }

  private weight(l: LayerSpec, variable: string, shape: readonly number[] | undefined): Float64Array {
    const want = `${l.name}/${variable}`;
    const w = this.weights.find((v) => {
      const n = v.name.replace(/:\d+$/, "");
      return n === want || n.endsWith(`/${want}`);
    });
    if (!w) this.fail(l, `weight "${want}" is missing from the weightsManifest`);
    if (shape && (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i]))) {
      this.fail(
        l,
        `weight "${w.name}" has shape ${JSON.stringify(w.shape)}, expected ${JSON.stringify(shape)}`,
      );
    }
    return w.data;
  }

  private useBias(l: LayerSpec): boolean {
    return (l.config.use_bias ?? l.config.useBias ?? true) !== false;
  }

  private dense(l: LayerSpec, t: Tensor): Tensor {
    if (t.shape.length !== 1) {
      this.fail(
        l,
        `its input has shape [${t.shape}]; Dense on a feature map is not supported (add a Flatten)`,
      );
    }
    const K = t.shape[0], M = Number(l.config.units);
    if (!Number.isInteger(M) || M < 1) this.fail(l, "units must be a positive integer");
    const kernel = this.weight(l, "kernel", [K, M]);
    const weights = new Float64Array((K + 1) * M);
    weights.set(kernel, M);
    if (this.useBias(l)) weights.set(this.weight(l, "bias", [M]), 0);
    const affine: AffineModule = { kind: "affine", inputs: K, units: M, weights };
    this.origins.set(affine, `layer "${l.name}" (${l.className})`);
    const out: Tensor = { trace: [...t.trace, affine], shape: [M], order: "keras" };
    return this.activate(l, out, this.activation(l, l.config.activation ?? "linear"));
  }

  private flatten(l: LayerSpec, t: Tensor): Tensor {
    let trace = t.trace;
    if (t.order === "first") {
      const perm = this.permutation(t, true, `layer "${l.name}" (Flatten)`);
      if (perm) trace = [...trace, perm];
    }
    return { trace, shape: [productOf(t.shape)], order: "keras" };
  }

  /** The feature map of a Keras tensor in the layer's data format. */
  private map(l: LayerSpec, t: Tensor, oneD: boolean): { map: FeatureMap; last: boolean } {
    const last = (l.config.data_format ?? l.config.dataFormat ?? "channels_last") === "channels_last";
    const s = t.shape;
    if (s.length !== (oneD ? 2 : 3)) {
      this.fail(
        l,
        `its input has shape [${s}]; expected ${oneD ? "[length, channels]" : "[height, width, channels]"}`,
      );
    }
    if (oneD) {
      return {
        map: last ? { channels: s[1], height: 1, width: s[0] } : { channels: s[0], height: 1, width: s[1] },
        last,
      };
    }
    return {
      map: last
        ? { channels: s[2], height: s[0], width: s[1] }
        : { channels: s[0], height: s[1], width: s[2] },
      last,
    };
  }

  private permutation(t: Tensor, toLast: boolean, where: string): AffineModule | null {
    const s = t.shape;
    const map: FeatureMap = s.length === 3
      ? { channels: s[2], height: s[0], width: s[1] }
      : { channels: s[1], height: 1, width: s[0] };
    const perm = channelPermutation(map, toLast, where);
    if (perm) this.origins.set(perm, where);
    return perm;
  }

  /** Brings a channels-last tensor to channels-first order (spatial modules need it). */
  private toFirst(l: LayerSpec, t: Tensor, last: boolean): readonly HopeModule[] {
    if (!last || t.order === "first") return t.trace;
    const perm = this.permutation(t, false, `layer "${l.name}" (${l.className})`);
    return perm ? [...t.trace, perm] : t.trace;
  }

  private window(l: LayerSpec, map: FeatureMap, oneD: boolean, size: unknown, strides: unknown): Window {
    const pair = (v: unknown, fallback: number[]): number[] => {
      const a = v === undefined || v === null
        ? fallback
        : Array.isArray(v)
        ? v.map(Number)
        : [Number(v), Number(v)];
      return oneD ? [1, a[0]] : a.length === 1 ? [a[0], a[0]] : [a[0], a[1]];
    };
    const k = pair(size, [1, 1]);
    const s = pair(strides, k);
    const dil = pair(l.config.dilation_rate ?? l.config.dilationRate, [1, 1]);
    if (dil.some((d) => d !== 1)) this.fail(l, "dilation_rate other than 1 is not supported");
    if ([...k, ...s].some((d) => !Number.isInteger(d) || d < 1)) {
      this.fail(l, "kernel and strides must be positive integers");
    }
    const padding = l.config.padding ?? "valid";
    let pads: [number, number, number, number] = [0, 0, 0, 0];
    if (padding === "same") {
      const total = (n: number, kk: number, ss: number) => Math.max((Math.ceil(n / ss) - 1) * ss + kk - n, 0);
      const th = total(map.height, k[0], s[0]), tw = total(map.width, k[1], s[1]);
      pads = [Math.floor(th / 2), Math.floor(tw / 2), th - Math.floor(th / 2), tw - Math.floor(tw / 2)];
    } else if (padding !== "valid") this.fail(l, `padding "${padding}" is not supported (valid or same)`);
    return { kh: k[0], kw: k[1], sh: s[0], sw: s[1], pads };
  }

  private kerasShape(out: FeatureMap, oneD: boolean, last: boolean): number[] {
    if (oneD) return last ? [out.width, out.channels] : [out.channels, out.width];
    return last ? [out.height, out.width, out.channels] : [out.channels, out.height, out.width];
  }

  private conv(l: LayerSpec, t: Tensor, oneD: boolean): Tensor {
    if ((l.config.groups ?? 1) !== 1) this.fail(l, "groups other than 1 are not supported");
    const { map, last } = this.map(l, t, oneD);
    const filters = Number(l.config.filters);
    const win = this.window(l, map, oneD, l.config.kernel_size ?? l.config.kernelSize, l.config.strides);
    const kshape = oneD ? [win.kw, map.channels, filters] : [win.kh, win.kw, map.channels, filters];
    const k = this.weight(l, "kernel", kshape);
    // Keras kernel [kh, kw, in, out] → polylab [out, in, kh, kw]
    const kernel = new Float64Array(k.length);
    for (let ky = 0; ky < win.kh; ky++) {
      for (let kx = 0; kx < win.kw; kx++) {
        for (let c = 0; c < map.channels; c++) {
          for (let o = 0; o < filters; o++) {
            kernel[((o * map.channels + c) * win.kh + ky) * win.kw + kx] =
              k[((ky * win.kw + kx) * map.channels + c) * filters + o];
          }
        }
      }
    }
    const bias = this.useBias(l) ? this.weight(l, "bias", [filters]) : undefined;
    const where = `layer "${l.name}" (${l.className})`;
    const { module, out } = convolution(map, filters, kernel, bias, win, oneD, where);
    this.origins.set(module, where);
    const shaped: Tensor = {
      trace: [...this.toFirst(l, t, last), module],
      shape: this.kerasShape(out, oneD, last),
      order: last ? "first" : "keras",
    };
    return this.activate(l, shaped, this.activation(l, l.config.activation ?? "linear"));
  }

  private pool(l: LayerSpec, t: Tensor, className: string): Tensor {
    const oneD = className.endsWith("1D");
    const { map, last } = this.map(l, t, oneD);
    const size = l.config.pool_size ?? l.config.poolSize ?? (oneD ? 2 : [2, 2]);
    const win = this.window(l, map, oneD, size, l.config.strides ?? size);
    const where = `layer "${l.name}" (${l.className})`;
    const { modules, out } = className.startsWith("Average")
      ? (({ module, out }) => ({ modules: [module], out }))(averagePool(map, win, false, oneD, where))
      : maxPool(map, win, oneD, where);
    for (const m of modules) this.origins.set(m, where);
    return {
      trace: [...this.toFirst(l, t, last), ...modules],
      shape: this.kerasShape(out, oneD, last),
      order: last ? "first" : "keras",
    };
  }

  private add(l: LayerSpec, ins: Tensor[]): Tensor {
    if (ins.length !== 2) {
      this.fail(l, `adds ${ins.length} tensors; polylab reads Add of two (a skip connection)`);
    }
    const [a, b] = ins;
    if (a.order !== b.order || productOf(a.shape) !== productOf(b.shape)) {
      this.fail(l, "adds tensors of different shapes or layouts; a residual needs equal shapes");
    }
    const [short, long] = a.trace.length <= b.trace.length ? [a.trace, b.trace] : [b.trace, a.trace];
    if (long.length === short.length || !short.every((m, i) => long[i] === m)) {
      this.fail(
        l,
        "adds two branches that are not a skip connection u + F(u); polylab reads residual Add only",
      );
    }
    const block: HopeModule = { kind: "residual", body: long.slice(short.length) };
    this.origins.set(block, `layer "${l.name}" (Add)`);
    return { trace: [...short, block], shape: a.shape, order: a.order };
  }
}
