/**
 * Builds seeded tfjs dense networks from a small spec.
 *
 * Every polylab activation is trainable: `linear`, `tanh`, `sigmoid`, `softplus` and `relu` use
 * the tfjs built-ins (fused in the Dense layer); `sin`, `cos`, `exp`, `silu`, `gelu` (exact erf
 * form), `gelu_tanh` and `leaky_relu` (slope α, default 0.01) and `elu` (α, default 1) are a linear Dense layer followed by a
 * {@link PolylabActivation} layer computing exactly the formula of lib/series/activations.ts.
 * The output layer is always affine (`linear`); a `softmax` output means the model emits logits
 * and the loss / predict helpers apply softmax.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import {
  activationAlpha,
  type ActivationName,
  ACTIVATIONS,
  ALPHA_ACTIVATIONS,
} from "../series/activations.ts";
import { deriveSeed } from "../data/random.ts";

/** Activations with a native tfjs identifier that means exactly the same function. */
export const NATIVE_TFJS_ACTIVATIONS: Readonly<
  Partial<Record<ActivationName, "linear" | "tanh" | "sigmoid" | "softplus" | "relu">>
> = {
  linear: "linear",
  tanh: "tanh",
  sigmoid: "sigmoid",
  softplus: "softplus",
  relu: "relu",
};

/** Activations that can be trained here (all of polylab's). */
export const TRAINABLE_ACTIVATIONS: readonly ActivationName[] = ACTIVATIONS;

/** Output activation: identity, or softmax applied to the logits by the loss and predict helpers. */
export type OutputActivation = "linear" | "softmax";

/** Weight initialisers; biases always start at zero (the Keras default). */
export type InitializerSpec =
  | "glorotUniform"
  | "glorotNormal"
  | "heUniform"
  | "heNormal"
  | "leCunUniform"
  | "leCunNormal"
  | { readonly kind: "randomUniform"; readonly min: number; readonly max: number }
  | { readonly kind: "randomNormal"; readonly mean?: number; readonly sd: number };

/** A dense network to build. */
export interface ModelSpec {
  /** Number of inputs p. */
  readonly inputs: number;
  /** Width of each hidden layer (may be empty: a linear/logistic model). */
  readonly hidden: readonly number[];
  /**
   * One activation for every hidden layer, or one per hidden layer: any polylab name
   * ({@link ActivationName}); plain strings are accepted and validated at run time.
   */
  readonly activation: ActivationName | string | readonly (ActivationName | string)[];
  /** Output units (1 for regression, k for k classes). */
  readonly outputUnits: number;
  /**
   * α of the `leaky_relu` / `elu` hidden layers (one for all, or one per hidden layer, undefined
   * for the default); carried into the converted network's layers.
   */
  readonly alpha?: number | readonly (number | undefined)[];
  /** Default `"linear"`. */
  readonly outputActivation?: OutputActivation;
  /** Default `"glorotUniform"`. */
  readonly initializer?: InitializerSpec;
  /** Master seed of the initialisation; layer l uses `deriveSeed(seed, "init", "layer", l)`. */
  readonly seed: number;
  /** Dropout rate after every hidden layer during training (default 0: none; identity at inference). */
  readonly dropout?: number;
}

/** A spec after validation, with one activation per hidden layer and defaults filled in. */
export interface ResolvedModelSpec {
  /** Inputs p. */
  readonly inputs: number;
  /** Hidden widths. */
  readonly hidden: readonly number[];
  /** Activation of each hidden layer. */
  readonly activations: readonly ActivationName[];
  /** α of each hidden layer (undefined: the activation's default or none). */
  readonly alphas: readonly (number | undefined)[];
  /** Output units. */
  readonly outputUnits: number;
  /** Output activation. */
  readonly outputActivation: OutputActivation;
  /** Initialiser. */
  readonly initializer: InitializerSpec;
  /** Seed of each layer's kernel initialiser (hidden layers then output). */
  readonly layerSeeds: readonly number[];
  /** Dropout rate after every hidden layer (0: none). */
  readonly dropout: number;
}

const INITIALIZER_NAMES = [
  "glorotUniform",
  "glorotNormal",
  "heUniform",
  "heNormal",
  "leCunUniform",
  "leCunNormal",
];

