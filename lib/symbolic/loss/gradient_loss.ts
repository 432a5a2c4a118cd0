/**
 * The normalised-gradient loss of Wetzel's symbolic-gradient interpretation (arXiv 2401.04978):
 * for a candidate g and target gradients F at n points in p dimensions,
 *
 *   L(g) = (1/(n·p)) Σ_i Σ_k ( ∂_k g(x_i)/‖∇g(x_i)‖ − F_ik/‖F_i‖ )²  =  (2/p)(1 − mean_i cos θ_i).
 *
 * Sign-sensitive (−g scores ≈ 4/p). A non-finite value or gradient, or ∇g = 0, at any point gives +∞. The
 * sum of squares is computed directly (not as 1 − cos), so losses near 1e-10 keep their digits.
 *
 * @module
 */

import type { Expr } from "../core/expression.ts";
import type { Program } from "../evaluation/compile.ts";
import { evaluateProgram, Workspace } from "../evaluation/evaluate.ts";
import type { Objective } from "./objective.ts";

/**
 * Normalises gradients to unit length (row-major n × p in, column-major p × n out). Throws
 * naming the point when a gradient is zero or not finite.
 */
export function normalizeRows(g: ArrayLike<number>, n: number, p: number): Float64Array {
  const out = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < p; k++) s += g[i * p + k] * g[i * p + k];
    const norm = Math.sqrt(s);
    if (!(norm > 0) || !Number.isFinite(norm)) {
      throw new Error(`gradient at point ${i} is ${norm === 0 ? "zero" : "not finite"}; it has no direction`);
    }
    for (let k = 0; k < p; k++) out[k * n + i] = g[i * p + k] / norm;
  }
  return out;
}

/**
 * The normalised-gradient loss on fixed points.
 *
 * @example
 * ```ts
 * const loss = new GradientLoss(points, networkGradients, n, p);
 * loss.loss(compile(parseExpression("x1*x1 + 2*x2*x2"), p));
 * ```
 */
export class GradientLoss implements Objective {
  /** `gradient`. */
  readonly kind = "gradient";
  /** Number of points. */
  readonly n: number;
  /** Number of inputs. */
  readonly inputs: number;
  /** n·p. */
  readonly residualCount: number;
  /** The points' workspace. */
  readonly workspace: Workspace;
  /** Unit target gradients times √w_i, column-major (component k of point i at k·n + i). */
  readonly target: Float64Array;
  /** √w_i per point (all 1 without weights). */
  readonly scale: Float64Array;
  readonly #columnSquares: Float64Array;
  readonly #inverseNorm: Float64Array;

  /**
   * Points `x` and target gradients `grad`, both row-major n × p. `weights` (optional, one per
   * point, rescaled to mean 1) weigh the points: L = Σ_i w_i Σ_k (…)² / (n·p).
   */
  constructor(
    x: ArrayLike<number>,
    grad: ArrayLike<number>,
    n: number,
    p: number,
    weights?: ArrayLike<number>,
    prepared?: { target: Float64Array; scale: Float64Array },
  ) {
    if (n < 1) throw new Error("GradientLoss: no points");
    this.n = n;
    this.inputs = p;
    this.residualCount = n * p;
    this.workspace = new Workspace(x, n, p);
    if (prepared) {
      this.target = prepared.target;
      this.scale = prepared.scale;
    } else {
      this.target = normalizeRows(grad, n, p);
      this.scale = new Float64Array(n).fill(1);
      if (weights !== undefined) {
        if (weights.length !== n) {
          throw new Error(`GradientLoss: expected ${n} weights, got ${weights.length}`);
        }
        let mean = 0;
        for (let i = 0; i < n; i++) {
          if (!(weights[i] >= 0) || !Number.isFinite(weights[i])) {
            throw new Error(`GradientLoss: weight ${i} is ${weights[i]}; weights must be finite and ≥ 0`);
          }
          mean += weights[i] / n;
        }
        if (!(mean > 0)) throw new Error("GradientLoss: all weights are zero");
        for (let i = 0; i < n; i++) this.scale[i] = Math.sqrt(weights[i] / mean);
        for (let k = 0; k < p; k++) for (let i = 0; i < n; i++) this.target[k * n + i] *= this.scale[i];
      }
    }
    this.#columnSquares = new Float64Array(p);
    this.#inverseNorm = new Float64Array(n);
    this.#updateColumns();
  }

