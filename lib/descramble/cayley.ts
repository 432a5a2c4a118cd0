/**
 * The Cayley chart of SO(k) used by the authors: q ∈ ℝ^{k(k−1)/2} fills the strict lower triangle
 * of an antisymmetric Q (column by column, as MATLAB's `Q(tril(true(k),-1)) = q`), and
 * P = (I+Q)⁻¹(I−Q). I+Q is never singular (its symmetric part is I), and P always has det +1.
 *
 * @module
 */

import { identity, type LU, luFactor, luSolve, luSolveTransposed, matmulT } from "./dense.ts";

/** Number of chart coordinates for SO(k): k(k−1)/2. */
export function chartDimension(k: number): number {
  return (k * (k - 1)) / 2;
}

/** The antisymmetric Q (row-major k × k) of chart coordinates q. */
export function antisymmetricOf(q: ArrayLike<number>, k: number): Float64Array {
  const Q = new Float64Array(k * k);
  let n = 0;
  for (let j = 0; j < k; j++) {
    for (let i = j + 1; i < k; i++) {
      Q[i * k + j] = q[n];
      Q[j * k + i] = -q[n];
      n++;
    }
  }
  return Q;
}

/** A point of the chart: P = (I+Q)⁻¹(I−Q) and the factorisation of I+Q reused by the gradient. */
export interface ChartPoint {
  readonly P: Float64Array;
  readonly lu: LU;
}

/** Cayley transform of the antisymmetric Q. */
export function cayley(Q: Float64Array, k: number): ChartPoint {
  const IpQ = identity(k);
  const ImQ = identity(k);
  for (let i = 0; i < k * k; i++) {
    IpQ[i] += Q[i];
    ImQ[i] -= Q[i];
  }
  const lu = luFactor(IpQ, k);
  return { P: luSolve(lu, ImQ), lu };
}

/** The chart point of coordinates q. */
export function chartPoint(q: ArrayLike<number>, k: number): ChartPoint {
  return cayley(antisymmetricOf(q, k), k);
}

/**
 * Pulls a Euclidean gradient E = ∂f/∂P back to the chart: G = −(I+Q)⁻ᵀ·E·(I+P)ᵀ, then
 * ∂f/∂q = the strict lower triangle of G − Gᵀ. For η, E = 2·DTD·P·SST, which gives the authors'
 * G = −2 (I+Q)⁻ᵀ DTD P SST (I+P)ᵀ.
 */
export function pullBackGradient(
  point: ChartPoint,
  E: Float64Array,
  k: number,
  out?: Float64Array,
): Float64Array {
  const X = luSolveTransposed(point.lu, E); // (I+Q)⁻ᵀ E
  const IpP = point.P.slice();
  for (let i = 0; i < k; i++) IpP[i * k + i] += 1;
  const G = matmulT(X, IpP, k); // X (I+P)ᵀ
  const g = out ?? new Float64Array(chartDimension(k));
  let n = 0;
  for (let j = 0; j < k; j++) {
    for (let i = j + 1; i < k; i++) g[n++] = -(G[i * k + j] - G[j * k + i]);
  }
  return g;
}
