/**
 * Small numerical helpers of the HOPE analyses: R², ranks and Spearman correlation, the shift of a
 * Taylor polynomial from h = x − x0 back to x, grids, the float64 forward pass of a module graph and
 * Taylor-result conversions.
 *
 * @module
 */

import { compareLabels } from "../../data/polynomial.ts";
import type { Network } from "../../network/network.ts";
import { Polynomial } from "../../poly/polynomial.ts";
import { HOPE_RULES, type HopeRule } from "../../taylor/hope.ts";
import type { HopeModule } from "../../taylor/modules.ts";

/** Largest |a_i − b_i|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Root mean square of a_i − b_i. */
export function rmse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s / a.length);
}

/** Ranks 1..n with ties given their average rank (as R's `rank(ties.method = "average")`). */
export function ranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const out = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k]] = avg;
    i = j + 1;
  }
  return out;
}

/** Pearson correlation (NaN when either side is constant). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length < 2) {
    throw new RangeError(`pearson: expected two arrays of one length ≥ 2, got ${a.length}, ${b.length}`);
  }
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

/** Spearman rank correlation: Pearson correlation of the (average-tie) ranks. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return pearson(ranks(a), ranks(b));
}

/** n equally spaced values from lo to hi (both included). */
export function linspace(lo: number, hi: number, n: number): number[] {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`linspace: n must be an integer ≥ 2, got ${n}`);
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** Points of a square grid around a 2-D centre, row-major (x1 fastest), as a flat n²×2 array. */
export function grid2d(center: readonly number[], radius: number, n: number): Float64Array {
  const a = linspace(center[0] - radius, center[0] + radius, n);
  const b = linspace(center[1] - radius, center[1] + radius, n);
  const out = new Float64Array(n * n * 2);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      out[(j * n + i) * 2] = a[i];
      out[(j * n + i) * 2 + 1] = b[j];
    }
  }
  return out;
}

/** Subtracts x0 from every row of a row-major n×p matrix (x → h = x − x0). */
export function toOffsets(x: Float64Array, x0: readonly number[]): Float64Array {
  const p = x0.length;
  return x.map((v, k) => v - x0[k % p]);
}

/** Float64 forward pass of a HOPE module graph on a batch (row-major n × inputs) → one output per row. */
export function moduleForward(modules: readonly HopeModule[], x: Float64Array, n: number): Float64Array {
  const inputs = x.length / n;
  const out = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    let a: Float64Array = x.slice(s * inputs, (s + 1) * inputs);
    for (const m of modules) {
      const rule = HOPE_RULES[m.kind] as unknown as HopeRule<HopeModule>;
      a = rule.forward(m, a, 0).output;
    }
    out[s] = a[0];
  }
  return out;
}

/** A HOPE/autodiff result (labels with `[]` = constant) as a {@link Polynomial} of output `o`. */
export function resultPolynomial(
  p: number,
  r: { readonly labels: readonly (readonly number[])[]; readonly coefficients: readonly ArrayLike<number>[] },
  o = 0,
): Polynomial {
  return Polynomial.fromLabels(p, r.labels, r.coefficients[o]);
}

function binomialInt(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/**
 * Re-expresses a polynomial in h = x − x0 as a polynomial in x: every Π (x_i − x0_i)^α_i is
 * expanded binomially, like terms are merged. The degree is unchanged (the truncation at K stays).
 * Returned terms are in graded-lex order; exact zeros are kept so every monomial of degree ≤ the
 * input's degree that receives a contribution is present.
 */
export function shiftToX(poly: Polynomial, x0: readonly number[]): Polynomial {
  const p = poly.p;
  if (x0.length !== p) {
    throw new RangeError(`shiftToX: x0 has ${x0.length} values, the polynomial ${p} variables`);
  }
  const acc = new Map<string, number>();
  for (let t = 0; t < poly.terms.count; t++) {
    const c = poly.coefficients[t];
    if (c === 0) continue;
    const alpha = new Array<number>(p).fill(0);
    for (const v of poly.terms.tuple(t)) alpha[v]++;
    // expand variable by variable: list of (exponent vector, coefficient)
    let parts: { e: number[]; c: number }[] = [{ e: [], c }];
    for (let i = 0; i < p; i++) {
      const next: { e: number[]; c: number }[] = [];
      for (const part of parts) {
        for (let j = 0; j <= alpha[i]; j++) {
          const w = binomialInt(alpha[i], j) * (-x0[i]) ** (alpha[i] - j);
          if (w === 0) continue;
          next.push({ e: [...part.e, j], c: part.c * w });
        }
      }
      parts = next;
    }
    for (const part of parts) {
      const key = part.e.join(",");
      acc.set(key, (acc.get(key) ?? 0) + part.c);
    }
  }
  const entries = [...acc].map(([key, c]) => {
    const label: number[] = [];
    if (key !== "") {
      key.split(",").forEach((k, i) => {
        for (let r = 0; r < Number(k); r++) label.push(i + 1);
      });
    }
    return { l: label, c };
  });
  entries.sort((a, b) => compareLabels(a.l.length ? a.l : [0], b.l.length ? b.l : [0]));
  return Polynomial.fromLabels(p, entries.map((e) => e.l), entries.map((e) => e.c));
}

/** A readable term name: `[]`/`[0]` → "1", `[1, 1, 2]` → "x1^2·x2". */
export function termName(label: readonly number[]): string {
  if (label.length === 0 || (label.length === 1 && label[0] === 0)) return "1";
  const parts: string[] = [];
  for (let i = 0; i < label.length;) {
    let j = i;
    while (j + 1 < label.length && label[j + 1] === label[i]) j++;
    const power = j - i + 1;
    parts.push(power > 1 ? `x${label[i]}^${power}` : `x${label[i]}`);
    i = j + 1;
  }
  return parts.join("·");
}

/**
 * The 1-input network t ↦ f(x0 + t·e_i) (i 0-based): the first layer absorbs x0 in its bias and
 * keeps only column i. Its Taylor coefficients at t = 0 are the unmixed ∂^k f/∂x_i^k (x0) / k!.
 */
export function restrictToAxis(net: Network, x0: ArrayLike<number>, i: number): Network {
  const [first, ...rest] = net.layers;
  if (x0.length !== net.inputs || i < 0 || i >= net.inputs) {
    throw new RangeError(`restrictToAxis: x0 needs ${net.inputs} values and 0 ≤ i < ${net.inputs}`);
  }
  const u = first.units;
  const weights = new Float64Array(2 * u);
  for (let j = 0; j < u; j++) {
    let b = first.weights[j];
    for (let k = 0; k < first.inputs; k++) b += x0[k] * first.weights[(k + 1) * u + j];
    weights[j] = b;
    weights[u + j] = first.weights[(i + 1) * u + j];
  }
  return { inputs: 1, layers: [{ ...first, inputs: 1, weights }, ...rest] };
}
