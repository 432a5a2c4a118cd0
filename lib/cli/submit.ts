/**
 * `deno task submit EXPERIMENT --slurm [--tasks N] [--parallel M] [--partition P] [--time T]
 * [--dry-run] [--only-missing] [run flags]`: one experiment as a Slurm job array of `--shard i/N`
 * tasks plus a merge job (`--aggregate`) that starts when the array has ended, whatever its outcome
 * (`--dependency=afterany:<array>`), and reports missing cells. The scripts are written to
 * `<run>/slurm/` and submitted with `sbatch`; `--dry-run` prints them and writes nothing.
 * `--only-missing` resubmits only the indices whose cells have no record yet (plus the merge).
 *
 * @module
 */

import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { joinNegativeValues, parseFlags, parseInteger, UsageError } from "./errors.ts";
import { loadExperiment } from "./run.ts";
import type { ExperimentInput } from "../experiment/schema.ts";
import { writeFileAtomic, writeJsonAtomic } from "../io/atomic.ts";

/** Help text of the `submit` command. */
export const SUBMIT_HELP = `Usage: deno task submit EXPERIMENT --slurm [options] [run flags]

Submits EXPERIMENT to Slurm as a job array of N shards (deno task run EXPERIMENT --shard i/N) and a
merge job (--aggregate) that runs after the array ends (--dependency=afterany) and reports missing
cells. The scripts go to <run folder>/slurm/ (array.sbatch, merge.sbatch, logs/%A_%a.out).

Options:
  --slurm             submit with sbatch (the scheduler polylab supports)
  --tasks N           array tasks = shards (default: the number of cells, at most 10)
  --parallel M        at most M tasks at once (--array=0-(N-1)%M)
  --partition P       Slurm partition
  --time T            time limit per task (Slurm format: MM, HH:MM:SS, D-HH:MM)
  --dry-run           print the scripts and the sbatch commands; write and submit nothing
  --only-missing      resubmit only the indices whose cells have no record yet, then the merge
  --yes               submit even if one task is estimated above the confirmation threshold (1 h);
                      the tasks then start without asking (a batch job cannot answer)
  run flags           --full, --set path=value, --seed N, --out DIR, --run-id ID, --workers W (per task)
  -h, --help          this help

The run folder must be on a file system every node sees. Deno is started as the README installs it
(npx --yes deno@2.9.6); set POLYLAB_DENO to use another command.`;

/** Folder of the project (the jobs run \`deno task\` there). */
const PROJECT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** How Deno is started in the jobs by default: as the README installs it. */
export const DEFAULT_DENO = "npx --yes deno@2.9.6";

/** Quotes a word for bash. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** What the two scripts need. */
export interface SlurmScripts {
  /** The job array script. */
  array: string;
  /** The merge job script. */
  merge: string;
}

/** Options of {@link slurmScripts}. */
export interface ScriptOptions {
  experiment: string;
  /** Shards N. */
  tasks: number;
  /** The array indices to run (all 0..N-1, or the missing ones). */
  indices: number[];
  parallel?: number;
  partition?: string;
  time?: string;
  /** Workers per task (= CPUs per task). */
  workers: number;
  /** The run folder (absolute). */
  runDir: string;
  /** Results root and run id passed to every task (absolute, so every node finds the same folder). */
  out: string;
  runId: string;
  /** `--full`, `--set …`, `--seed …` as given. */
  runFlags: string[];
  /** The project folder. */
  projectDir: string;
}

