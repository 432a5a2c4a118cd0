/**
 * Explanations of a ReLU network at an input x: the activation region holding x, the local linear
 * model there (feature weights, per-feature contributions A ⊙ x), and the region as a short rule (its
 * non-redundant inequalities, printed readably).
 *
 * A point on a region boundary belongs to the region the shallow network gives it to (the one entered
 * along x + ε(m − x) + ε²e_1 + …, see `shallow.ts`), so explanation and shallow network agree
 * everywhere.
 *
 * @module
 */

import { exactAffineSign } from "./exact_sign.ts";
import { SlackLp } from "./lp.ts";
import { affineThrough, applySlopes, type PlNetwork } from "./net.ts";
import type { Hyperplane, Inequality } from "./regions.ts";

/** Options of {@link explainPoint}. */
export interface ExplainOptions {
  /** Only inequalities that matter inside this box (the box faces are then implied). */
  box?: readonly [number, number];
  /** Feature names for printing (default x1, x2, …). */
  names?: readonly string[];
  /** Significant digits of printed numbers (default 3). */
  digits?: number;
}

/** The local linear model of one output. */
export interface LocalModel {
  /** Output value at x. */
  y: number;
  /** Feature weights A_k (∂y/∂x on the region). */
  weights: number[];
  /** Intercept c_k. */
  intercept: number;
  /** Per-feature contributions A_k ⊙ x (they sum to y − c_k). */
  contributions: number[];
  /** The model printed, e.g. `y = 1.2·x1 − 0.5·x2 + 0.3`. */
  text: string;
}

/** What {@link explainPoint} returns. */
export interface PointExplanation {
  /** The region's activation pattern (bit 1 ⇔ pre-activation > 0 on the region). */
  pattern: number[];
  /** True when x lies on some unit's zero set (a region boundary or a non-bounding kink). */
  onBoundary: boolean;
  /** One local model per output. */
  outputs: LocalModel[];
  /** The region's non-redundant inequalities. */
  inequalities: Inequality[];
  /** The rule, one printed inequality per line (e.g. `x1 − 0.25·x2 > −0.3   [unit 3, layer 1, active]`). */
  rule: string[];
}

/** Formats a number with `digits` significant digits, without trailing zeros. */
export function formatNumber(v: number, digits = 3): string {
  if (v === 0) return "0";
  const s = Number(v.toPrecision(digits)).toString();
  return s.replace("-", "−");
}

/** Prints Σ a_k·name_k (+ constant) readably: `x1 − 0.25·x2 + 0.3`. */
export function formatAffine(a: ArrayLike<number>, c: number, names: readonly string[], digits = 3): string {
  const parts: string[] = [];
  for (let k = 0; k < a.length; k++) {
    if (a[k] === 0) continue;
    const mag = Math.abs(a[k]);
    const coef = formatNumber(mag, digits);
    const term = coef === "1" ? names[k] : `${coef}·${names[k]}`;
    parts.push(parts.length === 0 ? (a[k] < 0 ? `−${term}` : term) : `${a[k] < 0 ? "−" : "+"} ${term}`);
  }
  if (c !== 0 || parts.length === 0) {
    const cs = formatNumber(Math.abs(c), digits);
    parts.push(parts.length === 0 ? (c < 0 ? `−${cs}` : cs) : `${c < 0 ? "−" : "+"} ${cs}`);
  }
  return parts.join(" ");
}

/**
 * One inequality `sign·(g·x + h) > 0` printed as `Σ a_k·x_k > b` with the largest |a_k| scaled to 1
 * (as `… < −b` when every coefficient would be negative).
 */
export function formatInequality(
  ineq: Inequality,
  names: readonly string[],
  digits = 3,
): string {
  const { g, h } = ineq.plane;
  const scale = Math.max(...Array.from(g, Math.abs));
  let a = Array.from(g, (v) => (ineq.sign * v) / scale);
  let b = (-ineq.sign * h) / scale;
  // −x1 − 2·x2 > b reads better as x1 + 2·x2 < −b
  const flip = a.every((v) => v <= 0);
  if (flip) {
    a = a.map((v) => -v + 0);
    b = -b + 0;
  }
  return `${formatAffine(a, 0, names, digits)} ${flip ? "<" : ">"} ${formatNumber(b, digits)}`;
}

/** Layer (1-based) and unit within the layer of a global hidden-unit index. */
export function unitLabel(net: PlNetwork, unit: number): string {
  const l = net.hidden.findIndex((layer) => unit >= layer.offset && unit < layer.offset + layer.units);
  return `layer ${l + 1} unit ${unit - net.hidden[l].offset + 1}`;
}

