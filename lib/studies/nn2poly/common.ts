/**
 * Helpers shared by the extra analyses: grouping records by grid point, labels, writing tables
 * and figures, and small numeric tools (quantiles, Gaussian kernel density).
 *
 * @module
 */

import type { ReportFigure, ReportTable } from "../../report/report.ts";
import { quantileSorted } from "../../report/stats.ts";
import type { Table } from "../../report/tables.ts";
import { shortNames, writeTables } from "../../experiment/aggregate.ts";
import type { CellRecord } from "../../experiment/cell.ts";
import { describe } from "../../experiment/plan.ts";
import type { ExtraContext } from "../../experiment/study.ts";
import { saveFigure as saveAnalysisFigure } from "../../experiment/analysis_io.ts";

/** Successful records grouped by grid point, in plan order. */
export function okGroups(records: readonly CellRecord[]): CellRecord[][] {
  const groups = new Map<number, CellRecord[]>();
  for (const r of records) {
    if (r.status !== "ok") continue;
    groups.set(r.gridIndex, [...(groups.get(r.gridIndex) ?? []), r]);
  }
  return [...groups.values()];
}

/**
 * Short label of a record's grid point, e.g. `constraint=l1 width=4`, leaving out grid paths with a
 * single value ("all" when nothing varies).
 */
export function gridLabel(ctx: ExtraContext, record: CellRecord): string {
  const names = shortNames(ctx.plan.gridPaths);
  const varying = ctx.plan.gridPaths.filter((p) => ctx.plan.config.grid[p].length > 1);
  const params = Object.fromEntries(varying.map((k) => [names[k], record.params[k]]));
  const text = describe(params);
  return text === "(single cell)" ? "all" : text;
}

/**
 * Adds a second nominal encoding to a line chart (e.g. the grid point as the dash pattern, while
 * colour shows the series), and widens the legend labels.
 */
export function withDash(
  spec: Record<string, unknown>,
  field: string,
  title: string,
): Record<string, unknown> {
  const encoding = spec.encoding as Record<string, Record<string, unknown>>;
  encoding.strokeDash = {
    field,
    type: "nominal",
    title,
    legend: {
      labelLimit: 320,
      symbolType: "stroke",
      symbolSize: 300,
      encode: { symbols: { update: { stroke: { value: "#333" }, strokeWidth: { value: 2 } } } },
    },
  };
  if (encoding.color) encoding.color.legend = { labelLimit: 320 };
  return spec;
}

/** Writes tables (CSV + Markdown) and returns report entries. */
export function saveTables(
  ctx: ExtraContext,
  tables: { name: string; caption: string; table: Table }[],
): Promise<ReportTable[]> {
  return writeTables(ctx.runDir, tables);
}

/** Writes a figure in the run's formats and returns its report entry. */
export function saveFigure(
  ctx: ExtraContext,
  name: string,
  caption: string,
  spec: object,
): Promise<ReportFigure> {
  return saveAnalysisFigure({ runDir: ctx.runDir, formats: ctx.config.outputs.formats }, name, caption, spec);
}

/** Type-7 quantile of unsorted values (NaN when empty). */
export function quantile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return NaN;
  return quantileSorted(Array.from(Float64Array.from(values).sort()), p);
}

/** Silverman's rule-of-thumb bandwidth 0.9·min(sd, IQR/1.34)·n^(−1/5) (R's `bw.nrd0`). */
export function silvermanBandwidth(values: ArrayLike<number>): number {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const iqr = quantile(values, 0.75) - quantile(values, 0.25);
  const spread = Math.min(sd, iqr / 1.34) || sd || Math.abs(mean) || 1;
  return 0.9 * spread * n ** -0.2;
}

/** Gaussian kernel density of `values` at each point of `grid` (bandwidth: {@link silvermanBandwidth}). */
export function gaussianKde(values: ArrayLike<number>, grid: ArrayLike<number>): Float64Array {
  const n = values.length;
  const out = new Float64Array(grid.length);
  if (n === 0) return out;
  const h = silvermanBandwidth(values);
  const norm = 1 / (n * h * Math.sqrt(2 * Math.PI));
  const sorted = Float64Array.from(values).sort();
  for (let g = 0; g < grid.length; g++) {
    // only points within 8 bandwidths contribute measurably
    const lo = lowerBound(sorted, grid[g] - 8 * h);
    let s = 0;
    for (let i = lo; i < n && sorted[i] <= grid[g] + 8 * h; i++) {
      s += Math.exp(-0.5 * ((grid[g] - sorted[i]) / h) ** 2);
    }
    out[g] = s * norm;
  }
  return out;
}

function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `count` evenly spaced points from lo to hi inclusive. */
export function linspace(lo: number, hi: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => lo + ((hi - lo) * i) / (count - 1));
}

/** A label such as `[1,2,3]` or `[0]` written as a monomial: `x1·x2·x3`, `x1²`, `1`. */
export function monomialText(label: readonly number[]): string {
  if (label.length === 1 && label[0] === 0) return "1";
  const counts = new Map<number, number>();
  for (const v of label) counts.set(v, (counts.get(v) ?? 0) + 1);
  const sup = (k: number) => String(k).split("").map((d) => "⁰¹²³⁴⁵⁶⁷⁸⁹"[Number(d)]).join("");
  return [...counts].map(([v, k]) => `x${v}${k > 1 ? sup(k) : ""}`).join("·");
}
