/**
 * `deno task run EXPERIMENT [flags]` and `deno task run --list`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { parseInteger, UsageError } from "./errors.ts";
import type { AnalysisInput, ExperimentInput } from "../experiment/schema.ts";
import "../methods/mod.ts"; // registers every method (lib/experiment/method_registry.ts)
import "../studies/mod.ts"; // registers every study's analyses, extras and paper comparisons

/** Help text of the `run` command. */
export const RUN_HELP = `Usage: deno task run EXPERIMENT [options]
       deno task run --list

Runs experiments/EXPERIMENT.ts and writes results/EXPERIMENT/<run-id>/ (config.json, manifest.json,
metrics.jsonl, tables/*.csv, figures/*.svg|png, report.md).

Options:
  --full              run the paper's full protocol (the config's "full" overrides)
  --set path=value    override any config field, e.g. --set train.epochs=100 (repeatable; JSON values)
  --seed N            master seed (default: the config's seed)
  --out DIR           results folder (default: results)
  --run-id ID         name of the run folder (default: default|full-seed<N>[-set<hash>])
  --workers N         parallel cells (default: number of cores)
  --resume            continue an interrupted run, skipping finished cells
  --quiet             no progress output
  --list              list the experiments
  -h, --help          this help`;

/** Folder of the experiment configs. */
export const EXPERIMENTS_DIR = fileURLToPath(new URL("../../experiments/", import.meta.url));

/** Names of the available experiments. */
export function experimentNames(): string[] {
  if (!existsSync(EXPERIMENTS_DIR)) return [];
  return readdirSync(EXPERIMENTS_DIR).filter((f) => f.endsWith(".ts") && !f.endsWith("_test.ts"))
    .map((f) => f.slice(0, -3)).sort();
}

/** Loads an experiment module's default export. */
export async function loadExperiment(name: string): Promise<ExperimentInput | AnalysisInput> {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name) || !experimentNames().includes(name)) {
    const known = experimentNames();
    throw new UsageError(`unknown experiment "${name}"; choose one of ${known.join(", ")} (see --list)`);
  }
  const mod = await import(join(EXPERIMENTS_DIR, `${name}.ts`));
  if (!mod.default) throw new UsageError(`experiments/${name}.ts: export the config as the default export`);
  return mod.default as ExperimentInput | AnalysisInput;
}

/** Runs the `run` command; returns the exit code. */
export default async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        full: { type: "boolean" },
        set: { type: "string", multiple: true },
        seed: { type: "string" },
        out: { type: "string" },
        "run-id": { type: "string" },
        workers: { type: "string" },
        resume: { type: "boolean" },
        quiet: { type: "boolean" },
        list: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    throw new UsageError(`run: ${(e as Error).message.split("\n")[0]}; see --help`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(RUN_HELP);
    return 0;
  }
  if (values.list) {
    for (const name of experimentNames()) {
      const config = await loadExperiment(name);
      console.log(`${name.padEnd(20)} ${config.description.split("\n")[0]}`);
    }
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(`run: expected one experiment name, got ${positionals.length}; see --list`);
  }
  if (values["run-id"] !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(values["run-id"])) {
    throw new UsageError(`--run-id: use letters, digits, ".", "_" and "-", got "${values["run-id"]}"`);
  }
  const input = await loadExperiment(positionals[0]);
  if ("kind" in input && input.kind === "analysis") {
    if (values.resume) {
      throw new UsageError("--resume: analysis experiments run in one step; rerun without --resume");
    }
    const { runAnalysisExperiment } = await import("../experiment/analysis_runner.ts");
    const { runDir, seconds } = await runAnalysisExperiment({
      input,
      full: values.full,
      sets: values.set,
      seed: values.seed !== undefined ? parseInteger("--seed", values.seed) : undefined,
      out: values.out,
      runId: values["run-id"],
      quiet: values.quiet,
      argv: ["run", ...args],
    });
    console.log(`${input.name}: completed in ${seconds.toFixed(1)} s; results: ${runDir}/report.md`);
    return 0;
  }
  const { runExperiment } = await import("../experiment/runner.ts");
  const outcome = await runExperiment({
    input: input as ExperimentInput,
    full: values.full,
    sets: values.set,
    seed: values.seed !== undefined ? parseInteger("--seed", values.seed) : undefined,
    out: values.out,
    runId: values["run-id"],
    workers: values.workers !== undefined ? parseInteger("--workers", values.workers, 1) : undefined,
    resume: values.resume,
    quiet: values.quiet,
    argv: ["run", ...args],
  });
  const { printSummary } = await import("../experiment/summary.ts");
  printSummary(outcome);
  return 0;
}
