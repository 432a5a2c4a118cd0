/**
 * `report.md` for one run: title, description, a short run summary (status, times, seeds), then
 * sections of Markdown tables and figures. Output is a pure function of the input (no clock reads),
 * so the same run data gives a byte-identical report.
 *
 * @module
 */

import { isAbsolute, join, relative, sep } from "node:path";
import { writeFileAtomic } from "../io/atomic.ts";
import { type FormatOptions, type Table, toMarkdown } from "./tables.ts";

/** Status and timing of a run, shown at the top of the report. */
export interface RunSummary {
  /** e.g. "completed", "failed", "partial". */
  status: string;
  /** Run identifier (the `<run-id>` directory name). */
  runId?: string;
  /** ISO-8601 start time. */
  startedAt?: string;
  /** ISO-8601 end time. */
  finishedAt?: string;
  /** Wall-clock duration in seconds (shown with 1 decimal). */
  durationSeconds?: number;
  /** Seeds used (shown compactly, e.g. `1–10` for a contiguous range). */
  seeds?: readonly number[];
  /** Cell counts, e.g. `{ total: 24, finished: 23, failed: 1 }`. */
  cells?: { total: number; finished: number; failed?: number };
  /** Extra key → value lines (e.g. git commit, deno version), in the given order. */
  extra?: Readonly<Record<string, string | number>>;
}

/** A table in the report; `caption` becomes a bold line above it. */
export interface ReportTable {
  caption: string;
  table: Table;
  /** Markdown formatting (default 4 significant digits). */
  format?: FormatOptions & { fullPrecision?: boolean };
  /** Link to the full CSV (relative to the run directory), shown under the table. */
  csvPath?: string;
}

/** A figure in the report; `path` relative to the run directory, e.g. `figures/mse.svg`. */
export interface ReportFigure {
  caption: string;
  path: string;
  /** Notes shown in italics under the figure (e.g. `figureNotes(spec)`). */
  notes?: readonly string[];
}

/** A report section: heading, optional text, then its tables and figures in that order. */
export interface ReportSection {
  heading: string;
  text?: string;
  tables?: readonly ReportTable[];
  figures?: readonly ReportFigure[];
}

/** Everything `report.md` is built from. */
export interface ReportInput {
  title: string;
  description: string;
  summary: RunSummary;
  sections?: readonly ReportSection[];
  /** Top-level tables (rendered in a "Tables" section after `sections`). */
  tables?: readonly ReportTable[];
  /** Top-level figures (rendered in a "Figures" section after `sections`). */
  figures?: readonly ReportFigure[];
}

/** Compact seed list: contiguous runs as `a–b`, e.g. [1,2,3,7] → "1–3, 7". */
export function formatSeeds(seeds: readonly number[]): string {
  const sorted = [...new Set(seeds)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && Number.isInteger(sorted[j]) && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j - i >= 2 ? `${sorted[i]}–${sorted[j]}` : sorted.slice(i, j + 1).join(", "));
    i = j + 1;
  }
  return parts.join(", ");
}

function escapeInline(text: string): string {
  return text.replaceAll(/[\[\]]/g, (c) => `\\${c}`).replaceAll(/\r?\n/g, " ");
}

/** Make a figure/CSV path relative to the run directory with forward slashes; rejects `..` escapes. */
function reportPath(path: string, field: string, runDir?: string): string {
  if (typeof path !== "string" || path.trim() === "") {
    throw new Error(`report: \`${field}\` is empty — pass a path like 'figures/mse.svg'`);
  }
  let rel = path;
  if (isAbsolute(path)) {
    if (!runDir) {
      throw new Error(`report: \`${field}\` '${path}' is absolute — pass it relative to the run directory`);
    }
    rel = relative(runDir, path);
  }
  rel = rel.split(sep).join("/");
  if (rel.startsWith("../") || rel === "..") {
    throw new Error(
      `report: \`${field}\` '${path}' is outside the run directory — put it under figures/ or tables/`,
    );
  }
  return encodeURI(rel);
}

