/**
 * HOPE (Xiao et al. 2023, "HOPE: High-order Polynomial Expansion of Black-box Neural Networks"):
 * Taylor coefficients of a network at x0 from one backward sweep of *unmixed* derivative vectors.
 *
 * The network is a list of modules. Each module kind has ONE entry in {@link HOPE_RULES}: a forward
 * rule (values at x0 plus whatever the backward rule needs) and a backward rule mapping the unmixed
 * derivative vectors `v_k = ∂^k y/∂z^k` (k = 1..K, elementwise, w.r.t. the module's output z) to
 * those w.r.t. its input u. Modules that are affine in their input also expose their Jacobian
 * (`jacobian`), which the first module must do: there all mixed partials
 * `∂^α y/∂x^α = Σ_j v_{|α|}(u_j) · Π_i A_{j,i}^{α_i}` are formed, and the coefficient of
 * Π(x − x0)^α is that value over α!.
 *
 * The result equals the exact Taylor coefficients for one hidden layer and at order ≤ 1; for deeper
 * networks the dropped mixed partials w.r.t. hidden units make it differ (that is HOPE's rule), and
 * a residual block is exact only when nothing non-linear follows its add (see `residual` below).
 *
 * ## Adding module kinds
 * Add a variant to {@link HopeModule} (in modules.ts, shared with the exact engine of
 * exact_modules.ts, which needs a case too), an entry to {@link HOPE_RULES}, and (if it comes from a
 * network description) a case in {@link networkModules}; the sweep itself never changes.
 * `conv1d`/`conv2d`, `avgpool1d`/`avgpool2d`, `maxpool1d`/`maxpool2d` and `residual` are implemented
 * this way (flat channels-first vectors, so flatten is the identity; the 1-D kinds are the 2-D ones
 * with height 1 and a `1 × size` kernel/window); the notes below say how each rule reads.
 * - `conv1d`/`conv2d`: affine with shared weights. forward = convolution; backward for order k =
 *   transposed convolution of `v_k` with the elementwise k-th power of the kernel (each (input,
 *   output) pair is joined by exactly one tap, so this is `(W^∘k)ᵀ v_k`); `jacobian` = the unrolled
 *   (Toeplitz) matrix, needed only when it is the first module.
 * - `avgpool1d`/`avgpool2d`: affine with weight 1/|window|: backward spreads `v_k / |window|^k` over
 *   each window.
 * - `maxpool1d`/`maxpool2d`: at x0 it selects the arg-max input (weights 0/1, so W^∘k = W):
 *   backward routes `v_k` of each output to its arg-max input (kept by forward in the cache).
 * - `flatten`/`reshape`: a permutation of indices: forward and backward copy (no module needed).
 * - `residual` (z = u + F(u), F = `body`, a module list): forward runs the body (its states in
 *   {@link ForwardState.inner}) and adds u; backward returns `v_k(z) + sweep_F(v_k(z))`, the unmixed
 *   vectors of the two branches added. This is the rule of HOPE's public code
 *   (github.com/HarryPotterXTX/HOPE, `utils/HopeGrad.py`: `hope_module` answers `AddBackward0` by
 *   handing the same `vz` to both operands, and `hopegrad` walks every path of the autograd graph
 *   separately, summing the vectors only at the input leaves; every backward rule is linear in
 *   `vz`, so that equals adding the two branches' vectors at u). It is exact only when v_k(z) = 0
 *   for k ≥ 2, i.e. only linear modules follow the add: otherwise it drops the cross-path terms of
 *   Faà di Bruno (the k-th derivative of y = F(u + g(u)) needs powers of 1 + g', not 1 + powers of
 *   g'), so HOPE differs from the exact series at order ≥ 2 even for one input (e.g.
 *   u + tanh(u + sin u)); for the same reason an affine body is not the merged map I + W
 *   ((1 + w)^k ≠ 1 + w^k). Mixed partials w.r.t. u are dropped as for any hidden module. It cannot
 *   be the first module (no Jacobian).
 *
 * @module
 */

