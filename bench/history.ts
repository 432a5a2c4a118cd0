/**
 * The benchmark history: an append-only JSON-Lines file, one line per `deno task bench` run,
 * holding what is needed to compare runs later: schema version, time, trigger, commit and baseline
 * commit, the machine's fingerprint (CPU model, cores, memory, OS/arch; never the host name), the
 * Deno/V8/TypeScript versions, the lockfile's hash, the load average, and per case every raw sample.
 *
 * Reading validates each line against {@link RunRecordSchema} (zod); a malformed line (bad JSON,
 * a missing field, a newer schema) is reported as `FILE:LINE: reason` and skipped, never fatal.
 * Appending takes a lock file beside the history (so two runs on one machine cannot interleave)
 * and rewrites the file atomically (lib/io/atomic.ts): existing lines are kept byte for byte and a
 * crash leaves the old file or the new one, never a torn line.
 *
 * @module
 */

import { z } from "zod";
import { appendJsonLine } from "../lib/io/atomic.ts";
import { machineInfo } from "../lib/experiment/manifest.ts";
import { sha256Hex } from "./suite.ts";

/** Version of the line format written by this module. */
export const HISTORY_SCHEMA_VERSION = 1;

const Fact = z.union([z.number(), z.string(), z.boolean(), z.null(), z.array(z.number())]);
const Facts = z.record(z.string(), Fact);

/** One side (HEAD or baseline) of a case in one run. */
export const SideSchema = z.object({
  /** The metric of every measured run, in run order (seconds); warm-ups excluded. */
  samples: z.array(z.number()),
  /** Whole-process wall seconds of the same runs. */
  wall_seconds: z.array(z.number()),
  /** Metric of the discarded warm-up runs. */
  warmup: z.array(z.number()),
  /** Largest peak RSS the runs reported (MiB). */
  peak_rss_mib: z.number().optional(),
  /** First failure (exit code and last stderr line, or timeout). */
  error: z.string().optional(),
});

/** Marks of a paired comparison, as in asv. */
export const MARKS = ["improvement", "regression", "not significant", "failed", "not comparable"] as const;

/** The paired statistics of one case. */
export const ComparisonSchema = z.object({
  /** median(HEAD) / median(baseline). */
  ratio: z.number().nullable(),
  /** Bootstrap 95 % interval of the ratio. */
  ci_low: z.number().nullable(),
  ci_high: z.number().nullable(),
  /** Mann–Whitney U two-sided p, and Holm-adjusted across the run's cases. */
  p: z.number().nullable(),
  p_holm: z.number().nullable(),
  test: z.enum(["exact", "normal"]).nullable(),
  /** Relative threshold that applied (0.1 = 10 %). */
  threshold: z.number(),
  mark: z.enum(MARKS),
  /** Why, in words, when the mark needs it. */
  note: z.string().optional(),
});

/** One case in one run. */
export const CaseRecordSchema = z.object({
  id: z.string().min(1),
  suite: z.string().min(1),
  /** Version hash of the case definition (bench/suite.ts caseVersion). */
  version: z.string().min(1),
  metric: z.string().min(1),
  info: Facts.optional(),
  facts: Facts.optional(),
  head: SideSchema,
  baseline: SideSchema.optional(),
  /** Version of the same id in the baseline's own registry (null: baseline predates the registry). */
  baseline_version: z.string().nullable().optional(),
  comparison: ComparisonSchema.optional(),
});

/** The machine, without its name. */
export const MachineSchema = z.object({
  /** 12 hex digits of SHA-256 over the other fields. */
  fingerprint: z.string().min(1),
  cpu: z.string(),
  cores: z.number().int().positive(),
  memory_gib: z.number().nullable(),
  os: z.string(),
  arch: z.string(),
});

/** A timed reference implementation (R, PyTorch) beside one of polylab's cases. */
export const AnchorSchema = z.object({
  name: z.string(),
  case_id: z.string(),
  /** The anchor's own compute seconds, each run. */
  samples: z.array(z.number()),
  /** median(polylab) / median(anchor) for the same work, when both ran. */
  ratio: z.number().nullable(),
  version: z.string().optional(),
  skipped: z.string().optional(),
});

