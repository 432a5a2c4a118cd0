import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { UsageError } from "../errors.ts";
import {
  acquireRunLock,
  EXCLUSIVE_LOCK,
  holderLiveness,
  isLockFileName,
  type LockHolder,
  shardLockName,
} from "./lock.ts";

/** The pid of a process that has exited (so it is certainly not running). */
async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

function holder(over: Partial<LockHolder>): LockHolder {
  return {
    kind: "exclusive",
    pid: Deno.pid,
    host: hostname(),
    startedAt: "2025-01-01T00:00:00.000Z",
    argv: ["run", "x"],
    token: "t",
    ...over,
  };
}

function tempDir(): string {
  return Deno.makeTempDirSync({ prefix: "polylab-lock-" });
}

const quiet = { note: () => {} };

Deno.test("exclusive lock: a second taker is refused with the holder's pid, host and start time", () => {
  const dir = tempDir();
  try {
    const lock = acquireRunLock(dir, { kind: "exclusive" }, { argv: ["run", "a"], ...quiet });
    const saved = JSON.parse(readFileSync(join(dir, EXCLUSIVE_LOCK), "utf8")) as LockHolder;
    assert.equal(saved.pid, Deno.pid);
    assert.equal(saved.host, hostname());
    assert.throws(
      () => acquireRunLock(dir, { kind: "exclusive" }, quiet),
      (e: Error) =>
        e instanceof UsageError &&
        e.message.includes(`pid ${Deno.pid} on host ${hostname()} since ${saved.startedAt}`) &&
        /in use by another run/.test(e.message) && !e.message.includes("\n"),
    );
    // a shard is refused while the exclusive lock is live
    assert.throws(
      () => acquireRunLock(dir, { kind: "shard", index: 0, count: 2 }, quiet),
      /holds it exclusively/,
    );
    assert.ok(!existsSync(join(dir, shardLockName(0, 2))), "the refused shard left no lock behind");
    lock.release();
    assert.ok(!existsSync(join(dir, EXCLUSIVE_LOCK)));
    acquireRunLock(dir, { kind: "exclusive" }, quiet).release();
  } finally {
    rmSync(dir, { recursive: true });
  }
});

Deno.test("a stale lock (dead pid) is reported and taken only with --force", async () => {
  const dir = tempDir();
  try {
    const pid = await deadPid();
    writeFileSync(join(dir, EXCLUSIVE_LOCK), JSON.stringify(holder({ pid })));
    assert.equal(holderLiveness(holder({ pid })), "dead");
    assert.throws(
      () => acquireRunLock(dir, { kind: "exclusive" }, quiet),
      (e: Error) =>
        /stale lock/.test(e.message) && e.message.includes(`pid ${pid}`) && /--force/.test(e.message),
    );
    const notes: string[] = [];
    const lock = acquireRunLock(dir, { kind: "exclusive" }, { force: true, note: (l) => notes.push(l) });
    assert.match(notes.join("\n"), new RegExp(`stale lock .* taken over \\(pid ${pid}`));
    assert.equal(JSON.parse(readFileSync(lock.path, "utf8")).pid, Deno.pid);
    lock.release();
  } finally {
    rmSync(dir, { recursive: true });
  }
});

Deno.test("a reused pid (another process start time) counts as dead", () => {
  assert.equal(holderLiveness(holder({ processStart: "1" })), Deno.build.os === "linux" ? "dead" : "alive");
  assert.equal(holderLiveness(holder({})), "alive");
});

Deno.test("a holder on another host cannot be checked: refused, taken with --force", () => {
  const dir = tempDir();
  try {
    writeFileSync(
      join(dir, EXCLUSIVE_LOCK),
      JSON.stringify(holder({ host: "elsewhere.invalid", pid: 4242 })),
    );
    assert.throws(
      () => acquireRunLock(dir, { kind: "exclusive" }, quiet),
      /another host: polylab cannot check whether it is still running/,
    );
    acquireRunLock(dir, { kind: "exclusive" }, { force: true, ...quiet }).release();
  } finally {
    rmSync(dir, { recursive: true });
  }
});

Deno.test("shards lock side by side; a plain run is refused while a shard is live; dead shard locks are taken", async () => {
  const dir = tempDir();
  try {
    const a = acquireRunLock(dir, { kind: "shard", index: 0, count: 2 }, quiet);
    const b = acquireRunLock(dir, { kind: "shard", index: 1, count: 2 }, quiet);
    assert.throws(
      () => acquireRunLock(dir, { kind: "shard", index: 1, count: 2 }, quiet),
      /in use by another run/,
    );
    assert.throws(() => acquireRunLock(dir, { kind: "exclusive" }, quiet), /shard 0\/2 is running in it/);
    assert.ok(!existsSync(join(dir, EXCLUSIVE_LOCK)), "the refused exclusive lock was released");
    a.release();
    b.release();
    // a shard lock left by a killed process: a new attempt of that shard takes it over with a note
    const pid = await deadPid();
    writeFileSync(
      join(dir, shardLockName(1, 2)),
      JSON.stringify(holder({ kind: "shard", shard: "1/2", pid })),
    );
    const notes: string[] = [];
    const again = acquireRunLock(dir, { kind: "shard", index: 1, count: 2 }, { note: (l) => notes.push(l) });
    assert.match(notes.join("\n"), /stale lock of shard 1\/2/);
    again.release();
    // …and an exclusive lock removes a dead shard's lock with a note
    writeFileSync(
      join(dir, shardLockName(0, 2)),
      JSON.stringify(holder({ kind: "shard", shard: "0/2", pid })),
    );
    const ex = acquireRunLock(dir, { kind: "exclusive" }, { note: (l) => notes.push(l) });
    assert.ok(!existsSync(join(dir, shardLockName(0, 2))));
    ex.release();
  } finally {
    rmSync(dir, { recursive: true });
  }
});

Deno.test("release never removes a lock that another process took over", () => {
  const dir = tempDir();
  try {
    const lock = acquireRunLock(dir, { kind: "exclusive" }, quiet);
    writeFileSync(lock.path, JSON.stringify(holder({ token: "someone else" })));
    lock.release();
    assert.ok(existsSync(lock.path));
    assert.ok(isLockFileName(".lock") && isLockFileName(".lock-shard-1-of-4") && !isLockFileName("cells"));
  } finally {
    rmSync(dir, { recursive: true });
  }
});
