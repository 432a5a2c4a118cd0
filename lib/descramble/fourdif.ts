/**
 * The Weideman–Reddy periodic Fourier second-derivative matrix `fourdif(k, 2)` and its exact
 * eigen-decomposition (it is a symmetric circulant, so the real Fourier modes diagonalise it).
 *
 * @module
 */

/**
 * First column c of `fourdif(k, 2)` on x_j = 2πj/k, h = 2π/k: c₀ = −π²/(3h²) − 1/6 (k even) or
 * −π²/(3h²) + 1/12 (k odd); c_j = −½(−1)^j / sin²(jh/2) (k even) or −½(−1)^j cot(jh/2)/sin(jh/2)
 * (k odd). Only j ≤ k/2 is evaluated; the rest is mirrored (c_{k−j} = c_j), so that sin() is never
 * taken near π, where it loses relative precision (the "flipping trick" of Don and Solomonoff).
 */
export function fourdifColumn(k: number): Float64Array {
  if (!Number.isInteger(k) || k < 1) throw new Error(`fourdif: k must be a positive integer, got ${k}`);
  const h = 2 * Math.PI / k;
  const even = k % 2 === 0;
  const c = new Float64Array(k);
  c[0] = -(Math.PI * Math.PI) / (3 * h * h) + (even ? -1 / 6 : 1 / 12);
  for (let j = 1; j < k; j++) {
    const m = Math.min(j, k - j);
    const t = m * h / 2;
    const s = Math.sin(t);
    // odd k: cot(π − t) = −cot t, so the mirrored half changes sign
    const v = even ? 1 / (s * s) : (Math.cos(t) / (s * s)) * (j === m ? 1 : -1);
    c[j] = -0.5 * (j % 2 === 0 ? 1 : -1) * v;
  }
  return c;
}

/**
 * `fourdif(k, 2)` as a row-major k × k matrix D (symmetric Toeplitz, D_ij = c_|i−j|).
 *
 * @example
 * ```ts
 * const D = fourdif2(16); // D·sin(3x) = −9·sin(3x) on x_j = 2πj/16
 * ```
 */
export function fourdif2(k: number): Float64Array {
  const c = fourdifColumn(k);
  const D = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) D[i * k + j] = c[Math.abs(i - j)];
  return D;
}

/** A real Fourier mode on the k-point periodic grid. */
export interface FourierMode {
  /** Wavenumber m ≥ 0 (m = k/2 is the Nyquist mode of an even k). */
  readonly m: number;
  /** cos(m x) or sin(m x). */
  readonly kind: "cos" | "sin";
}

/**
 * The k real Fourier modes ordered by wavenumber (cos before sin): 1, cos x, sin x, cos 2x, …, and
 * cos(k x/2) = (−1)^j for even k. They are the eigenvectors of every symmetric circulant matrix.
 */
export function fourierModes(k: number): FourierMode[] {
  const modes: FourierMode[] = [{ m: 0, kind: "cos" }];
  for (let m = 1; 2 * m < k; m++) modes.push({ m, kind: "cos" }, { m, kind: "sin" });
  if (k % 2 === 0) modes.push({ m: k / 2, kind: "cos" });
  return modes;
}

/**
 * The orthonormal real Fourier basis as the columns of a row-major k × k matrix U (column c is
 * mode c of {@link fourierModes}, sampled on x_j = 2πj/k). DᵀD = U·diag(m⁴)·Uᵀ exactly in exact
 * arithmetic; columns are in ascending order of m, hence of the eigenvalues of DᵀD.
 */
export function fourierBasis(k: number): Float64Array {
  const modes = fourierModes(k);
  const U = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    const { m, kind } = modes[c];
    const nyquistOrDc = m === 0 || 2 * m === k;
    const scale = nyquistOrDc ? 1 / Math.sqrt(k) : Math.sqrt(2 / k);
    for (let j = 0; j < k; j++) {
      // reduce m·j mod k first so the angle stays in [0, 2π) and is exact for large k
      const angle = 2 * Math.PI * ((m * j) % k) / k;
      U[j * k + c] = scale * (kind === "cos" ? Math.cos(angle) : Math.sin(angle));
    }
  }
  return U;
}
