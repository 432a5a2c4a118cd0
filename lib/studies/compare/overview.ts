/**
 * The `method-overview` extra: every method pooled over all the trained networks of a run — median
 * error, size, the networks on which each is the closest to the network ("wins"), the same split by
 * each grid path's values, the Pareto-optimal methods in error against build time, and the error of
 * EVERY method (global ones included) on the test points within distance r of the training mean,
 * where the local methods are centred. Needs sizes (`outputs.tables` with `methods`).
 *
 * @module
 */

import { prepareData } from "../../experiment/cell.ts";
import type { CellRecord } from "../../experiment/cell.ts";
import { methodLabel } from "../../experiment/methods.ts";
import { methodOfInstance } from "../../experiment/method_registry.ts";
import { radiusCurve } from "../../experiment/metrics.ts";
import type { ExtraContext } from "../../experiment/study.ts";
import { shortNames } from "../../experiment/aggregate.ts";
import { lineChartSpec } from "../../report/figures.ts";
import type { ReportSection } from "../../report/report.ts";
import { summarize } from "../../report/stats.ts";
import type { CellValue } from "../../report/tables.ts";
import { saveFigure, saveTables } from "../nn2poly/common.ts";

/** Radii (scaled input space) of the all-methods error-vs-distance table when no local method gives its own. */
export const OVERVIEW_RADII = [0.5, 1, 1.5, 2];

/** Method instances with sizes, in metric order. */
export function sizedMethods(records: readonly CellRecord[]): string[] {
  const out: string[] = [];
  for (const r of records) {
    for (const k of Object.keys(r.metrics)) {
      if (k.startsWith("size_") && !out.includes(k.slice(5))) out.push(k.slice(5));
    }
  }
  return out;
}

/** Per network: the method with the lowest MSE(NN, method) (ties: the first in metric order). */
export function winners(records: readonly CellRecord[], methods: readonly string[]): Map<CellRecord, string> {
  const out = new Map<CellRecord, string>();
  for (const r of records) {
    let best: string | undefined, bestMse = Infinity;
    for (const m of methods) {
      const v = r.metrics[`mse_nn_${m}`];
      if (Number.isFinite(v) && v < bestMse) [best, bestMse] = [m, v];
    }
    if (best) out.set(r, best);
  }
  return out;
}

/** Indices of the points not dominated in both coordinates (lower is better in each). */
export function paretoFront(points: readonly { x: number; y: number }[]): number[] {
  return points.flatMap((p, i) =>
    points.some((q, j) => j !== i && q.x <= p.x && q.y <= p.y && (q.x < p.x || q.y < p.y)) ? [] : [i]
  );
}

