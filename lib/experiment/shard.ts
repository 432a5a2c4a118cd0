/**
 * Sharded sweeps: `--shard i/n` runs the cells whose plan index ≡ i (mod n) into the shared run
 * folder, writing only their cell records and one shard manifest per attempt
 * (`shards/shard-i-of-n.<host>.<pid>.<start>.json`), so shards never write the same file. Which cells
 * a shard runs depends only on the plan and n, so re-running a shard (or the whole array) is the
 * resume, and `--aggregate` builds the outputs from the records.
 *
 * Modulo, not balanced by estimated cost: the plan is grid-major with repetitions innermost, so every
 * shard gets about the same share of every grid point (the expensive ones included) whenever
 * repetitions ≥ n; and the slice needs no cost model that could change between a first submission
 * and a resubmission of the missing indices.
 *
 * @module
 */

import { hostname } from "node:os";
import { join } from "node:path";
import { IoError, UsageError } from "../errors.ts";
import type { Cell } from "./plan.ts";

/** A shard of a plan: index i of n. */
export interface ShardSpec {
  /** 0-based index. */
  index: number;
  /** Number of shards. */
  count: number;
}

/** Folder of the shard manifests inside a run folder. */
export const SHARDS_DIR = "shards";

/** Parses `i/n` (0 ≤ i < n), e.g. `--shard $SLURM_ARRAY_TASK_ID/4`. */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count) || count > 100_000) {
    throw new UsageError(
      `--shard: expected i/n with 0 ≤ i < n ≤ 100000, e.g. --shard 0/4 or --shard $SLURM_ARRAY_TASK_ID/4, ` +
        `got "${text}"`,
    );
  }
  return { index, count };
}

/** The cells of shard i/n: plan index ≡ i (mod n), in plan order. */
export function shardCells(cells: readonly Cell[], shard: ShardSpec): Cell[] {
  return cells.filter((c) => c.index % shard.count === shard.index);
}

/** The shard that runs a cell of plan index `index`. */
export function shardOf(index: number, count: number): number {
  return index % count;
}

/** What a shard attempt records about itself. */
export interface ShardManifest {
  /** `i/n`. */
  shard: string;
  index: number;
  count: number;
  /** Hash of the resolved config; the merge refuses another. */
  configHash: string;
  /** The resolved config (to name the differing fields of a mismatch). */
  config: unknown;
  host: string;
  pid: number;
  /** The Slurm job of the attempt, if any. */
  slurm: { jobId: string; arrayJobId?: string; arrayTaskId?: string } | null;
  argv: string[];
  startedAt: string;
  finishedAt: string | null;
  /** `running`, `completed`, `completed-with-failures`, `all-cells-failed`, `failed: <reason>`, `interrupted`. */
  status: string;
  /** Every cell of the shard, the ones this attempt ran, and the ones it found recorded. */
  cells: string[];
  ran: string[];
  skipped: string[];
  failed: string[];
}

/** File name of one shard attempt's manifest. */
export function shardManifestName(shard: ShardSpec, startedAt: Date): string {
  const host = hostname().replace(/[^A-Za-z0-9.-]/g, "_");
  return `shard-${shard.index}-of-${shard.count}.${host}.${Deno.pid}.${startedAt.getTime()}.json`;
}

/** Every shard manifest of a run folder (attempt order: by start time, then name). */
export function readShardManifests(runDir: string): { file: string; manifest: ShardManifest }[] {
  const dir = join(runDir, SHARDS_DIR);
  let names: string[];
  try {
    names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => /^shard-.*\.json$/.test(n));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw IoError.wrap(dir, e);
  }
  const out: { file: string; manifest: ShardManifest }[] = [];
  for (const name of names) {
    try {
      const manifest = JSON.parse(Deno.readTextFileSync(join(dir, name))) as ShardManifest;
      if (typeof manifest.configHash === "string") out.push({ file: `${SHARDS_DIR}/${name}`, manifest });
    } catch {
      // a torn manifest cannot happen (atomic writes); a foreign file is ignored
    }
  }
  return out.sort((a, b) =>
    a.manifest.startedAt.localeCompare(b.manifest.startedAt) || a.file.localeCompare(b.file)
  );
}

/** The Slurm job this process runs in, if any. */
export function slurmJob(): ShardManifest["slurm"] {
  const env = (k: string) => Deno.env.get(k) || undefined;
  const jobId = env("SLURM_JOB_ID");
  return jobId
    ? { jobId, arrayJobId: env("SLURM_ARRAY_JOB_ID"), arrayTaskId: env("SLURM_ARRAY_TASK_ID") }
    : null;
}
