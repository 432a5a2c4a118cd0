/**
 * Runs an experiment end to end into `results/<experiment>/<run-id>/`:
 * `config.json`, `manifest.json`, `cells/<id>.json` (one record per finished cell, the unit of
 * `--resume`), `metrics.jsonl`, `tables/*.csv|md`, `figures/*.svg|png` and `report.md`.
 *
 * Order of a run: plan and validate everything (./validate.ts) and check the folder can be written,
 * print the work estimate and ask for confirmation above the threshold — all before any file is
 * written; then take the folder's lock (./lock.ts), run the cells, write the outputs. Every file is
 * written atomically (temp + rename), so an interrupted run leaves no half-written file, and `--resume`
 * re-plans and skips the cells whose record exists. A file-system error (disk full) marks the manifest
 * `failed: <reason>` and stops with an {@link IoError}.
 *
 * Three modes share this: a whole run, a shard (`--shard i/n`: only its cells' records and its shard
 * manifest, ./shard.ts) and `--aggregate` (the outputs from the records of every shard).
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { cleanupTempFiles, rewriteInPlace, writeFileAtomic, writeJsonAtomic } from "../io/atomic.ts";
import { checkWritable } from "../io/writable.ts";
import { writeReport } from "../report/report.ts";
import {
  EXIT_ALL_FAILED,
  EXIT_INTERRUPTED,
  EXIT_MISSING,
  EXIT_OK,
  EXIT_SOME_FAILED,
  IoError,
  UsageError,
} from "../errors.ts";
import { buildTables, writeFigures, writeTables } from "./aggregate.ts";
import type { CellRecord } from "./cell.ts";
import { confirmWork, describeEstimate, estimateWork } from "./estimate.ts";
import { acquireRunLock, checkRunLock, isLockFileName } from "./lock.ts";
import { gitState, machineInfo, versions } from "./manifest.ts";
import { configDifferences, configHash, describe, type Plan, planExperiment } from "./plan.ts";
import { runCells } from "./pool.ts";
import { Progress } from "./progress.ts";
import { CELLS_DIR, type RecordScan, scanRecords, writeCellRecord } from "./records.ts";
import type { Experiment, ExperimentInput } from "./schema.ts";
import { extraSections, paperSections } from "./sections.ts";
import {
  readShardManifests,
  shardCells,
  type ShardManifest,
  shardManifestName,
  shardOf,
  SHARDS_DIR,
  type ShardSpec,
  slurmJob,
} from "./shard.ts";
import { type GridPointFacts, validatePlan } from "./validate.ts";
import { loadDataset } from "../io/dataset.ts";
import { hostname } from "node:os";

/** Options of {@link runExperiment}. */
export interface RunOptions {
  /** The experiment module's default export. */
  input: ExperimentInput;
  /** Apply the `full` (paper) protocol. */
  full?: boolean;
  /** `--set path=value` overrides. */
  sets?: string[];
  /** Master seed override. */
  seed?: number;
  /** Results root (default `results`). */
  out?: string;
  /** Run id (default: `default|full-seed<N>[-set<hash>]`). */
  runId?: string;
  /** Parallel cells (default: number of cores). */
  workers?: number;
  /** Continue an interrupted run. */
  resume?: boolean;
  /** No progress output (the estimate is not printed either). */
  quiet?: boolean;
  /** The command line, for the manifest. */
  argv?: string[];
  /** Start a run estimated above the confirmation threshold without asking. */
  yes?: boolean;
  /** Asks a yes/no question (default: read a line on an interactive terminal). */
  ask?: (question: string) => Promise<boolean>;
  /** Take over a stale lock, or one whose holder cannot be checked. */
  force?: boolean;
  /** Run only this shard's cells (`--shard i/n`). */
  shard?: ShardSpec;
  /** Build the outputs from the records of a sharded run (`--aggregate`). */
  aggregate?: boolean;
  /** Where notes (the estimate, stale locks, corrupt records) go; default stderr. */
  note?: (line: string) => void;
}

/** Final status of a run (also written to the manifest). */
export type RunStatus =
  | "completed"
  | "completed-with-failures"
  | "all-cells-failed"
  | "incomplete";

