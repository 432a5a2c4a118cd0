/**
 * polylab's optimiser for the descrambler: Riemannian trust-region Newton on SO(k) (Absil, Baker
 * and Gallivan's RTR) with a Cayley retraction re-centred at the current P after every accepted step,
 * the exact Hessian–vector product, and truncated conjugate gradients (Steihaug–Toint) preconditioned
 * by the exact diagonal of the Hessian.
 *
 * Coordinates: the chart at the current P is written in the Fourier basis U of DTD (fixed, known in
 * closed form since DTD is circulant): X = UᵀP, P ← U·C(Q)·X with C(Q) = (I+Q)⁻¹(I−Q). With
 * Λ = diag(α) and B' = X·SST·Xᵀ the cost is f(Q) = tr(Λ C B' Cᵀ), whose gradient at Q = 0 is
 * g_ij = 4(α_j − α_i)B'_ij and whose Hessian diagonal is 8(α_i − α_j)(B'_jj − B'_ii). Rotations inside
 * an eigenspace of DTD (the cos/sin pair of one wavenumber) leave η unchanged and are left out.
 * The optimiser starts at P = I and never looks at the eigenvectors of SST.
 *
 * @module
 */

import { cayley } from "./cayley.ts";
import { matmul, matmulT, matTmul, orthogonalityError, symmetrize, transpose } from "./dense.ts";
import { type DescrambleProblem, eta } from "./problem.ts";

/** Options of {@link trustRegionDescramble}. */
export interface TrustRegionOptions {
  /** Outer (Newton) iteration limit (default 500). */
  maxIterations?: number;
  /**
   * Stop when the estimated gap ½‖g‖²_{H⁻¹} ≤ tolerance·η, or when three accepted steps in a row
   * each lower η by less than tolerance·η (default 1e-12, far below the 1e-6 the contract asks).
   */
  tolerance?: number;
  /** Called after every outer iteration with (iteration, η, Hessian–vector products so far). */
  onIteration?: (iteration: number, eta: number, hessianProducts: number) => void;
}

/** Result of a descrambling optimiser. */
export interface OptimizeResult {
  /** The descrambling matrix (row-major k × k, orthogonal, det +1). */
  readonly P: Float64Array;
  /** η(P). */
  readonly eta: number;
  /** Outer iterations. */
  readonly iterations: number;
  /** Cost evaluations (one per trial step). */
  readonly evaluations: number;
  /** Hessian–vector products (inner CG iterations). */
  readonly hessianProducts: number;
  /** Why it stopped. */
  readonly stop: string;
  /** [iteration, η] after every iteration, starting with [0, η(I)]. */
  readonly trace: [number, number][];
}

/**
 * Coordinates of the re-centred chart: the pairs i > j of Fourier modes with different eigenvalues
 * of DTD (a rotation inside one eigenspace leaves η unchanged).
 */
export interface ChartPairs {
  readonly I: Int32Array;
  readonly J: Int32Array;
}

/** The active pairs for eigenvalues α of DTD. */
export function activePairs(alpha: Float64Array): ChartPairs {
  const pi: number[] = [];
  const pj: number[] = [];
  for (let i = 0; i < alpha.length; i++) {
    for (let j = 0; j < i; j++) {
      if (alpha[i] !== alpha[j]) {
        pi.push(i);
        pj.push(j);
      }
    }
  }
  return { I: Int32Array.from(pi), J: Int32Array.from(pj) };
}

/** The antisymmetric Q (row-major k × k) of re-centred chart coordinates s. */
export function generatorOf(
  s: Float64Array,
  pairs: ChartPairs,
  k: number,
  Q: Float64Array = new Float64Array(k * k),
): Float64Array {
  Q.fill(0);
  for (let p = 0; p < s.length; p++) {
    Q[pairs.I[p] * k + pairs.J[p]] = s[p];
    Q[pairs.J[p] * k + pairs.I[p]] = -s[p];
  }
  return Q;
}

/**
 * The second-order model of f(s) = η(U·C(Q(s))·X) at s = 0, for X = UᵀP: value, gradient, the
 * Hessian's diagonal and Hessian–vector products (exact, two k × k products each).
 */
export class RecentredModel {
  /** X = UᵀP. */
  readonly X: Float64Array;
  /** B' = X·SST·Xᵀ. */
  readonly Bp: Float64Array;
  /** f = η(P) = Σ α_m B'_mm. */
  readonly f: number;
  readonly #problem: DescrambleProblem;
  readonly #pairs: ChartPairs;
  #V?: Float64Array;
  #LV?: Float64Array;
  #Y?: Float64Array;
  #Z?: Float64Array;

