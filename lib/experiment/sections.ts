/**
 * Report sections that come from registered studies (./registry.ts): the paper comparison a config
 * names in `outputs.paper` (against `../shared/reference/`) and the extras in `outputs.extras`.
 *
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import type { ReportSection } from "../report/report.ts";
import { parseCsv } from "../io/csv.ts";
import type { CellRecord } from "./cell.ts";
import type { Plan } from "./plan.ts";
import type { Experiment } from "./schema.ts";
import { writeTables } from "./aggregate.ts";
import { comparisonNamed, extraNamed } from "./registry.ts";
import type { ExtraContext } from "./study.ts";

/** Folder of the papers' reference numbers (`../shared/reference/` beside the project). */
export const REFERENCE_DIR = fileURLToPath(new URL("../../../shared/reference/", import.meta.url));

/** Parses a CSV file with a header (as written by R's write.csv) into one object per row. */
export function csvRecords(text: string): Record<string, string>[] {
  const { header, rows } = parseCsv(text);
  return rows.map((row) => Object.fromEntries(row.map((v, i) => [header[i], v])));
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
  const builder = comparisonNamed(paper)?.run;
  if (!builder) return [{ heading: "Paper comparison", text: `Unknown comparison "${paper}".` }];
  const file = join(REFERENCE_DIR, builder.file);
  if (!existsSync(file)) {
    return [{ heading: "Paper comparison", text: `Reference file ${file} not found; no comparison made.` }];
  }
  const { table, text } = builder.build(
    builder.csv === false ? [] : csvRecords(readFileSync(file, "utf8")),
    plan,
    records,
  );
  if (table.rows.length === 0 && !(table.columns?.length)) {
    return [{
      heading: "Comparison with the paper",
      text:
        `${text}\n\nNo cell of this run matches a row of the paper's table (${builder.file}); no table written.`,
    }];
  }
  const written = await writeTables(runDir, [{ name: "paper_comparison", caption: builder.caption, table }]);
  return [{ heading: "Comparison with the paper", text, tables: written }];
}

/** Runs the extras a config names, in order. */
export async function extraSections(ctx: ExtraContext): Promise<ReportSection[]> {
  const sections: ReportSection[] = [];
  for (const name of ctx.config.outputs.extras) {
    const extra = extraNamed(name);
    if (!extra) throw new Error(`outputs.extras: "${name}" is not registered (plan validation missed it)`);
    sections.push(...await extra.run(ctx));
  }
  return sections;
}
