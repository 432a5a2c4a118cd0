/**
 * Summaries of a metric across repetitions (seeds) of one experiment cell.
 *
 * Quantile definition: R's default `type = 7` (also numpy's default "linear" and the one d3 /
 * vega-lite boxplots use): for sorted x[0..n-1] and probability p, h = (n - 1) p,
 * Q(p) = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]). So tables and boxplot figures
 * agree. `sd` is the sample standard deviation (divisor n - 1; NaN when fewer than 2 values).
 *
 * Failed entries — `null`, `undefined`, `NaN`, `±Infinity` — are excluded from every statistic
 * and counted in `failed`.
 *
 * @module
 */

import * as ss from "simple-statistics";

/** One metric summarised across repetitions. Statistics are NaN when `n` is 0. */
export interface Summary {
  /** Number of finite values used. */
  n: number;
  /** Number of entries ignored because they were null/undefined/NaN/±Infinity. */
  failed: number;
  median: number;
  q1: number;
  q3: number;
  mean: number;
  /** Sample standard deviation (n - 1 divisor); NaN for n < 2. */
  sd: number;
  min: number;
  max: number;
}

/** Column order of {@link Summary} fields, for tables. */
export const SUMMARY_FIELDS = ["n", "failed", "median", "q1", "q3", "mean", "sd", "min", "max"] as const;

/** A value that may be missing or failed (null/undefined/NaN/±Infinity are all "failed"). */
export type MaybeNumber = number | null | undefined;

/** True for a usable number (finite). */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * Type-7 quantile of an ascending-sorted array of finite numbers (see module doc).
 * Throws if `sorted` is empty or `p` is outside [0, 1].
 */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error("quantileSorted: `sorted` is empty — pass at least one value");
  if (!(p >= 0 && p <= 1)) throw new Error(`quantileSorted: \`p\` must be in [0, 1], got ${p}`);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Summarise `values` across repetitions, ignoring and counting failed entries. */
export function summarize(values: readonly MaybeNumber[]): Summary {
  if (!Array.isArray(values)) {
    throw new Error("summarize: `values` must be an array of numbers (use null for failed repetitions)");
  }
  const finite = values.filter(isFiniteNumber);
  const failed = values.length - finite.length;
  if (finite.length === 0) {
    return { n: 0, failed, median: NaN, q1: NaN, q3: NaN, mean: NaN, sd: NaN, min: NaN, max: NaN };
  }
  const sorted = [...finite].sort((a, b) => a - b);
  return {
    n: sorted.length,
    failed,
    median: quantileSorted(sorted, 0.5),
    q1: quantileSorted(sorted, 0.25),
    q3: quantileSorted(sorted, 0.75),
    mean: ss.mean(sorted),
    sd: sorted.length >= 2 ? ss.sampleStandardDeviation(sorted) : NaN,
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

/** A row of {@link summarizeGroups} output: the group key fields followed by the summary fields. */
export type GroupSummaryRow = Record<string, string | number | boolean | null> & Summary;

/**
 * Group `rows` by the `groupBy` fields and summarise `valueField` in each group.
 * Groups appear in first-seen order, so the output order is deterministic for a given input.
 * Example: `summarizeGroups(cells, ["width", "layers", "activation"], "mse")`.
 */
export function summarizeGroups(
  rows: readonly Record<string, unknown>[],
  groupBy: readonly string[],
  valueField: string,
): GroupSummaryRow[] {
  if (!Array.isArray(rows)) throw new Error("summarizeGroups: `rows` must be an array of objects");
  if (!valueField) {
    throw new Error("summarizeGroups: `valueField` is empty — name the metric column, e.g. 'mse'");
  }
  const groups = new Map<
    string,
    { key: Record<string, string | number | boolean | null>; values: MaybeNumber[] }
  >();
  for (const [index, row] of rows.entries()) {
    const key: Record<string, string | number | boolean | null> = {};
    for (const field of groupBy) {
      if (!(field in row)) {
        throw new Error(
          `summarizeGroups: rows[${index}] has no group field '${field}' — add it or drop it from groupBy`,
        );
      }
      const value = row[field];
      key[field] = value === undefined ? null : value as string | number | boolean | null;
    }
    const id = JSON.stringify(groupBy.map((field) => key[field]));
    let group = groups.get(id);
    if (!group) {
      group = { key, values: [] };
      groups.set(id, group);
    }
    const value = row[valueField];
    group.values.push(typeof value === "number" ? value : null);
  }
  return [...groups.values()].map(({ key, values }) => ({ ...key, ...summarize(values) }) as GroupSummaryRow);
}