  #updateColumns(): void {
    const { n, inputs: p, target } = this;
    for (let k = 0; k < p; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += target[k * n + i] * target[k * n + i];
      this.#columnSquares[k] = s;
    }
  }

  /** The root must be a binary operator: a variable or a unary root only re-parametrises g. */
  admissible(tree: Expr): boolean {
    return tree.type === "binary";
  }

  /** Evaluates and fills the inverse gradient norms; returns the output register or −1 when unusable. */
  #prepare(prog: Program): number {
    const out = evaluateProgram(prog, this.workspace, true);
    if (out < 0) return -1;
    const { n, inputs: p } = this;
    const T = this.workspace.tangents;
    const V = this.workspace.values;
    // the value must exist too: log(x1) has the finite derivative 1/x1 where log(x1) is NaN
    for (let i = out * n, end = out * n + n; i < end; i++) if (!Number.isFinite(V[i])) return -1;
    const inv = this.#inverseNorm;
    inv.fill(0);
    const deps = prog.outputDeps;
    for (let k = 0; k < p; k++) {
      if (!deps[k]) continue;
      const base = (out * p + k) * n;
      for (let i = 0; i < n; i++) inv[i] += T[base + i] * T[base + i];
    }
    for (let i = 0; i < n; i++) {
      const s = inv[i];
      if (!(s > 0) || s === Infinity) return -1; // zero, NaN or infinite gradient
      inv[i] = this.scale[i] / Math.sqrt(s);
    }
    return out;
  }

  /** The loss (mean over points and components); +∞ when unusable. */
  loss(prog: Program): number {
    const out = this.#prepare(prog);
    if (out < 0) return Infinity;
    const { n, inputs: p, target } = this;
    const T = this.workspace.tangents;
    const inv = this.#inverseNorm;
    let total = 0;
    for (let k = 0; k < p; k++) {
      if (!prog.outputDeps[k]) {
        total += this.#columnSquares[k];
        continue;
      }
      const base = (out * p + k) * n;
      const tb = k * n;
      for (let i = 0; i < n; i++) {
        const d = T[base + i] * inv[i] - target[tb + i];
        total += d * d;
      }
    }
    const loss = total / (n * p);
    return Number.isFinite(loss) ? loss : Infinity;
  }

  /** Residuals ∂_k g/‖∇g‖ − F̂_ik, ordered k·n + i. */
  residuals(prog: Program, r: Float64Array): boolean {
    const out = this.#prepare(prog);
    if (out < 0) return false;
    const { n, inputs: p, target } = this;
    const T = this.workspace.tangents;
    const inv = this.#inverseNorm;
    for (let k = 0; k < p; k++) {
      const tb = k * n;
      if (!prog.outputDeps[k]) {
        for (let i = 0; i < n; i++) r[tb + i] = -target[tb + i];
        continue;
      }
      const base = (out * p + k) * n;
      for (let i = 0; i < n; i++) r[tb + i] = T[base + i] * inv[i] - target[tb + i];
    }
    return true;
  }

  /** The loss on the points `indices` (weights kept as they are, not re-normalised). */
  subset(indices: ArrayLike<number>): GradientLoss {
    const m = indices.length;
    const p = this.inputs;
    const x = new Float64Array(m * p);
    const target = new Float64Array(m * p);
    const scale = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      scale[j] = this.scale[indices[j]];
      for (let k = 0; k < p; k++) {
        x[j * p + k] = this.workspace.input(indices[j], k);
        target[k * m + j] = this.target[k * this.n + indices[j]];
      }
    }
    return new GradientLoss(x, target, m, p, undefined, { target, scale });
  }

  /** Refills a subset objective with other points (`weighted` false: every batch point weighs 1). */
  refill(batch: Objective, indices: ArrayLike<number>, weighted = true): void {
    const b = batch as GradientLoss;
    b.workspace.loadRows(this.workspace, indices);
    const m = b.n;
    for (let j = 0; j < m; j++) b.scale[j] = weighted ? this.scale[indices[j]] : 1;
    for (let k = 0; k < this.inputs; k++) {
      for (let j = 0; j < m; j++) {
        const i = indices[j];
        b.target[k * m + j] = weighted
          ? this.target[k * this.n + i]
          : this.target[k * this.n + i] / this.scale[i];
      }
    }
    b.#updateColumns();
  }
}
