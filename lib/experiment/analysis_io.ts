/**
 * What every analysis routine (lib/experiment/study.ts `Analysis`) needs to read its parameters
 * and write its outputs: strict parameter parsing into one-line UsageErrors, table and figure
 * writers that return report entries, a timer and a number format for report prose.
 *
 * @module
 */

import { join } from "node:path";
import type { z } from "zod";
import { writeFileAtomic } from "../io/atomic.ts";
import { figureNotes, writeFigure } from "../report/figures.ts";
import type { ReportFigure, ReportTable } from "../report/report.ts";
import { type FormatOptions, type Table, toMarkdown, writeTableCsv } from "../report/tables.ts";
import { UsageError } from "../errors.ts";
import { formatIssue } from "./schema.ts";
import type { AnalysisContext } from "./study.ts";

/** Validates `params` against a strict zod schema; a bad field is a one-line UsageError naming `params.<path>`. */
export function parseParams<S extends z.ZodType>(schema: S, params: Record<string, unknown>): z.infer<S> {
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw new UsageError(formatIssue(parsed.error, "params"));
  return parsed.data;
}

/**
 * Writes `tables/<name>.csv` (full precision) and `tables/<name>.md` (4 significant digits) and
 * returns the report entry.
 */
export async function saveTable(
  ctx: Pick<AnalysisContext, "runDir">,
  name: string,
  caption: string,
  table: Table,
  format: FormatOptions = {},
): Promise<ReportTable> {
  await writeTableCsv(join(ctx.runDir, "tables", `${name}.csv`), table);
  await writeFileAtomic(join(ctx.runDir, "tables", `${name}.md`), toMarkdown(table, format));
  return { caption, table, format, csvPath: `tables/${name}.csv` };
}

/** Renders `spec` to `figures/<name>.{svg,png}` (the run's formats) and returns the report entry. */
export async function saveFigure(
  ctx: Pick<AnalysisContext, "runDir" | "formats">,
  name: string,
  caption: string,
  spec: object,
): Promise<ReportFigure> {
  await writeFigure(join(ctx.runDir, "figures", name), spec, { formats: ctx.formats });
  const ext = ctx.formats.includes("svg") ? "svg" : ctx.formats[0];
  return { caption, path: `figures/${name}.${ext}`, notes: figureNotes(spec) };
}

/** Runs `fn` and returns its value with the elapsed wall time in seconds. */
export function timed<T>(fn: () => T): { value: T; seconds: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

/** Formats a number with `digits` significant digits for report prose (NaN → "n/a"). */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return "n/a";
  const a = Math.abs(value);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) {
    return value.toExponential(digits - 1).replace(/\.?0+e/, "e").replace("e+", "e");
  }
  return Number(value.toPrecision(digits)).toString();
}