/** What a finished run returns. */
export interface RunOutcome {
  runDir: string;
  plan: Plan;
  /** Records of every cell in plan order (a shard: its own cells; `--aggregate` with missing cells: those found). */
  records: CellRecord[];
  status: RunStatus;
  seconds: number;
  /** Failed cells among `records`. */
  failed: number;
  /** Planned cells without a record (`--aggregate` only). */
  missing: string[];
  /** The exit code this outcome maps to (0, 3 some failed, 4 all failed, 6 missing cells). */
  exitCode: number;
  /** A shard run: which, and how many of its cells it ran or found recorded. */
  shard?: ShardSpec & { ran: number; skipped: number };
}

const RUN_FILES = [
  "config.json",
  "manifest.json",
  "metrics.jsonl",
  "report.md",
  CELLS_DIR,
  "tables",
  "figures",
  SHARDS_DIR,
  "slurm",
];

/** The deterministic run id of a configuration. */
export function defaultRunId(options: Pick<RunOptions, "full" | "sets">, seed: number): string {
  const sets = options.sets ?? [];
  const suffix = sets.length
    ? `-set${createHash("sha256").update(sets.join("\n")).digest("hex").slice(0, 6)}`
    : "";
  return `${options.full ? "full" : "default"}-seed${seed}${suffix}`;
}

/** The exit code of a run whose `failed` of `total` cells failed. */
export function exitCodeFor(failed: number, total: number): number {
  if (failed === 0) return EXIT_OK;
  return failed === total ? EXIT_ALL_FAILED : EXIT_SOME_FAILED;
}

function statusFor(failed: number, total: number): RunStatus {
  if (failed === 0) return "completed";
  return failed === total ? "all-cells-failed" : "completed-with-failures";
}

/** For real data: each dataset file read, with its SHA-256, rows and columns (for the manifest). */
function datasetProvenance(plan: Plan): { datasets?: Record<string, unknown>[] } {
  const seen = new Map<string, Record<string, unknown>>();
  for (const cell of plan.cells) {
    const spec = cell.config.data.dataset;
    if (!spec) continue;
    const d = loadDataset(spec, cell.config.data.task);
    seen.set(d.sha256 + spec.target, {
      path: spec.path,
      sha256: d.sha256,
      rows: d.n,
      columns: d.columns,
      target: spec.target,
      ...(d.classes ? { classes: d.classes } : {}),
    });
  }
  return seen.size ? { datasets: [...seen.values()] } : {};
}

/** Everything decided before the run touches the disk. */
export interface PreparedRun {
  plan: Plan;
  config: Experiment;
  hash: string;
  facts: GridPointFacts[];
  runId: string;
  runDir: string;
  workers: number;
}

/**
 * Plans and validates a run without writing anything: the config (schema and every cross-field
 * rule), the workers, and that the run folder can be written. Throws {@link UsageError}.
 */
export function prepareRun(options: RunOptions): PreparedRun {
  const modes = [options.resume && "--resume", options.shard && "--shard", options.aggregate && "--aggregate"]
    .filter(Boolean);
  if (modes.length > 1) {
    throw new UsageError(
      `${modes.join(" and ")}: choose one (a shard skips recorded cells by itself; --aggregate only merges)`,
    );
  }
  const plan = planExperiment(options.input, { full: options.full, sets: options.sets, seed: options.seed });
  const { config } = plan;
  const workers = options.workers ?? navigator.hardwareConcurrency;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new UsageError(`--workers: expected an integer ≥ 1, got ${workers}`);
  }
  const facts = validatePlan(plan, { workers });
  const runId = options.runId ?? defaultRunId(options, config.seed);
  const runDir = resolve(options.out ?? "results", config.name, runId);
  checkWritable(runDir, "--out");
  return { plan, config, hash: configHash(config), facts, runId, runDir, workers };
}

/** Runs, resumes, shards or aggregates an experiment; throws {@link UsageError} for bad input before any work. */
export async function runExperiment(options: RunOptions): Promise<RunOutcome> {
  const run = prepareRun(options);
  if (options.shard) return await runShard(run, options, options.shard);
  if (options.aggregate) return await aggregateRun(run, options);
  return await runWhole(run, options);
}

