/**
 * Small dense kernels on row-major square `Float64Array` matrices (k × k), the descrambler's only
 * linear algebra besides the symmetric eigensolver (ml-matrix). Products of k ≥ 16 run on the
 * project's WebAssembly SIMD kernel (`lib/poly/wasm.ts`, 4 × 4 register blocks): 5–12× faster than
 * the JavaScript loop at k = 256, with the same summation order. The JavaScript loops are ordered
 * i-p-j so that the innermost loop runs over contiguous rows.
 *
 * @module
 */

import { WasmBlocks } from "../poly/wasm.ts";

/** Below this size the JavaScript loop is as fast as copying into the wasm arena. */
const WASM_MIN_K = 16;

/**
 * `C = A·B` on the wasm kernel. It resets the shared wasm arena (`WasmBlocks`), so it must not be
 * called while another engine holds views into it (the engines are synchronous; none calls this).
 */
function matmulWasm(A: Float64Array, B: Float64Array, k: number, C: Float64Array): Float64Array {
  const wb = WasmBlocks.get();
  const n = k * k;
  wb.reset((2 * n + n + k) * 8 + 256);
  const Y = wb.f64(n, false);
  Y.set(A);
  const out = wb.f64(n, false);
  // weights in the fixtures' layout: a zero bias row, then B
  const W = new Float64Array(n + k);
  W.set(B, k);
  wb.affine(Y, k, W, k, k, out);
  C.set(out);
  return C;
}

/** `C = A·B` for k × k matrices (C must not alias A or B). Returns C. */
export function matmul(
  A: Float64Array,
  B: Float64Array,
  k: number,
  C: Float64Array = new Float64Array(k * k),
): Float64Array {
  if (k >= WASM_MIN_K) return matmulWasm(A, B, k, C);
  C.fill(0);
  for (let i = 0; i < k; i++) {
    const ci = i * k;
    for (let p = 0; p < k; p++) {
      const a = A[ci + p];
      if (a === 0) continue;
      const bp = p * k;
      for (let j = 0; j < k; j++) C[ci + j] += a * B[bp + j];
    }
  }
  return C;
}

/** `C = A·Bᵀ` for k × k matrices (row-by-row dot products). Returns C. */
export function matmulT(
  A: Float64Array,
  B: Float64Array,
  k: number,
  C: Float64Array = new Float64Array(k * k),
): Float64Array {
  if (k >= WASM_MIN_K) return matmulWasm(A, transpose(B, k), k, C);
  for (let i = 0; i < k; i++) {
    const ai = i * k;
    for (let j = 0; j < k; j++) {
      const bj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += A[ai + p] * B[bj + p];
      C[ai + j] = s;
    }
  }
  return C;
}

/** `C = Aᵀ·B` for k × k matrices. Returns C. */
export function matTmul(
  A: Float64Array,
  B: Float64Array,
  k: number,
  C: Float64Array = new Float64Array(k * k),
): Float64Array {
  if (k >= WASM_MIN_K) return matmulWasm(transpose(A, k), B, k, C);
  C.fill(0);
  for (let p = 0; p < k; p++) {
    const ap = p * k;
    const bp = p * k;
    for (let i = 0; i < k; i++) {
      const a = A[ap + i];
      if (a === 0) continue;
      const ci = i * k;
      for (let j = 0; j < k; j++) C[ci + j] += a * B[bp + j];
    }
  }
  return C;
}

/** Transpose of a k × k matrix. */
export function transpose(
  A: Float64Array,
  k: number,
  T: Float64Array = new Float64Array(k * k),
): Float64Array {
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) T[j * k + i] = A[i * k + j];
  return T;
}

/** The k × k identity. */
export function identity(k: number): Float64Array {
  const I = new Float64Array(k * k);
  for (let i = 0; i < k; i++) I[i * k + i] = 1;
  return I;
}

/** Replaces a nearly symmetric matrix by its symmetric part, in place. */
export function symmetrize(A: Float64Array, k: number): Float64Array {
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (A[i * k + j] + A[j * k + i]);
      A[i * k + j] = v;
      A[j * k + i] = v;
    }
  }
  return A;
}

/** `tr(A·B)` for k × k matrices without forming the product. */
export function traceProduct(A: Float64Array, B: Float64Array, k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) s += A[i * k + j] * B[j * k + i];
  return s;
}

/** An LU factorisation with partial pivoting of a k × k matrix (packed L\U and the row order). */
export interface LU {
  readonly k: number;
  readonly lu: Float64Array;
  readonly perm: Int32Array;
  /** +1 or −1: the sign of the row permutation. */
  readonly sign: number;
}

