/**
 * A serialisable description of a search objective (plain arrays, so it crosses to workers), and
 * the objective it builds.
 *
 * @module
 */

import { GradientLoss } from "../loss/gradient_loss.ts";
import { MseLoss } from "../loss/mse.ts";
import type { Objective } from "../loss/objective.ts";

/** Normalised-gradient loss against target gradients (row-major n × p). */
export interface GradientSpec {
  /** Discriminant. */
  kind: "gradient";
  /** Points, row-major n × p. */
  x: Float64Array;
  /** Target gradients (e.g. a network's), row-major n × p. */
  gradients: Float64Array;
  /** Optional per-point weights (rescaled to mean 1). */
  weights?: Float64Array;
  /** Number of points. */
  n: number;
  /** Number of inputs. */
  p: number;
}

/** Mean squared error against targets y. */
export interface MseSpec {
  /** Discriminant. */
  kind: "mse";
  /** Points, row-major n × p. */
  x: Float64Array;
  /** Targets. */
  y: Float64Array;
  /** Number of points. */
  n: number;
  /** Number of inputs. */
  p: number;
}

/** Any objective description. */
export type ObjectiveSpec = GradientSpec | MseSpec;

/** Builds the objective of a description. */
export function makeObjective(spec: ObjectiveSpec): Objective {
  return spec.kind === "gradient"
    ? new GradientLoss(spec.x, spec.gradients, spec.n, spec.p, spec.weights)
    : new MseLoss(spec.x, spec.y, spec.n, spec.p);
}

/**
 * Loss normalisation of the score (SymbolicRegression.jl): the loss of the best constant when
 * that is ≥ 0.01 (MSE: the variance of y), else 0.01 (the gradient loss has no constant baseline:
 * a constant has no gradient).
 */
export function scoreNormalization(spec: ObjectiveSpec): number {
  if (spec.kind === "gradient") return 0.01;
  let mean = 0;
  for (let i = 0; i < spec.n; i++) mean += spec.y[i];
  mean /= spec.n;
  let v = 0;
  for (let i = 0; i < spec.n; i++) v += (spec.y[i] - mean) ** 2;
  v /= spec.n;
  return v >= 0.01 ? v : 0.01;
}
