/**
 * Extra analyses an experiment can ask for by name (`outputs.extras`): each gets the run folder,
 * the config, the plan and every cell record, writes its own tables/figures (atomically) and
 * returns report sections. Register new ones in ./index.ts.
 *
 * @module
 */

import type { ReportSection } from "../../report/report.ts";
import type { CellRecord } from "../cell.ts";
import type { Plan } from "../plan.ts";
import type { Experiment } from "../schema.ts";

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

/** An extra analysis. */
export type Extra = (ctx: ExtraContext) => Promise<ReportSection[]>;
