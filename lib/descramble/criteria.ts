/**
 * The authors' alternative descrambling criteria for a square weight matrix W (`left_diag.m`):
 * a rotation P that makes P·W as diagonal as possible, by maximising the diagonal sum tr(PW) or the
 * diagonal norm square ‖diag(PW)‖². The sum has a closed form (the orthogonal polar factor, from
 * the SVD); both can be optimised in the Cayley chart from P = I with the analytic gradient, as the
 * authors do.
 *
 * @module
 */

import { SingularValueDecomposition } from "ml-matrix";
import { Matrix } from "ml-matrix";
import { chartDimension, chartPoint, pullBackGradient } from "./cayley.ts";
import { luDeterminant, luFactor, matmul, matmulT } from "./dense.ts";
import { lbfgs } from "./lbfgs.ts";

/** Which diagonality criterion. */
export type DiagonalCriterion = "max-diag-sum" | "max-diag-normsq";

/** The criterion's value at P: tr(PW) or ‖diag(PW)‖² (to be maximised). */
export function diagonalCriterion(
  criterion: DiagonalCriterion,
  P: Float64Array,
  W: Float64Array,
  k: number,
): number {
  let s = 0;
  for (let i = 0; i < k; i++) {
    let d = 0;
    for (let j = 0; j < k; j++) d += P[i * k + j] * W[j * k + i];
    s += criterion === "max-diag-sum" ? d : d * d;
  }
  return s;
}

/**
 * The rotation maximising tr(PW) over SO(k): P = V·diag(1, …, 1, ±1)·Uᵀ for W = U Σ Vᵀ, the sign
 * chosen so that det P = +1 (the smallest singular value gives way).
 */
export function maxDiagonalSumClosedForm(W: Float64Array, k: number): Float64Array {
  const rows: number[][] = [];
  for (let i = 0; i < k; i++) rows.push(Array.from(W.subarray(i * k, (i + 1) * k)));
  const svd = new SingularValueDecomposition(new Matrix(rows));
  const U = Float64Array.from(svd.leftSingularVectors.to1DArray());
  const V = Float64Array.from(svd.rightSingularVectors.to1DArray());
  const sigma = svd.diagonal;
  let P = matmulT(V, U, k);
  if (luDeterminant(luFactor(P, k)) < 0) {
    let smallest = 0;
    for (let i = 1; i < k; i++) if (sigma[i] < sigma[smallest]) smallest = i;
    for (let r = 0; r < k; r++) V[r * k + smallest] = -V[r * k + smallest];
    P = matmulT(V, U, k);
  }
  return P;
}

/**
 * Maximises a diagonality criterion in the Cayley chart from P = I with L-BFGS (the authors use a
 * quasi-Newton method with the same analytic gradient): ∂tr(PW)/∂P = Wᵀ, ∂‖diag(PW)‖²/∂P = 2·diag(d)·Wᵀ.
 */
export function maximizeDiagonality(
  criterion: DiagonalCriterion,
  W: Float64Array,
  k: number,
  options: { maxIterations?: number } = {},
): { P: Float64Array; value: number; iterations: number } {
  const E = new Float64Array(k * k);
  const objective = (q: Float64Array, g: Float64Array): number => {
    const point = chartPoint(q, k);
    const PW = matmul(point.P, W, k);
    for (let i = 0; i < k; i++) {
      const scale = criterion === "max-diag-sum" ? 1 : 2 * PW[i * k + i];
      for (let j = 0; j < k; j++) E[i * k + j] = -scale * W[j * k + i]; // minimise the negative
    }
    pullBackGradient(point, E, k, g);
    return -diagonalCriterion(criterion, point.P, W, k);
  };
  const r = lbfgs(objective, new Float64Array(chartDimension(k)), {
    maxIterations: options.maxIterations ?? 2000,
    gtol: 1e-10,
  });
  const P = chartPoint(r.x, k).P;
  return { P, value: diagonalCriterion(criterion, P, W, k), iterations: r.iterations };
}
