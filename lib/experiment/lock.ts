/**
 * Run-folder locks. A plain run, a `--resume` and `--aggregate` hold the folder's exclusive lock
 * (`<run>/.lock`) for their whole life; a shard (`--shard i/n`) holds only its own
 * `<run>/.lock-shard-i-of-n`, so the n shards of one sweep run side by side while the folder is
 * protected from a plain run. The rules:
 *
 * - an exclusive lock is refused while another exclusive lock or any shard lock is held by a live
 *   process; a shard lock is refused while the exclusive lock or the same shard's lock is live;
 * - a lock whose holder is dead (same host: the pid is gone, or was reused by another process; or a
 *   Slurm job that has ended) is stale: a stale *exclusive* lock is reported and taken only with
 *   `--force`; a stale *shard* lock is reported and taken over (a shard's work is idempotent and a dead
 *   holder can no longer write);
 * - a holder on another host whose liveness cannot be checked (no Slurm job to ask `scontrol` about)
 *   counts as live: the refusal says so, and `--force` takes the lock.
 *
 * A lock is a file created atomically with its content (written to a temp file, then hard-linked to
 * the lock name: `link` fails if the name exists, on local file systems and NFS alike), holding the
 * holder's pid, host, process start time, start date, argv and Slurm job. See the README
 * ("Reliability") for why this and not `proper-lockfile` or `Deno.FsFile.lock`.
 *
 * @module
 */

import { hostname } from "node:os";
import { join } from "node:path";
import { IoError, UsageError } from "../errors.ts";

/** Who holds a lock (the lock file's content). */
export interface LockHolder {
  /** `exclusive`, or `shard` with its `i/n`. */
  kind: "exclusive" | "shard";
  /** The shard, `i/n` (shard locks). */
  shard?: string;
  /** Process id. */
  pid: number;
  /** Host name. */
  host: string;
  /** ISO date the lock was taken. */
  startedAt: string;
  /** The process's start time in clock ticks since boot (Linux), to tell a reused pid. */
  processStart?: string;
  /** The command line. */
  argv: string[];
  /** The Slurm job that runs the holder, when there is one. */
  slurm?: { jobId: string; arrayJobId?: string; arrayTaskId?: string };
  /** A random token telling this lock apart from a later one of the same name. */
  token: string;
}

/** Whether a lock's holder still runs. */
export type Liveness = "alive" | "dead" | "unknown";

/** File name of the exclusive lock. */
export const EXCLUSIVE_LOCK = ".lock";
/** Prefix of shard lock file names (`.lock-shard-2-of-4`). */
export const SHARD_LOCK_PREFIX = ".lock-shard-";

/** True for the names of lock files (kept when a run folder is cleared). */
export function isLockFileName(name: string): boolean {
  return name === EXCLUSIVE_LOCK || name.startsWith(SHARD_LOCK_PREFIX) || /^\.lock.*\.tmp-\d+$/.test(name);
}

/** Start time of a process (field 22 of /proc/PID/stat), or null when it does not exist / no procfs. */
function processStartTicks(pid: number): string | null | undefined {
  let stat: string;
  try {
    stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return Deno.build.os === "linux" ? null : undefined;
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[19];
}

/** The current process as a lock holder. */
function me(kind: LockHolder["kind"], shard: string | undefined, argv: string[]): LockHolder {
  const env = (k: string) => Deno.env.get(k) || undefined;
  const jobId = env("SLURM_JOB_ID");
  return {
    kind,
    ...(shard ? { shard } : {}),
    pid: Deno.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    processStart: processStartTicks(Deno.pid) ?? undefined,
    argv,
    ...(jobId
      ? { slurm: { jobId, arrayJobId: env("SLURM_ARRAY_JOB_ID"), arrayTaskId: env("SLURM_ARRAY_TASK_ID") } }
      : {}),
    token: crypto.randomUUID(),
  };
}

/** Asks Slurm whether a job still runs (`scontrol show job`); "unknown" when Slurm cannot be asked. */
function slurmJobLiveness(jobId: string): Liveness {
  try {
    const out = new Deno.Command("scontrol", {
      args: ["-o", "show", "job", jobId],
      stdout: "piped",
      stderr: "piped",
    })
      .outputSync();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    if (/Invalid job id/i.test(text)) return "dead";
    const state = text.match(/JobState=(\w+)/)?.[1];
    if (!state) return "unknown";
    return ["RUNNING", "PENDING", "CONFIGURING", "COMPLETING", "SUSPENDED", "REQUEUED", "RESIZING", "STOPPED"]
        .includes(state)
      ? "alive"
      : "dead";
  } catch {
    return "unknown";
  }
}

/** Whether `holder` still runs: checked by pid on this host, by Slurm elsewhere, else unknown. */
export function holderLiveness(holder: LockHolder): Liveness {
  if (holder.host === hostname()) {
    const start = processStartTicks(holder.pid);
    if (start === null) return "dead";
    if (start === undefined) return "unknown";
    return holder.processStart && start !== holder.processStart ? "dead" : "alive";
  }
  if (holder.slurm?.jobId) return slurmJobLiveness(holder.slurm.jobId);
  return "unknown";
}

/** One line describing a holder: `pid 123 on host h since 2025-…, shard 1/4 (deno task run …)`. */
export function describeHolder(h: LockHolder): string {
  const slurm = h.slurm
    ? `, Slurm job ${h.slurm.arrayJobId ? `${h.slurm.arrayJobId}_${h.slurm.arrayTaskId}` : h.slurm.jobId}`
    : "";
  return `pid ${h.pid} on host ${h.host} since ${h.startedAt}${h.shard ? `, shard ${h.shard}` : ""}${slurm}`;
}

/** Reads a lock file; null when it is absent, a holder with pid 0 when unreadable. */
function readHolder(path: string): LockHolder | null {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw IoError.wrap(path, e);
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    if (typeof h.pid === "number" && typeof h.host === "string") return h;
  } catch {
    // a lock file that is not ours or damaged: treated as a dead holder
  }
  return { kind: "exclusive", pid: 0, host: "?", startedAt: "?", argv: [], token: "" };
}

