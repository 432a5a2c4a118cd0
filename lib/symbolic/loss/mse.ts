/**
 * Mean squared error of an expression's values against targets y: plain symbolic regression on
 * (x, y) data with the same engine. Non-finite predictions give +∞.
 *
 * @module
 */

import type { Expr } from "../core/expression.ts";
import type { Program } from "../evaluation/compile.ts";
import { evaluateProgram, Workspace } from "../evaluation/evaluate.ts";
import type { Objective } from "./objective.ts";

/**
 * MSE on fixed points.
 *
 * @example
 * ```ts
 * const mse = new MseLoss(x, y, n, p);
 * mse.loss(compile(parseExpression("x1^4 + x1^3 + x1^2 + x1"), p));
 * ```
 */
export class MseLoss implements Objective {
  /** `mse`. */
  readonly kind = "mse";
  /** Number of points. */
  readonly n: number;
  /** Number of inputs. */
  readonly inputs: number;
  /** n. */
  readonly residualCount: number;
  /** The points' workspace. */
  readonly workspace: Workspace;
  /** Targets y. */
  readonly y: Float64Array;

  /** Points `x` (row-major n × p) and targets `y`. */
  constructor(x: ArrayLike<number>, y: ArrayLike<number>, n: number, p: number) {
    if (n < 1) throw new Error("MseLoss: no points");
    if (y.length !== n) throw new Error(`MseLoss: expected ${n} targets, got ${y.length}`);
    this.n = n;
    this.inputs = p;
    this.residualCount = n;
    this.workspace = new Workspace(x, n, p);
    this.y = Float64Array.from(y);
  }

  /** Any tree is admissible. */
  admissible(_tree: Expr): boolean {
    return true;
  }

  /** Mean squared error; +∞ when not finite. */
  loss(prog: Program): number {
    const out = evaluateProgram(prog, this.workspace, false);
    const { n, y } = this;
    let total = 0;
    if (out < 0) {
      const c = prog.pool[-1 - out];
      for (let i = 0; i < n; i++) total += (c - y[i]) * (c - y[i]);
    } else {
      const V = this.workspace.values;
      const base = out * n;
      for (let i = 0; i < n; i++) {
        const d = V[base + i] - y[i];
        total += d * d;
      }
    }
    const loss = total / n;
    return Number.isFinite(loss) ? loss : Infinity;
  }

  /** Residuals g(x_i) − y_i. */
  residuals(prog: Program, r: Float64Array): boolean {
    const out = evaluateProgram(prog, this.workspace, false);
    const { n, y } = this;
    const V = this.workspace.values;
    for (let i = 0; i < n; i++) {
      r[i] = (out < 0 ? prog.pool[-1 - out] : V[out * n + i]) - y[i];
      if (!Number.isFinite(r[i])) return false;
    }
    return true;
  }

  /** MSE on the points `indices`. */
  subset(indices: ArrayLike<number>): MseLoss {
    const m = indices.length;
    const p = this.inputs;
    const x = new Float64Array(m * p);
    const y = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      for (let k = 0; k < p; k++) x[j * p + k] = this.workspace.input(indices[j], k);
      y[j] = this.y[indices[j]];
    }
    return new MseLoss(x, y, m, p);
  }

  /** Refills a subset objective with other points. */
  refill(batch: Objective, indices: ArrayLike<number>, _weighted = true): void {
    const b = batch as MseLoss;
    b.workspace.loadRows(this.workspace, indices);
    for (let j = 0; j < b.n; j++) b.y[j] = this.y[indices[j]];
  }
}
