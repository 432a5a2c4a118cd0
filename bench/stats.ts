/**
 * Statistics of the paired comparison: ratio of medians with a seeded bootstrap interval, the
 * Mann–Whitney U test (exact distribution for small samples without ties, normal approximation with
 * tie and continuity correction otherwise, as R's `wilcox.test`), and Holm's correction
 * (`@stdlib/stats-padjust`).
 *
 * The exact U distribution is computed here because no maintained npm package offers it: the
 * probability recurrence P(m, n, u) = m/(m+n)·P(m−1, n, u−n) + n/(m+n)·P(m, n−1, u) (Mann and
 * Whitney 1947), which stays in [0, 1] and so loses no precision for large counts.
 *
 * @module
 */

import padjust from "@stdlib/stats-padjust";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { Rng } from "../lib/data/random.ts";
import { quantileSorted } from "../lib/report/stats.ts";

/** Median of a non-empty list (type-7, as lib/report/stats); NaN for an empty one. */
export function medianOf(values: readonly number[]): number {
  return values.length === 0 ? NaN : quantileSorted([...values].sort((a, b) => a - b), 0.5);
}

/** median(head) / median(baseline): above 1 means HEAD is slower. */
export function ratioOfMedians(baseline: readonly number[], head: readonly number[]): number {
  return medianOf(head) / medianOf(baseline);
}

/**
 * Percentile bootstrap interval of {@link ratioOfMedians}: both samples resampled independently
 * with replacement `reps` times from a generator seeded with `seed` (same inputs and seed, same
 * interval on every platform).
 */
export function bootstrapRatioInterval(
  baseline: readonly number[],
  head: readonly number[],
  options: { seed: number; reps?: number; level?: number },
): [number, number] {
  const reps = options.reps ?? 2000;
  const level = options.level ?? 0.95;
  if (baseline.length === 0 || head.length === 0) return [NaN, NaN];
  const rng = new Rng(options.seed);
  const resampledMedian = (xs: readonly number[], buffer: number[]) => {
    for (let i = 0; i < xs.length; i++) buffer[i] = xs[rng.int(xs.length)];
    buffer.sort((a, b) => a - b);
    return quantileSorted(buffer, 0.5);
  };
  const a = new Array<number>(baseline.length);
  const b = new Array<number>(head.length);
  const ratios: number[] = [];
  for (let r = 0; r < reps; r++) ratios.push(resampledMedian(head, b) / resampledMedian(baseline, a));
  ratios.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  return [quantileSorted(ratios, tail), quantileSorted(ratios, 1 - tail)];
}

/** P(U = u) for u = 0..m·n under H0 (no ties), sizes m and n. */
export function mannWhitneyExactDistribution(m: number, n: number): Float64Array {
  // rows[j] holds P(i, j, ·) for the current i; start with i = 0: U = 0 with certainty
  let rows: Float64Array[] = Array.from({ length: n + 1 }, () => Float64Array.of(1));
  for (let i = 1; i <= m; i++) {
    const next: Float64Array[] = [Float64Array.of(1)]; // P(i, 0, 0) = 1
    for (let j = 1; j <= n; j++) {
      const out = new Float64Array(i * j + 1);
      const fromX = rows[j]; // (i − 1, j): the largest value is an x, it beats all j y's → u − j
      const fromY = next[j - 1]; // (i, j − 1): the largest value is a y → u unchanged
      const wx = i / (i + j);
      const wy = j / (i + j);
      for (let u = 0; u < fromX.length; u++) out[u + j] += wx * fromX[u];
      for (let u = 0; u < fromY.length; u++) out[u] += wy * fromY[u];
      next.push(out);
    }
    rows = next;
  }
  return rows[n];
}

/** Result of {@link mannWhitney}. */
export interface MannWhitneyResult {
  /** U of the first sample: pairs (x, y) with x > y, ties counting one half. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  /** How p was computed. */
  method: "exact" | "normal";
}

/**
 * Two-sided Mann–Whitney U test of samples x and y. Exact when both have fewer than 50 values and
 * there are no ties; otherwise the normal approximation with tie correction and continuity
 * correction (R's `wilcox.test(x, y)` defaults, whose W is this U).
 */
export function mannWhitney(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const m = x.length;
  const n = y.length;
  if (m === 0 || n === 0) return { u: NaN, p: NaN, method: "exact" };
  const all = [...x.map((v) => ({ v, fromX: true })), ...y.map((v) => ({ v, fromX: false }))]
    .sort((a, b) => a.v - b.v);
  let rankSumX = 0;
  const tieSizes: number[] = [];
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].v === all[i].v) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (all[k].fromX) rankSumX += midRank;
    tieSizes.push(j - i + 1);
    i = j + 1;
  }
  const u = rankSumX - (m * (m + 1)) / 2;
  const ties = tieSizes.some((t) => t > 1);
  if (!ties && m < 50 && n < 50) {
    const dist = mannWhitneyExactDistribution(m, n);
    const cdf = (k: number) => dist.subarray(0, Math.max(0, k + 1)).reduce((s, v) => s + v, 0);
    const oneSided = u > (m * n) / 2 ? 1 - cdf(u - 1) : cdf(u);
    return { u, p: Math.min(1, 2 * oneSided), method: "exact" };
  }
  const N = m + n;
  const tieTerm = tieSizes.reduce((s, t) => s + t ** 3 - t, 0) / (N * (N - 1));
  const sigma = Math.sqrt(((m * n) / 12) * (N + 1 - tieTerm));
  const centred = u - (m * n) / 2;
  if (sigma === 0) return { u, p: 1, method: "normal" };
  const z = (centred - Math.sign(centred) * 0.5) / sigma;
  return { u, p: Math.min(1, 2 * Math.min(normalCdf(z, 0, 1), 1 - normalCdf(z, 0, 1))), method: "normal" };
}

/** Holm-adjusted p-values (same order as the input); NaN entries stay NaN and do not count. */
export function holm(pValues: readonly number[]): number[] {
  const idx = pValues.flatMap((p, i) => (Number.isFinite(p) ? [i] : []));
  const out = pValues.map(() => NaN);
  if (idx.length === 0) return out;
  const adjusted = padjust(idx.map((i) => pValues[i]), "holm") as number[];
  idx.forEach((i, k) => (out[i] = adjusted[k]));
  return out;
}