  constructor(problem: DescrambleProblem, X: Float64Array, pairs: ChartPairs) {
    const { k, B, alpha } = problem;
    this.#problem = problem;
    this.#pairs = pairs;
    this.X = X;
    this.Bp = symmetrize(matmulT(matmul(X, B, k), X, k), k);
    let f = 0;
    for (let m = 0; m < k; m++) f += alpha[m] * this.Bp[m * k + m];
    this.f = f;
  }

  /** ∂f/∂s_p = 4(α_j − α_i)·B'_ij for pair p = (i, j). */
  gradient(out: Float64Array): Float64Array {
    const { k, alpha } = this.#problem;
    const { I, J } = this.#pairs;
    for (let p = 0; p < I.length; p++) out[p] = 4 * (alpha[J[p]] - alpha[I[p]]) * this.Bp[I[p] * k + J[p]];
    return out;
  }

  /** ∂²f/∂s_p² = 8(α_i − α_j)(B'_jj − B'_ii) (exact, also away from the optimum). */
  hessianDiagonal(out: Float64Array): Float64Array {
    const { k, alpha } = this.#problem;
    const { I, J } = this.#pairs;
    const Bp = this.Bp;
    for (let p = 0; p < I.length; p++) {
      const i = I[p];
      const j = J[p];
      out[p] = 8 * (alpha[i] - alpha[j]) * (Bp[j * k + j] - Bp[i * k + i]);
    }
    return out;
  }

