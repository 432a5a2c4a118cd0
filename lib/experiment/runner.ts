/**
 * Runs an experiment end to end into `results/<experiment>/<run-id>/`:
 * `config.json`, `manifest.json`, `cells/<id>.json` (one record per finished cell, the unit of
 * `--resume`), `metrics.jsonl`, `tables/*.csv|md`, `figures/*.svg|png` and `report.md`.
 * Every file is written atomically (temp + rename), so an interrupted run leaves no half-written
 * file, and `--resume` re-plans and skips the cells whose record exists.
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { cleanupTempFiles, writeFileAtomic, writeJsonAtomic } from "../io/atomic.ts";
import { writeReport } from "../report/report.ts";
import { UsageError } from "../errors.ts";
import { buildTables, writeFigures, writeTables } from "./aggregate.ts";
import type { CellRecord } from "./cell.ts";
import { gitState, machineInfo, versions } from "./manifest.ts";
import { configHash, describe, type Plan, planExperiment } from "./plan.ts";
import { runCells } from "./pool.ts";
import { Progress } from "./progress.ts";
import type { ExperimentInput } from "./schema.ts";
import { extraSections, paperSections } from "./sections.ts";
import { loadDataset } from "../io/dataset.ts";

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
  /** No progress output. */
  quiet?: boolean;
  /** The command line, for the manifest. */
  argv?: string[];
}

/** What a finished run returns. */
export interface RunOutcome {
  runDir: string;
  plan: Plan;
  records: CellRecord[];
  status: "completed" | "completed-with-failures";
  seconds: number;
}

const RUN_FILES = [
  "config.json",
  "manifest.json",
  "metrics.jsonl",
  "report.md",
  "cells",
  "tables",
  "figures",
];

/** The deterministic run id of a configuration. */
export function defaultRunId(options: Pick<RunOptions, "full" | "sets">, seed: number): string {
  const sets = options.sets ?? [];
  const suffix = sets.length
    ? `-set${createHash("sha256").update(sets.join("\n")).digest("hex").slice(0, 6)}`
    : "";
  return `${options.full ? "full" : "default"}-seed${seed}${suffix}`;
}

function readRecords(cellsDir: string): Map<string, CellRecord> {
  const out = new Map<string, CellRecord>();
  if (!existsSync(cellsDir)) return out;
  for (const f of readdirSync(cellsDir)) {
    if (!f.endsWith(".json")) continue;
    const record = JSON.parse(readFileSync(join(cellsDir, f), "utf8")) as CellRecord;
    out.set(record.id, record);
  }
  return out;
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

/** Runs (or resumes) an experiment; throws {@link UsageError} for bad input before any work. */
export async function runExperiment(options: RunOptions): Promise<RunOutcome> {
  const plan = planExperiment(options.input, { full: options.full, sets: options.sets, seed: options.seed });
  const { config } = plan;
  const runId = options.runId ?? defaultRunId(options, config.seed);
  const runDir = resolve(options.out ?? "results", config.name, runId);
  const hash = configHash(config);
  const workers = options.workers ?? navigator.hardwareConcurrency;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new UsageError(`--workers: expected an integer ≥ 1, got ${workers}`);
  }

  let done = new Map<string, CellRecord>();
  if (options.resume) {
    const previous = join(runDir, "config.json");
    if (!existsSync(previous)) {
      throw new UsageError(`--resume: no interrupted run at ${runDir}; run without --resume to start it`);
    }
    const prevHash = (JSON.parse(readFileSync(previous, "utf8")) as { hash?: string }).hash;
    if (prevHash !== hash) {
      throw new UsageError(`--resume: the config differs from the run at ${runDir}; rerun without --resume`);
    }
    await cleanupTempFiles(runDir, { recursive: true });
    done = readRecords(join(runDir, "cells"));
  } else if (existsSync(runDir)) {
    const entries = readdirSync(runDir);
    const foreign = entries.filter((e) => !RUN_FILES.includes(e) && !e.startsWith("."));
    if (foreign.length > 0) {
      throw new UsageError(
        `--out: ${runDir} holds files polylab did not write (${foreign[0]}); choose another --out`,
      );
    }
    for (const e of entries) rmSync(join(runDir, e), { recursive: true, force: true });
  }

  const startedAt = new Date();
  const git = await gitState(Deno.cwd());
  const baseManifest = {
    runId,
    experiment: config.name,
    configHash: hash,
    seed: config.seed,
    protocol: options.full ? "full" : "default",
    sets: options.sets ?? [],
    argv: options.argv ?? [],
    git,
    versions: versions(),
    machine: machineInfo(),
    workers,
    cells: plan.cells.length,
    ...datasetProvenance(plan),
    startedAt: startedAt.toISOString(),
  };
  await writeJsonAtomic(join(runDir, "config.json"), { hash, gridPaths: plan.gridPaths, config });
  await writeJsonAtomic(join(runDir, "manifest.json"), { ...baseManifest, status: "running" });

  const pending = plan.cells.filter((c) => !done.has(c.id));
  const progress = new Progress(plan.cells.length, plan.cells.length - pending.length, options.quiet);
  const onInterrupt = () => {
    progress.close();
    console.error(`interrupted: finished cells are kept; continue with --resume (${runDir})`);
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  try {
    await runCells(
      pending,
      Math.min(workers, pending.length),
      async (record) => {
        await writeJsonAtomic(join(runDir, "cells", `${record.id}.json`), record);
        done.set(record.id, record);
        progress.finished(record.status === "ok");
      },
      (cell) => progress.started(`${cell.id} ${describe(cell.params)}`),
    );
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
    progress.close();
  }

  const t0 = performance.now();
  const records = plan.cells.map((c) => done.get(c.id)!);
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
  const status = failed.length ? "completed-with-failures" : "completed";
  const finishedAt = new Date();
  const stageSeconds: Record<string, number> = {};
  for (const r of records) {
    for (const [k, v] of Object.entries(r.timings)) stageSeconds[k] = (stageSeconds[k] ?? 0) + v;
  }
  stageSeconds.report = reportSeconds;
  const backend = records.find((r) => r.backend)?.backend;
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
  await writeJsonAtomic(join(runDir, "manifest.json"), {
    ...baseManifest,
    status,
    failedCells: failed.map((r) => ({ id: r.id, reason: r.reason })),
    backend: backend ?? null,
    finishedAt: finishedAt.toISOString(),
    seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    stageSeconds,
  });
  return { runDir, plan, records, status, seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000 };
}