/** LU factorisation with partial pivoting; throws on an exactly singular matrix. */
export function luFactor(A: Float64Array, k: number): LU {
  const lu = A.slice();
  const perm = new Int32Array(k);
  for (let i = 0; i < k; i++) perm[i] = i;
  let sign = 1;
  for (let c = 0; c < k; c++) {
    let piv = c;
    let best = Math.abs(lu[c * k + c]);
    for (let r = c + 1; r < k; r++) {
      const v = Math.abs(lu[r * k + c]);
      if (v > best) {
        best = v;
        piv = r;
      }
    }
    if (best === 0) throw new Error("luFactor: singular matrix");
    if (piv !== c) {
      for (let j = 0; j < k; j++) {
        const t = lu[c * k + j];
        lu[c * k + j] = lu[piv * k + j];
        lu[piv * k + j] = t;
      }
      const t = perm[c];
      perm[c] = perm[piv];
      perm[piv] = t;
      sign = -sign;
    }
    const d = lu[c * k + c];
    for (let r = c + 1; r < k; r++) {
      const f = (lu[r * k + c] /= d);
      if (f === 0) continue;
      for (let j = c + 1; j < k; j++) lu[r * k + j] -= f * lu[c * k + j];
    }
  }
  return { k, lu, perm, sign };
}

/** Solves `A·X = B` for a k × k right-hand side B (row-major), given A's LU. Returns X. */
export function luSolve(f: LU, B: Float64Array): Float64Array {
  const { k, lu, perm } = f;
  const X = new Float64Array(k * k);
  for (let i = 0; i < k; i++) X.set(B.subarray(perm[i] * k, perm[i] * k + k), i * k);
  for (let i = 0; i < k; i++) {
    const xi = i * k;
    for (let p = 0; p < i; p++) {
      const l = lu[i * k + p];
      if (l === 0) continue;
      const xp = p * k;
      for (let j = 0; j < k; j++) X[xi + j] -= l * X[xp + j];
    }
  }
  for (let i = k - 1; i >= 0; i--) {
    const xi = i * k;
    for (let p = i + 1; p < k; p++) {
      const u = lu[i * k + p];
      if (u === 0) continue;
      const xp = p * k;
      for (let j = 0; j < k; j++) X[xi + j] -= u * X[xp + j];
    }
    const d = 1 / lu[i * k + i];
    for (let j = 0; j < k; j++) X[xi + j] *= d;
  }
  return X;
}

/** Solves `Aᵀ·X = B` given A's LU (Aᵀ = Uᵀ Lᵀ Π). Returns X. */
export function luSolveTransposed(f: LU, B: Float64Array): Float64Array {
  const { k, lu, perm } = f;
  const Y = B.slice();
  // Uᵀ y = b (forward; Uᵀ is lower triangular)
  for (let i = 0; i < k; i++) {
    const yi = i * k;
    for (let p = 0; p < i; p++) {
      const u = lu[p * k + i];
      if (u === 0) continue;
      const yp = p * k;
      for (let j = 0; j < k; j++) Y[yi + j] -= u * Y[yp + j];
    }
    const d = 1 / lu[i * k + i];
    for (let j = 0; j < k; j++) Y[yi + j] *= d;
  }
  // Lᵀ z = y (backward; unit diagonal)
  for (let i = k - 1; i >= 0; i--) {
    const yi = i * k;
    for (let p = i + 1; p < k; p++) {
      const l = lu[p * k + i];
      if (l === 0) continue;
      const yp = p * k;
      for (let j = 0; j < k; j++) Y[yi + j] -= l * Y[yp + j];
    }
  }
  // undo the row permutation: Π x = z → x[perm[i]] = z[i]
  const X = new Float64Array(k * k);
  for (let i = 0; i < k; i++) X.set(Y.subarray(i * k, i * k + k), perm[i] * k);
  return X;
}

/** Determinant from an LU factorisation. */
export function luDeterminant(f: LU): number {
  let d = f.sign;
  for (let i = 0; i < f.k; i++) d *= f.lu[i * f.k + i];
  return d;
}

/** max |PᵀP − I| of a k × k matrix: how far from orthogonal it is. */
export function orthogonalityError(P: Float64Array, k: number): number {
  const G = matTmul(P, P, k);
  let m = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) m = Math.max(m, Math.abs(G[i * k + j] - (i === j ? 1 : 0)));
  }
  return m;
}
