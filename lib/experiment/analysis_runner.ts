/**
 * Runs an analysis experiment (`kind: "analysis"`) into `results/<name>/<run-id>/`: config.json,
 * the routine's tables and figures, report.md and manifest.json, all written atomically.
 *
 * @module
 */

import { existsSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { cleanupTempFiles, rewriteInPlace, writeJsonAtomic } from "../io/atomic.ts";
import { checkWritable } from "../io/writable.ts";
import { writeReport } from "../report/report.ts";
import { IoError, UsageError } from "../errors.ts";
import { acquireRunLock, isLockFileName } from "./lock.ts";
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
  /** Take over a stale lock of the run folder. */
  force?: boolean;
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
  const entry = analysisNamed(config.analysis);
  if (!entry) {
    throw new UsageError(
      `analysis: unknown "${config.analysis}"; known: ${registeredNames().analyses.join(", ") || "none"}`,
    );
  }
  entry.validate?.(config.params);
  const routine = entry.run;
  const runId = options.runId ?? defaultRunId(options, config.seed);
  const runDir = resolve(options.out ?? "results", config.name, runId);
  checkWritable(runDir, "--out");
  if (existsSync(runDir)) {
    const foreign = readdirSync(runDir).filter((e) => !ANALYSIS_FILES.includes(e) && !e.startsWith("."));
    if (foreign.length > 0) {
      throw new UsageError(
        `--out: ${runDir} holds files polylab did not write (${foreign[0]}); choose another --out`,
      );
    }
  }
  const lock = acquireRunLock(runDir, { kind: "exclusive" }, { force: options.force, argv: options.argv });
  const started: { manifest: Record<string, unknown> | null } = { manifest: null };
  const manifestPath = join(runDir, "manifest.json");
  try {
    return await runLocked();
  } catch (e) {
    if (started.manifest) {
      const failed = { ...started.manifest, status: `failed: ${(e as Error).message.split("\n")[0]}` };
      await writeJsonAtomic(manifestPath, failed).catch(() =>
        rewriteInPlace(manifestPath, JSON.stringify(failed, null, 2) + "\n")
      )
        .catch(() => {});
    }
    throw e;
  } finally {
    lock.release();
  }

  async function runLocked(): Promise<{ runDir: string; seconds: number }> {
    try {
      for (const e of readdirSync(runDir)) {
        if (!isLockFileName(e)) rmSync(join(runDir, e), { recursive: true, force: true });
      }
    } catch (e) {
      throw IoError.wrap(runDir, e);
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
    started.manifest = base;
    await writeJsonAtomic(manifestPath, { ...base, status: "running" });
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
    await writeJsonAtomic(manifestPath, {
      ...base,
      status: "completed",
      finishedAt: finishedAt.toISOString(),
      seconds,
    });
    return { runDir, seconds };
  }
}

/** What an analysis run leaves in its folder (anything else there was not written by polylab). */
const ANALYSIS_FILES = ["config.json", "manifest.json", "report.md", "tables", "figures"];
