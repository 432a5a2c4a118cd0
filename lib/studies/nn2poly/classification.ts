/**
 * The `classification` extra (sim4): for every grid point and polynomial (e.g. NN2Poly variants
 * of max order 1, 2, 3), the per-class MSE between the network's logits and the polynomial's,
 * and the accuracy of the polynomial's argmax against the network's and against the true class.
 *
 * @module
 */

import { lineChartSpec } from "../../report/figures.ts";
import type { ReportSection } from "../../report/report.ts";
import { summarize } from "../../report/stats.ts";
import type { CellValue } from "../../report/tables.ts";
import { methodLabel } from "../../experiment/methods.ts";
import { nn2polyExpansions } from "../../methods/nn2poly.ts";
import { gridLabel, okGroups, saveFigure, saveTables, withDash } from "./common.ts";
import type { ExtraContext } from "../../experiment/study.ts";

/** The classification extra: table `classification` and figures `classification_accuracy`, `_mse`. */
export async function classificationExtra(ctx: ExtraContext): Promise<ReportSection[]> {
  const heading = "Classification: polynomial logits against the network";
  if (ctx.config.data.task !== "classification") {
    return [{ heading, text: "Not a classification experiment (data.task); nothing to show." }];
  }
  const groups = okGroups(ctx.records);
  if (groups.length === 0) return [{ heading, text: "No successful cell." }];
  const orders = new Map(nn2polyExpansions(ctx.config).map((e) => [e.name, e.maxOrder]));
  const rows: Record<string, CellValue>[] = [];
  const accRows: Record<string, unknown>[] = [];
  const mseRows: Record<string, unknown>[] = [];
  const med = (group: typeof groups[0], m: string) => summarize(group.map((r) => r.metrics[m])).median;
  for (const group of groups) {
    const label = gridLabel(ctx, group[0]);
    const k = ctx.plan.cells[group[0].index].config.data.classes ?? 3;
    const methods = [
      ...new Set(
        Object.keys(group[0].metrics)
          .map((m) => /^acc_(.+)_nn$/.exec(m)?.[1])
          .filter((m): m is string => !!m),
      ),
    ];
    for (const m of methods) {
      const row: Record<string, CellValue> = {
        grid: label,
        method: m,
        max_order: orders.get(m) ?? null,
        n: group.length,
        acc_nn_vs_truth: med(group, "acc_nn_y"),
        acc_poly_vs_nn: med(group, `acc_${m}_nn`),
        acc_poly_vs_truth: med(group, `acc_${m}_y`),
        mse_logits_all: med(group, `mse_nn_${m}`),
      };
      for (let c = 1; c <= k; c++) row[`mse_logits_c${c}`] = med(group, `mse_nn_${m}_c${c}`);
      rows.push(row);
      const x = orders.get(m);
      if (x === undefined) continue;
      accRows.push({ order: x, acc: row.acc_poly_vs_nn, series: "vs the network", grid: label });
      accRows.push({ order: x, acc: row.acc_poly_vs_truth, series: "vs the true class", grid: label });
      for (let c = 1; c <= k; c++) {
        mseRows.push({ order: x, mse: row[`mse_logits_c${c}`], series: `class ${c}`, grid: label });
      }
    }
  }
  const tables = await saveTables(ctx, [{
    name: "classification",
    caption:
      "Median over repetitions: accuracy of the network (vs the true class), of the polynomial's argmax vs the network's and vs the true class, and the MSE between the network's and the polynomial's logits (all classes and per class)",
    table: { rows },
  }]);
  const figures = [];
  if (accRows.length > 0) {
    figures.push(
      await saveFigure(
        ctx,
        "classification_accuracy",
        "Accuracy of the polynomial's argmax against the network's and against the true class, by max order",
        withDash(
          lineChartSpec({
            data: accRows,
            x: "order",
            y: "acc",
            series: "series",
            xTitle: "maximum polynomial order",
            yTitle: "accuracy (median)",
            seriesTitle: "argmax agrees",
            points: true,
          }),
          "grid",
          "grid point",
        ),
      ),
      await saveFigure(
        ctx,
        "classification_mse",
        "Per-class MSE between the network's logits and the polynomial's, by max order (log scale)",
        withDash(
          lineChartSpec({
            data: mseRows,
            x: "order",
            y: "mse",
            series: "series",
            xTitle: "maximum polynomial order",
            yTitle: "MSE of the logits (median)",
            seriesTitle: "class",
            logY: true,
            points: true,
          }),
          "grid",
          "grid point",
        ),
      ),
    );
  }
  const best = rows.reduce((a, b) => ((b.acc_poly_vs_nn as number) > (a.acc_poly_vs_nn as number) ? b : a));
  return [{
    heading,
    text: `NN2Poly expands the network's logits (the softmax is not expanded). Highest median agreement ` +
      `of the polynomial's argmax with the network's: ${
        ((best.acc_poly_vs_nn as number) * 100).toFixed(1)
      }% ` +
      `(${methodLabel(String(best.method))}, ${best.grid}).`,
    tables,
    figures,
  }];
}