/** Creates `path` holding `holder`, atomically; false when it already exists. */
function createLockFile(path: string, holder: LockHolder): boolean {
  const temp = `${path}.${holder.token.slice(0, 8)}.tmp-${Deno.pid}`;
  try {
    Deno.writeTextFileSync(temp, JSON.stringify(holder, null, 2) + "\n", { createNew: true });
    try {
      Deno.linkSync(temp, path);
      return true;
    } catch (e) {
      if (e instanceof Deno.errors.AlreadyExists) return false;
      throw e;
    }
  } catch (e) {
    throw IoError.wrap(path, e);
  } finally {
    try {
      Deno.removeSync(temp);
    } catch {
      // already gone
    }
  }
}

/** A held lock. */
export interface RunLock {
  /** The lock file. */
  readonly path: string;
  /** Who holds it (this process). */
  readonly holder: LockHolder;
  /** Removes the lock file if it is still this process's (idempotent; safe in signal handlers). */
  release(): void;
}

/** Which lock to take. */
export type LockKind = { kind: "exclusive" } | { kind: "shard"; index: number; count: number };

/** Options of {@link acquireRunLock}. */
export interface LockOptions {
  /** Take a stale lock, or one whose holder's liveness cannot be checked. */
  force?: boolean;
  /** The command line, recorded in the lock. */
  argv?: string[];
  /** Where notes about stale locks taken over go (default stderr). */
  note?: (line: string) => void;
}

/** File name of a shard's lock. */
export function shardLockName(index: number, count: number): string {
  return `${SHARD_LOCK_PREFIX}${index}-of-${count}`;
}

/**
 * Takes the lock of `runDir` (creating the folder), or refuses with a {@link UsageError} naming the
 * holder: its pid, host and start time. See the module doc for the rules.
 */
export function acquireRunLock(runDir: string, kind: LockKind, options: LockOptions = {}): RunLock {
  const note = options.note ?? ((line: string) => console.error(line));
  try {
    Deno.mkdirSync(runDir, { recursive: true });
  } catch (e) {
    throw IoError.wrap(runDir, e);
  }
  const name = kind.kind === "exclusive" ? EXCLUSIVE_LOCK : shardLockName(kind.index, kind.count);
  const shard = kind.kind === "shard" ? `${kind.index}/${kind.count}` : undefined;
  const path = join(runDir, name);
  const holder = me(kind.kind, shard, options.argv ?? []);
  const what = kind.kind === "exclusive" ? "the run folder" : `shard ${shard} of the run folder`;

  // our own lock: create it, or judge the one in the way
  for (let attempt = 0; !createLockFile(path, holder); attempt++) {
    const other = readHolder(path);
    if (other === null) continue; // released meanwhile
    const live = other.pid === 0 ? "dead" : holderLiveness(other);
    const stale = live === "dead";
    const takeOver = attempt === 0 &&
      (options.force || (stale && kind.kind === "shard"));
    if (!takeOver) throw refusal(what, runDir, other, live, kind.kind === "exclusive");
    note(
      `note: ${stale ? "stale" : "unverifiable"} lock of ${what} ${runDir} taken over (${
        other.pid ? describeHolder(other) : "no holder information"
      }${options.force ? ", --force" : ""})`,
    );
    Deno.removeSync(path);
  }
  const lock: RunLock = {
    path,
    holder,
    release() {
      const current = readHolderQuietly(path);
      if (current?.token === holder.token) {
        try {
          Deno.removeSync(path);
        } catch {
          // gone already
        }
      }
    },
  };

  // the other side: shard locks for an exclusive lock, the exclusive lock for a shard
  try {
    const others = kind.kind === "exclusive"
      ? listShardLocks(runDir)
      : [EXCLUSIVE_LOCK].filter((n) => n !== name);
    for (const otherName of others) {
      const otherPath = join(runDir, otherName);
      const other = readHolder(otherPath);
      if (other === null) continue;
      const live = other.pid === 0 ? "dead" : holderLiveness(other);
      if (live === "dead") {
        if (kind.kind === "exclusive") {
          note(`note: removed the stale lock of shard ${other.shard ?? "?"} (${describeHolder(other)})`);
          Deno.removeSync(otherPath);
        }
        continue;
      }
      if (live === "unknown" && options.force) {
        note(`note: ignoring the unverifiable lock ${otherName} (${describeHolder(other)}), --force`);
        if (kind.kind === "exclusive") Deno.removeSync(otherPath);
        continue;
      }
      throw blockedBy(runDir, kind.kind === "exclusive", other, live);
    }
  } catch (e) {
    lock.release();
    throw e instanceof Deno.errors.NotFound ? IoError.wrap(runDir, e) : e;
  }
  return lock;
}