function noteFn(options: RunOptions): (line: string) => void {
  return options.note ?? ((line) => console.error(line));
}

/** The config a run folder was made with: config.json, or the shard manifests of a sharded run. */
function folderConfigs(runDir: string): { file: string; hash: string; config: unknown }[] {
  const out: { file: string; hash: string; config: unknown }[] = [];
  const path = join(runDir, "config.json");
  if (existsSync(path)) {
    let parsed: { hash?: string; config?: unknown };
    try {
      parsed = JSON.parse(readFileSync(path, "utf8"));
    } catch (e) {
      throw new UsageError(
        `${path}: not valid JSON (${(e as Error).message.split("\n")[0]}); remove the folder`,
      );
    }
    out.push({ file: "config.json", hash: String(parsed.hash), config: parsed.config });
  }
  for (const { file, manifest } of readShardManifests(runDir)) {
    out.push({ file, hash: manifest.configHash, config: manifest.config });
  }
  return out;
}

/**
 * Refuses a run folder made by another config (its config.json or a shard manifest), naming the
 * differing fields; returns whether the folder has a config at all.
 */
export function requireSameConfig(run: PreparedRun, flag: string, what: string): boolean {
  const mismatch = folderConfigs(run.runDir).find((f) => f.hash !== run.hash);
  if (mismatch) {
    const diff = configDifferences(mismatch.config, run.config);
    const fields = diff.length
      ? diff.slice(0, 4).join(", ") + (diff.length > 4 ? `, … (${diff.length} fields)` : "")
      : "unknown fields";
    throw new UsageError(
      `${flag}: the config differs from the ${what} at ${run.runDir} (${mismatch.file}) in ${fields}; ` +
        `use the same --set/--seed/--full flags, or another --run-id/--out`,
    );
  }
  return folderConfigs(run.runDir).length > 0;
}

/** Reports corrupt records (they run again) and refuses records of another config. */
function judgeScan(scan: RecordScan, runDir: string, flag: string, note: (line: string) => void): void {
  if (scan.foreign.length) {
    const f = scan.foreign[0];
    throw new UsageError(
      `${flag}: ${scan.foreign.length} cell record(s) in ${runDir} were written by another config ` +
        `(${f.file}: hash ${
          f.hash ?? "none"
        }); a run folder holds one config: remove them or use another --run-id`,
    );
  }
  for (const c of scan.corrupt) {
    note(`warning: ${join(runDir, c.file)}: ${c.reason}; that cell will run again`);
  }
  for (const f of scan.unplanned) note(`warning: ${join(runDir, f)}: no such cell in the plan; ignored`);
}

/** Prints the work estimate of the pending cells and asks for confirmation above the threshold. */
async function announce(run: PreparedRun, pending: (gridIndex: number) => number, options: RunOptions) {
  const estimate = estimateWork(run.facts, run.workers, pending);
  if (estimate.cells === 0) return;
  const note = noteFn(options);
  await confirmWork(describeEstimate(run.config.name, estimate), estimate.seconds, {
    yes: options.yes,
    ask: options.ask,
    print: (line) => {
      if (!options.quiet) note(line);
    },
  });
}

function pendingByGrid(cells: readonly { gridIndex: number; id: string }[], done: ReadonlySet<string>) {
  const counts = new Map<number, number>();
  for (const c of cells) if (!done.has(c.id)) counts.set(c.gridIndex, (counts.get(c.gridIndex) ?? 0) + 1);
  return (g: number) => counts.get(g) ?? 0;
}

/** Installs SIGINT/SIGTERM handlers that run `cleanup` then exit; returns the remover. */
function onSignals(cleanup: () => void, message: string, quietProgress: () => void): () => void {
  const handler = (signal: Deno.Signal) => () => {
    quietProgress();
    cleanup();
    console.error(message);
    Deno.exit(signal === "SIGINT" ? EXIT_INTERRUPTED : 128 + 15);
  };
  const handlers: [Deno.Signal, () => void][] = [];
  for (const s of ["SIGINT", "SIGTERM"] as Deno.Signal[]) {
    const h = handler(s);
    try {
      Deno.addSignalListener(s, h);
      handlers.push([s, h]);
    } catch {
      // SIGTERM listeners are not available on every platform
    }
  }
  return () => {
    for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
  };
}

