/**
 * `deno task run EXPERIMENT [flags]` and `deno task run --list`.
 *
 * @module
 */

import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join, relative } from "node:path";
import { joinNegativeValues, parseFlags, parseInteger, UsageError } from "./errors.ts";
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
  --seed N            master seed, 0 … 4294967295 (default: the config's seed)
  --out DIR           results folder (default: results)
  --run-id ID         name of the run folder (default: default|full-seed<N>[-set<hash>])
  --workers N         parallel cells (default: number of cores)
  --resume            continue an interrupted run, skipping finished cells
  --shard i/n         run only the cells whose index ≡ i (mod n) into the shared run folder
  --aggregate         check every cell has a record (from the shards), then write the outputs
  --yes               start a run estimated above the confirmation threshold (1 h) without asking
  --force             take over a stale lock (its process is gone) or one on another host
  --quiet             no progress output (the final summary line is still printed on stderr)
  --list              list the experiments
  -h, --help          this help

Exit codes: 0 every cell ok · 2 bad input or a locked run folder (nothing written) · 3 some cells
failed · 4 every cell failed · 5 file-system error (disk full; the manifest says failed: …) ·
6 --aggregate found cells without a record · 130 interrupted (finished cells are kept).`;

/** Folder of the experiment configs. */
export const EXPERIMENTS_DIR = fileURLToPath(new URL("../../experiments/", import.meta.url));

/** Names of the available experiments. */
export function experimentNames(dir = EXPERIMENTS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith("_test.ts"))
    .map((f) => f.slice(0, -3)).sort();
}

/** Loads an experiment module's default export; a module that fails to load is a one-line error. */
export async function loadExperiment(
  name: string,
  dir = EXPERIMENTS_DIR,
): Promise<ExperimentInput | AnalysisInput> {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name) || !experimentNames(dir).includes(name)) {
    const known = experimentNames(dir);
    throw new UsageError(`unknown experiment "${name}"; choose one of ${known.join(", ")} (see --list)`);
  }
  let mod;
  try {
    mod = await import(toFileUrl(join(dir, `${name}.ts`)));
  } catch (e) {
    const first = String((e as Error)?.message ?? e).split("\n").find((l) => l.trim() !== "") ?? "";
    throw new UsageError(
      `experiments/${name}.ts: cannot be loaded (${first.trim()}); fix or remove the file`,
    );
  }
  const config = mod.default;
  if (!config || typeof config !== "object") {
    throw new UsageError(`experiments/${name}.ts: export the config as the default export`);
  }
  if (typeof config.description !== "string") {
    throw new UsageError(`experiments/${name}.ts: the config has no description; add one`);
  }
  return config as ExperimentInput | AnalysisInput;
}

/**
 * Lists the experiments; a file that fails to load is listed with its one-line error on stderr, and
 * the others are still listed (exit 2 if any failed to load).
 */
export async function listExperiments(dir = EXPERIMENTS_DIR): Promise<number> {
  let broken = 0;
  for (const name of experimentNames(dir)) {
    try {
      const config = await loadExperiment(name, dir);
      console.log(`${name.padEnd(20)} ${config.description.split("\n")[0]}`);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      broken++;
      console.log(`${name.padEnd(20)} (cannot be loaded, see below)`);
      console.error(`error: ${e.message}`);
    }
  }
  return broken ? 2 : 0;
}

/** Runs the `run` command; returns the exit code. */
export default async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    "run",
    joinNegativeValues(args, ["--seed", "--workers", "--shard", "--run-id", "--out"]),
    {
      full: { type: "boolean" },
      set: { type: "string", multiple: true },
      seed: { type: "string" },
      out: { type: "string" },
      "run-id": { type: "string" },
      workers: { type: "string" },
      resume: { type: "boolean" },
      shard: { type: "string" },
      aggregate: { type: "boolean" },
      yes: { type: "boolean" },
      force: { type: "boolean" },
      quiet: { type: "boolean" },
      list: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  );
  if (values.help) {
    console.log(RUN_HELP);
    return 0;
  }
  if (values.list) {
    if (positionals.length > 0) throw new UsageError("--list: takes no experiment name; drop one of them");
    return await listExperiments();
  }
  if (positionals.length !== 1) {
    throw new UsageError(`run: expected one experiment name, got ${positionals.length}; see --list`);
  }
  if (values["run-id"] !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(values["run-id"])) {
    throw new UsageError(`--run-id: use letters, digits, ".", "_" and "-", got "${values["run-id"]}"`);
  }
  if (values.out !== undefined && values.out.trim() === "") {
    throw new UsageError("--out: expected a folder, got an empty string");
  }
  const seed = values.seed !== undefined ? parseInteger("--seed", values.seed, 0, 2 ** 32 - 1) : undefined;
  const workers = values.workers !== undefined
    ? parseInteger("--workers", values.workers, 1, 1024)
    : undefined;
  const { parseShard } = await import("../experiment/shard.ts");
  const shard = values.shard !== undefined ? parseShard(values.shard) : undefined;
  const input = await loadExperiment(positionals[0]);
  if ("kind" in input && input.kind === "analysis") {
    for (const flag of ["resume", "shard", "aggregate"] as const) {
      if (values[flag] !== undefined) {
        throw new UsageError(`--${flag}: analysis experiments run in one step; rerun without --${flag}`);
      }
    }
    const { runAnalysisExperiment } = await import("../experiment/analysis_runner.ts");
    const { runDir, seconds } = await runAnalysisExperiment({
      input,
      full: values.full,
      sets: values.set,
      seed,
      out: values.out,
      runId: values["run-id"],
      quiet: values.quiet,
      force: values.force,
      argv: ["run", ...args],
    });
    console.log(`${input.name}: completed in ${seconds.toFixed(1)} s; results: ${runDir}/report.md`);
    console.error(`${input.name}: completed in ${seconds.toFixed(1)} s → ${displayPath(runDir)} (exit 0)`);
    return 0;
  }
  const { runExperiment } = await import("../experiment/runner.ts");
  const outcome = await runExperiment({
    input: input as ExperimentInput,
    full: values.full,
    sets: values.set,
    seed,
    out: values.out,
    runId: values["run-id"],
    workers,
    resume: values.resume,
    shard,
    aggregate: values.aggregate,
    yes: values.yes,
    force: values.force,
    quiet: values.quiet,
    argv: ["run", ...args],
  });
  const name = (input as ExperimentInput).name;
  const where = displayPath(outcome.runDir);
  const failed = outcome.failed ? `, ${outcome.failed} failed` : "";
  if (outcome.shard) {
    const s = outcome.shard;
    console.error(
      `${name} shard ${s.index}/${s.count}: ${outcome.records.length} cells (${s.ran} run, ${s.skipped} already ` +
        `recorded)${failed} in ${outcome.seconds.toFixed(1)} s → ${where} (exit ${outcome.exitCode})`,
    );
  } else if (outcome.status === "incomplete") {
    console.error(
      `${name} --aggregate: ${outcome.missing.length} of ${outcome.plan.cells.length} cells missing, nothing ` +
        `written → ${where} (exit ${outcome.exitCode})`,
    );
  } else {
    const { printSummary } = await import("../experiment/summary.ts");
    printSummary(outcome);
    console.error(
      `${name}: ${outcome.status}, ${outcome.records.length} cells${failed} in ${
        outcome.seconds.toFixed(1)
      } s → ` +
        `${where} (exit ${outcome.exitCode})`,
    );
  }
  return outcome.exitCode;
}

function toFileUrl(path: string): string {
  return pathToFileURL(path).href;
}

function displayPath(path: string): string {
  const rel = relative(Deno.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}