/**
 * Read-only preflight of {@link acquireRunLock}: throws the refusal it would give when the lock is
 * held by a live (or unverifiable, without `force`) process, or is stale and needs `force`. Writes
 * nothing, so a run can refuse in one line before it prints anything or creates its folder.
 */
export function checkRunLock(runDir: string, kind: LockKind, options: Pick<LockOptions, "force"> = {}): void {
  const exclusive = kind.kind === "exclusive";
  const name = exclusive ? EXCLUSIVE_LOCK : shardLockName(kind.index, kind.count);
  const what = exclusive ? "the run folder" : `shard ${kind.index}/${kind.count} of the run folder`;
  const own = readHolderQuietly(join(runDir, name));
  if (own) {
    const live = own.pid === 0 ? "dead" : holderLiveness(own);
    const takeable = options.force || (live === "dead" && !exclusive);
    if (!takeable) throw refusal(what, runDir, own, live, exclusive);
  }
  for (const otherName of exclusive ? listShardLocks(runDir) : [EXCLUSIVE_LOCK]) {
    const other = readHolderQuietly(join(runDir, otherName));
    if (!other || other.pid === 0) continue;
    const live = holderLiveness(other);
    if (live === "alive" || (live === "unknown" && !options.force)) {
      throw blockedBy(runDir, exclusive, other, live);
    }
  }
}

function readHolderQuietly(path: string): LockHolder | null {
  try {
    return readHolder(path);
  } catch {
    return null;
  }
}

/** Names of the shard lock files in `runDir`. */
export function listShardLocks(runDir: string): string[] {
  try {
    return [...Deno.readDirSync(runDir)].map((e) => e.name).filter((n) => n.startsWith(SHARD_LOCK_PREFIX))
      .filter((n) => !n.includes(".tmp-")).sort();
  } catch {
    return [];
  }
}

/** The refusal when the other kind of lock (shard ↔ exclusive) is held. */
function blockedBy(runDir: string, exclusive: boolean, other: LockHolder, live: Liveness): UsageError {
  const blocker = exclusive
    ? `shard ${other.shard ?? "?"} is running in it`
    : "a run or --aggregate holds it exclusively";
  const unknown = live === "unknown";
  return new UsageError(
    `${runDir}: ${blocker} (${describeHolder(other)}${
      unknown ? "; on another host, so polylab cannot check it is still running" : ""
    }); wait for it to finish${unknown ? ", or rerun with --force if it is not running" : ""}`,
  );
}

function refusal(
  what: string,
  runDir: string,
  other: LockHolder,
  live: Liveness,
  exclusive: boolean,
): UsageError {
  if (other.pid === 0) {
    return new UsageError(
      `${runDir}: a lock file without holder information is in the way (${
        exclusive ? EXCLUSIVE_LOCK : "shard lock"
      }); if no run uses the folder, rerun with --force`,
    );
  }
  if (live === "dead") {
    return new UsageError(
      `${runDir}: stale lock of ${what}: ${describeHolder(other)} is no longer running; rerun with --force ` +
        `to take it over (with --resume to keep the finished cells)`,
    );
  }
  if (live === "unknown") {
    return new UsageError(
      `${runDir}: ${what} is locked by ${
        describeHolder(other)
      }, another host: polylab cannot check whether it ` +
        `is still running; wait for it, or rerun with --force if it is not`,
    );
  }
  return new UsageError(
    `${runDir}: ${what} is in use by another run (${describeHolder(other)}); wait for it to finish, or ` +
      `choose another --run-id or --out`,
  );
}