import type { Network } from "../network/network.ts";
import { activationDerivatives, evaluateActivation } from "../series/activations.ts";
import { bellApply, bellTable } from "./bell.ts";
import {
  type AvgPool1dModule,
  type AvgPool2dModule,
  checkResidual,
  type Conv1dModule,
  type Conv2dModule,
  convOutputSide,
  type HopeModule,
  type MaxPool1dModule,
  type MaxPool2dModule,
  moduleInputSize,
  moduleOutputSize,
  type Pool1dModule,
  type Pool2dModule,
} from "./modules.ts";

export type {
  AffineModule,
  AvgPool1dModule,
  AvgPool2dModule,
  Conv1dModule,
  Conv2dModule,
  ElementwiseModule,
  HopeModule,
  MaxPool1dModule,
  MaxPool2dModule,
  Pool1dModule,
  Pool1dShape,
  Pool2dModule,
  Pool2dShape,
  ResidualModule,
} from "./modules.ts";

/** Forward values of one module at x0 and what its backward rule needs. */
export interface ForwardState {
  /** The module's output at x0. */
  readonly output: Float64Array;
  /** Rule-specific data for the backward rule (e.g. Bell tables, arg-max indices). */
  readonly cache?: Float64Array;
  /** States of the body modules of a residual block, in order. */
  readonly inner?: readonly ForwardState[];
}

/** The forward/backward rule of one module kind. */
export interface HopeRule<M extends HopeModule> {
  /** Size of the module's input. */
  inputSize(m: M): number;
  /** Size of the module's output. */
  outputSize(m: M): number;
  /** Output at the input value `u0`, plus a cache for `backward` at derivative order `order`. */
  forward(m: M, u0: Float64Array, order: number): ForwardState;
  /**
   * Unmixed derivative vectors w.r.t. the input: `vz` is `order × outputSize` row-major
   * (row k−1 = ∂^k y/∂z^k); returns `order × inputSize`.
   */
  backward(m: M, state: ForwardState, vz: Float64Array, order: number): Float64Array;
  /** Jacobian `outputSize × inputSize` row-major, for modules affine in their input (first module). */
  jacobian?(m: M): Float64Array;
}

type RuleTable = { [K in HopeModule["kind"]]: HopeRule<Extract<HopeModule, { kind: K }>> };

/** The module-rule table: the one place that knows how each module kind propagates. */
export const HOPE_RULES: RuleTable = {
  affine: {
    inputSize: (m) => m.inputs,
    outputSize: (m) => m.units,
    forward(m, u0) {
      const { inputs, units, weights } = m;
      const z = weights.slice(0, units);
      for (let i = 0; i < inputs; i++) {
        const ui = u0[i];
        if (ui === 0) continue;
        const row = (i + 1) * units;
        for (let j = 0; j < units; j++) z[j] += ui * weights[row + j];
      }
      return { output: z };
    },
    backward(m, _state, vz, order) {
      // v_k(u_i) = Σ_j W_{ij}^k v_k(z_j)
      const { inputs, units, weights } = m;
      const vu = new Float64Array(order * inputs);
      for (let i = 0; i < inputs; i++) {
        const row = (i + 1) * units;
        for (let j = 0; j < units; j++) {
          const w = weights[row + j];
          let p = w;
          for (let k = 0; k < order; k++) {
            vu[k * inputs + i] += p * vz[k * units + j];
            p *= w;
          }
        }
      }
      return vu;
    },
    jacobian(m) {
      const { inputs, units, weights } = m;
      const a = new Float64Array(units * inputs);
      for (let i = 0; i < inputs; i++) {
        for (let j = 0; j < units; j++) a[j * inputs + i] = weights[(i + 1) * units + j];
      }
      return a;
    },
  },
  elementwise: {
    inputSize: (m) => m.units,
    outputSize: (m) => m.units,
    forward(m, u0, order) {
      const { units, activation, alpha } = m;
      const z = new Float64Array(units);
      const w = order + 1;
      const cache = new Float64Array(units * w * w);
      for (let j = 0; j < units; j++) {
        z[j] = evaluateActivation(activation, u0[j], alpha);
        if (order > 0) {
          const d = activationDerivatives(activation, u0[j], order, alpha);
          bellTable(d, order, cache.subarray(j * w * w, (j + 1) * w * w));
        }
      }
      return { output: z, cache };
    },
    backward(m, state, vz, order) {
      const { units } = m;
      const w = order + 1;
      const vu = new Float64Array(order * units);
      const cache = state.cache!;
      for (let j = 0; j < units; j++) {
        bellApply(cache.subarray(j * w * w, (j + 1) * w * w), order, vz, vu, j, units);
      }
      return vu;
    },
  },
  conv2d: convRule<Conv2dModule>(),
  conv1d: convRule<Conv1dModule>(),
  avgpool2d: { ...poolRule<AvgPool2dModule>(), jacobian: avgPoolJacobian },
  maxpool2d: poolRule<MaxPool2dModule>(),
  avgpool1d: { ...poolRule<AvgPool1dModule>(), jacobian: avgPoolJacobian },
  maxpool1d: poolRule<MaxPool1dModule>(),
  residual: {
    inputSize: (m) => moduleInputSize(m),
    outputSize: (m) => moduleOutputSize(m),
    forward(m, u0, order) {
      // z = u + F(u): run the body, keep its states for the backward rule
      const inner: ForwardState[] = [];
      let a = u0;
      for (const b of m.body) {
        const st = ruleOf(b).forward(b, a, order);
        inner.push(st);
        a = st.output;
      }
      const z = Float64Array.from(u0);
      for (let i = 0; i < z.length; i++) z[i] += a[i];
      return { output: z, inner };
    },
    backward(m, state, vz, order) {
      // HOPE's AddBackward0: both branches receive v_k(z); the skip passes it unchanged, the body
      // sweeps it back; the two input vectors add (HOPE sums per-path vectors at the leaves).
      let v = vz;
      for (let i = m.body.length - 1; i >= 0; i--) {
        v = ruleOf(m.body[i]).backward(m.body[i], state.inner![i], v, order);
      }
      const vu = Float64Array.from(vz);
      for (let i = 0; i < vu.length; i++) vu[i] += v[i];
      return vu;
    },
  },
};