function requirePositiveInteger(value: number, field: string): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new Error(`${field}: expected a positive integer, got ${String(value)}`);
  }
}

function requireActivation(name: unknown, field: string): ActivationName {
  if (typeof name !== "string" || !(ACTIVATIONS as readonly string[]).includes(name)) {
    throw new Error(`${field}: unknown activation "${String(name)}"; use one of ${ACTIVATIONS.join(", ")}`);
  }
  return name as ActivationName;
}

/** Validates a spec (every error names the field and the fix) and resolves defaults. */
export function resolveModelSpec(spec: ModelSpec): ResolvedModelSpec {
  requirePositiveInteger(spec.inputs, "model.inputs");
  if (!Array.isArray(spec.hidden)) {
    throw new Error("model.hidden: expected a list of layer widths, e.g. [100]");
  }
  spec.hidden.forEach((w, l) => requirePositiveInteger(w, `model.hidden[${l}]`));
  requirePositiveInteger(spec.outputUnits, "model.outputUnits");
  let activations: ActivationName[];
  if (Array.isArray(spec.activation)) {
    if (spec.activation.length !== spec.hidden.length) {
      throw new Error(
        `model.activation: has ${spec.activation.length} entries but there are ${spec.hidden.length} hidden layers; ` +
          "give one per hidden layer or a single name",
      );
    }
    activations = spec.activation.map((a, l) => requireActivation(a, `model.activation[${l}]`));
  } else {
    const a = requireActivation(spec.activation, "model.activation");
    activations = spec.hidden.map(() => a);
  }
  const alphas = spec.hidden.map((_, l) => {
    const a = Array.isArray(spec.alpha) ? spec.alpha[l] : spec.alpha as number | undefined;
    if (a === undefined) return undefined;
    if (typeof a !== "number" || !Number.isFinite(a)) {
      throw new Error(`model.alpha: expected a finite number, got ${JSON.stringify(a)}`);
    }
    return ALPHA_ACTIVATIONS.includes(activations[l]) ? a : undefined;
  });
  if (Array.isArray(spec.alpha) && spec.alpha.length !== spec.hidden.length) {
    throw new Error(
      `model.alpha: has ${spec.alpha.length} entries but there are ${spec.hidden.length} hidden layers`,
    );
  }
  const outputActivation = spec.outputActivation ?? "linear";
  if (outputActivation !== "linear" && outputActivation !== "softmax") {
    throw new Error(
      `model.outputActivation: unknown "${String(outputActivation)}"; use "linear" or "softmax"`,
    );
  }
  if (outputActivation === "softmax" && spec.outputUnits < 2) {
    throw new Error("model.outputUnits: softmax needs at least 2 output units (one per class)");
  }
  const initializer = spec.initializer ?? "glorotUniform";
  if (typeof initializer === "string") {
    if (!INITIALIZER_NAMES.includes(initializer)) {
      throw new Error(
        `model.initializer: unknown "${initializer}"; use one of ${INITIALIZER_NAMES.join(", ")}, ` +
          `{kind: "randomUniform", min, max} or {kind: "randomNormal", sd}`,
      );
    }
  } else if (initializer?.kind === "randomUniform") {
    if (
      !(Number.isFinite(initializer.min) && Number.isFinite(initializer.max) &&
        initializer.min < initializer.max)
    ) {
      throw new Error("model.initializer: randomUniform needs finite min < max");
    }
  } else if (initializer?.kind === "randomNormal") {
    if (!(Number.isFinite(initializer.sd) && initializer.sd > 0)) {
      throw new Error("model.initializer: randomNormal needs a finite sd > 0");
    }
  } else {
    throw new Error(`model.initializer: unknown ${JSON.stringify(initializer)}; use e.g. "glorotUniform"`);
  }
  const layerSeeds = [...spec.hidden, spec.outputUnits].map((_, l) =>
    deriveSeed(spec.seed, "init", "layer", l)
  );
  const dropout = spec.dropout ?? 0;
  if (typeof dropout !== "number" || !(dropout >= 0 && dropout < 1)) {
    throw new Error(`model.dropout: expected a rate in [0, 1), e.g. 0.2, got ${String(dropout)}`);
  }
  return {
    inputs: spec.inputs,
    hidden: [...spec.hidden],
    activations,
    alphas,
    outputUnits: spec.outputUnits,
    outputActivation,
    initializer,
    layerSeeds,
    dropout,
  };
}

