/**
 * A tabular dataset (read from CSV) as row-major predictors and targets: numeric predictor
 * columns, and a numeric response (regression) or a class column turned into one-hot rows
 * (classification, classes in order of first appearance). Pure: parsed table in, arrays out.
 *
 * @module
 */

import type { CsvTable } from "../io/csv.ts";

/** Which columns of a table to use. */
export interface DatasetSpec {
  /** The response (regression) or class (classification) column. */
  readonly target: string;
  /** Predictor columns in order (default: every column but the target). */
  readonly columns?: readonly string[];
}

/** A dataset ready for splitting. */
export interface Dataset {
  /** Predictors, row-major n × p. */
  readonly x: Float64Array;
  /** Targets, n × 1 (regression) or n × classes one-hot (classification). */
  readonly y: Float64Array;
  /** Rows n. */
  readonly n: number;
  /** Predictor names, in column order (x1 is columns[0]). */
  readonly columns: string[];
  /** Class labels, in the order of the one-hot columns (classification only). */
  readonly classes?: string[];
}

function columnIndex(table: CsvTable, name: string, field: string): number {
  const j = table.header.indexOf(name);
  if (j < 0) {
    throw new Error(`${field}: no column "${name}" in the file; its columns are ${table.header.join(", ")}`);
  }
  return j;
}

function numeric(value: string, row: number, column: string): number {
  const v = value.trim() === "" ? NaN : Number(value);
  if (!Number.isFinite(v)) {
    throw new Error(
      `data.dataset.path: data row ${row + 1}, column "${column}" is "${value}", not a finite number`,
    );
  }
  return v;
}

/**
 * Builds a {@link Dataset} from a parsed table. Errors name the config field (`data.dataset.target`,
 * `data.dataset.columns[i]`) and the row/column of a non-numeric value.
 */
export function datasetFromTable(
  table: CsvTable,
  spec: DatasetSpec,
  task: "regression" | "classification",
): Dataset {
  const target = columnIndex(table, spec.target, "data.dataset.target");
  const names = spec.columns ? [...spec.columns] : table.header.filter((_, j) => j !== target);
  if (names.length === 0) {
    throw new Error("data.dataset.columns: no predictor column left; list at least one");
  }
  const indices = names.map((name, i) => {
    const j = columnIndex(table, name, spec.columns ? `data.dataset.columns[${i}]` : "data.dataset");
    if (j === target) throw new Error(`data.dataset.columns[${i}]: "${name}" is the target; remove it`);
    return j;
  });
  const dup = names.find((name, i) => names.indexOf(name) !== i);
  if (dup !== undefined) throw new Error(`data.dataset.columns: "${dup}" is listed twice`);
  const n = table.rows.length;
  if (n === 0) throw new Error("data.dataset.path: the file has a header but no data rows");
  const p = names.length;
  const x = new Float64Array(n * p);
  table.rows.forEach((row, s) => indices.forEach((j, k) => x[s * p + k] = numeric(row[j], s, names[k])));
  if (task === "regression") {
    const y = Float64Array.from(table.rows, (row, s) => numeric(row[target], s, spec.target));
    return { x, y, n, columns: names };
  }
  const classes: string[] = [];
  for (const row of table.rows) if (!classes.includes(row[target])) classes.push(row[target]);
  if (classes.length < 2) {
    throw new Error(
      `data.dataset.target: column "${spec.target}" has ${classes.length} class; need at least 2`,
    );
  }
  const y = new Float64Array(n * classes.length);
  table.rows.forEach((row, s) => y[s * classes.length + classes.indexOf(row[target])] = 1);
  return { x, y, n, columns: names, classes };
}
