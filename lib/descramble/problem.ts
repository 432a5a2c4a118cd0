/**
 * The descrambler's cost η(P) = tr(DTD · P · SST · Pᵀ) with both matrices normalised as the authors
 * do (SST = k·SSᵀ/‖SSᵀ‖₂, DTD = k·DᵀD/‖DᵀD‖₂, spectral norms), and its value for a given P.
 *
 * @module
 */

import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { matmul, matTmul, symmetrize } from "./dense.ts";
import { fourdif2, fourierBasis, fourierModes } from "./fourdif.ts";
import { gramOfRows } from "./gram.ts";

/** Raised when a descrambling problem cannot be set up (the message says why). */
export class DescrambleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DescrambleError";
  }
}

/** A normalised descrambling problem of size k. */
export interface DescrambleProblem {
  /** Units of the wiretapped layer. */
  readonly k: number;
  /** DTD = k·DᵀD/‖DᵀD‖₂ (row-major k × k). */
  readonly A: Float64Array;
  /** SST = k·SSᵀ/‖SSᵀ‖₂ (row-major k × k, symmetric). */
  readonly B: Float64Array;
  /** Eigenvalues of DTD in ascending order (exact: k·m⁴/m_max⁴ per Fourier mode). */
  readonly alpha: Float64Array;
  /** The real Fourier basis: orthonormal eigenvectors of DTD as columns, in the order of `alpha`. */
  readonly U: Float64Array;
  /** ‖SSᵀ‖₂ before normalisation. */
  readonly gramNorm: number;
}

/** Eigenvalues of a symmetric k × k matrix in ascending order, with eigenvectors as columns. */
export function symmetricEigen(M: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const rows: number[][] = [];
  for (let i = 0; i < k; i++) rows.push(Array.from(M.subarray(i * k, i * k + k)));
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const d = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix;
  const order = Array.from(d.keys()).sort((a, b) => d[a] - d[b]);
  const values = new Float64Array(k);
  const vectors = new Float64Array(k * k);
  order.forEach((src, c) => {
    values[c] = d[src];
    for (let r = 0; r < k; r++) vectors[r * k + c] = V.get(r, src);
  });
  return { values, vectors };
}

/**
 * Builds the normalised problem from SSᵀ (row-major k × k). Throws {@link DescrambleError} when
 * k < 2 or SSᵀ = 0 (the normalisation is undefined).
 */
export function problemFromGram(gram: Float64Array, k: number): DescrambleProblem {
  if (!Number.isInteger(k) || k < 2) {
    throw new DescrambleError(`need at least 2 signals (rows) to descramble, got ${k}`);
  }
  if (gram.length !== k * k) throw new DescrambleError(`SSᵀ must be ${k}×${k}`);
  const B = symmetrize(gram.slice(), k);
  const gramNorm = symmetricEigen(B, k).values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  if (!(gramNorm > 0) || !Number.isFinite(gramNorm)) {
    throw new DescrambleError(
      "the signals are all zero (or not finite): the normalisation k·SSᵀ/‖SSᵀ‖₂ is undefined",
    );
  }
  for (let i = 0; i < k * k; i++) B[i] *= k / gramNorm;
  const D = fourdif2(k);
  const A = matTmul(D, D, k);
  // ‖DᵀD‖₂ = the largest m⁴ over the Fourier modes (exact eigenvalues of the circulant D)
  const modes = fourierModes(k);
  const mMax = modes[modes.length - 1].m;
  const dNorm = mMax ** 4;
  for (let i = 0; i < k * k; i++) A[i] *= k / dNorm;
  symmetrize(A, k);
  const alpha = Float64Array.from(modes, ({ m }) => k * m ** 4 / dNorm);
  return { k, A, B, alpha, U: fourierBasis(k), gramNorm };
}

/** Builds the normalised problem from the signals S given as k rows of N values. */
export function problemFromSignals(rows: ArrayLike<number>[]): DescrambleProblem {
  return problemFromGram(gramOfRows(rows), rows.length);
}

/**
 * η(P) = tr(DTD·P·SST·Pᵀ), evaluated as Σ_m α_m (u_mᵀ P SST Pᵀ u_m) in the Fourier basis of DTD: a
 * sum of non-negative terms, so small costs are not lost to cancellation.
 */
export function eta(problem: DescrambleProblem, P: Float64Array): number {
  const { k, U, B, alpha } = problem;
  const X = matTmul(U, P, k); // X = UᵀP
  return etaInBasis(alpha, B, X, k);
}

/** Σ_m α_m (X·B·Xᵀ)_mm for X = UᵀP. */
export function etaInBasis(alpha: Float64Array, B: Float64Array, X: Float64Array, k: number): number {
  const XB = matmul(X, B, k);
  let s = 0;
  for (let m = 0; m < k; m++) {
    if (alpha[m] === 0) continue;
    let d = 0;
    const o = m * k;
    for (let j = 0; j < k; j++) d += XB[o + j] * X[o + j];
    s += alpha[m] * d;
  }
  return s;
}

/** Signals given as rows, converted to plain arrays only for small helpers and tests. */
export function rowsOf(S: Float64Array, k: number, n: number): Float64Array[] {
  const rows: Float64Array[] = [];
  for (let i = 0; i < k; i++) rows.push(S.subarray(i * n, (i + 1) * n));
  return rows;
}
