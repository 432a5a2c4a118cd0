/**
 * The network value: the one boundary between training (tfjs) and the exact float64 methods.
 *
 * A dense layer stores its weights as a row-major `(inputs + 1) × units` matrix whose row 0 is
 * the bias and row i the weights from unit i of the previous layer, exactly the layout of the
 * shared fixtures. The forward pass is `a_l = act_l(W_l[0] + a_{l-1} · W_l[1:])`, `a_0 = x`.
 *
 * @module
 */

import {
  activationDerivative,
  type ActivationName,
  ACTIVATIONS,
  ALPHA_ACTIVATIONS,
  evaluateActivation,
} from "../series/activations.ts";

/** A fully connected layer in the fixtures' layout (bias first). */
export interface DenseLayer {
  /** Discriminant, so that convolution and pooling modules can join later. */
  readonly kind: "dense";
  /** Activation applied elementwise after the affine map. */
  readonly activation: ActivationName;
  /** Units of the previous layer (p for the first layer). */
  readonly inputs: number;
  /** Units of this layer. */
  readonly units: number;
  /** Row-major `(inputs + 1) × units`; row 0 is the bias. */
  readonly weights: Float64Array;
  /**
   * α of `leaky_relu` (negative slope) or `elu` (α·(eˣ − 1) for x ≤ 0) when it differs from the
   * default (0.01 and 1); absent otherwise and for every other activation.
   */
  readonly alpha?: number;
}

/** A feed-forward network of dense layers, the input of every method. */
export interface Network {
  /** Number of inputs p. */
  readonly inputs: number;
  /** Layers from input to output. */
  readonly layers: readonly DenseLayer[];
}

/** Raised for a malformed network; `path` names the offending field. */
export class NetworkError extends Error {
  /** The field that is wrong, e.g. `layers[1].weights`. */
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = "NetworkError";
    this.path = path;
  }
}

/** A bad value as a user wrote it: `Infinity` (e.g. JSON's 1e999) is named, not printed as `null`. */
function describeValue(v: unknown): string {
  return typeof v === "number" ? `${v} (not finite in float64)` : JSON.stringify(v);
}

/** Number of output units of a network. */
export function outputUnits(net: Network): number {
  return net.layers[net.layers.length - 1].units;
}

/**
 * Builds a dense layer from a matrix given row by row (bias row first), validating its shape.
 *
 * @example
 * ```ts
 * const layer = denseLayer("tanh", [[0.1, 0.2], [1, -1]]); // 1 input, 2 units
 * const leaky = denseLayer("leaky_relu", [[0], [1]], "layer", 0.1); // slope 0.1 for x ≤ 0
 * ```
 */
export function denseLayer(
  activation: string,
  rows: readonly (readonly number[])[],
  path = "layer",
  alpha?: number,
): DenseLayer {
  if (!(ACTIVATIONS as readonly string[]).includes(activation)) {
    throw new NetworkError(
      `${path}.activation`,
      `unknown activation "${activation}"; use one of ${ACTIVATIONS.join(", ")}`,
    );
  }
  if (!Array.isArray(rows) || rows.length < 2) {
    throw new NetworkError(
      `${path}.weights`,
      "expected a matrix with a bias row and at least one weight row",
    );
  }
  if (alpha !== undefined) {
    if (!(ALPHA_ACTIVATIONS as readonly string[]).includes(activation)) {
      throw new NetworkError(
        `${path}.alpha`,
        `only ${ALPHA_ACTIVATIONS.join(" and ")} take an alpha; remove it for "${activation}"`,
      );
    }
    if (typeof alpha !== "number" || !Number.isFinite(alpha)) {
      throw new NetworkError(`${path}.alpha`, `expected a finite number, got ${describeValue(alpha)}`);
    }
  }
  const units = Array.isArray(rows[0]) ? rows[0].length : 0;
  if (units < 1) throw new NetworkError(`${path}.weights`, "rows must be non-empty lists of numbers");
  const weights = new Float64Array(rows.length * units);
  rows.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== units) {
      throw new NetworkError(`${path}.weights[${r}]`, `expected ${units} numbers like row 0`);
    }
    row.forEach((v, c) => {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new NetworkError(
          `${path}.weights[${r}][${c}]`,
          `expected a finite number, got ${describeValue(v)}`,
        );
      }
      weights[r * units + c] = v;
    });
  });
  const layer = {
    kind: "dense",
    activation: activation as ActivationName,
    inputs: rows.length - 1,
    units,
    weights,
  };
  return alpha === undefined ? layer as DenseLayer : { ...layer, alpha } as DenseLayer;
}

/**
 * Parses the fixtures' JSON layout (`{ inputs?, layers: [{activation, weights, alpha?}] }`) into a
 * network, checking that consecutive layers chain. Throws {@link NetworkError} naming the bad field.
 */
