/**
 * Activation functions: scalar evaluation and exact Taylor series of any order at any centre.
 *
 * `gelu` is the exact (erf) form x·Φ(x); `gelu_tanh` is the tanh approximation
 * 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))). `relu`, `leaky_relu` (slope α on the left, default
 * 0.01) and `elu` (α·(eˣ − 1) on the left, default α = 1) evaluate but have no Taylor expansion at
 * their kink x = 0, so polynomial methods that need one refuse them; away from the kink their
 * series is the active piece's. Every function below takes the layer's optional `alpha`.
 *
 * @module
 */

import {
  erf,
  type Jet,
  jetAffine,
  jetErf,
  jetExp,
  jetMul,
  jetSigmoid,
  jetSinCos,
  jetSoftplus,
  jetTanh,
  sigmoid,
  softplus,
  variableJet,
} from "./jet.ts";

/** Every activation name polylab knows. */
export const ACTIVATIONS = [
  "linear",
  "tanh",
  "sigmoid",
  "softplus",
  "sin",
  "cos",
  "exp",
  "silu",
  "gelu",
  "gelu_tanh",
  "relu",
  "leaky_relu",
  "elu",
] as const;

/** Name of a supported activation. */
export type ActivationName = typeof ACTIVATIONS[number];

/** Activations with a kink at 0 (piecewise): no Taylor series there. */
export const PIECEWISE_ACTIVATIONS: readonly ActivationName[] = ["relu", "leaky_relu", "elu"];

/** Activations that are analytic everywhere, hence have a Taylor series at every centre. */
export const ANALYTIC_ACTIVATIONS: readonly ActivationName[] = ACTIVATIONS.filter(
  (a) => !PIECEWISE_ACTIVATIONS.includes(a),
);

/** Default negative slope of `leaky_relu` (0.01 as in PyTorch; the tfjs / Keras default 0.3 is not used). */
export const LEAKY_RELU_SLOPE = 0.01;

/** Default α of `elu` (α·(eˣ − 1) for x ≤ 0), as in PyTorch, Keras and tfjs. */
export const ELU_ALPHA = 1;

/** Activations that take a per-layer `alpha`. */
export const ALPHA_ACTIVATIONS: readonly ActivationName[] = ["leaky_relu", "elu"];