function summaryLines(summary: RunSummary): string[] {
  if (!summary || typeof summary.status !== "string" || summary.status === "") {
    throw new Error("report: `summary.status` is required (e.g. 'completed', 'failed', 'partial')");
  }
  const rows: [string, string][] = [["Status", summary.status]];
  if (summary.runId) rows.push(["Run id", `\`${summary.runId}\``]);
  if (summary.startedAt) rows.push(["Started", summary.startedAt]);
  if (summary.finishedAt) rows.push(["Finished", summary.finishedAt]);
  if (summary.durationSeconds !== undefined) {
    rows.push(["Duration", `${summary.durationSeconds.toFixed(1)} s`]);
  }
  if (summary.cells) {
    const { total, finished, failed } = summary.cells;
    rows.push(["Cells", `${finished}/${total} finished${failed ? `, ${failed} failed` : ""}`]);
  }
  if (summary.seeds && summary.seeds.length > 0) {
    rows.push(["Seeds", `${formatSeeds(summary.seeds)} (${summary.seeds.length})`]);
  }
  for (const [key, value] of Object.entries(summary.extra ?? {})) rows.push([key, String(value)]);
  return rows.map(([key, value]) => `- **${key}:** ${value}`);
}

/** Tables longer than this show their first rows only in report.md (the CSV has them all). */
export const REPORT_MAX_ROWS = 60;

function tableBlock(item: ReportTable, runDir?: string): string[] {
  const rows = item.table.rows;
  const shown = rows.length > REPORT_MAX_ROWS
    ? { ...item.table, rows: rows.slice(0, REPORT_MAX_ROWS) }
    : item.table;
  const lines = [`**${item.caption}**`, "", toMarkdown(shown, item.format).trimEnd()];
  if (shown !== item.table) {
    lines.push("", `*First ${REPORT_MAX_ROWS} of ${rows.length} rows; the CSV has them all.*`);
  }
  if (item.csvPath) lines.push("", `[CSV](${reportPath(item.csvPath, "csvPath", runDir)})`);
  return lines;
}

function figureBlock(item: ReportFigure, runDir?: string): string[] {
  if (!item.caption) {
    throw new Error(`report: figure '${item.path}' has no \`caption\` — captions are required`);
  }
  const lines = [`![${escapeInline(item.caption)}](${reportPath(item.path, "path", runDir)})`];
  for (const note of item.notes ?? []) lines.push("", `*${note}*`);
  return lines;
}

/**
 * Build the Markdown text of `report.md`. `runDir`, if given, lets figure/CSV paths be absolute
 * (they are made relative to it). Throws if title, summary.status or a figure caption is missing.
 */
export function buildReport(input: ReportInput, runDir?: string): string {
  if (!input?.title) throw new Error("report: `title` is required");
  const out: string[] = [`# ${input.title}`, ""];
  if (input.description) out.push(input.description.trim(), "");
  out.push("## Run summary", "", ...summaryLines(input.summary), "");
  const sections: ReportSection[] = [...(input.sections ?? [])];
  if (input.tables?.length) sections.push({ heading: "Tables", tables: input.tables });
  if (input.figures?.length) sections.push({ heading: "Figures", figures: input.figures });
  for (const section of sections) {
    out.push(`## ${section.heading}`, "");
    if (section.text) out.push(section.text.trim(), "");
    for (const table of section.tables ?? []) out.push(...tableBlock(table, runDir), "");
    for (const figure of section.figures ?? []) out.push(...figureBlock(figure, runDir), "");
  }
  return out.join("\n").trimEnd() + "\n";
}

/** Build the report and write `<runDir>/report.md` atomically; returns the path written. */
export async function writeReport(runDir: string, input: ReportInput): Promise<string> {
  const path = join(runDir, "report.md");
  await writeFileAtomic(path, buildReport(input, runDir));
  return path;
}
