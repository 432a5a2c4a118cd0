/**
 * Side-by-side comparisons with the papers' own numbers (read from `../shared/reference`), added
 * to a run's tables and report when `outputs.paper` names one.
 *
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import type { ReportSection } from "../report/report.ts";
import { summarize } from "../report/stats.ts";
import type { CellValue, Table } from "../report/tables.ts";
import type { CellRecord } from "./cell.ts";
import type { Plan } from "./plan.ts";
import type { Experiment } from "./schema.ts";
import { writeTables } from "./aggregate.ts";

/** Folder of the papers' reference numbers (`../shared/reference/` beside the project). */
export const REFERENCE_DIR = fileURLToPath(new URL("../../../shared/reference/", import.meta.url));

/** Parses a simple quoted CSV (as written by R's write.csv) into rows of strings. */
export function parseCsv(text: string): Record<string, string>[] {
  const lines = text.trim().split(/\r?\n/);
  const split = (line: string) =>
    [...line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[2] ?? m[1]);
  const header = split(lines[0]);
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, i) => [header[i], v])));
}

/** Where our median lies relative to the paper's interquartile range (lower MSE is better). */
export function verdict(ours: number, q1: number, q3: number): string {
  if (!Number.isFinite(ours)) return "n/a";
  if (ours < q1) return "better (below IQR)";
  if (ours > q3) return "worse (above IQR)";
  return "within IQR";
}

/** Builds the report sections (and writes the tables) of the paper comparison a config asks for. */
export async function paperSections(
  runDir: string,
  config: Experiment,
  plan: Plan,
  records: CellRecord[],
): Promise<ReportSection[]> {
  const paper = config.outputs.paper;
  if (!paper) return [];
  const builder = COMPARISONS[paper];
  if (!builder) return [{ heading: "Paper comparison", text: `Unknown comparison "${paper}".` }];
  const file = join(REFERENCE_DIR, builder.file);
  if (!existsSync(file)) {
    return [{ heading: "Paper comparison", text: `Reference file ${file} not found; no comparison made.` }];
  }
  const { table, text } = builder.build(parseCsv(readFileSync(file, "utf8")), plan, records);
  const written = await writeTables(runDir, [{ name: "paper_comparison", caption: builder.caption, table }]);
  return [{ heading: "Comparison with the paper", text, tables: written }];
}

interface Comparison {
  file: string;
  caption: string;
  build(
    reference: Record<string, string>[],
    plan: Plan,
    records: CellRecord[],
  ): { table: Table; text: string };
}

const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(3)).toExponential(2) : "NaN");

/** The NN2Poly simulation study (TNNLS 2023): MSE(NN, poly) and MSE(NN, Y) per architecture. */
const sim1: Comparison = {
  file: "nn2poly-paper/paper_mse_loop_summary.csv",
  caption: "sim1: ours vs the paper, median [Q1, Q3] over repetitions",
  build(reference, _plan, records) {
    const rows: Record<string, CellValue>[] = [];
    const ok = records.filter((r) => r.status === "ok");
    const keyOf = (r: CellRecord) =>
      `${r.params["model.width"]}|${r.params["model.layers"]}|${r.params["model.activation"]}`;
    const groups = new Map<string, CellRecord[]>();
    for (const r of ok) groups.set(keyOf(r), [...(groups.get(keyOf(r)) ?? []), r]);
    const counts = { better: 0, within: 0, worse: 0 };
    for (
      const [comparison, metric, label] of [
        ["NN_vs_poly", "mse_nn_nn2poly", "MSE(NN, poly)"],
        ["NN_vs_original", "mse_nn_y", "MSE(NN, Y)"],
      ] as const
    ) {
      for (const ref of reference.filter((r) => r.comparison === comparison)) {
        const group = groups.get(`${ref.neurons}|${ref.hidden_layers}|${ref.af}`);
        if (!group) continue;
        const s = summarize(group.map((r) => r.metrics[metric]));
        const q1 = Number(ref.q1), q3 = Number(ref.q3);
        const v = verdict(s.median, q1, q3);
        if (comparison === "NN_vs_poly") {
          if (v.startsWith("better")) counts.better++;
          else if (v.startsWith("within")) counts.within++;
          else if (v.startsWith("worse")) counts.worse++;
        }
        rows.push({
          metric: label,
          width: Number(ref.neurons),
          layers: Number(ref.hidden_layers),
          activation: ref.af,
          ours_n: s.n,
          ours: `${fmt(s.median)} [${fmt(s.q1)}, ${fmt(s.q3)}]`,
          paper_n: Number(ref.n),
          paper: `${fmt(Number(ref.median))} [${fmt(q1)}, ${fmt(q3)}]`,
          ours_median: s.median,
          paper_median: Number(ref.median),
          verdict: v,
        });
      }
    }
    const text =
      `MSE(NN, poly): ours is below the paper's IQR in ${counts.better}, within it in ${counts.within} and ` +
      `above it in ${counts.worse} of ${counts.better + counts.within + counts.worse} architectures. ` +
      "The paper-era code computed Taylor coefficients by finite differences and attached exponents to the wrong " +
      "blocks for x_i·x_j² terms; polylab uses exact coefficients (matching the fixed R package to 1e-14), so " +
      "lower MSE(NN, poly), notably for sigmoid, is expected. MSE(NN, Y) depends on training (tfjs vs Keras, " +
      "initialisation and data draws differ), so only agreement in magnitude is expected there.";
    return { table: { rows }, text };
  },
};

/** Comparisons by name (`outputs.paper`). */
export const COMPARISONS: Record<string, Comparison> = { "nn2poly-sim1": sim1 };