type TfInitializer = ReturnType<typeof tf.initializers.glorotUniform>;

function makeInitializer(spec: InitializerSpec, seed: number): TfInitializer {
  if (typeof spec !== "string") {
    return spec.kind === "randomUniform"
      ? tf.initializers.randomUniform({ minval: spec.min, maxval: spec.max, seed })
      : tf.initializers.randomNormal({ mean: spec.mean ?? 0, stddev: spec.sd, seed });
  }
  switch (spec) {
    case "glorotUniform":
      return tf.initializers.glorotUniform({ seed });
    case "glorotNormal":
      return tf.initializers.glorotNormal({ seed });
    case "heUniform":
      return tf.initializers.heUniform({ seed });
    case "heNormal":
      return tf.initializers.heNormal({ seed });
    case "leCunUniform":
      return tf.initializers.leCunUniform({ seed });
    case "leCunNormal":
      return tf.initializers.leCunNormal({ seed });
  }
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Applies a polylab activation with tfjs ops (differentiable); `alpha` for leaky_relu / elu. */
export function applyActivation(name: ActivationName, x: tf.Tensor, alpha?: number): tf.Tensor {
  return tf.tidy(() => {
    switch (name) {
      case "linear":
        return x.clone();
      case "tanh":
        return tf.tanh(x);
      case "sigmoid":
        return tf.sigmoid(x);
      case "softplus":
        return tf.softplus(x);
      case "sin":
        return tf.sin(x);
      case "cos":
        return tf.cos(x);
      case "exp":
        return tf.exp(x);
      case "silu":
        return tf.mul(x, tf.sigmoid(x));
      case "gelu":
        return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
      case "gelu_tanh": {
        const inner = tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
        return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(inner)));
      }
      case "relu":
        return tf.relu(x);
      case "leaky_relu":
        return tf.leakyRelu(x, activationAlpha(name, alpha));
      case "elu":
        // relu(x) + α·(e^min(x, 0) − 1), written with ops that all have gradients
        return alpha === undefined
          ? tf.elu(x)
          : tf.add(tf.relu(x), tf.mul(alpha, tf.sub(tf.exp(tf.neg(tf.relu(tf.neg(x)))), 1)));
    }
  });
}

/** Config of {@link PolylabActivation}. */
export interface PolylabActivationConfig {
  /** The activation to apply. */
  activation: ActivationName;
  /** α of leaky_relu / elu (default: the activation's). */
  alpha?: number;
  /** Layer name. */
  name?: string;
}

/** Elementwise polylab activation as a tfjs layer (for activations tfjs lacks or defines differently). */
export class PolylabActivation extends tf.layers.Layer {
  /** Serialization class name. */
  static className = "PolylabActivation";
  /** The activation applied. */
  readonly activation: ActivationName;
  /** α of leaky_relu / elu, when set. */
  readonly alpha?: number;

  /** Creates the layer; throws for an unknown activation. */
  constructor(config: PolylabActivationConfig) {
    super({ name: config.name });
    this.activation = requireActivation(config.activation, "PolylabActivation.activation");
    if (config.alpha !== undefined) this.alpha = config.alpha;
  }

  /** Applies the activation. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return applyActivation(this.activation, x, this.alpha);
  }

  /** Shape is unchanged. */
  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return shape;
  }

  /** Serializable config. */
  override getConfig(): tf.serialization.ConfigDict {
    return this.alpha === undefined
      ? { ...super.getConfig(), activation: this.activation }
      : { ...super.getConfig(), activation: this.activation, alpha: this.alpha };
  }
}
tf.serialization.registerClass(PolylabActivation);

/**
 * Builds the tfjs model of a spec: for each hidden layer a Dense layer (named `hidden_<l>`) with a
 * seeded kernel initialiser and zero bias, then the output Dense layer `output` (always affine).
 *
 * @example
 * ```ts
 * const model = buildModel({ inputs: 7, hidden: [100], activation: "tanh", outputUnits: 1, seed: 1 });
 * ```
 */
