/**
 * The `diagonals` extra: the papers' diagonal plots for the first repetition of every grid
 * point: observed Y against the network's prediction, and each polynomial against the network,
 * on the test set (scaled space), with the y = x line.
 *
 * @module
 */

import type { ReportSection } from "../../report/report.ts";
import { methodLabel } from "../../experiment/methods.ts";
import { mse } from "../../experiment/metrics.ts";
import { gridLabel, okGroups, saveFigure } from "./common.ts";
import type { ExtraContext } from "../../experiment/study.ts";

/** The diagonals extra: figure `diagonals`. */
export async function diagonalsExtra(ctx: ExtraContext): Promise<ReportSection[]> {
  const firsts = okGroups(ctx.records).map((g) => g[0]);
  const heading = "Diagonal plots: observed and polynomial against the network";
  if (firsts.length === 0) return [{ heading, text: "No successful cell; nothing to plot." }];
  const rows: Record<string, unknown>[] = [];
  const lines: string[] = [];
  for (const r of firsts) {
    const label = gridLabel(ctx, r);
    const nn = r.predictions.nn;
    const others = Object.keys(r.predictions).filter((k) => k !== "nn");
    for (const k of others) {
      const what = k === "y" ? "observed Y" : methodLabel(k);
      r.predictions[k].forEach((v, i) => rows.push({ nn: nn[i], other: v, facet: `${what} · ${label}` }));
      lines.push(`${label}: MSE(NN, ${what}) = ${mse(nn, r.predictions[k]).toExponential(2)}`);
    }
  }
  // a common range from the network and the observed Y: a diverging polynomial must not hide the rest
  const ref = rows.flatMap((
    r,
  ) => (String(r.facet).startsWith("observed") ? [r.nn, r.other] : [r.nn])) as number[];
  const lo = Math.min(...ref), hi = Math.max(...ref), pad = 0.05 * (hi - lo || 1);
  const domain = [lo - pad, hi + pad];
  const outside = new Map<string, number>();
  for (const r of rows) {
    const v = r.other as number;
    if (!(v >= domain[0] && v <= domain[1])) {
      outside.set(String(r.facet), (outside.get(String(r.facet)) ?? 0) + 1);
    }
  }
  const notes = [...outside].map(([f, k]) =>
    `${k} of ${firsts[0].predictions.nn.length} points of "${f}" fall outside the axis range`
  );
  // one row per grid point: observed Y, then each method
  const columns = Object.keys(firsts[0].predictions).length - 1;
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Observed Y and polynomial predictions against the network (test set, scaled space)",
      subtitle: ["dashed line: y = x", ...notes.map((n) => `Note: ${n} (not shown).`)],
    },
    // points outside are dropped, not clipped: huge coordinates can crash the PNG rasteriser
    data: {
      values: rows.filter((r) => (r.other as number) >= domain[0] && (r.other as number) <= domain[1]),
    },
    facet: { field: "facet", type: "nominal", title: null, sort: [...new Set(rows.map((r) => r.facet))] },
    columns,
    spec: {
      width: 220,
      height: 220,
      layer: [
        {
          mark: { type: "point", filled: true, opacity: 0.6, size: 20, clip: true },
          encoding: {
            x: { field: "nn", type: "quantitative", title: "network prediction", scale: { domain } },
            y: { field: "other", type: "quantitative", title: "observed Y / polynomial", scale: { domain } },
          },
        },
        {
          data: { values: [{ a: domain[0] }, { a: domain[1] }] },
          mark: { type: "line", strokeDash: [6, 4], color: "#333" },
          encoding: { x: { field: "a", type: "quantitative" }, y: { field: "a", type: "quantitative" } },
        },
      ],
    },
  };
  const figure = await saveFigure(
    ctx,
    "diagonals",
    "Observed Y and polynomial predictions against the network's predictions on the test set (first repetition of each grid point; scaled space), with the y = x line",
    spec,
  );
  return [{ heading, text: lines.join("; ") + ".", figures: [figure] }];
}