function ruleOf<M extends HopeModule>(m: M): HopeRule<M> {
  const rule = (HOPE_RULES as unknown as Record<string, HopeRule<M> | undefined>)[m.kind];
  if (!rule) throw new Error(`module.kind: no HOPE rule for "${m.kind}"; add one to HOPE_RULES`);
  return rule;
}

/** A convolution or pooling window on a `channels × height × width` image: the 2-D modules with a
 * square `size × size` window, the 1-D ones with height 1 and a `1 × size` window. */
interface Rect {
  readonly height: number;
  readonly width: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
}

function rectOf(m: Conv2dModule | Conv1dModule | Pool2dModule | Pool1dModule): Rect {
  const stride = "stride" in m ? m.stride : m.size;
  return "length" in m
    ? { height: 1, width: m.length, kh: 1, kw: m.size, sh: 1, sw: stride }
    : { height: m.height, width: m.width, kh: m.size, kw: m.size, sh: stride, sw: stride };
}

/** Calls `f(outIndex, weight, inIndex)` for every tap of a convolution (kernel `oc × c × kh × kw`). */
function forEachTap(m: Conv2dModule | Conv1dModule, f: (o: number, w: number, ui: number) => void): void {
  const { inChannels, outChannels, kernel } = m;
  const { height, width, kh, kw, sh, sw } = rectOf(m);
  const oh = convOutputSide(height, kh, sh), ow = convOutputSide(width, kw, sw);
  for (let oc = 0; oc < outChannels; oc++) {
    for (let y = 0; y < oh; y++) {
      for (let x = 0; x < ow; x++) {
        const o = (oc * oh + y) * ow + x;
        for (let c = 0; c < inChannels; c++) {
          for (let ky = 0; ky < kh; ky++) {
            for (let kx = 0; kx < kw; kx++) {
              const w = kernel[((oc * inChannels + c) * kh + ky) * kw + kx];
              f(o, w, (c * height + y * sh + ky) * width + x * sw + kx);
            }
          }
        }
      }
    }
  }
}

/**
 * Convolution rule (1-D or 2-D): affine with shared weights; backward for order k is the
 * transposed convolution of `v_k` with the elementwise k-th power of the kernel.
 */