/** The α an activation uses: the layer's own, or the default (0.01 for leaky_relu, 1 for elu). */
export function activationAlpha(name: ActivationName, alpha?: number): number {
  if (alpha !== undefined) return alpha;
  return name === "elu" ? ELU_ALPHA : LEAKY_RELU_SLOPE;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Evaluates an activation at a scalar (`alpha`: the layer's α for leaky_relu / elu). */
export function evaluateActivation(name: ActivationName, x: number, alpha?: number): number {
  switch (name) {
    case "linear":
      return x;
    case "tanh":
      return Math.tanh(x);
    case "sigmoid":
      return sigmoid(x);
    case "softplus":
      return softplus(x);
    case "sin":
      return Math.sin(x);
    case "cos":
      return Math.cos(x);
    case "exp":
      return Math.exp(x);
    case "silu":
      return x * sigmoid(x);
    case "gelu":
      return 0.5 * x * (1 + erf(x / Math.SQRT2));
    case "gelu_tanh":
      return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
    case "relu":
      return x > 0 ? x : 0;
    case "leaky_relu":
      return x > 0 ? x : activationAlpha(name, alpha) * x;
    case "elu":
      return x > 0 ? x : activationAlpha(name, alpha) * Math.expm1(x);
  }
}

/**
 * First derivative g′(x) of an activation. At the kink x = 0 of relu, leaky_relu and elu the left
 * piece's slope is used (0, α, α), as in the jets below.
 */
export function activationDerivative(name: ActivationName, x: number, alpha?: number): number {
  switch (name) {
    case "linear":
      return 1;
    case "tanh": {
      const t = Math.tanh(x);
      return 1 - t * t;
    }
    case "sigmoid": {
      const s = sigmoid(x);
      return s * (1 - s);
    }
    case "softplus":
      return sigmoid(x);
    case "sin":
      return Math.cos(x);
    case "cos":
      return -Math.sin(x);
    case "exp":
      return Math.exp(x);
    case "relu":
      return x > 0 ? 1 : 0;
    case "leaky_relu":
      return x > 0 ? 1 : activationAlpha(name, alpha);
    case "elu":
      return x > 0 ? 1 : activationAlpha(name, alpha) * Math.exp(x);
    default:
      return activationJet(name, variableJet(x, 1), alpha)[1];
  }
}

/** True when the activation has a Taylor expansion at every point. */
export function isAnalytic(name: ActivationName): boolean {
  return !PIECEWISE_ACTIVATIONS.includes(name);
}

/**
 * Composes an activation with a jet: the Taylor series of g(u(a + h)) in h.
 * For `relu`/`leaky_relu`/`elu` the result is the series of the piece active at u0 (for relu and
 * leaky_relu the coefficients beyond first order are zero); at exactly u0 = 0 the left piece is used.
 */
export function activationJet(name: ActivationName, u: Jet, alpha?: number): Jet {
  switch (name) {
    case "linear":
      return u.slice();
    case "tanh":
      return jetTanh(u);
    case "sigmoid":
      return jetSigmoid(u);
    case "softplus":
      return jetSoftplus(u);
    case "sin":
      return jetSinCos(u)[0];
    case "cos":
      return jetSinCos(u)[1];
    case "exp":
      return jetExp(u);
    case "silu":
      return jetMul(u, jetSigmoid(u));
    case "gelu":
      return jetMul(jetAffine(u, 0.5, 0), jetAffine(jetErf(jetAffine(u, Math.SQRT1_2, 0)), 1, 1));
    case "gelu_tanh": {
      const u3 = jetMul(jetMul(u, u), u);
      const inner = u.map((v, k) => SQRT_2_OVER_PI * (v + 0.044715 * u3[k]));
      return jetMul(jetAffine(u, 0.5, 0), jetAffine(jetTanh(inner), 1, 1));
    }
    case "relu":
      return u.map((v) => (u[0] > 0 ? v : 0));
    case "leaky_relu": {
      const a = activationAlpha(name, alpha);
      return u.map((v) => (u[0] > 0 ? v : a * v));
    }
    case "elu": {
      if (u[0] > 0) return u.slice();
      const a = activationAlpha(name, alpha);
      const e = jetExp(u);
      e[0] = Math.expm1(u[0]);
      return e.map((v) => a * v);
    }
  }
}

/**
 * Taylor coefficients c_n = g^(n)(a)/n!, n = 0..order, of an activation around `center`.
 *
 * @example
 * ```ts
 * taylorCoefficients("tanh", 0, 5); // [0, 1, 0, -1/3, 0, 2/15]
 * ```
 */
export function taylorCoefficients(
  name: ActivationName,
  center: number,
  order: number,
  alpha?: number,
): Float64Array {
  return activationJet(name, variableJet(center, order), alpha);
}

/** Derivatives g^(n)(x), n = 0..order (coefficients times n!). */
export function activationDerivatives(
  name: ActivationName,
  x: number,
  order: number,
  alpha?: number,
): Float64Array {
  const c = taylorCoefficients(name, x, order, alpha);
  let fact = 1;
  for (let n = 1; n <= order; n++) {
    fact *= n;
    c[n] *= fact;
  }
  return c;
}

/**
 * Taylor coefficients of an activation at many centres at once: `c[k][j] = g^(k)(centers[j])/k!`,
 * k = 0..order. For the variable jet u = a + h every recurrence reduces to y_k = z_{k−1}/k, so
 * tanh, sigmoid, softplus, sin, cos and exp run as loops over all centres in typed arrays (sums start
 * at +0 like the jets', so even signed zeros agree); the
 * other activations fall back to one {@link taylorCoefficients} per centre. Same values as
 * {@link taylorCoefficients} (same operations in the same order).
 */
export function taylorCoefficientsAt(
  name: ActivationName,
  centers: Float64Array,
  order: number,
  alpha?: number,
): Float64Array[] {
  const n = centers.length;
  const c = Array.from({ length: order + 1 }, () => new Float64Array(n));
  const first = (f: (x: number) => number) => {
    for (let j = 0; j < n; j++) c[0][j] = f(centers[j]);
  };
  // y_k = z_{k−1}/k with z_m from y[0..m] (tanh: δ_m0 − (y²)_m, sigmoid: y_m − (y²)_m)
  const quadratic = (linear: boolean, constant: boolean) => {
    const z = new Float64Array(n);
    for (let k = 1; k <= order; k++) {
      const m = k - 1;
      for (let j = 0; j < n; j++) {
        let sq = 0;
        for (let i = 0; i <= m; i++) sq += c[i][j] * c[m - i][j];
        z[j] = (constant && m === 0 ? 1 : 0) + (linear ? c[m][j] : 0) - sq;
      }
      for (let j = 0; j < n; j++) c[k][j] = (0 + z[j]) / k;
    }
  };
  switch (name) {
    case "tanh":
      first(Math.tanh);
      quadratic(false, true);
      return c;
    case "sigmoid":
      first(sigmoid);
      quadratic(true, false);
      return c;
    case "softplus": {
      const s = taylorCoefficientsAt("sigmoid", centers, Math.max(order - 1, 0));
      first(softplus);
      for (let k = 1; k <= order; k++) for (let j = 0; j < n; j++) c[k][j] = (0 + s[k - 1][j]) / k;
      return c;
    }
    case "exp":
      first(Math.exp);
      for (let k = 1; k <= order; k++) for (let j = 0; j < n; j++) c[k][j] = (0 + c[k - 1][j]) / k;
      return c;
    case "sin":
    case "cos": {
      const s = Array.from({ length: order + 1 }, () => new Float64Array(n));
      const co = Array.from({ length: order + 1 }, () => new Float64Array(n));
      for (let j = 0; j < n; j++) {
        s[0][j] = Math.sin(centers[j]);
        co[0][j] = Math.cos(centers[j]);
      }
      for (let k = 1; k <= order; k++) {
        for (let j = 0; j < n; j++) {
          s[k][j] = (0 + co[k - 1][j]) / k;
          co[k][j] = (0 - s[k - 1][j]) / k;
        }
      }
      return name === "sin" ? s : co;
    }
    default:
      for (let j = 0; j < n; j++) {
        const t = taylorCoefficients(name, centers[j], order, alpha);
        for (let k = 0; k <= order; k++) c[k][j] = t[k];
      }
      return c;
  }
}