export function buildModel(spec: ModelSpec): tf.Sequential {
  const r = resolveModelSpec(spec);
  const model = tf.sequential();
  let inputs = r.inputs;
  r.hidden.forEach((units, l) => {
    const activation = r.activations[l];
    const native = NATIVE_TFJS_ACTIVATIONS[activation];
    model.add(tf.layers.dense({
      units,
      inputShape: l === 0 ? [inputs] : undefined,
      activation: native ?? "linear",
      kernelInitializer: makeInitializer(r.initializer, r.layerSeeds[l]),
      biasInitializer: "zeros",
      name: `hidden_${l}`,
    }));
    if (native === undefined) {
      model.add(new PolylabActivation({ activation, alpha: r.alphas[l], name: `hidden_${l}_${activation}` }));
    }
    if (r.dropout > 0) {
      model.add(
        tf.layers.dropout({
          rate: r.dropout,
          seed: deriveSeed(spec.seed, "dropout", l),
          name: `dropout_${l}`,
        }),
      );
    }
    inputs = units;
  });
  model.add(tf.layers.dense({
    units: r.outputUnits,
    inputShape: r.hidden.length === 0 ? [r.inputs] : undefined,
    activation: "linear",
    kernelInitializer: makeInitializer(r.initializer, r.layerSeeds[r.hidden.length]),
    biasInitializer: "zeros",
    name: "output",
  }));
  return model;
}

/** The Dense layers of a model in order (hidden layers first, output last). */
export function denseLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() === "Dense");
}

/** One affine step of a compiled forward pass. */
interface ForwardStep {
  kernel: tf.Variable;
  bias: tf.Variable | null;
  activation: ActivationName;
  alpha?: number;
}

/**
 * Compiles a model made of Dense layers (optionally followed by {@link PolylabActivation}
 * layers) into a direct forward function on its variables — the same maths as `model.apply` with
 * less per-call overhead, used in the training loop. Returns null for any other architecture
 * (callers then use `model.apply`).
 */
export function compileForward(model: tf.LayersModel): ((x: tf.Tensor) => tf.Tensor) | null {
  const steps: ForwardStep[] = [];
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    if (kind === "InputLayer") continue;
    if (kind === "Dense") {
      const tfjsActivation = String(layer.getConfig().activation ?? "linear");
      const entry = Object.entries(NATIVE_TFJS_ACTIVATIONS).find(([, t]) => t === tfjsActivation);
      if (!entry) return null;
      const vars = layer.weights.map((w) => w.read() as tf.Variable);
      const kernel = vars.find((v) => v.rank === 2);
      if (!kernel || vars.length > 2) return null;
      steps.push({
        kernel,
        bias: vars.find((v) => v.rank === 1) ?? null,
        activation: entry[0] as ActivationName,
      });
    } else if (layer instanceof PolylabActivation) {
      const last = steps[steps.length - 1];
      if (!last || last.activation !== "linear") return null;
      last.activation = layer.activation;
      last.alpha = layer.alpha;
    } else return null;
  }
  if (steps.length === 0) return null;
  return (x: tf.Tensor) =>
    tf.tidy(() => {
      let a = x;
      for (const { kernel, bias, activation, alpha } of steps) {
        const z = bias ? denseAffine(a, kernel, bias) : denseLinear(a, kernel);
        a = activation === "linear" ? z : applyActivation(activation, z, alpha);
      }
      return a;
    });
}

/**
 * x·W + b with a gradient written with explicit transposes. tfjs-wasm's matMul with a transpose
 * flag (which tfjs's own matMul gradient uses) is 4–8× slower than transposing first and
 * multiplying plainly (100×50 operands: 828 µs vs 143 µs), and these products dominate a step.
 */
const denseAffine = tf.customGrad((...args: unknown[]) => {
  const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x, w), b),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = dy as tf.Tensor2D;
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(g, tf.transpose(ws)), tf.matMul(tf.transpose(xs), g), tf.sum(g, 0)];
    },
  };
}) as (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** x·W with the explicit-transpose gradient of {@link denseAffine}. */
const denseLinear = tf.customGrad((...args: unknown[]) => {
  const [x, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = dy as tf.Tensor2D;
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(g, tf.transpose(ws)), tf.matMul(tf.transpose(xs), g)];
    },
  };
}) as (x: tf.Tensor, w: tf.Tensor) => tf.Tensor;