/** The method-overview extra: tables `overview`, `overview_by_grid`, `overview_times`, `overview_radius`. */
export async function methodOverviewExtra(ctx: ExtraContext): Promise<ReportSection[]> {
  const heading = "All methods pooled over the trained networks";
  const ok = ctx.records.filter((r) => r.status === "ok");
  const methods = sizedMethods(ok);
  if (methods.length === 0) {
    return [{ heading, text: 'No sizes recorded; add "methods" to outputs.tables.' }];
  }
  const wins = winners(ok, methods);
  const med = (values: (number | undefined)[]) => summarize(values.map((v) => v ?? null));
  const overview: Record<string, CellValue>[] = methods.map((m) => {
    const e = med(ok.map((r) => r.metrics[`mse_nn_${m}`]));
    const r2 = ok.map((r) => r.metrics[`r2_nn_${m}`]);
    return {
      method: m,
      unit: methodOfInstance(m)?.sizeUnit ?? "",
      size: med(ok.map((r) => r.metrics[`size_${m}`])).median,
      networks: e.n,
      mse_nn_median: e.median,
      mse_nn_q1: e.q1,
      mse_nn_q3: e.q3,
      mse_y_median: med(ok.map((r) => r.metrics[`mse_${m}_y`])).median,
      r2_nn_median: med(r2).median,
      share_r2_099: r2.filter((v) => v >= 0.99).length / ok.length,
      wins: [...wins.values()].filter((w) => w === m).length,
    };
  });

  // by each grid path's values: median MSE(NN, m) per method, and who wins most often
  const names = shortNames(ctx.plan.gridPaths);
  const byGrid: Record<string, CellValue>[] = [];
  for (const path of ctx.plan.gridPaths) {
    for (const value of ctx.plan.config.grid[path]) {
      const subset = ok.filter((r) => JSON.stringify(r.params[path]) === JSON.stringify(value));
      if (subset.length === 0) continue;
      const row: Record<string, CellValue> = {
        grid: names[path],
        value: String(value),
        networks: subset.length,
      };
      let best = "", bestWins = -1;
      for (const m of methods) {
        row[m] = med(subset.map((r) => r.metrics[`mse_nn_${m}`])).median;
        const w = subset.filter((r) => wins.get(r) === m).length;
        if (w > bestWins) [best, bestWins] = [m, w];
      }
      row.most_wins = `${best} (${bestWins})`;
      byGrid.push(row);
    }
  }

  // error against build time: medians over the networks, and the Pareto front
  const timePoints = methods.map((m) => ({
    m,
    x: med(ok.map((r) => r.timings[`method_${m}`])).median,
    y: overview[methods.indexOf(m)].mse_nn_median as number,
  }));
  const front = new Set(paretoFront(timePoints));
  const times: Record<string, CellValue>[] = timePoints.map((p, i) => ({
    method: p.m,
    build_seconds_median: p.x,
    build_seconds_q3: med(ok.map((r) => r.timings[`method_${p.m}`])).q3,
    mse_nn_median: p.y,
    pareto: front.has(i),
  }));

  // every method within distance r of the training mean (test points, output 1), at the local methods' radii
  const given = [...new Set(ok.flatMap((r) => (r.radius ?? []).map((c) => c.radius)))].sort((a, b) => a - b);
  const radii = given.length ? given : OVERVIEW_RADII;
  const radiusRows: Record<string, CellValue>[] = [];
  const curves = new Map<string, (number | null)[][]>(methods.map((m) => [m, radii.map(() => [])]));
  const counts = radii.map(() => [] as number[]);
  for (const r of ok) {
    const data = prepareData(ctx.plan.cells[r.index].config, r.seeds);
    if (data.outputs !== 1) continue;
    const center = new Float64Array(data.p);
    for (let i = 0; i < data.train.n; i++) {
      for (let j = 0; j < data.p; j++) center[j] += data.train.x[i * data.p + j];
    }
    center.forEach((v, j) => (center[j] = v / data.train.n));
    for (const m of methods) {
      const curve = radiusCurve(
        data.test.x,
        data.test.n,
        center,
        r.predictions.nn,
        r.predictions[m],
        1,
        radii,
      );
      curve.forEach((c, k) => {
        curves.get(m)![k].push(c.mse);
        if (m === methods[0]) counts[k].push(c.n);
      });
    }
  }
  for (const m of methods) {
    radii.forEach((radius, k) => {
      const s = summarize(curves.get(m)![k]);
      radiusRows.push({
        method: m,
        radius,
        points_median: summarize(counts[k]).median,
        networks: s.n,
        mse_nn_median: s.median,
        mse_nn_q1: s.q1,
        mse_nn_q3: s.q3,
      });
    });
  }

  const tables = await saveTables(ctx, [
    {
      name: "overview",
      caption: "Every method over all trained networks: size, MSE(NN, method) (median [Q1, Q3]), share of " +
        "networks with R²(NN, method) ≥ 0.99, and wins (networks on which it is the closest to the network)",
      table: { rows: overview },
    },
    {
      name: "overview_by_grid",
      caption: "Median MSE(NN, method) by the value of each grid path, and the method with the most wins",
      table: { rows: byGrid },
    },
    {
      name: "overview_times",
      caption:
        "Median build time (s; a measurement) against median MSE(NN, method); pareto: no other method " +
        "is both faster and closer",
      table: { rows: times },
    },
    {
      name: "overview_radius",
      caption:
        "Every method on the test points within distance r of the training mean (scaled inputs), median over " +
        "the networks",
      table: { rows: radiusRows },
    },
  ]);
  const figures = [];
  const plotted = radiusRows.filter((row) => Number.isFinite(row.mse_nn_median as number));
  if (plotted.length > 0) {
    figures.push(
      await saveFigure(
        ctx,
        "radius_all",
        "Every method: median MSE(NN, method) on the test points within distance r of the training mean",
        lineChartSpec({
          data: plotted.map((row) => ({ ...row, method: methodLabel(String(row.method)) })),
          x: "radius",
          y: "mse_nn_median",
          series: "method",
          seriesDomain: methods.map(methodLabel).sort(),
          xTitle: "distance r to the training mean (scaled inputs)",
          yTitle: "median MSE(NN, method) within r",
          logY: true,
          points: true,
        }),
      ),
    );
  }
  const best = [...overview].sort((a, b) => (a.mse_nn_median as number) - (b.mse_nn_median as number))[0];
  const text =
    `${ok.length} networks, ${methods.length} methods. Closest to the network overall (median MSE): ` +
    `${methodLabel(String(best.method))} (${(best.mse_nn_median as number).toExponential(2)}); wins: ` +
    overview.map((o) => `${methodLabel(String(o.method))} ${o.wins}`).join(", ") +
    ". Pareto-optimal in error " +
    `against build time: ${
      times.filter((t) => t.pareto).map((t) => methodLabel(String(t.method))).join(", ")
    }.`;
  return [{ heading, text, tables, figures }];
}
