/**
 * The closed-form minimiser (Sule, Spencer, Czaja): η is a Brockett cost, so over SO(k) its minimum
 * is η* = Σᵢ αᵢ β_{k+1−i} (α ascending eigenvalues of DTD, β ascending eigenvalues of SST), attained by
 * P = U Vᵀ (U: eigenvectors of DTD ascending, V: eigenvectors of SST descending), with one column of V
 * negated when needed so that det P = +1.
 *
 * @module
 */

import { luDeterminant, luFactor, matmulT } from "./dense.ts";
import { type DescrambleProblem, eta, symmetricEigen } from "./problem.ts";

/** The closed-form optimum: P, η(P) and η* from the eigenvalues. */
export interface ClosedFormResult {
  /** The minimiser (row-major k × k, orthogonal, det +1). */
  readonly P: Float64Array;
  /** η(P) evaluated from P. */
  readonly eta: number;
  /** η* = Σ αᵢ β_{k+1−i} from the eigenvalues alone. */
  readonly etaStar: number;
  /** Eigenvalues of SST, ascending. */
  readonly beta: Float64Array;
}

/** η* = Σᵢ αᵢ β_{k+1−i} for ascending α and β. */
export function brockettMinimum(alpha: Float64Array, beta: Float64Array): number {
  const k = alpha.length;
  let s = 0;
  for (let i = 0; i < k; i++) s += alpha[i] * beta[k - 1 - i];
  return s;
}

/**
 * The closed-form descrambler. DTD's eigenvectors are the real Fourier modes (DTD is a symmetric
 * circulant), so only SST goes through the symmetric eigensolver.
 */
export function closedFormDescramble(problem: DescrambleProblem): ClosedFormResult {
  const { k, U, alpha, B } = problem;
  const { values: beta, vectors } = symmetricEigen(B, k);
  // V with columns in descending order of β
  const V = new Float64Array(k * k);
  for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) V[r * k + c] = vectors[r * k + (k - 1 - c)];
  let P = matmulT(U, V, k); // U Vᵀ
  if (luDeterminant(luFactor(P, k)) < 0) {
    for (let r = 0; r < k; r++) V[r * k + (k - 1)] = -V[r * k + (k - 1)];
    P = matmulT(U, V, k);
  }
  return { P, eta: eta(problem, P), etaStar: brockettMinimum(alpha, beta), beta };
}
