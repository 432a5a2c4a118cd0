/**
 * Tables as CSV (machine-readable, `tables/*.csv`) and as Markdown (report.md, README).
 *
 * Column order is stable: the explicit `columns` list if given, else the union of row keys in
 * first-seen order. Number formatting is deterministic:
 * - CSV default: full precision, `String(x)` (shortest round-trip decimal, so parsing gives back the
 *   exact double); `-0` is written as `0`.
 * - Markdown default: 4 significant digits (`Number(x.toPrecision(4))` then `String`), for reading.
 * - A column's `digits` overrides both with that many significant digits.
 * - Non-finite: `NaN`, `Inf`, `-Inf` (R and pandas read these); `null`/`undefined` → empty cell.
 * Line endings are `\n`; CSV quoting follows RFC 4180 (only when needed).
 *
 * @module
 */

import { stringify } from "csv-stringify/sync";
import { writeFileAtomic } from "../io/atomic.ts";

/** A cell value. Objects/arrays are not allowed (flatten them first). */
export type CellValue = string | number | boolean | null | undefined;

/** One column: `key` in the row objects, optional header `title` and significant `digits`. */
export interface ColumnSpec {
  key: string;
  /** Header text; defaults to `key`. */
  title?: string;
  /** Significant digits for numbers in this column (CSV and Markdown). */
  digits?: number;
}

/** A table: rows of key → value, plus optional explicit column order/format. */
export interface Table {
  rows: readonly Record<string, CellValue>[];
  /** Column order and formats; strings are shorthand for `{ key }`. Default: keys in first-seen order. */
  columns?: readonly (string | ColumnSpec)[];
}

/** Options shared by {@link toCsv} and {@link toMarkdown}. */
export interface FormatOptions {
  /** Significant digits for numbers in columns without their own `digits`. `undefined` = full precision. */
  digits?: number;
}

/**
 * Format a number deterministically: full precision (`String`) when `digits` is undefined, else
 * `digits` significant digits with trailing zeros dropped. Non-finite → `NaN`/`Inf`/`-Inf`.
 */
export function formatNumber(value: number, digits?: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Inf";
  if (value === -Infinity) return "-Inf";
  if (Object.is(value, -0)) return "0";
  if (digits === undefined) return String(value);
  if (!Number.isInteger(digits) || digits < 1 || digits > 21) {
    throw new Error(`formatNumber: \`digits\` must be an integer in 1..21, got ${digits}`);
  }
  const rounded = Number(value.toPrecision(digits));
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

/** Format one cell (see module doc). */
export function formatCell(value: CellValue, digits?: number): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return formatNumber(value, digits);
  if (typeof value === "string" || typeof value === "boolean") return String(value);
  throw new Error(
    `formatCell: unsupported cell value of type ${typeof value} — flatten objects/arrays to strings or numbers`,
  );
}

/** Resolve the column list of `table` (explicit, or keys in first-seen order). Throws if empty. */
export function resolveColumns(table: Table): ColumnSpec[] {
  if (!table || !Array.isArray(table.rows)) {
    throw new Error("table: `rows` must be an array of objects ({ rows: [...], columns?: [...] })");
  }
  let columns: ColumnSpec[];
  if (table.columns) {
    columns = table.columns.map((c) => typeof c === "string" ? { key: c } : c);
  } else {
    const seen = new Set<string>();
    for (const row of table.rows) for (const key of Object.keys(row)) seen.add(key);
    columns = [...seen].map((key) => ({ key }));
  }
  if (columns.length === 0) {
    throw new Error("table: no columns — pass `columns` or at least one row with fields");
  }
  const keys = new Set<string>();
  for (const column of columns) {
    if (!column.key) throw new Error("table: a column has an empty `key`");
    if (keys.has(column.key)) throw new Error(`table: duplicate column key '${column.key}' in \`columns\``);
    keys.add(column.key);
  }
  return columns;
}

function formattedRows(table: Table, columns: ColumnSpec[], digits: number | undefined): string[][] {
  return table.rows.map((row, index) =>
    columns.map((column) => {
      const value = row[column.key];
      try {
        return formatCell(value, column.digits ?? digits);
      } catch (error) {
        throw new Error(`table: rows[${index}].${column.key}: ${(error as Error).message}`);
      }
    })
  );
}

/** Render `table` as CSV text (header line + one line per row, `\n` endings, full precision default). */
export function toCsv(table: Table, options: FormatOptions = {}): string {
  const columns = resolveColumns(table);
  const header = columns.map((c) => c.title ?? c.key);
  return stringify([header, ...formattedRows(table, columns, options.digits)], { record_delimiter: "\n" });
}

function escapeMarkdownCell(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("|", "\\|").replaceAll(/\r?\n/g, " ");
}

/**
 * Render `table` as a GitHub-flavoured Markdown pipe table. Numeric columns (all non-empty values
 * are numbers) are right-aligned. Default 4 significant digits (`options.digits` changes it);
 * `fullPrecision: true` prints `String(x)` like the CSV.
 */
export function toMarkdown(table: Table, options: FormatOptions & { fullPrecision?: boolean } = {}): string {
  const columns = resolveColumns(table);
  const digits = options.fullPrecision ? undefined : options.digits ?? 4;
  const cells = formattedRows(table, columns, digits).map((row) => row.map(escapeMarkdownCell));
  const numeric = columns.map((column) =>
    table.rows.some((row) => typeof row[column.key] === "number") &&
    table.rows.every((row) => row[column.key] == null || typeof row[column.key] === "number")
  );
  const header = columns.map((c) => escapeMarkdownCell(c.title ?? c.key));
  const align = numeric.map((isNumeric) => isNumeric ? "---:" : "---");
  const line = (parts: string[]) => `| ${parts.join(" | ")} |`;
  return [line(header), line(align), ...cells.map(line)].join("\n") + "\n";
}

/** Write `table` as CSV to `path` atomically (see {@link toCsv}). */
export async function writeTableCsv(path: string, table: Table, options?: FormatOptions): Promise<void> {
  await writeFileAtomic(path, toCsv(table, options));
}
