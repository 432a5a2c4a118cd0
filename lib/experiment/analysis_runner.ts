/**
 * Runs an analysis experiment (`kind: "analysis"`) into `results/<name>/<run-id>/`: config.json,
 * the routine's tables and figures, report.md and manifest.json, all written atomically.
 *
 * @module
 */

import { existsSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { cleanupTempFiles, writeJsonAtomic } from "../io/atomic.ts";
import { writeReport } from "../report/report.ts";
import { UsageError } from "../errors.ts";
import { analysisNamed, registeredNames } from "./registry.ts";
import { gitState, machineInfo, versions } from "./manifest.ts";
import { deepMerge, parseSet, setPath } from "./plan.ts";
import { defaultRunId } from "./runner.ts";
import { type AnalysisInput, analysisSchema, formatIssue } from "./schema.ts";

/** Options of {@link runAnalysisExperiment} (the subset of run options that apply). */
export interface AnalysisRunOptions {
  input: AnalysisInput;
  full?: boolean;
  sets?: string[];
  seed?: number;
  out?: string;
  runId?: string;
  quiet?: boolean;
  argv?: string[];
}

/** Runs an analysis experiment; bad configs are refused before any work. */
export async function runAnalysisExperiment(
  options: AnalysisRunOptions,
): Promise<{ runDir: string; seconds: number }> {
  let raw = structuredClone(options.input) as Record<string, unknown>;
  if (options.full) {
    if (!raw.full) throw new UsageError(`--full: experiment "${raw.name}" defines no full protocol`);
    raw = {
      ...raw,
      params: deepMerge((raw.params ?? {}) as Record<string, unknown>, raw.full as Record<string, unknown>),
    };
  }
  for (const expr of options.sets ?? []) setPath(raw, ...parseSet(expr));
  if (options.seed !== undefined) raw.seed = options.seed;
  const parsed = analysisSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(formatIssue(parsed.error));
  const config = parsed.data;
  const routine = analysisNamed(config.analysis)?.run;
  if (!routine) {
    throw new UsageError(
      `analysis: unknown "${config.analysis}"; known: ${registeredNames().analyses.join(", ") || "none"}`,
    );
  }
  const runId = options.runId ?? defaultRunId(options, config.seed);
  const runDir = resolve(options.out ?? "results", config.name, runId);
  if (existsSync(runDir)) {
    for (const e of readdirSync(runDir)) rmSync(join(runDir, e), { recursive: true, force: true });
  }
  await cleanupTempFiles(runDir, { recursive: true }).catch(() => []);
  const startedAt = new Date();
  const git = await gitState(Deno.cwd());
  const base = {
    runId,
    experiment: config.name,
    kind: "analysis",
    analysis: config.analysis,
    seed: config.seed,
    protocol: options.full ? "full" : "default",
    sets: options.sets ?? [],
    argv: options.argv ?? [],
    git,
    versions: versions(),
    machine: machineInfo(),
    startedAt: startedAt.toISOString(),
  };
  await writeJsonAtomic(join(runDir, "config.json"), { config });
  await writeJsonAtomic(join(runDir, "manifest.json"), { ...base, status: "running" });
  const output = await routine({
    runDir,
    seed: config.seed,
    params: config.params,
    formats: config.formats,
    full: !!options.full,
    progress: (m) => {
      if (!options.quiet) console.error(`[polylab] ${config.name}: ${m}`);
    },
  });
  const finishedAt = new Date();
  const seconds = (finishedAt.getTime() - startedAt.getTime()) / 1000;
  await writeReport(runDir, {
    title: `${config.name}${options.full ? " (full protocol)" : ""}`,
    description: config.description,
    summary: {
      status: "completed",
      runId,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationSeconds: seconds,
      seeds: [config.seed],
      extra: {
        "git commit": `${git.commit ?? "unknown"}${git.dirty ? " (dirty)" : ""}`,
        deno: versions().deno,
      },
    },
    sections: output.sections,
    tables: output.tables,
    figures: output.figures,
  });
  await writeJsonAtomic(join(runDir, "manifest.json"), {
    ...base,
    status: "completed",
    finishedAt: finishedAt.toISOString(),
    seconds,
  });
  return { runDir, seconds };
}
