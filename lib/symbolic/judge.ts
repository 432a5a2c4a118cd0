/**
 * How close a found expression is to a reference concept on points, the way the outside check
 * judges an interpretation: the normalised-gradient loss of the found expression against the
 * reference's gradients, and the Spearman rank correlation of their values (1 for any increasing
 * re-parametrisation, −1 for a decreasing one).
 *
 * @module
 */

import { sampleRankCorrelation } from "simple-statistics";
import type { Expr } from "./core/expression.ts";
import { compile } from "./evaluation/compile.ts";
import { evaluateProgram, readResult, Workspace } from "./evaluation/evaluate.ts";
import { GradientLoss } from "./loss/gradient_loss.ts";

/** Values (n) and gradients (row-major n × p) of a tree at points (row-major n × p). */
export function valuesAndGradients(
  tree: Expr,
  x: Float64Array,
  n: number,
  p: number,
): { value: Float64Array; gradient: Float64Array } {
  const prog = compile(tree, p);
  const ws = new Workspace(x, n, p);
  const value = new Float64Array(n);
  const gradient = new Float64Array(n * p);
  readResult(prog, ws, evaluateProgram(prog, ws), value, gradient);
  return { value, gradient };
}

/** Spearman's rank correlation (midranks for ties); NaN when either side is constant or not finite. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const xa = Array.from(a);
  const xb = Array.from(b);
  if (!xa.every(Number.isFinite) || !xb.every(Number.isFinite)) return NaN;
  return sampleRankCorrelation(xa, xb);
}

/** Agreement of `found` with `reference` at the points. */
export interface Agreement {
  /** Normalised-gradient loss of `found` against the reference's gradients (+∞ if either is unusable). */
  gradientLoss: number;
  /** Spearman correlation of the values. */
  spearman: number;
}

/**
 * Compares a found expression with a reference concept at points.
 *
 * @example
 * ```ts
 * compareToReference(parseExpression("2*(x1*x1 + x2) + 1"), parseExpression("x1^2 + x2"), x, n, 2);
 * // { gradientLoss: ~0, spearman: 1 }
 * ```
 */
export function compareToReference(
  found: Expr,
  reference: Expr,
  x: Float64Array,
  n: number,
  p: number,
): Agreement {
  const ref = valuesAndGradients(reference, x, n, p);
  const mine = valuesAndGradients(found, x, n, p);
  let gradientLoss = Infinity;
  try {
    gradientLoss = new GradientLoss(x, ref.gradient, n, p).loss(compile(found, p));
  } catch {
    // the reference has a zero or non-finite gradient somewhere: no direction to compare with
  }
  return { gradientLoss, spearman: spearman(mine.value, ref.value) };
}

/**
 * The outside check's acceptance (../shared/fixtures/symgrad/CONTRACT.md): gradient loss against
 * the reference ≤ max(3 × `referenceLoss`, 2e-3), where `referenceLoss` is the reference's own loss
 * against the network on the same points, and Spearman ρ ≥ 0.98.
 */
export function accepted(a: Agreement, referenceLoss: number): boolean {
  return a.gradientLoss <= Math.max(3 * referenceLoss, 2e-3) && a.spearman >= 0.98;
}