/** Synchronous best-effort manifest update for a signal handler (temp + rename). */
function writeJsonSyncQuietly(path: string, value: unknown): void {
  const temp = `${path}.tmp-sig-${Deno.pid}`;
  try {
    Deno.writeTextFileSync(temp, JSON.stringify(value, null, 2) + "\n");
    Deno.renameSync(temp, path);
  } catch {
    try {
      Deno.removeSync(temp);
    } catch {
      // nothing to clean
    }
  }
}

/** Marks a manifest `failed: <reason>`; in place if the disk is too full for a temp file. Returns a note or null. */
async function markFailed(
  path: string,
  manifest: Record<string, unknown>,
  error: unknown,
): Promise<string | null> {
  const reason = (error as Error)?.message?.split("\n")[0] ?? String(error);
  const failed = { ...manifest, status: `failed: ${reason}`, failedAt: new Date().toISOString() };
  try {
    await writeJsonAtomic(path, failed);
    return null;
  } catch {
    try {
      await rewriteInPlace(path, JSON.stringify(failed, null, 2) + "\n");
      return null;
    } catch (e) {
      return `the manifest could not be marked failed either (${(e as Error).message.split("\n")[0]})`;
    }
  }
}

/** Adds a note to an IoError's message (keeps its class, path and code). */
function withNote(error: unknown, note: string | null): unknown {
  if (!note || !(error instanceof IoError)) return error;
  return new IoError(error.path, `${error.message.slice(error.path.length + 2)}; ${note}`, error.code);
}

/** The common part of every manifest. */
async function baseManifest(run: PreparedRun, options: RunOptions, startedAt: Date, mode: string) {
  return {
    runId: run.runId,
    experiment: run.config.name,
    configHash: run.hash,
    seed: run.config.seed,
    protocol: options.full ? "full" : "default",
    sets: options.sets ?? [],
    argv: options.argv ?? [],
    mode,
    git: await gitState(Deno.cwd()),
    versions: versions(),
    machine: machineInfo(),
    workers: run.workers,
    cells: run.plan.cells.length,
    ...datasetProvenance(run.plan),
    startedAt: startedAt.toISOString(),
  };
}

/** Runs `cells`, writing each record as it arrives; `done` gains them. */
async function executeCells(
  run: PreparedRun,
  cells: readonly Plan["cells"][number][],
  done: Map<string, CellRecord>,
  progress: Progress,
): Promise<void> {
  await runCells(
    cells,
    Math.min(run.workers, cells.length),
    async (record) => {
      await writeCellRecord(run.runDir, record, run.hash);
      done.set(record.id, record);
      progress.finished(record.status === "ok");
    },
    (cell) => progress.started(`${cell.id} ${describe(cell.params)}`),
  );
}

