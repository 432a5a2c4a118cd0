/**
 * The exact sign of h + Σ g_k·m_k in float64 inputs (error-free products and sums, Dekker and
 * Shewchuk), used to orient hyperplanes without rounding deciding a tie.
 *
 * @module
 */

const SPLITTER = 134217729; // 2^27 + 1

function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bb = s - a;
  return [s, (a - (s - bb)) + (b - bb)];
}

function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  const ca = SPLITTER * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLITTER * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return [p, al * bl - (((p - ah * bh) - al * bh) - ah * bl)];
}

/** Sign (−1, 0, 1) of the exact real value of Σ terms (an expansion grown term by term). */
export function exactSumSign(terms: readonly number[]): number {
  let e: number[] = [];
  for (const t of terms) {
    let q = t;
    const next: number[] = [];
    for (const ei of e) {
      const [s, err] = twoSum(q, ei);
      if (err !== 0) next.push(err);
      q = s;
    }
    if (q !== 0) next.push(q);
    e = next;
  }
  // a non-overlapping expansion in increasing magnitude: its sign is its largest component's
  for (let i = e.length - 1; i >= 0; i--) if (e[i] !== 0) return Math.sign(e[i]);
  return 0;
}

/**
 * Sign of the exact value of `h + Σ g_k·m_k` (no rounding; inputs of moderate magnitude).
 *
 * @example
 * ```ts
 * exactAffineSign([0.1, 0.2], [1, 1], -0.30000000000000004); // the rounded sum would say 0
 * ```
 */
export function exactAffineSign(g: ArrayLike<number>, m: ArrayLike<number>, h: number): number {
  const terms: number[] = [h];
  for (let k = 0; k < g.length; k++) {
    if (g[k] === 0 || m[k] === 0) continue;
    const [p, e] = twoProduct(g[k], m[k]);
    terms.push(p, e);
  }
  return exactSumSign(terms);
}
