/**
 * The one linear program of region enumeration, solved by a small dense simplex: the largest slack
 * of a system of strict affine inequalities,
 *
 *     maximise t  subject to  a_i·x + b_i ≥ t  (i = 1..m),  t ≤ cap,     x ∈ ℝ^p, t ∈ ℝ free.
 *
 * The system `a_i·x + b_i > 0` has a solution iff the optimum t* is positive, and the optimal x is
 * then an interior point whose smallest slack is t*. These LPs are tiny (p + 1 ≤ ~10 unknowns, a few
 * dozen rows) and there are tens of thousands of them, so they are solved through their dual
 *
 *     minimise Σ b_i λ_i + cap·μ  subject to  Σ λ_i a_i = 0,  Σ λ_i + μ = 1,  λ, μ ≥ 0
 *
 * by a revised simplex on a (p + 1) × (p + 1) basis inverse: start from the basis {μ, artificial
 * e_1..e_p} (feasible, x = 0, t = cap), price the m constraint columns (Dantzig's rule, Bland's after a
 * run of degenerate pivots), keep the artificials fixed at zero (they leave at the first pivot that
 * touches their row). At the optimum the simplex multipliers y give x = −y_x and t = y_t. The primal is always feasible
 * (t → −∞) and bounded (t ≤ cap), so the dual always has an optimum.
 *
 * Robustness: every row is scaled by a power of two (exact) so that max_k |a_ik| ∈ [0.5, 1); at the end
 * the multipliers are re-solved from the final basis by Gaussian elimination with partial pivoting, and
 * the returned slack is not the LP's objective but `min_i (a_i·x + b_i)` recomputed at the returned x:
 * a certificate that x satisfies every row with that margin (in scaled units). A solver error can only
 * make it smaller, never claim a slack x does not have.
 *
 * @module
 */

/** Why the simplex stopped without an optimum (should not happen; kept as a guard). */
export class LpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LpError";
  }
}

/** Tolerance on reduced costs (scaled units). */
const RC_TOL = 1e-12;
/** Smallest pivot element accepted in the ratio test. */
const PIVOT_TOL = 1e-11;

/**
 * Reusable workspace for max-slack LPs in a fixed dimension p (allocation-free after warm-up).
 *
 * @example
 * ```ts
 * const lp = new SlackLp(1);
 * // x > 0 and 2 − x > 0: the widest point is x = 1 with slack 1
 * const t = lp.solve(new Float64Array([1, 0, -1, 2]), 2, 10);
 * // t === 1, lp.x[0] === 1
 * ```
 */
export class SlackLp {
  /** Input dimension p. */
  readonly p: number;
  /** The optimal point of the last {@link solve} (length p). */
  readonly x: Float64Array;
  /** Simplex pivots of the last solve. */
  pivots = 0;
  /** LPs solved by this workspace. */
  solved = 0;
  private readonly d: number;
  private readonly binv: Float64Array;
  private readonly xb: Float64Array;
  private readonly basis: Int32Array;
  private readonly y: Float64Array;
  private readonly dir: Float64Array;
  private readonly mat: Float64Array;
  private rows: Float64Array = new Float64Array(0);

  constructor(p: number) {
    this.p = p;
    this.d = p + 1;
    this.x = new Float64Array(p);
    this.binv = new Float64Array(this.d * this.d);
    this.xb = new Float64Array(this.d);
    this.basis = new Int32Array(this.d);
    this.y = new Float64Array(this.d);
    this.dir = new Float64Array(this.d);
    this.mat = new Float64Array(this.d * (this.d + 1));
  }

