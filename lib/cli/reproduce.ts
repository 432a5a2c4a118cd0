/**
 * `deno task reproduce [--full] [--only NAME]`: regenerates the committed reference results of
 * every experiment, `results/<name>/reference/` (`reference-full/` with `--full`), one after the
 * other, and prints the wall time of each.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { UsageError } from "./errors.ts";
import { experimentNames } from "./run.ts";
import runCommand from "./run.ts";

/** Help text of the `reproduce` command. */
export const REPRODUCE_HELP = `Usage: deno task reproduce [--full] [--only NAME[,NAME…]] [--workers N] [--yes]

Regenerates results/<name>/reference/ (reference-full/ with --full) for every experiment in
experiments/, with each experiment's own seed. Same seed and backend → byte-identical CSVs.
--yes starts runs estimated above the confirmation threshold without asking. The exit code is the
worst of the runs' (see deno task run --help).`;

/** Runs the `reproduce` command; returns the exit code. */
export default async function reproduce(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        full: { type: "boolean" },
        only: { type: "string" },
        workers: { type: "string" },
        yes: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    throw new UsageError(`reproduce: ${(e as Error).message.split("\n")[0]}; see --help`);
  }
  if (values.help) {
    console.log(REPRODUCE_HELP);
    return 0;
  }
  const all = experimentNames();
  const only = values.only?.split(",").map((s) => s.trim()).filter(Boolean);
  for (const name of only ?? []) {
    if (!all.includes(name)) {
      throw new UsageError(`--only: unknown experiment "${name}"; choose from ${all.join(", ")}`);
    }
  }
  const names = only ?? all;
  const times: [string, number, number][] = [];
  let worst = 0;
  for (const name of names) {
    const t0 = performance.now();
    console.log(`\n=== ${name}${values.full ? " (full)" : ""} ===`);
    const code = await runCommand([
      name,
      "--run-id",
      values.full ? "reference-full" : "reference",
      ...(values.full ? ["--full"] : []),
      ...(values.workers ? ["--workers", values.workers] : []),
      ...(values.yes ? ["--yes"] : []),
    ]);
    worst = Math.max(worst, code);
    times.push([name, (performance.now() - t0) / 1000, code]);
  }
  console.log("\nwall time per experiment:");
  for (const [name, s, code] of times) {
    console.log(`  ${name.padEnd(20)} ${s.toFixed(1)} s${code ? ` (exit ${code})` : ""}`);
  }
  return worst;
}
