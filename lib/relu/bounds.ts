/**
 * Upper bounds on the number of activation regions of a dense ReLU network with p inputs and hidden
 * widths n_1..n_L (over all of ℝ^p): what a region limit can be compared with before any work.
 *
 * @module
 */

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/**
 * Layer-wise product of Zaslavsky's bound: each region of the first l − 1 layers is cut by the n_l
 * hyperplanes of layer l into at most Σ_{j ≤ min(p, n_l)} C(n_l, j) pieces, so
 * #regions ≤ Π_l Σ_{j ≤ min(p, n_l)} C(n_l, j). Exact for one layer in general position.
 */
export function productBound(p: number, widths: readonly number[]): number {
  return widths.reduce((acc, n) => {
    let s = 0;
    for (let j = 0; j <= Math.min(p, n); j++) s += binomial(n, j);
    return acc * s;
  }, 1);
}

/**
 * The bound of Serra, Tjandraatmadja & Ramalingam (2018, Theorem 1):
 * Σ_{(j_1..j_L) ∈ J} Π_l C(n_l, j_l) with J = {0 ≤ j_l ≤ min(p, n_1 − j_1, …, n_{l−1} − j_{l−1}, n_l)},
 * summed by dynamic programming over the running minimum.
 */
export function serraBound(p: number, widths: readonly number[]): number {
  // f(m) after the last layer is 1; going backwards, f_l(m) = Σ_j C(n_l, j) f_{l+1}(min(m, n_l − j))
  let f = new Array(p + 1).fill(1);
  for (let l = widths.length - 1; l >= 0; l--) {
    const n = widths[l];
    const g = new Array(p + 1).fill(0);
    for (let m = 0; m <= p; m++) {
      for (let j = 0; j <= Math.min(m, n); j++) g[m] += binomial(n, j) * f[Math.min(m, n - j)];
    }
    f = g;
  }
  return f[p];
}

/**
 * Regions a network is certain to have over ℝ^p: its first hidden layer alone cuts ℝ^p into
 * Σ_{j ≤ min(p, n_1)} C(n_1, j) cells when its hyperplanes are in general position (what trained,
 * randomly initialised weights give with probability 1), and the later layers only split these
 * cells further. A lower bound to refuse a region limit before any work; with one hidden layer it
 * equals both upper bounds.
 *
 * @example
 * ```ts
 * guaranteedRegions(2, [8, 8]); // 37: the 8 lines of the first layer in the plane
 * ```
 */
export function guaranteedRegions(p: number, widths: readonly number[]): number {
  return widths.length === 0 ? 1 : productBound(p, widths.slice(0, 1));
}