/** One line of the history. */
export const RunRecordSchema = z.object({
  schema: z.literal(HISTORY_SCHEMA_VERSION),
  /** Start and end of the run (ISO 8601). */
  time: z.string().datetime(),
  finished: z.string().datetime(),
  /** What started it: manual, schedule, workflow_dispatch, ci, … */
  trigger: z.string().min(1),
  commit: z.string().nullable(),
  dirty: z.boolean().nullable(),
  baseline_ref: z.string().nullable(),
  baseline_commit: z.string().nullable(),
  /** "registry": the baseline listed its own cases; "legacy": it predates bench/suites.ts. */
  baseline_mode: z.enum(["registry", "legacy"]).nullable(),
  machine: MachineSchema,
  runtime: z.object({ deno: z.string(), v8: z.string(), typescript: z.string() }),
  lockfile_sha256: z.string().nullable(),
  load_average: z.object({ start: z.array(z.number()).nullable(), end: z.array(z.number()).nullable() }),
  settings: z.object({
    samples: z.number().int(),
    warmup: z.number().int(),
    seed: z.number().int(),
    timeout_seconds: z.number(),
    only: z.array(z.string()).nullable(),
    anchors: z.boolean(),
  }),
  cases: z.array(CaseRecordSchema),
  skipped: z.array(z.object({ suite: z.string(), reason: z.string() })).default([]),
  anchors: z.array(AnchorSchema).default([]),
});

/** A validated history line. */
export type RunRecord = z.infer<typeof RunRecordSchema>;
/** One case of a run. */
export type CaseRecord = z.infer<typeof CaseRecordSchema>;
/** One side of a case. */
export type SideRecord = z.infer<typeof SideSchema>;
/** A comparison. */
export type ComparisonRecord = z.infer<typeof ComparisonSchema>;
/** A mark. */
export type Mark = (typeof MARKS)[number];
/** The machine. */
export type MachineRecord = z.infer<typeof MachineSchema>;
/** An anchor. */
export type AnchorRecord = z.infer<typeof AnchorSchema>;

/** Validated runs of a history text, and one line per skipped line. */
export interface ParsedHistory {
  runs: RunRecord[];
  problems: string[];
}

/** Validates every line of a history text; `name` labels the problems (`name:LINE: reason`). */
export function parseHistory(text: string, name: string): ParsedHistory {
  const runs: RunRecord[] = [];
  const problems: string[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const where = `${name}:${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      problems.push(`${where}: not JSON (${(e as Error).message.split("\n")[0]}); line skipped`);
      return;
    }
    const schema = (json as { schema?: unknown })?.schema;
    if (typeof schema === "number" && schema > HISTORY_SCHEMA_VERSION) {
      problems.push(
        `${where}: schema ${schema} is newer than this polylab's ${HISTORY_SCHEMA_VERSION}; line skipped`,
      );
      return;
    }
    const parsed = RunRecordSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue.path.length ? issue.path.join(".") : "(line)";
      problems.push(`${where}: ${path}: ${issue.message}; line skipped`);
      return;
    }
    runs.push(parsed.data);
  });
  return { runs, problems };
}

/** Reads and validates a history file (missing file: no runs, no problems). */
export async function readHistory(path: string): Promise<ParsedHistory> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { runs: [], problems: [] };
    throw e;
  }
  return parseHistory(text, path);
}

/**
 * Appends one validated run under a lock file (`PATH.lock`, created exclusively; a lock older
 * than `staleMs` is taken over as left by a killed run).
 */
export async function appendRun(
  path: string,
  run: RunRecord,
  options: { waitMs?: number; staleMs?: number } = {},
): Promise<void> {
  const record = RunRecordSchema.parse(run); // never append a line a reader would refuse
  const lock = `${path}.lock`;
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  for (;;) {
    try {
      Deno.writeTextFileSync(lock, `${Deno.pid}\n`, { createNew: true });
      break;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        await Deno.mkdir(path.replace(/[^/]*$/, "") || ".", { recursive: true });
        continue;
      }
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
      const age = Date.now() - ((await Deno.stat(lock).catch(() => null))?.mtime?.getTime() ?? Date.now());
      if (age > (options.staleMs ?? 600_000)) {
        await Deno.remove(lock).catch(() => {});
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`${lock} is held by another bench run; remove it if none runs`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    await appendJsonLine(path, record);
  } finally {
    await Deno.remove(lock).catch(() => {});
  }
}

/** The machine record of this process: CPU model, cores, memory (GiB, rounded), OS and arch. */
export function machineRecord(): MachineRecord {
  const m = machineInfo();
  const base = {
    cpu: typeof m.cpu === "string" ? m.cpu : "unknown",
    cores: Number(m.cores),
    memory_gib: typeof m.memoryGiB === "number" ? m.memoryGiB : null,
    os: String(m.os),
    arch: String(m.arch),
  };
  return { fingerprint: sha256Hex(JSON.stringify(base)).slice(0, 12), ...base };
}

/** 1/5/15-minute load averages, rounded to 0.01 (null where unreadable). */
export function loadAverage(): number[] | null {
  try {
    return Deno.loadavg().map((v) => Math.round(v * 100) / 100);
  } catch {
    return null;
  }
}
