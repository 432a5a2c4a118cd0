/**
 * The short console summary printed at the end of `deno task run`.
 *
 * @module
 */

import { relative } from "node:path";
import { summarize } from "../report/stats.ts";
import { describe } from "./plan.ts";
import type { RunOutcome } from "./runner.ts";

const fmt = (v: number) => (Number.isFinite(v) ? v.toExponential(2) : "  n/a   ");

/** Prints where the results are and a median table of the main metrics per grid point. */
export function printSummary(outcome: RunOutcome): void {
  const { records, runDir, plan, status, seconds } = outcome;
  const metrics = [...new Set(records.flatMap((r) => Object.keys(r.metrics)))]
    .filter((m) => /^mse_nn_/.test(m) && !/_c\d+$/.test(m));
  console.log(`\n${plan.config.name}: ${status} in ${seconds.toFixed(1)} s, ${records.length} cells`);
  console.log(
    `results: ${relative(Deno.cwd(), runDir) || "."}/ (report.md, tables/, figures/, manifest.json)\n`,
  );
  const header = ["grid point".padEnd(44), ...metrics.map((m) => `${m} (median)`.padStart(24))].join(" ");
  console.log(header);
  const groups = new Map<number, typeof records>();
  for (const r of records) groups.set(r.gridIndex, [...(groups.get(r.gridIndex) ?? []), r]);
  for (const group of groups.values()) {
    const cells = metrics.map((m) => fmt(summarize(group.map((r) => r.metrics[m])).median).padStart(24));
    const failed = group.filter((r) => r.status !== "ok").length;
    const label = describe(group[0].params).replace(/model\.|train\.|data\./g, "");
    console.log(
      [`${label}${failed ? ` (${failed} failed)` : ""}`.padEnd(44).slice(0, 44), ...cells].join(" "),
    );
  }
}