/** A whole run (or its `--resume`). */
async function runWhole(run: PreparedRun, options: RunOptions): Promise<RunOutcome> {
  const { plan, runDir } = run;
  const note = noteFn(options);
  // read-only preconditions, before the lock (which creates the folder)
  let pre: Set<string> = new Set();
  if (options.resume) {
    if (!requireSameConfig(run, "--resume", "run")) {
      throw new UsageError(`--resume: no interrupted run at ${runDir}; run without --resume to start it`);
    }
    pre = new Set(scanRecords(runDir, plan, run.hash, true).records.keys());
  } else if (existsSync(runDir)) {
    const foreign = readdirSync(runDir).filter((e) => !RUN_FILES.includes(e) && !e.startsWith("."));
    if (foreign.length > 0) {
      throw new UsageError(
        `--out: ${runDir} holds files polylab did not write (${foreign[0]}); choose another --out`,
      );
    }
  }
  checkRunLock(runDir, { kind: "exclusive" }, options);
  await announce(run, pendingByGrid(plan.cells, pre), options);

  const lock = acquireRunLock(runDir, { kind: "exclusive" }, {
    force: options.force,
    argv: options.argv,
    note,
  });
  let manifest: Record<string, unknown> | null = null;
  const manifestPath = join(runDir, "manifest.json");
  let progress: Progress | null = null;
  const removeSignals = onSignals(
    () => {
      if (manifest) writeJsonSyncQuietly(manifestPath, { ...manifest, status: "interrupted" });
      lock.release();
    },
    `interrupted: finished cells are kept; continue with --resume (${runDir})`,
    () => progress?.close(),
  );
  try {
    let done = new Map<string, CellRecord>();
    if (options.resume) {
      requireSameConfig(run, "--resume", "run");
      await cleanupTempFiles(runDir, { recursive: true });
      const scan = scanRecords(runDir, plan, run.hash, true);
      judgeScan(scan, runDir, "--resume", note);
      done = scan.records;
    } else {
      try {
        for (const e of readdirSync(runDir)) {
          if (!isLockFileName(e)) rmSync(join(runDir, e), { recursive: true, force: true });
        }
      } catch (e) {
        throw IoError.wrap(runDir, e);
      }
    }
    const startedAt = new Date();
    const base = await baseManifest(run, options, startedAt, options.resume ? "resume" : "run");
    await writeJsonAtomic(join(runDir, "config.json"), {
      hash: run.hash,
      gridPaths: plan.gridPaths,
      config: run.config,
    });
    manifest = { ...base, status: "running" };
    await writeJsonAtomic(manifestPath, manifest);

    const pending = plan.cells.filter((c) => !done.has(c.id));
    progress = new Progress(plan.cells.length, plan.cells.length - pending.length, options.quiet);
    try {
      await executeCells(run, pending, done, progress);
    } finally {
      progress.close();
    }
    return await writeOutputs(run, options, plan.cells.map((c) => done.get(c.id)!), base, startedAt, {});
  } catch (e) {
    const problem = manifest ? await markFailed(manifestPath, manifest, e) : null;
    throw withNote(e, problem);
  } finally {
    removeSignals();
    lock.release();
  }
}

/** metrics.jsonl, tables, figures, paper and extra sections, report.md and the final manifest. */
async function writeOutputs(
  run: PreparedRun,
  options: RunOptions,
  records: CellRecord[],
  base: Record<string, unknown>,
  startedAt: Date,
  extra: Record<string, unknown>,
): Promise<RunOutcome> {
  const { plan, config, runDir, runId } = run;
  const t0 = performance.now();
  await writeFileAtomic(
    join(runDir, "metrics.jsonl"),
    records.map((r) => JSON.stringify(r)).join("\n") + "\n",
  );
  const tables = buildTables(config, plan.gridPaths, records);
  const reportTables = await writeTables(runDir, tables);
  const figures = await writeFigures(runDir, config, plan.gridPaths, records);
  const paper = [
    ...await paperSections(runDir, config, plan, records),
    ...await extraSections({ runDir, config, plan, records }),
  ];
  const reportSeconds = (performance.now() - t0) / 1000;

  const failed = records.filter((r) => r.status !== "ok");
  const status = statusFor(failed.length, records.length);
  const finishedAt = new Date();
  const stageSeconds: Record<string, number> = {};
  for (const r of records) {
    for (const [k, v] of Object.entries(r.timings)) stageSeconds[k] = (stageSeconds[k] ?? 0) + v;
  }
  stageSeconds.report = reportSeconds;
  const backend = records.find((r) => r.backend)?.backend;
  const git = base.git as { commit: string | null; dirty: boolean | null };
  await writeReport(runDir, {
    title: `${config.name}${options.full ? " (full protocol)" : ""}`,
    description: config.description,
    summary: {
      status,
      runId,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      seeds: [config.seed],
      cells: { total: records.length, finished: records.length, failed: failed.length },
      extra: {
        "git commit": `${git.commit ?? "unknown"}${git.dirty ? " (dirty)" : ""}`,
        backend: backend ? `${backend.name}${backend.simd ? " (SIMD)" : ""}` : "n/a",
        "tfjs / deno": `${versions().tfjs} / ${versions().deno}`,
      },
    },
    sections: paper,
    tables: reportTables,
    figures,
  });
  const seconds = (finishedAt.getTime() - startedAt.getTime()) / 1000;
  await writeJsonAtomic(join(runDir, "manifest.json"), {
    ...base,
    status,
    failedCells: failed.map((r) => ({ id: r.id, reason: r.reason })),
    backend: backend ?? null,
    finishedAt: finishedAt.toISOString(),
    seconds,
    stageSeconds,
    ...extra,
  });
  return {
    runDir,
    plan,
    records,
    status,
    seconds,
    failed: failed.length,
    missing: [],
    exitCode: exitCodeFor(failed.length, records.length),
  };
}