/** The pattern, all H pre-activation maps and the local affine map of the region x belongs to. */
function regionAt(net: PlNetwork, x: ArrayLike<number>, anchor: Float64Array) {
  const { p } = net;
  let M: Float64Array = new Float64Array(p * p);
  for (let k = 0; k < p; k++) M[k * p + k] = 1;
  let m: Float64Array = new Float64Array(p);
  let n = p;
  const pattern: number[] = [];
  const planes: Hyperplane[] = [];
  let onBoundary = false;
  for (const layer of net.hidden) {
    const { G, h } = affineThrough(M, m, n, layer.weights, layer.units, p);
    const bits: number[] = [];
    for (let j = 0; j < layer.units; j++) {
      const g = new Float64Array(p);
      for (let k = 0; k < p; k++) g[k] = G[k * layer.units + j];
      let z = h[j];
      for (let k = 0; k < p; k++) z += g[k] * x[k];
      let bit = z > 0 ? 1 : 0;
      if (z === 0 && g.some((v) => v !== 0)) {
        onBoundary = true;
        // the sign along x + ε(m − x) + ε²e_1 + …: lexicographic sign of (ℓ(m), g)
        const s = exactAffineSign(g, anchor, h[j]);
        bit = s > 0 ? 1 : s < 0 ? 0 : (g.find((v) => v !== 0)! > 0 ? 1 : 0);
      }
      bits.push(bit);
      planes.push({ unit: layer.offset + j, g, h: h[j] });
    }
    applySlopes(G, h, p, layer.units, (j) => (bits[j] ? 1 : layer.slope));
    pattern.push(...bits);
    M = G;
    m = h;
    n = layer.units;
  }
  const K = net.outputs;
  const { G, h } = affineThrough(M, m, n, net.output, K, p);
  return { pattern, planes, onBoundary, G, c: h };
}

/**
 * Explains the network at `x`: its region, the local linear model of every output and the region's
 * rule (redundant inequalities removed by LP; with a box, only those that cut the box).
 *
 * @example
 * ```ts
 * const e = explainPoint(plNetwork(net), [0.2, -0.4], { names: ["age", "dose"] });
 * e.outputs[0].text; // "y = 1.3·age − 0.42·dose + 0.1"
 * e.rule;            // ["age − 0.5·dose > 0.1   [layer 1 unit 2 active]", …]
 * ```
 */
export function explainPoint(
  net: PlNetwork,
  x: ArrayLike<number>,
  options: ExplainOptions = {},
): PointExplanation {
  const { p, outputs: K } = net;
  const names = options.names ?? Array.from({ length: p }, (_, k) => `x${k + 1}`);
  const digits = options.digits ?? 3;
  const box = options.box;
  const anchor = new Float64Array(p);
  if (box) anchor.fill(box[0] + (box[1] - box[0]) / 2);
  const { pattern, planes, onBoundary, G, c } = regionAt(net, x, anchor);
  const outputs: LocalModel[] = [];
  for (let k = 0; k < K; k++) {
    const weights = Array.from({ length: p }, (_, q) => G[q * K + k]);
    const contributions = weights.map((w, q) => w * x[q]);
    const y = c[k] + contributions.reduce((s, v) => s + v, 0);
    const lhs = K === 1 ? "y" : `y${k + 1}`;
    outputs.push({
      y,
      weights,
      intercept: c[k],
      contributions,
      text: `${lhs} = ${formatAffine(weights, c[k], names, digits)}`,
    });
  }
  // the region's inequalities: every non-constant unit, then redundancy removal by LP
  const all: Inequality[] = planes
    .filter((pl) => pl.g.some((v) => v !== 0))
    .map((plane) => ({ plane, sign: pattern[plane.unit] ? 1 : -1 }));
  const kept = minimalInequalities(all, p, box);
  return {
    pattern,
    onBoundary,
    outputs,
    inequalities: kept,
    rule: kept.map((q) =>
      `${formatInequality(q, names, digits)}   [${unitLabel(net, q.plane.unit)} ${
        q.sign > 0 ? "active" : "inactive"
      }]`
    ),
  };
}

/**
 * Removes redundant inequalities one at a time: `i` is dropped when no point satisfies the others
 * (and the box) strictly while violating `i` (LP slack ≤ 1e-13). Duplicates keep one copy.
 */
export function minimalInequalities(
  ineqs: readonly Inequality[],
  p: number,
  box?: readonly [number, number],
): Inequality[] {
  const lp = new SlackLp(p);
  const kept = ineqs.slice();
  const w = p + 1;
  for (let i = 0; i < kept.length;) {
    const rows: number[] = [];
    if (box) {
      for (let k = 0; k < p; k++) {
        const a = new Array(w).fill(0);
        a[k] = 1;
        a[p] = -box[0];
        const b = new Array(w).fill(0);
        b[k] = -1;
        b[p] = box[1];
        rows.push(...a, ...b);
      }
    }
    kept.forEach((q, j) => {
      const s = j === i ? -q.sign : q.sign;
      rows.push(...Array.from(q.plane.g, (v) => s * v), s * q.plane.h);
    });
    const t = lp.solve(Float64Array.from(rows), rows.length / w, 1);
    if (t > 1e-13) i++;
    else kept.splice(i, 1);
  }
  return kept;
}