/** `0-3`, `1,3`, `0-2,5`: a Slurm array range of sorted indices. */
export function arrayRange(indices: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indices.length;) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j] + 1) j++;
    parts.push(i === j ? `${indices[i]}` : `${indices[i]}-${indices[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** The sbatch scripts of the array and of the merge job. */
export function slurmScripts(o: ScriptOptions): SlurmScripts {
  const logs = join(o.runDir, "slurm", "logs");
  const header = (name: string, output: string) => [
    "#!/bin/bash",
    `#SBATCH --job-name=${shellQuote(name)}`,
    `#SBATCH --output=${shellQuote(join(logs, output))}`,
    `#SBATCH --cpus-per-task=${o.workers}`,
    ...(o.partition ? [`#SBATCH --partition=${shellQuote(o.partition)}`] : []),
    ...(o.time ? [`#SBATCH --time=${shellQuote(o.time)}`] : []),
  ];
  const common = [
    "set -euo pipefail",
    `cd ${shellQuote(o.projectDir)}`,
    `# Deno as the README installs it; POLYLAB_DENO overrides (e.g. a deno binary on the nodes)`,
    `read -ra DENO <<<"\${POLYLAB_DENO:-${DEFAULT_DENO}}"`,
  ];
  const run = [
    '"${DENO[@]}"',
    "task",
    "-q",
    "run",
    o.experiment,
    "--out",
    shellQuote(o.out),
    "--run-id",
    shellQuote(o.runId),
    ...o.runFlags.map(shellQuote),
  ].join(" ");
  const parallel = o.parallel ? `%${o.parallel}` : "";
  const array = [
    ...header(`polylab-${o.experiment}`, "%A_%a.out"),
    `#SBATCH --array=${arrayRange(o.indices)}${parallel}`,
    `# polylab: shard $SLURM_ARRAY_TASK_ID of ${o.tasks} of ${o.experiment} into ${o.runDir}`,
    ...common,
    `# N is fixed, not $SLURM_ARRAY_TASK_COUNT: --only-missing resubmits a subset of the indices`,
    `SHARDS=${o.tasks}`,
    `if [ "\${SLURM_ARRAY_TASK_COUNT:-$SHARDS}" != "$SHARDS" ] && [ "${o.indices.length}" = "$SHARDS" ]; then`,
    `  echo "polylab: this array has $SLURM_ARRAY_TASK_COUNT tasks but was written for $SHARDS" >&2; exit 2`,
    "fi",
    `# --yes: the estimate was confirmed at submission (a batch job cannot answer a question)`,
    `exec ${run} --workers ${o.workers} --yes --shard "$SLURM_ARRAY_TASK_ID/$SHARDS"`,
    "",
  ].join("\n");
  const merge = [
    ...header(`polylab-${o.experiment}-merge`, "merge-%j.out"),
    `# polylab: merge of the ${o.tasks} shards (submitted with --dependency=afterany:<array job>);`,
    `# lists the cells without a record and exits non-zero if there are any`,
    ...common,
    `exec ${run} --aggregate`,
    "",
  ].join("\n");
  return { array, merge };
}

/** Runs a command, returning its stdout; a missing program or a failure is a one-line error. */
async function command(cmd: string, args: string[]): Promise<string> {
  let out;
  try {
    out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new UsageError(
        `submit --slurm: ${cmd} not found on PATH; run on a Slurm login node, or use --dry-run`,
      );
    }
    throw e;
  }
  const text = new TextDecoder().decode(out.stdout).trim();
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n")[0];
    throw new UsageError(`submit --slurm: ${cmd} ${args.join(" ")} failed: ${err || `exit ${out.code}`}`);
  }
  return text;
}