  /**
   * Maximises the smallest slack of `m` rows given flat as `[a_1 (p numbers), b_1, a_2, b_2, …]`
   * (the input is not modified), capped at `cap`. Returns the certified slack
   * `min(cap, min_i s_i(a_i·x + b_i))` at the optimal point {@link x}, in units where each row
   * is scaled by the power of two s_i that brings max_k |a_ik| into [0.5, 1) (rows with a = 0 keep
   * s = 1; `cap` is compared unscaled). Positive ⇔ the strict system holds at x.
   */
  solve(input: Float64Array, m: number, cap = 1): number {
    const { p, d } = this;
    const w = p + 1;
    if (this.rows.length < m * w) this.rows = new Float64Array(Math.max(m * w, 2 * this.rows.length));
    const rows = this.rows;
    // scale each row by a power of two (exact)
    for (let i = 0; i < m; i++) {
      let big = 0;
      for (let k = 0; k < p; k++) big = Math.max(big, Math.abs(input[i * w + k]));
      const s = big > 0 ? 2 ** -(Math.floor(Math.log2(big)) + 1) : 1;
      for (let k = 0; k < w; k++) rows[i * w + k] = input[i * w + k] * s;
    }
    const { binv, xb, basis, y, dir } = this;
    // basis: artificials e_0..e_{p-1} (ids m+1+k) in rows 0..p-1, μ (id m) in row p
    binv.fill(0);
    for (let r = 0; r < d; r++) binv[r * d + r] = 1;
    for (let k = 0; k < p; k++) basis[k] = m + 1 + k;
    basis[p] = m;
    xb.fill(0);
    xb[p] = 1;
    const cost = (j: number) => (j < m ? rows[j * w + p] : j === m ? cap : 0);
    let degenerateRun = 0;
    let iterations = 0;
    const maxIterations = 200 + 50 * (m + d);
    for (;;) {
      if (++iterations > maxIterations) {
        throw new LpError(`simplex did not converge in ${maxIterations} pivots`);
      }
      // multipliers y = c_B B^{-1}
      y.fill(0);
      for (let r = 0; r < d; r++) {
        const c = cost(basis[r]);
        if (c === 0) continue;
        for (let k = 0; k < d; k++) y[k] += c * binv[r * d + k];
      }
      // pricing over the constraint columns and μ (artificials never re-enter)
      const bland = degenerateRun > d + 2;
      let enter = -1;
      let best = -RC_TOL;
      for (let j = 0; j <= m; j++) {
        let rc: number;
        if (j < m) {
          let s = y[p];
          for (let k = 0; k < p; k++) s += y[k] * rows[j * w + k];
          rc = rows[j * w + p] - s;
        } else rc = cap - y[p];
        if (rc < best) {
          if (isBasic(basis, j)) continue;
          enter = j;
          if (bland) break;
          best = rc;
        }
      }
      if (enter < 0) break;
      // direction B^{-1} a_q
      for (let r = 0; r < d; r++) {
        let s = binv[r * d + p]; // last component of every column is 1
        if (enter < m) { for (let k = 0; k < p; k++) s += binv[r * d + k] * rows[enter * w + k]; }
        dir[r] = s;
      }
      // ratio test; an artificial (fixed at 0) blocks at θ = 0 whenever its row moves
      let leave = -1;
      let theta = Infinity;
      let pivot = 0;
      for (let r = 0; r < d; r++) {
        if (basis[r] > m && Math.abs(dir[r]) > PIVOT_TOL && Math.abs(dir[r]) > Math.abs(pivot)) {
          leave = r;
          pivot = dir[r];
          theta = 0;
        }
      }
      if (leave < 0) {
        for (let r = 0; r < d; r++) {
          const dr = dir[r];
          if (basis[r] > m || dr <= PIVOT_TOL) continue;
          const ratio = Math.max(0, xb[r]) / dr;
          if (ratio < theta || (ratio === theta && (bland ? basis[r] < basis[leave] : dr > pivot))) {
            theta = ratio;
            leave = r;
            pivot = dr;
          }
        }
      }
      if (leave < 0) throw new LpError("dual unbounded: the slack LP was set up wrongly");
      degenerateRun = theta === 0 ? degenerateRun + 1 : 0;
      // pivot
      const rowL = leave * d;
      for (let k = 0; k < d; k++) binv[rowL + k] /= pivot;
      for (let r = 0; r < d; r++) {
        if (r === leave) continue;
        const f = dir[r];
        if (f === 0) continue;
        for (let k = 0; k < d; k++) binv[r * d + k] -= f * binv[rowL + k];
        xb[r] -= theta * f;
      }
      xb[leave] = theta;
      basis[leave] = enter;
      this.pivots++;
    }
    this.solved++;
    this.resolveMultipliers(m, cap);
    // certificate: the smallest slack at x
    let t = cap;
    for (let i = 0; i < m; i++) {
      let s = rows[i * w + p];
      for (let k = 0; k < p; k++) s += rows[i * w + k] * this.x[k];
      if (s < t) t = s;
    }
    return t;
  }

  /** Re-solves B^T y = c_B for the final basis (partial pivoting) and stores x = y[0..p). */
  private resolveMultipliers(m: number, cap: number): void {
    const { p, d, basis, mat, rows, y } = this;
    const w = p + 1;
    const cols = d + 1;
    // row r of B^T is basic column basis[r]; augmented with its cost
    for (let r = 0; r < d; r++) {
      const j = basis[r];
      for (let k = 0; k < d; k++) {
        mat[r * cols + k] = j < m
          ? (k < p ? rows[j * w + k] : 1)
          : j === m
          ? (k === p ? 1 : 0)
          : (k === j - m - 1 ? 1 : 0);
      }
      mat[r * cols + d] = j < m ? rows[j * w + p] : j === m ? cap : 0;
    }
    for (let c = 0; c < d; c++) {
      let piv = c;
      for (let r = c + 1; r < d; r++) {
        if (Math.abs(mat[r * cols + c]) > Math.abs(mat[piv * cols + c])) piv = r;
      }
      if (mat[piv * cols + c] === 0) throw new LpError("singular final basis");
      if (piv !== c) {
        for (let k = 0; k < cols; k++) {
          const tmp = mat[c * cols + k];
          mat[c * cols + k] = mat[piv * cols + k];
          mat[piv * cols + k] = tmp;
        }
      }
      const inv = 1 / mat[c * cols + c];
      for (let r = c + 1; r < d; r++) {
        const f = mat[r * cols + c] * inv;
        if (f === 0) continue;
        for (let k = c; k < cols; k++) mat[r * cols + k] -= f * mat[c * cols + k];
      }
    }
    for (let c = d - 1; c >= 0; c--) {
      let s = mat[c * cols + d];
      for (let k = c + 1; k < d; k++) s -= mat[c * cols + k] * y[k];
      y[c] = s / mat[c * cols + c];
    }
    for (let k = 0; k < p; k++) this.x[k] = -y[k]; // B^T y ≤ c reads t ≤ b_i − a_i·y_x, so x = −y_x
  }
}

function isBasic(basis: Int32Array, j: number): boolean {
  for (let r = 0; r < basis.length; r++) if (basis[r] === j) return true;
  return false;
}