/** `--shard i/n`: this shard's cells into the shared folder, skipping recorded ones. */
async function runShard(run: PreparedRun, options: RunOptions, shard: ShardSpec): Promise<RunOutcome> {
  const { plan, runDir } = run;
  const note = noteFn(options);
  const label = `${shard.index}/${shard.count}`;
  if (existsSync(runDir)) requireSameConfig(run, "--shard", "sharded run");
  const mine = shardCells(plan.cells, shard);
  const pre = existsSync(runDir)
    ? new Set(scanRecords(runDir, plan, run.hash).records.keys())
    : new Set<string>();
  checkRunLock(runDir, { kind: "shard", ...shard }, options);
  await announce(run, pendingByGrid(mine, pre), options);

  const lock = acquireRunLock(runDir, { kind: "shard", ...shard }, {
    force: options.force,
    argv: options.argv,
    note,
  });
  const startedAt = new Date();
  const manifestPath = join(runDir, SHARDS_DIR, shardManifestName(shard, startedAt));
  let manifest: ShardManifest | null = null;
  let progress: Progress | null = null;
  const removeSignals = onSignals(
    () => {
      if (manifest) writeJsonSyncQuietly(manifestPath, { ...manifest, status: "interrupted" });
      lock.release();
    },
    `interrupted: shard ${label}'s finished cells are kept; run the shard again to continue (${runDir})`,
    () => progress?.close(),
  );
  try {
    requireSameConfig(run, "--shard", "sharded run");
    const scan = scanRecords(runDir, plan, run.hash);
    judgeScan({ ...scan, unplanned: [] }, runDir, "--shard", () => {});
    for (const c of scan.corrupt) {
      const id = c.file.slice(CELLS_DIR.length + 1, -".json".length);
      if (mine.some((m) => m.id === id)) {
        note(`warning: ${join(runDir, c.file)}: ${c.reason}; that cell will run again`);
      }
    }
    const done = new Map([...scan.records].filter(([id]) => mine.some((c) => c.id === id)));
    const pending = mine.filter((c) => !done.has(c.id));
    manifest = {
      shard: label,
      index: shard.index,
      count: shard.count,
      configHash: run.hash,
      config: run.config,
      host: hostname(),
      pid: Deno.pid,
      slurm: slurmJob(),
      argv: options.argv ?? [],
      startedAt: startedAt.toISOString(),
      finishedAt: null,
      status: "running",
      cells: mine.map((c) => c.id),
      ran: [],
      skipped: mine.filter((c) => done.has(c.id)).map((c) => c.id),
      failed: [],
    };
    await writeJsonAtomic(manifestPath, manifest);
    progress = new Progress(mine.length, mine.length - pending.length, options.quiet);
    try {
      await executeCells(run, pending, done, progress);
    } finally {
      progress.close();
    }
    const records = mine.map((c) => done.get(c.id)!);
    const failed = records.filter((r) => r.status !== "ok");
    const status = statusFor(failed.length, records.length);
    const finishedAt = new Date();
    manifest = {
      ...manifest,
      finishedAt: finishedAt.toISOString(),
      status,
      ran: pending.map((c) => c.id),
      failed: failed.map((r) => r.id),
    };
    await writeJsonAtomic(manifestPath, manifest);
    return {
      runDir,
      plan,
      records,
      status,
      seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      failed: failed.length,
      missing: [],
      exitCode: exitCodeFor(failed.length, records.length),
      shard: { ...shard, ran: pending.length, skipped: mine.length - pending.length },
    };
  } catch (e) {
    const problem = manifest
      ? await markFailed(manifestPath, manifest as unknown as Record<string, unknown>, e)
      : null;
    throw withNote(e, problem);
  } finally {
    removeSignals();
    lock.release();
  }
}