function convRule<M extends Conv2dModule | Conv1dModule>(): HopeRule<M> {
  const rule: HopeRule<M> = {
    inputSize: (m) => moduleInputSize(m),
    outputSize: (m) => moduleOutputSize(m),
    forward(m, u0) {
      const z = new Float64Array(moduleOutputSize(m));
      forEachTap(m, (o, w, ui) => (z[o] += w * u0[ui]));
      const per = z.length / m.outChannels;
      for (let o = 0; o < z.length; o++) z[o] += m.bias[Math.floor(o / per)];
      return { output: z };
    },
    backward(m, _state, vz, order) {
      const nIn = moduleInputSize(m), nOut = vz.length / order;
      const vu = new Float64Array(order * nIn);
      forEachTap(m, (o, w, ui) => {
        let p = w;
        for (let k = 0; k < order; k++) {
          vu[k * nIn + ui] += p * vz[k * nOut + o];
          p *= w;
        }
      });
      return vu;
    },
    jacobian(m) {
      const nIn = moduleInputSize(m);
      const a = new Float64Array(moduleOutputSize(m) * nIn);
      forEachTap(m, (o, w, ui) => (a[o * nIn + ui] += w));
      return a;
    },
  };
  return rule;
}

/**
 * Pooling rule (1-D or 2-D). Average pooling is affine with weight 1/|window| (so order k carries
 * 1/|window|^k) and has a Jacobian; max pooling selects its arg-max at x0 (weight 1, first in
 * row-major window order on ties), stored in the cache.
 */
function poolRule<M extends Pool2dModule | Pool1dModule>(): HopeRule<M> {
  const isAvg = (m: M) => m.kind === "avgpool2d" || m.kind === "avgpool1d";
  const windows = (m: M, f: (o: number, members: number[]) => void) => {
    const { height, width, kh, kw } = rectOf(m);
    const oh = Math.floor(height / kh), ow = Math.floor(width / kw);
    for (let c = 0; c < m.channels; c++) {
      for (let y = 0; y < oh; y++) {
        for (let x = 0; x < ow; x++) {
          const members: number[] = [];
          for (let dy = 0; dy < kh; dy++) {
            for (let dx = 0; dx < kw; dx++) members.push((c * height + y * kh + dy) * width + x * kw + dx);
          }
          f((c * oh + y) * ow + x, members);
        }
      }
    }
  };
  const perWindow = (m: M) => {
    const r = rectOf(m);
    return r.kh * r.kw;
  };
  const rule: HopeRule<M> = {
    inputSize: (m) => moduleInputSize(m),
    outputSize: (m) => moduleOutputSize(m),
    forward(m, u0) {
      const z = new Float64Array(moduleOutputSize(m));
      const cache = new Float64Array(z.length * perWindow(m)).fill(-1);
      windows(m, (o, members) => {
        if (isAvg(m)) {
          members.forEach((ui, t) => {
            z[o] += u0[ui] / members.length;
            cache[o * members.length + t] = ui;
          });
        } else {
          let best = members[0];
          for (const ui of members) if (u0[ui] > u0[best]) best = ui;
          z[o] = u0[best];
          cache[o * members.length] = best;
        }
      });
      return { output: z, cache };
    },
    backward(m, state, vz, order) {
      const nIn = moduleInputSize(m), nOut = vz.length / order, per = perWindow(m);
      const w = isAvg(m) ? 1 / per : 1;
      const vu = new Float64Array(order * nIn);
      for (let o = 0; o < nOut; o++) {
        for (let t = 0; t < per; t++) {
          const ui = state.cache![o * per + t];
          if (ui < 0) continue;
          let p = w;
          for (let k = 0; k < order; k++) {
            vu[k * nIn + ui] += p * vz[k * nOut + o];
            p *= w;
          }
        }
      }
      return vu;
    },
  };
  return rule;
}

