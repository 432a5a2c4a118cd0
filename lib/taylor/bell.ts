/**
 * Partial Bell polynomials B_{n,k}(x_1, …, x_{n−k+1}), evaluated numerically, and the Faà di Bruno
 * step that HOPE applies at every elementwise activation.
 *
 * For z = g(u), the n-th derivative of y with respect to u is
 * `d^n y/du^n = Σ_{k=1..n} B_{n,k}(g′, g″, …, g^(n−k+1)) · d^k y/dz^k`.
 *
 * @module
 */

/**
 * Table of partial Bell polynomials for one set of arguments, as a flat `(order+1)²` array:
 * entry `n·(order+1) + k` is B_{n,k}(x_1, …, x_{n−k+1}).
 *
 * `x[i]` is the i-th argument (`x[0]` is ignored), so passing the derivatives g^(i)(u0) from
 * `activationDerivatives` directly works. Uses the standard recurrence
 * `B_{n,k} = Σ_{i=1}^{n−k+1} C(n−1, i−1) · x_i · B_{n−i,k−1}`, with B_{0,0} = 1.
 *
 * @example
 * ```ts
 * const t = bellTable(new Float64Array([0, 2, 3]), 2); // B_{2,1} = x2 = 3, B_{2,2} = x1² = 4
 * ```
 */
export function bellTable(x: Float64Array, order: number, out?: Float64Array): Float64Array {
  checkOrder(order, "order");
  if (x.length < order + 1) {
    throw new Error(`x: needs ${order + 1} entries (x[0] unused, x[1..${order}]), got ${x.length}`);
  }
  const w = order + 1;
  const b = out ?? new Float64Array(w * w);
  if (b.length < w * w) throw new Error(`out: needs ${w * w} entries for order ${order}, got ${b.length}`);
  b.fill(0, 0, w * w);
  b[0] = 1;
  const c = binomialTable(order);
  for (let n = 1; n <= order; n++) {
    for (let k = 1; k <= n; k++) {
      let s = 0;
      for (let i = 1; i <= n - k + 1; i++) s += c[(n - 1) * w + (i - 1)] * x[i] * b[(n - i) * w + (k - 1)];
      b[n * w + k] = s;
    }
  }
  return b;
}

/**
 * Faà di Bruno step through one elementwise unit: given the Bell table of its activation
 * (from {@link bellTable}) and `vz[s−1] = d^s y/dz^s` for s = 1..order, writes
 * `vu[n−1] = d^n y/du^n = Σ_{s=1..n} B_{n,s} · vz[s−1]`.
 *
 * `stride` lets both vectors live in K × units row-major blocks (`vz[(s−1)·stride]`).
 */
export function bellApply(
  bell: Float64Array,
  order: number,
  vz: Float64Array,
  vu: Float64Array,
  offset = 0,
  stride = 1,
): void {
  const w = order + 1;
  for (let n = 1; n <= order; n++) {
    let s = 0;
    const row = n * w;
    for (let k = 1; k <= n; k++) s += bell[row + k] * vz[offset + (k - 1) * stride];
    vu[offset + (n - 1) * stride] = s;
  }
}

/** Pascal triangle as a flat `(order+1)²` array: entry `n·(order+1) + k` is C(n, k). */
export function binomialTable(order: number): Float64Array {
  checkOrder(order, "order");
  const w = order + 1;
  const c = new Float64Array(w * w);
  for (let n = 0; n <= order; n++) {
    c[n * w] = 1;
    for (let k = 1; k <= n; k++) {
      c[n * w + k] = c[(n - 1) * w + k - 1] + (k <= n - 1 ? c[(n - 1) * w + k] : 0);
    }
  }
  return c;
}

function checkOrder(order: number, field: string): void {
  if (!Number.isInteger(order) || order < 0) {
    throw new Error(`${field}: expected a non-negative integer, got ${order}`);
  }
}