/** `--aggregate`: checks every planned cell has a record, then writes the outputs as a whole run does. */
async function aggregateRun(run: PreparedRun, options: RunOptions): Promise<RunOutcome> {
  const { plan, runDir } = run;
  const note = noteFn(options);
  if (!existsSync(join(runDir, CELLS_DIR)) && folderConfigs(runDir).length === 0) {
    throw new UsageError(
      `--aggregate: no cell records at ${runDir}; run the shards first (--shard i/n, or deno task submit)`,
    );
  }
  const lock = acquireRunLock(runDir, { kind: "exclusive" }, {
    force: options.force,
    argv: options.argv,
    note,
  });
  let manifest: Record<string, unknown> | null = null;
  const manifestPath = join(runDir, "manifest.json");
  const removeSignals = onSignals(
    () => lock.release(),
    `interrupted: rerun --aggregate (${runDir})`,
    () => {},
  );
  try {
    const trusted = requireSameConfig(run, "--aggregate", "sharded run");
    await cleanupTempFiles(runDir, { recursive: true });
    const configJson = folderConfigs(runDir).some((f) => f.file === "config.json");
    const scan = scanRecords(runDir, plan, run.hash, trusted && configJson);
    judgeScan(scan, runDir, "--aggregate", note);
    const missing = plan.cells.filter((c) => !scan.records.has(c.id));
    const found = plan.cells.filter((c) => scan.records.has(c.id)).map((c) => scan.records.get(c.id)!);
    const failed = found.filter((r) => r.status !== "ok");
    const shards = readShardManifests(runDir);
    const count = shards.length ? shards[shards.length - 1].manifest.count : undefined;
    if (failed.length) {
      note(
        `--aggregate: ${failed.length} of ${plan.cells.length} cells failed: ${
          listIds(failed.map((r) => `${r.id} (${(r.reason ?? "").split(";")[0].slice(0, 60)})`))
        }`,
      );
    }
    if (missing.length) {
      const byShard = count
        ? ` (shard${new Set(missing.map((c) => shardOf(c.index, count))).size > 1 ? "s" : ""} ${
          [...new Set(missing.map((c) => shardOf(c.index, count)))].sort((a, b) => a - b).map((i) =>
            `${i}/${count}`
          )
            .join(", ")
        })`
        : "";
      note(
        `--aggregate: ${missing.length} of ${plan.cells.length} cells have no record${byShard}: ${
          listIds(missing.map((c) => c.id))
        }; run the missing shards again (deno task submit … --only-missing, or --shard i/n), then --aggregate`,
      );
      return {
        runDir,
        plan,
        records: found,
        status: "incomplete",
        seconds: 0,
        failed: failed.length,
        missing: missing.map((c) => c.id),
        exitCode: EXIT_MISSING,
      };
    }
    const startedAt = new Date();
    const base = await baseManifest(run, options, startedAt, "aggregate");
    await writeJsonAtomic(join(runDir, "config.json"), {
      hash: run.hash,
      gridPaths: plan.gridPaths,
      config: run.config,
    });
    manifest = { ...base, status: "running" };
    await writeJsonAtomic(manifestPath, manifest);
    const shardSummary = shards.map(({ manifest: m }) => ({
      shard: m.shard,
      host: m.host,
      pid: m.pid,
      slurm: m.slurm,
      startedAt: m.startedAt,
      finishedAt: m.finishedAt,
      status: m.status,
      cells: m.ran,
    }));
    return await writeOutputs(run, options, found, base, startedAt, { shards: shardSummary });
  } catch (e) {
    const problem = manifest ? await markFailed(manifestPath, manifest, e) : null;
    throw withNote(e, problem);
  } finally {
    removeSignals();
    lock.release();
  }
}

/** At most 12 ids, then "… (N more)". */
function listIds(ids: string[]): string {
  return ids.length <= 12 ? ids.join(", ") : `${ids.slice(0, 12).join(", ")}, … (${ids.length - 12} more)`;
}