/** The Jacobian of an average pooling module (`outputSize × inputSize`, weight 1/|window|). */
function avgPoolJacobian(m: AvgPool2dModule | AvgPool1dModule): Float64Array {
  const nIn = moduleInputSize(m);
  const a = new Float64Array(moduleOutputSize(m) * nIn);
  const cache = poolRule<typeof m>().forward(m, new Float64Array(nIn), 0).cache!;
  const r = rectOf(m), per = r.kh * r.kw;
  for (let t = 0; t < cache.length; t++) a[Math.floor(t / per) * nIn + cache[t]] = 1 / per;
  return a;
}

/** Splits a dense network into HOPE modules: affine then activation per layer (linear skipped). */
export function networkModules(net: Network): HopeModule[] {
  const mods: HopeModule[] = [];
  for (const l of net.layers) {
    mods.push({ kind: "affine", inputs: l.inputs, units: l.units, weights: l.weights });
    if (l.activation !== "linear") {
      mods.push(
        l.alpha === undefined
          ? { kind: "elementwise", activation: l.activation, units: l.units }
          : { kind: "elementwise", activation: l.activation, alpha: l.alpha, units: l.units },
      );
    }
  }
  return mods;
}

/** HOPE's polynomial: graded-lex labels (sorted 1-based indices, `[]` = constant) and coefficients. */
export interface TaylorResult {
  /** One monomial per term: sorted 1-based input indices with repetition; `[]` is the constant. */
  readonly labels: number[][];
  /** One array per output unit, aligned with `labels`: D_α / α! for Π (x − x0)^α. */
  readonly coefficients: Float64Array[];
}

/** Largest number of terms {@link hopeTaylor} will enumerate. */
export const MAX_TERMS = 2_000_000;

/**
 * HOPE Taylor coefficients of a dense network at `x0` up to total degree `order`.
 *
 * @example
 * ```ts
 * const { labels, coefficients } = hopeTaylor(net, new Float64Array([0.1, -0.2]), 4);
 * ```
 */
export function hopeTaylor(net: Network, x0: Float64Array | readonly number[], order: number): TaylorResult {
  if (!net || !Array.isArray(net.layers) || net.layers.length === 0) {
    throw new Error("net.layers: expected a network with at least one layer (use parseNetwork)");
  }
  return hopeTaylorModules(networkModules(net), net.inputs, x0, order);
}

/**
 * HOPE on an explicit module list (the first module must be affine in x, i.e. have a `jacobian`).
 */