export function parseNetwork(json: unknown): Network {
  if (typeof json !== "object" || json === null) throw new NetworkError("network", "expected a JSON object");
  const obj = json as Record<string, unknown>;
  if (!Array.isArray(obj.layers) || obj.layers.length === 0) {
    throw new NetworkError("layers", "expected a non-empty list of {activation, weights}");
  }
  const layers = obj.layers.map((l: unknown, i: number) => {
    if (typeof l !== "object" || l === null) {
      throw new NetworkError(`layers[${i}]`, "expected {activation, weights}");
    }
    const { activation, weights, alpha } = l as Record<string, unknown>;
    if (typeof activation !== "string") {
      throw new NetworkError(`layers[${i}].activation`, 'expected a string such as "tanh"');
    }
    return denseLayer(activation, weights as number[][], `layers[${i}]`, alpha as number | undefined);
  });
  const inputs = obj.inputs === undefined ? layers[0].inputs : obj.inputs;
  if (typeof inputs !== "number" || !Number.isInteger(inputs) || inputs < 1) {
    throw new NetworkError("inputs", "expected a positive integer");
  }
  let prev = inputs;
  layers.forEach((l, i) => {
    if (l.inputs !== prev) {
      throw new NetworkError(
        `layers[${i}].weights`,
        `has ${l.inputs + 1} rows but must have ${prev + 1} (previous layer's ${prev} units + bias row)`,
      );
    }
    prev = l.units;
  });
  return { inputs, layers };
}

/** Converts a network back to the fixtures' JSON layout. */
export function networkToJson(
  net: Network,
): { inputs: number; layers: { activation: string; alpha?: number; weights: number[][] }[] } {
  return {
    inputs: net.inputs,
    layers: net.layers.map((l) => {
      const rows: number[][] = [];
      for (let r = 0; r <= l.inputs; r++) {
        rows.push(Array.from(l.weights.subarray(r * l.units, (r + 1) * l.units)));
      }
      return l.alpha === undefined
        ? { activation: l.activation, weights: rows }
        : { activation: l.activation, alpha: l.alpha, weights: rows };
    }),
  };
}

/**
 * Float64 forward pass on a batch: `x` is row-major `n × p`; returns row-major `n × outputs`.
 */
export function forward(net: Network, x: Float64Array, n: number): Float64Array {
  let a = x;
  for (const layer of net.layers) {
    const out = potentials(layer, a, n);
    const { activation, alpha } = layer;
    if (activation !== "linear") {
      for (let k = 0; k < out.length; k++) out[k] = evaluateActivation(activation, out[k], alpha);
    }
    a = out;
  }
  return a;
}

/** A layer's potentials u = W[0] + a·W[1:] for a batch `a` (row-major `n × inputs`), row-major `n × units`. */
function potentials(layer: DenseLayer, a: Float64Array, n: number): Float64Array {
  const { inputs, units, weights } = layer;
  const out = new Float64Array(n * units);
  for (let s = 0; s < n; s++) {
    const o = s * units;
    for (let j = 0; j < units; j++) out[o + j] = weights[j];
    for (let i = 0; i < inputs; i++) {
      const ai = a[s * inputs + i];
      if (ai === 0) continue;
      const row = (i + 1) * units;
      for (let j = 0; j < units; j++) out[o + j] += ai * weights[row + j];
    }
  }
  return out;
}

/**
 * Value and input gradient of one output of a network on a batch, in float64, by a forward pass
 * and one reverse sweep. `x` is row-major `n × p`; returns `value` (length n) and `gradient`
 * (row-major `n × p`, ∂f_output/∂x_k). At a kink (pre-activation exactly 0) of relu, leaky_relu or
 * elu the left piece's slope is used.
 *
 * @example
 * ```ts
 * const { value, gradient } = inputGradients(net, Float64Array.of(0.1, -0.2), 1);
 * ```
 */
export function inputGradients(
  net: Network,
  x: Float64Array,
  n: number,
  output = 0,
): { value: Float64Array; gradient: Float64Array } {
  const outputs = outputUnits(net);
  if (!Number.isInteger(output) || output < 0 || output >= outputs) {
    throw new NetworkError("output", `expected an output index in 0..${outputs - 1}, got ${output}`);
  }
  // forward, keeping every layer's derivative g'(u)
  const slopes: Float64Array[] = [];
  let a = x;
  for (const layer of net.layers) {
    const u = potentials(layer, a, n);
    const { activation, alpha } = layer;
    const d = new Float64Array(u.length);
    for (let k = 0; k < u.length; k++) {
      d[k] = activationDerivative(activation, u[k], alpha);
      u[k] = evaluateActivation(activation, u[k], alpha);
    }
    slopes.push(d);
    a = u;
  }
  const value = new Float64Array(n);
  for (let s = 0; s < n; s++) value[s] = a[s * outputs + output];
  // reverse: δ_L = e_output ⊙ g'_L; δ_{l-1} = (δ_l · W_l[1:]ᵀ) ⊙ g'_{l-1}; ∇x = δ_1 · W_1[1:]ᵀ
  let delta = new Float64Array(n * outputs);
  for (let s = 0; s < n; s++) {
    delta[s * outputs + output] = slopes[net.layers.length - 1][s * outputs + output];
  }
  for (let l = net.layers.length - 1; l >= 0; l--) {
    const { inputs, units, weights } = net.layers[l];
    const back = new Float64Array(n * inputs);
    for (let s = 0; s < n; s++) {
      for (let i = 0; i < inputs; i++) {
        const row = (i + 1) * units;
        let sum = 0;
        for (let j = 0; j < units; j++) sum += delta[s * units + j] * weights[row + j];
        back[s * inputs + i] = l > 0 ? sum * slopes[l - 1][s * inputs + i] : sum;
      }
    }
    delta = back;
  }
  return { value, gradient: delta };
}
