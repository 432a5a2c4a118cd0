/**
 * Analysis routines for `kind: "analysis"` experiments (no simulate→train grid): each validates its
 * own parameters, writes tables and figures under the run folder (atomically) and returns report
 * sections. Register new ones in ./index.ts.
 *
 * @module
 */

import type { ReportFigure, ReportSection, ReportTable } from "../../report/report.ts";

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

/** An analysis routine. Throw a UsageError (lib/cli/errors.ts) for bad params, before any work. */
export type Analysis = (ctx: AnalysisContext) => Promise<AnalysisOutput>;
