/**
 * The `dataset-terms` extra: the largest terms of each output's polynomial (table and one bar
 * chart per output, ±1 sd over repetitions, colour = sign), named after the
 * data's own columns (real data: the CSV header; simulated: x1..xp), with their mean and sd over
 * repetitions — which terms a network relies on and how stable they are across retrainings. Uses
 * the nn2poly expansion of the highest max order; needs `outputs.tables` to include
 * `coefficients`.
 *
 * @module
 */

import { coefficientBarSpec } from "../../report/figures.ts";
import type { ReportFigure, ReportSection } from "../../report/report.ts";
import { summarize } from "../../report/stats.ts";
import type { CellValue } from "../../report/tables.ts";
import { loadDataset } from "../../io/dataset.ts";
import { methodLabel } from "../../experiment/methods.ts";
import { nn2polyExpansions } from "../../methods/nn2poly.ts";
import type { Experiment } from "../../experiment/schema.ts";
import { gridLabel, okGroups, saveFigure, saveTables } from "./common.ts";
import type { ExtraContext } from "../../experiment/study.ts";

/** Number of terms listed per output. */
const TOP = 10;

/** A monomial in nn2poly label form (`[1, 1, 3]`, `[0]` the intercept) written with names. */
export function termName(label: readonly number[], names: readonly string[]): string {
  if (isIntercept(label)) return "(intercept)";
  const powers = new Map<number, number>();
  for (const v of label) powers.set(v, (powers.get(v) ?? 0) + 1);
  return [...powers].sort((a, b) => a[0] - b[0])
    .map(([v, k]) => (k === 1 ? names[v - 1] : `${names[v - 1]}^${k}`))
    .join("·");
}

function variableNames(config: Experiment): { inputs: string[]; outputs: string[] } {
  const p = config.data.p;
  const inputs = Array.from({ length: p }, (_, i) => `x${i + 1}`);
  const k = config.data.task === "classification" ? config.data.classes ?? 3 : 1;
  const outputs = Array.from({ length: k }, (_, i) => (k === 1 ? "y" : `class ${i + 1}`));
  if (!config.data.dataset) return { inputs, outputs };
  const d = loadDataset(config.data.dataset, config.data.task);
  return { inputs: d.columns, outputs: d.classes ?? [config.data.dataset.target] };
}

/** The dataset-terms extra: table `top_terms`. */
export async function datasetTermsExtra(ctx: ExtraContext): Promise<ReportSection[]> {
  const heading = "Largest polynomial terms, named";
  const expansions = nn2polyExpansions(ctx.config);
  if (expansions.length === 0) return [{ heading, text: "No nn2poly method configured; nothing to show." }];
  const method = expansions.reduce((a, b) => (b.maxOrder > a.maxOrder ? b : a)).name;
  const groups = okGroups(ctx.records).filter((g) => g[0].coefficients?.[method]);
  if (groups.length === 0) {
    return [{ heading, text: 'No coefficients recorded; add "coefficients" to outputs.tables.' }];
  }
  const rows: Record<string, CellValue>[] = [];
  const figures: ReportFigure[] = [];
  for (const group of groups) {
    const config = ctx.plan.cells[group[0].index].config;
    const names = variableNames(config);
    const { labels } = group[0].coefficients![method];
    const outputs = group[0].coefficients![method].values.length;
    for (let o = 0; o < outputs; o++) {
      const stats = labels.map((_, t) => {
        const v = group.map((r) => r.coefficients![method].values[o][t]);
        const { mean, sd } = summarize(v);
        return { t, mean, sd, first: v[0] };
      });
      stats.sort((a, b) => Math.abs(b.mean) - Math.abs(a.mean) || a.t - b.t);
      const output = names.outputs[o] ?? `output ${o + 1}`;
      const where = groups.length > 1 ? ` (${gridLabel(ctx, group[0])})` : "";
      const suffix = groups.length > 1 ? `_g${String(group[0].gridIndex).padStart(3, "0")}` : "";
      figures.push(
        await saveFigure(
          ctx,
          `top_terms_${slug(output)}${suffix}`,
          `${output}${where}: the ${TOP} largest terms of ${
            methodLabel(method)
          } (intercept left out) by |mean| over ` +
            `${group.length} repetitions, ±1 sd`,
          coefficientBarSpec({
            title: `${output}${where}`,
            data: stats.filter((st) => !isIntercept(labels[st.t])).map((st) => ({
              term: termName(labels[st.t], names.inputs),
              mean: st.mean,
              sd: st.sd,
            })),
            label: "term",
            value: "mean",
            error: group.length > 1 ? "sd" : undefined,
            valueTitle: "coefficient (mean ± sd)",
            labelTitle: "term",
            topK: TOP,
            labelLimit: 480,
          }),
        ),
      );
      stats.slice(0, TOP).forEach((s, rank) => {
        rows.push({
          grid: gridLabel(ctx, group[0]),
          output,
          rank: rank + 1,
          term: termName(labels[s.t], names.inputs),
          mean: s.mean,
          sd: s.sd,
          first_repetition: s.first,
          repetitions: group.length,
        });
      });
    }
  }
  const tables = await saveTables(ctx, [{
    name: "top_terms",
    caption: `The ${TOP} largest terms of each output's polynomial (${methodLabel(method)}) by |mean| over ` +
      "repetitions, with the sd across retrainings and the first repetition's value",
    table: {
      rows,
      columns: [
        "grid",
        "output",
        "rank",
        "term",
        { key: "mean", digits: 4 },
        { key: "sd", digits: 3 },
        { key: "first_repetition", digits: 4 },
        "repetitions",
      ],
    },
  }]);
  return [{
    heading,
    text:
      `Coefficients of ${
        methodLabel(method)
      } in the scaled inputs (each column mapped to its scaling range ` +
      "on the training split), named after the data's columns.",
    tables,
    figures,
  }];
}

function isIntercept(label: readonly number[]): boolean {
  return label.length === 1 && label[0] === 0;
}

/** A file-name-safe form of an output name (`Species` → `species`, `class 1` → `class_1`). */
function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "") || "output";
}
