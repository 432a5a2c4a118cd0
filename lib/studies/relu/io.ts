/**
 * Table output of the relu studies: the CSV keeps the field names and full precision (for
 * re-analysis), the Markdown and the report use readable titles and significant digits.
 *
 * @module
 */

import { join } from "node:path";
import { writeFileAtomic } from "../../io/atomic.ts";
import type { ReportTable } from "../../report/report.ts";
import { type ColumnSpec, type Table, toMarkdown, writeTableCsv } from "../../report/tables.ts";
import type { AnalysisContext } from "../../experiment/study.ts";

/**
 * Writes `tables/<name>.csv` (column keys as header, full precision) and `tables/<name>.md`
 * (titles, digits), and returns the report entry.
 */
export async function saveKeyedTable(
  ctx: AnalysisContext,
  name: string,
  caption: string,
  table: Table,
): Promise<ReportTable> {
  const keys = (table.columns ?? Object.keys(table.rows[0] ?? {})).map((c) =>
    typeof c === "string" ? c : (c as ColumnSpec).key
  );
  await writeTableCsv(join(ctx.runDir, "tables", `${name}.csv`), { rows: table.rows, columns: keys });
  await writeFileAtomic(join(ctx.runDir, "tables", `${name}.md`), toMarkdown(table));
  return { caption, table, csvPath: `tables/${name}.csv` };
}
