/**
 * What a paper study plugs into the framework: analysis routines (`kind: "analysis"` experiments,
 * no simulate→train grid), extras over a grid run's cell records (`outputs.extras`) and paper
 * comparisons (`outputs.paper`). Studies live in `lib/studies/<family>/` and register themselves
 * in ./registry.ts; the framework only reads the registry and never names a study.
 *
 * @module
 */

import type { ReportFigure, ReportSection, ReportTable } from "../report/report.ts";
import type { Table } from "../report/tables.ts";
import type { CellRecord } from "./cell.ts";
import type { Plan } from "./plan.ts";
import type { Experiment } from "./schema.ts";

/** What an analysis receives. */
export interface AnalysisContext {
  /** The run folder (write under `tables/` and `figures/`). */
  runDir: string;
  /** The master seed (derive sub-seeds with deriveSeed). */
  seed: number;
  /** The parameters from the config (after `--full` and `--set`). */
  params: Record<string, unknown>;
  /** Figure formats to write. */
  formats: ("svg" | "png")[];
  /** Whether `--full` was given. */
  full: boolean;
  /** Reports progress (one short line). */
  progress: (message: string) => void;
}

/** What an analysis returns for the report. */
export interface AnalysisOutput {
  sections?: ReportSection[];
  tables?: ReportTable[];
  figures?: ReportFigure[];
}

/**
 * An analysis routine: validates its own parameters first (throw a `UsageError` from
 * lib/errors.ts, before any work), writes tables and figures under the run folder (atomically) and
 * returns report sections.
 */
export type Analysis = (ctx: AnalysisContext) => Promise<AnalysisOutput>;

/** What an extra analysis receives. */
export interface ExtraContext {
  /** The run folder (write under `tables/` and `figures/`). */
  runDir: string;
  /** The resolved config. */
  config: Experiment;
  /** The plan (cells with their configs and seeds). */
  plan: Plan;
  /** Every cell record, in plan order. */
  records: CellRecord[];
}

/** An extra analysis over a grid run's cell records; writes its own files and returns report sections. */
export type Extra = (ctx: ExtraContext) => Promise<ReportSection[]>;

/** A side-by-side comparison with a paper's own numbers, read from `../shared/reference/`. */
export interface PaperComparison {
  /** The reference file, relative to `../shared/reference/`. */
  file: string;
  /** The file is CSV, parsed into records for `build` (default); false: only its presence is checked. */
  csv?: boolean;
  /** Caption of the comparison table. */
  caption: string;
  /** Builds the comparison table and its text from the reference rows and the run's records. */
  build(
    reference: Record<string, string>[],
    plan: Plan,
    records: CellRecord[],
  ): { table: Table; text: string };
}
