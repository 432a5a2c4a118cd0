/**
 * The objective a search minimises: a loss of a compiled expression on a set of points, its
 * residual vector (for Levenberg–Marquardt), admissibility of a tree (the gradient loss wants a
 * binary root) and mini-batches of the same objective.
 *
 * @module
 */

import type { Expr } from "../core/expression.ts";
import type { Program } from "../evaluation/compile.ts";

/** A loss over a fixed set of points. */
export interface Objective {
  /** Short name (`gradient`, `mse`). */
  readonly kind: string;
  /** Number of points. */
  readonly n: number;
  /** Number of inputs p. */
  readonly inputs: number;
  /** Length of the residual vector. */
  readonly residualCount: number;
  /** Whether the tree may be an answer at all (e.g. the root must be a binary operator). */
  admissible(tree: Expr): boolean;
  /** Loss of a compiled expression; +∞ when not finite. */
  loss(prog: Program): number;
  /**
   * Residuals r (loss = Σ r² / residualCount) into `out`; false when any is not finite (the
   * loss is then +∞).
   */
  residuals(prog: Program, out: Float64Array): boolean;
  /** The same objective on the points `indices` (a new object with its own buffers). */
  subset(indices: ArrayLike<number>): Objective;
  /**
   * Refills an objective made by {@link subset} (same size) with the points `indices`; with
   * `weighted` false the batch ignores the point weights (for batches drawn in proportion to them).
   */
  refill(batch: Objective, indices: ArrayLike<number>, weighted?: boolean): void;
}