  /**
   * out = H·v. With V = Q(v), Y = B'V and Z = B'ΛV:
   * (Hv)_ij = 4[(Z_ji − Z_ij) + (2α_j − α_i)Y_ij + (α_j − 2α_i)Y_ji].
   */
  hessianTimes(v: Float64Array, out: Float64Array): Float64Array {
    const { k, alpha } = this.#problem;
    const { I, J } = this.#pairs;
    const V = generatorOf(v, this.#pairs, k, this.#V ??= new Float64Array(k * k));
    const LV = this.#LV ??= new Float64Array(k * k);
    for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) LV[r * k + c] = alpha[r] * V[r * k + c];
    const Y = matmul(this.Bp, V, k, this.#Y ??= new Float64Array(k * k));
    const Z = matmul(this.Bp, LV, k, this.#Z ??= new Float64Array(k * k));
    for (let p = 0; p < I.length; p++) {
      const i = I[p];
      const j = J[p];
      const ai = alpha[i];
      const aj = alpha[j];
      out[p] = 4 *
        ((Z[j * k + i] - Z[i * k + j]) + (2 * aj - ai) * Y[i * k + j] + (aj - 2 * ai) * Y[j * k + i]);
    }
    return out;
  }

  /** The model at the point reached by the step s: X ← C(Q(s))·X. */
  step(s: Float64Array): RecentredModel {
    const k = this.#problem.k;
    const C = cayley(generatorOf(s, this.#pairs, k), k).P;
    return new RecentredModel(this.#problem, matmul(C, this.X, k), this.#pairs);
  }
}

/**
 * Minimises η over SO(k) from P = I by trust-region Newton in a re-centred Cayley chart.
 *
 * @example
 * ```ts
 * const problem = problemFromSignals(rows);
 * const { P, eta, iterations } = trustRegionDescramble(problem);
 * ```
 */
export function trustRegionDescramble(
  problem: DescrambleProblem,
  options: TrustRegionOptions = {},
): OptimizeResult {
  const { k, alpha, U } = problem;
  const maxIterations = options.maxIterations ?? 500;
  const tolerance = options.tolerance ?? 1e-12;
  let smallSteps = 0;
  const pairs = activePairs(alpha);
  const n = pairs.I.length;
  let state = new RecentredModel(problem, transpose(U, k), pairs);
  const trace: [number, number][] = [[0, state.f]];
  let hessianProducts = 0;
  let evaluations = 1;
  let iterations = 0;
  let stop = "max-iterations";
  let radius = NaN;
  let maxRadius = NaN;
  const g = new Float64Array(n);
  const diag = new Float64Array(n);
  const hessianTimes = (v: Float64Array, out: Float64Array) => {
    hessianProducts++;
    state.hessianTimes(v, out);
  };

  const s = new Float64Array(n);
  const r = new Float64Array(n);
  const y = new Float64Array(n);
  const d = new Float64Array(n);
  const Hd = new Float64Array(n);
  const Hs = new Float64Array(n);

  while (iterations < maxIterations) {
    const f = state.f;
    state.gradient(g);
    state.hessianDiagonal(diag);
    let dMax = 0;
    for (let p = 0; p < n; p++) {
      diag[p] = Math.abs(diag[p]);
      dMax = Math.max(dMax, diag[p]);
    }
    if (dMax === 0) dMax = 1;
    const floor = 1e-12 * dMax;
    let gM = 0;
    let gAny = 0;
    for (let p = 0; p < n; p++) {
      if (diag[p] < floor) diag[p] = floor;
      gM += g[p] * g[p] / diag[p];
      gAny = Math.max(gAny, Math.abs(g[p]));
    }
    if (gAny === 0) {
      stop = "zero-gradient";
      break;
    }
    if (0.5 * gM <= tolerance * Math.max(f, 1e-300)) {
      stop = "converged";
      break;
    }
    const gNorm = Math.sqrt(gM);
    if (Number.isNaN(radius)) {
      radius = gNorm;
      maxRadius = 1e6 * gNorm;
    }

    // Steihaug–Toint truncated CG in the M-norm (M = diag), M⁻¹ as preconditioner
    const forcing = Math.min(0.1, Math.sqrt(gNorm / Math.sqrt(Math.max(f, 1e-300))));
    s.fill(0);
    Hs.fill(0);
    let rz = 0;
    for (let p = 0; p < n; p++) {
      r[p] = g[p];
      y[p] = r[p] / diag[p];
      d[p] = -y[p];
      rz += r[p] * y[p];
    }
    let sMs = 0;
    let boundary = false;
    const cgLimit = Math.max(20, n);
    for (let it = 0; it < cgLimit; it++) {
      hessianTimes(d, Hd);
      let kappa = 0;
      let sMd = 0;
      let dMd = 0;
      for (let p = 0; p < n; p++) {
        kappa += d[p] * Hd[p];
        sMd += s[p] * diag[p] * d[p];
        dMd += d[p] * diag[p] * d[p];
      }
      const toBoundary = () => {
        // τ ≥ 0 with ‖s + τd‖_M = Δ
        const disc = sMd * sMd + dMd * (radius * radius - sMs);
        const tau = (-sMd + Math.sqrt(Math.max(0, disc))) / dMd;
        for (let p = 0; p < n; p++) {
          s[p] += tau * d[p];
          Hs[p] += tau * Hd[p];
        }
        boundary = true;
      };
      if (kappa <= 0) {
        toBoundary();
        break;
      }
      const a = rz / kappa;
      const next = sMs + 2 * a * sMd + a * a * dMd;
      if (next >= radius * radius) {
        toBoundary();
        break;
      }
      let rr = 0;
      let rzNew = 0;
      for (let p = 0; p < n; p++) {
        s[p] += a * d[p];
        Hs[p] += a * Hd[p];
        r[p] += a * Hd[p];
        y[p] = r[p] / diag[p];
        rr += r[p] * y[p];
      }
      rzNew = rr;
      sMs = next;
      if (Math.sqrt(rr) <= forcing * gNorm) break;
      const beta = rzNew / rz;
      rz = rzNew;
      for (let p = 0; p < n; p++) d[p] = -y[p] + beta * d[p];
    }

    // model decrease −(gᵀs + ½ sᵀHs)
    let predicted = 0;
    let sNormM = 0;
    for (let p = 0; p < n; p++) {
      predicted -= g[p] * s[p] + 0.5 * s[p] * Hs[p];
      sNormM += s[p] * diag[p] * s[p];
    }
    sNormM = Math.sqrt(sNormM);
    if (!(predicted > 0)) {
      stop = "no-model-decrease";
      break;
    }
    if (predicted <= 1e-16 * Math.max(f, 1e-300)) {
      stop = "converged";
      break;
    }

    // trial point: X ← C(Q(s))·X
    const trial = state.step(s);
    evaluations++;
    const actual = f - trial.f;
    const rho = actual / predicted;
    if (rho < 0.25) radius = 0.25 * sNormM;
    else if (rho > 0.75 && boundary) radius = Math.min(2 * radius, maxRadius);
    if (rho > 0.1 || (actual > 0 && predicted < 1e-12 * f)) {
      state = trial;
      iterations++;
      trace.push([iterations, state.f]);
      options.onIteration?.(iterations, state.f, hessianProducts);
      smallSteps = actual < tolerance * f ? smallSteps + 1 : 0;
      if (smallSteps >= 3) {
        stop = "converged";
        break;
      }
    } else if (radius < 1e-14 * gNorm) {
      stop = "radius-collapsed";
      break;
    }
  }

  let X = state.X;
  if (orthogonalityError(X, k) > 1e-13) {
    // one Newton–Schulz step towards the orthogonal polar factor: X ← X(3I − XᵀX)/2
    const G = matTmul(X, X, k);
    for (let i = 0; i < k * k; i++) G[i] = -0.5 * G[i];
    for (let i = 0; i < k; i++) G[i * k + i] += 1.5;
    X = matmul(X, G, k);
  }
  const P = matmul(U, X, k);
  return { P, eta: eta(problem, P), iterations, evaluations, hessianProducts, stop, trace };
}