/** Runs the `submit` command; returns the exit code. */
export default async function submit(args: string[]): Promise<number> {
  const { values: v, positionals } = parseFlags(
    "submit",
    joinNegativeValues(args, ["--tasks", "--parallel", "--seed", "--workers"]),
    {
      slurm: { type: "boolean" },
      tasks: { type: "string" },
      parallel: { type: "string" },
      partition: { type: "string" },
      time: { type: "string" },
      "dry-run": { type: "boolean" },
      "only-missing": { type: "boolean" },
      yes: { type: "boolean" },
      full: { type: "boolean" },
      set: { type: "string", multiple: true },
      seed: { type: "string" },
      out: { type: "string" },
      "run-id": { type: "string" },
      workers: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  );
  if (v.help) {
    console.log(SUBMIT_HELP);
    return 0;
  }
  if (!v.slurm) throw new UsageError("submit: give --slurm (the scheduler polylab submits to); see --help");
  if (positionals.length !== 1) {
    throw new UsageError(
      `submit: expected one experiment name, got ${positionals.length}; see deno task run --list`,
    );
  }
  if (v["run-id"] !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v["run-id"])) {
    throw new UsageError(`--run-id: use letters, digits, ".", "_" and "-", got "${v["run-id"]}"`);
  }
  if (v.partition !== undefined && !/^[A-Za-z0-9_.,-]+$/.test(v.partition)) {
    throw new UsageError(`--partition: expected a partition name such as "cpu", got "${v.partition}"`);
  }
  if (v.time !== undefined && !/^(\d+-)?\d+(:\d{1,2}){0,2}$/.test(v.time)) {
    throw new UsageError(`--time: expected a Slurm time such as 30, 2:00:00 or 1-12:00, got "${v.time}"`);
  }
  if (v.out !== undefined && v.out.trim() === "") {
    throw new UsageError("--out: expected a folder, got an empty string");
  }
  const seed = v.seed !== undefined ? parseInteger("--seed", v.seed, 0, 2 ** 32 - 1) : undefined;
  const workers = v.workers !== undefined ? parseInteger("--workers", v.workers, 1, 1024) : 1;
  const input = await loadExperiment(positionals[0]);
  if ("kind" in input && input.kind === "analysis") {
    throw new UsageError(
      `submit: ${positionals[0]} is an analysis (one step, no cells to shard); use deno task run`,
    );
  }
  const { prepareRun, requireSameConfig } = await import("../experiment/runner.ts");
  const run = prepareRun({
    input: input as ExperimentInput,
    full: v.full,
    sets: v.set,
    seed,
    out: v.out,
    runId: v["run-id"],
    workers,
  });
  requireSameConfig(run, "submit", "run");
  const cells = run.plan.cells.length;
  const tasks = v.tasks !== undefined ? parseInteger("--tasks", v.tasks, 1, 100_000) : Math.min(cells, 10);
  if (tasks > cells) {
    throw new UsageError(
      `--tasks: ${tasks} tasks for ${cells} cells would leave some idle; use at most ${cells}`,
    );
  }
  const parallel = v.parallel !== undefined ? parseInteger("--parallel", v.parallel, 1, tasks) : undefined;

  // the largest task's estimate: confirmed here, since a batch job cannot answer (the tasks get --yes)
  const { confirmWork, describeEstimate, estimateWork } = await import("../experiment/estimate.ts");
  const { shardCells } = await import("../experiment/shard.ts");
  const largest = Array.from({ length: tasks }, (_, index) => {
    const mine = shardCells(run.plan.cells, { index, count: tasks });
    return estimateWork(run.facts, workers, (g) => mine.filter((c) => c.gridIndex === g).length);
  }).reduce((a, b) => (b.seconds > a.seconds ? b : a));
  await confirmWork(
    describeEstimate(`${run.config.name}, largest of ${tasks} tasks`, largest),
    largest.seconds,
    { yes: v.yes, print: (line) => console.error(line) },
  );

  let indices = Array.from({ length: tasks }, (_, i) => i);
  if (v["only-missing"]) {
    const { scanRecords } = await import("../experiment/records.ts");
    const done = scanRecords(run.runDir, run.plan, run.hash).records;
    const missing = run.plan.cells.filter((c) => !done.has(c.id));
    indices = [...new Set(missing.map((c) => c.index % tasks))].sort((a, b) => a - b);
    console.error(
      `${run.config.name}: ${missing.length} of ${cells} cells have no record` +
        (indices.length
          ? `; resubmitting shard${indices.length > 1 ? "s" : ""} ${arrayRange(indices)} of ${tasks}`
          : ""),
    );
  }
  const out = resolve(v.out ?? "results");
  const runFlags = [
    ...(v.full ? ["--full"] : []),
    ...(v.set ?? []).flatMap((s) => ["--set", s]),
    ...(seed !== undefined ? ["--seed", String(seed)] : []),
  ];
  const scripts = slurmScripts({
    experiment: run.config.name,
    tasks,
    indices,
    parallel,
    partition: v.partition,
    time: v.time,
    workers,
    runDir: run.runDir,
    out,
    runId: run.runId,
    runFlags,
    projectDir: PROJECT_DIR,
  });
  const dir = join(run.runDir, "slurm");
  const arrayPath = join(dir, "array.sbatch"), mergePath = join(dir, "merge.sbatch");
  if (v["dry-run"]) {
    console.log(`# ${arrayPath}\n${scripts.array}`);
    console.log(`# ${mergePath}\n${scripts.merge}`);
    console.log(
      indices.length
        ? `# submit:\nsbatch --parsable ${arrayPath}\nsbatch --parsable --dependency=afterany:<array job id> ${mergePath}`
        : `# submit:\nsbatch --parsable ${mergePath}`,
    );
    return 0;
  }
  await command("sbatch", ["--version"]);
  if (indices.length) await writeFileAtomic(arrayPath, scripts.array);
  await writeFileAtomic(mergePath, scripts.merge);
  await Deno.mkdir(join(dir, "logs"), { recursive: true });
  const jobId = (text: string) => text.split(";")[0].trim();
  let arrayJob: string | null = null;
  if (indices.length) arrayJob = jobId(await command("sbatch", ["--parsable", arrayPath]));
  const mergeJob = jobId(
    await command("sbatch", [
      "--parsable",
      ...(arrayJob ? [`--dependency=afterany:${arrayJob}`] : []),
      mergePath,
    ]),
  );
  const historyPath = join(dir, "submissions.json");
  let history: unknown[] = [];
  try {
    history = JSON.parse(await Deno.readTextFile(historyPath));
  } catch {
    // first submission
  }
  history.push({
    submittedAt: new Date().toISOString(),
    tasks,
    indices,
    parallel: parallel ?? null,
    arrayJob,
    mergeJob,
    argv: ["submit", ...args],
  });
  await writeJsonAtomic(historyPath, history);
  console.log(
    arrayJob
      ? `submitted array job ${arrayJob} (shards ${arrayRange(indices)} of ${tasks}${
        parallel ? `, at most ${parallel} at once` : ""
      }) and merge job ${mergeJob} (after the array); logs: ${join(dir, "logs")}`
      : `nothing to resubmit; submitted merge job ${mergeJob}; logs: ${join(dir, "logs")}`,
  );
  return 0;
}