export function hopeTaylorModules(
  modules: readonly HopeModule[],
  inputs: number,
  x0In: Float64Array | readonly number[],
  order: number,
): TaylorResult {
  const x0 = checkPoint(x0In, inputs);
  if (!Number.isInteger(order) || order < 0) {
    throw new Error(`order: expected a non-negative integer such as 4, got ${order}`);
  }
  if (modules.length === 0) throw new Error("modules: expected at least one module");
  const first = ruleOf(modules[0]);
  if (!first.jacobian) {
    throw new Error(`modules[0]: HOPE needs an affine first module (got "${modules[0].kind}")`);
  }
  const nTerms = binomial(inputs + order, order);
  if (nTerms > MAX_TERMS) {
    throw new Error(
      `order: ${order} with ${inputs} inputs gives ${nTerms} terms (max ${MAX_TERMS}); lower it`,
    );
  }

  // Forward pass at x0, checking that sizes chain.
  const states: ForwardState[] = [];
  let a: Float64Array = x0;
  modules.forEach((m, idx) => {
    const rule = ruleOf(m);
    if (m.kind === "residual") checkResidual(m, `modules[${idx}]`);
    if (rule.inputSize(m) !== a.length) {
      throw new Error(`modules[${idx}]: expects ${rule.inputSize(m)} inputs but receives ${a.length}`);
    }
    const st = rule.forward(m, a, order);
    states.push(st);
    a = st.output;
  });
  const y0 = a;
  const nOut = y0.length;

  // Backward sweep per output unit down to the output of the first module.
  const m0 = modules[0];
  const width = first.outputSize(m0);
  const vFirst: Float64Array[] = [];
  if (order > 0) {
    for (let o = 0; o < nOut; o++) {
      let v: Float64Array = new Float64Array(order * nOut);
      v[o] = 1;
      for (let idx = modules.length - 1; idx >= 1; idx--) {
        v = ruleOf(modules[idx]).backward(modules[idx], states[idx], v, order);
      }
      vFirst.push(v);
    }
  }

  const labels: number[][] = new Array(nTerms);
  const coefficients = Array.from({ length: nOut }, () => new Float64Array(nTerms));
  labels[0] = [];
  for (let o = 0; o < nOut; o++) coefficients[o][0] = y0[o];
  if (order === 0) return { labels, coefficients };

  // Mixed partials at the first module: depth-first over sorted multi-indices; within a degree
  // the visit order is lexicographic, so terms land in graded-lex order.
  const jac = first.jacobian(m0); // width × inputs
  const col = Array.from({ length: inputs }, (_, i) => {
    const c = new Float64Array(width);
    for (let j = 0; j < width; j++) c[j] = jac[j * inputs + i];
    return c;
  });
  const next = new Int32Array(order + 1); // next free slot per degree
  for (let d = 1; d <= order; d++) next[d] = binomial(inputs + d - 1, d - 1);
  const prods = Array.from({ length: order + 1 }, () => new Float64Array(width));
  prods[0].fill(1);
  const label: number[] = [];

  const visit = (deg: number, start: number, fact: number, run: number): void => {
    const prev = prods[deg - 1];
    const cur = prods[deg];
    for (let i = start; i < inputs; i++) {
      const ci = col[i];
      for (let j = 0; j < width; j++) cur[j] = prev[j] * ci[j];
      const r = deg > 1 && i === label[deg - 2] ? run + 1 : 1;
      const f = fact * r;
      label[deg - 1] = i;
      const slot = next[deg]++;
      labels[slot] = label.slice(0, deg).map((v) => v + 1);
      const off = (deg - 1) * width;
      for (let o = 0; o < nOut; o++) {
        const v = vFirst[o];
        let s = 0;
        for (let j = 0; j < width; j++) s += v[off + j] * cur[j];
        coefficients[o][slot] = s / f;
      }
      if (deg < order) visit(deg + 1, i, f, r);
    }
  };
  visit(1, 0, 1, 0);
  return { labels, coefficients };
}

/**
 * Expands coefficients of one output into the full derivative tensor of order k: all `p^k` ordered
 * index tuples (0-based), row-major with the first index most significant, value ∂^k y/∂x_{i1}…∂x_{ik}.
 */
export function derivativeTensor(
  labels: readonly (readonly number[])[],
  coefficients: ArrayLike<number>,
  inputs: number,
  k: number,
): Float64Array {
  const byKey = new Map<string, number>();
  labels.forEach((l, t) => {
    if (l.length === k) byKey.set(l.join(","), coefficients[t]);
  });
  const out = new Float64Array(inputs ** k);
  const idx = new Array<number>(k).fill(0);
  for (let flat = 0; flat < out.length; flat++) {
    let r = flat;
    for (let q = k - 1; q >= 0; q--) {
      idx[q] = r % inputs;
      r = Math.floor(r / inputs);
    }
    const sorted = idx.map((v) => v + 1).sort((x, y) => x - y);
    const c = byKey.get(sorted.join(","));
    if (c === undefined) throw new Error(`labels: missing monomial [${sorted}] of degree ${k}`);
    out[flat] = c * multiFactorial(sorted);
  }
  return out;
}

/** α! for a sorted label (product of the factorials of the repetition counts). */
export function multiFactorial(label: readonly number[]): number {
  let f = 1, run = 0;
  for (let t = 0; t < label.length; t++) {
    run = t > 0 && label[t] === label[t - 1] ? run + 1 : 1;
    f *= run;
  }
  return f;
}

/** Binomial coefficient C(n, k) as a float (exact while below 2^53). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

function checkPoint(x0: Float64Array | readonly number[], inputs: number): Float64Array {
  if (!x0 || typeof (x0 as ArrayLike<number>).length !== "number") {
    throw new Error(`x0: expected ${inputs} numbers (one per input)`);
  }
  if (x0.length !== inputs) {
    throw new Error(`x0: has ${x0.length} entries but the network has ${inputs} inputs; give one per input`);
  }
  const x = Float64Array.from(x0);
  x.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new Error(`x0[${i}]: expected a finite number, got ${x0[i]}`);
  });
  return x;
}
