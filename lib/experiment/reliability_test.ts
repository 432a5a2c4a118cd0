/**
 * Crash, concurrency and disk-full tests of `deno task run`, on real processes: kill -9 in the middle
 * of a run then `--resume` gives byte-identical tables; a second run into a folder in use is refused
 * with the holder's pid, host and start time (and SIGTERM leaves the folder resumable); a full disk
 * (a small tmpfs, where this process may mount one) stops the run with one line naming the path,
 * marks the manifest failed, leaves no temp file, and `--resume` after freeing space completes.
 *
 * @module
 */

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = join(ROOT, "main.ts");

/** A small sim1: 4 cells (2 activations × 2 repetitions), a few hundred epochs, SVG only. */
const SMALL = [
  "--set",
  'grid={"model.activation":["tanh","sigmoid"]}',
  "--set",
  "repetitions=2",
  "--set",
  "data.n=120",
  "--set",
  'outputs.formats=["svg"]',
  "--workers",
  "1",
];

function command(args: string[], stdio: "piped" | "null" = "piped"): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--no-wasm-dynamic-tiering", MAIN, ...args],
    cwd: ROOT,
    stdout: stdio,
    stderr: stdio,
    stdin: "null",
    env: { NO_COLOR: "1" },
  });
}

async function run(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const out = await command(args).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr).trimEnd(),
  };
}

function csvs(runDir: string): Record<string, string> {
  const dir = join(runDir, "tables");
  return Object.fromEntries(
    readdirSync(dir).filter((f) => f.endsWith(".csv")).sort().map((
      f,
    ) => [f, readFileSync(join(dir, f), "utf8")]),
  );
}

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

async function waitFor(check: () => boolean, what: string, seconds = 120): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > seconds * 1000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const records = (runDir: string) =>
  existsSync(join(runDir, "cells"))
    ? readdirSync(join(runDir, "cells")).filter((f) => /^g\d+-r\d+\.json$/.test(f)).length
    : 0;

/** The uninterrupted reference run, shared by the tests (same seed, same flags). */
let reference: Record<string, string> | null = null;
async function referenceTables(root: string): Promise<Record<string, string>> {
  if (!reference) {
    const r = await run([
      "run",
      "sim1",
      ...SMALL,
      "--set",
      "train.epochs=600",
      "--out",
      root,
      "--run-id",
      "ref",
    ]);
    assert.equal(r.code, 0, r.stderr);
    reference = csvs(join(root, "sim1", "ref"));
  }
  return reference;
}

const TEST = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "kill -9 in the middle of a run, then --resume: byte-identical tables (the stale lock needs --force)",
  ...TEST,
  async fn() {
    const root = Deno.makeTempDirSync({ prefix: "polylab-kill-" });
    try {
      const ref = await referenceTables(root);
      const args = [
        "run",
        "sim1",
        ...SMALL,
        "--set",
        "train.epochs=600",
        "--out",
        root,
        "--run-id",
        "killed",
      ];
      const runDir = join(root, "sim1", "killed");
      const child = command(args, "null").spawn();
      await waitFor(() => records(runDir) >= 1, "the first cell record");
      child.kill("SIGKILL");
      const status = await child.status;
      assert.equal(status.signal, "SIGKILL");
      const done = records(runDir);
      assert.ok(done >= 1 && done < 4, `killed mid-run (${done} of 4 records)`);
      assert.equal(JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8")).status, "running");

      const refused = await run([...args, "--resume"]);
      assert.equal(refused.code, 2);
      assert.match(
        refused.stderr,
        new RegExp(`^error: .*stale lock .*pid ${child.pid} on host .* is no longer running`),
      );
      assert.match(refused.stderr, /--force/);
      assert.equal(refused.stderr.split("\n").length, 1);

      const resumed = await run([...args, "--resume", "--force"]);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stderr, /stale lock of the run folder .* taken over/);
      assert.deepEqual(csvs(runDir), ref);
      assert.equal(JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8")).status, "completed");
      assert.deepEqual(
        files(runDir).filter((f) => /\.tmp-|\/\.lock/.test(f)),
        [],
        "no temp or lock file left",
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name:
    "a second run into a folder in use is refused with the holder's pid/host/start; SIGTERM leaves it resumable",
  ...TEST,
  async fn() {
    const root = Deno.makeTempDirSync({ prefix: "polylab-concurrent-" });
    try {
      const args = [
        "run",
        "sim1",
        ...SMALL,
        "--set",
        "train.epochs=20000",
        "--out",
        root,
        "--run-id",
        "shared",
      ];
      const runDir = join(root, "sim1", "shared");
      const first = command(args, "null").spawn();
      await waitFor(() => existsSync(join(runDir, "manifest.json")), "the first run's manifest");
      const holder = JSON.parse(readFileSync(join(runDir, ".lock"), "utf8"));
      assert.equal(holder.pid, first.pid);

      // another config into the same folder, and the same config with --resume: both refused
      for (const extra of [["--set", "train.epochs=5"], ["--resume"], ["--aggregate"], ["--shard", "0/2"]]) {
        const second = await run([...args, ...extra]);
        assert.equal(second.code, 2, second.stderr);
        assert.equal(second.stderr.split("\n").length, 1, second.stderr);
        assert.match(
          second.stderr,
          new RegExp(
            `pid ${first.pid} on host ${holder.host} since ${holder.startedAt.replaceAll(".", "\\.")}`,
          ),
        );
      }
      assert.equal(JSON.parse(readFileSync(join(runDir, "config.json"), "utf8")).config.train.epochs, 20000);

      first.kill("SIGTERM");
      const status = await first.status;
      assert.equal(status.code, 143);
      assert.ok(!existsSync(join(runDir, ".lock")), "SIGTERM released the lock");
      assert.equal(JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8")).status, "interrupted");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
});

/** Whether this process may mount a tmpfs (root on Linux, mount permitted), checked once. */
async function canMountTmpfs(): Promise<string | null> {
  if (Deno.build.os !== "linux") return "not Linux";
  const dir = Deno.makeTempDirSync({ prefix: "polylab-mount-probe-" });
  try {
    const m = await new Deno.Command("mount", {
      args: ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir],
      stderr: "piped",
    })
      .output();
    if (!m.success) {
      return `mount -t tmpfs failed: ${new TextDecoder().decode(m.stderr).trim().split("\n")[0]}`;
    }
    await new Deno.Command("umount", { args: [dir] }).output();
    return null;
  } catch (e) {
    return `mount is not available (${(e as Error).message.split("\n")[0]})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const noTmpfs = await canMountTmpfs();
if (noTmpfs) console.error(`disk-full test skipped: cannot mount a small tmpfs here (${noTmpfs})`);

Deno.test({
  name:
    "disk full (a 64 KiB tmpfs): one line with the path, exit 5, manifest failed, no temp file; --resume completes",
  ignore: noTmpfs !== null,
  ...TEST,
  async fn() {
    const root = Deno.makeTempDirSync({ prefix: "polylab-diskfull-" });
    const mnt = join(root, "mnt");
    Deno.mkdirSync(mnt);
    const mount = (opts: string) =>
      new Deno.Command("mount", { args: ["-t", "tmpfs", "-o", opts, "tmpfs", mnt] }).output();
    let mounted = false;
    try {
      const ref = await referenceTables(root);
      assert.ok((await mount("size=64k")).success);
      mounted = true;
      const args = ["run", "sim1", ...SMALL, "--set", "train.epochs=600", "--out", mnt, "--run-id", "full"];
      const runDir = join(mnt, "sim1", "full");
      const failed = await run(args);
      assert.equal(failed.code, 5, failed.stderr);
      const lines = failed.stderr.split("\n").filter((l) => l.startsWith("error:"));
      assert.equal(lines.length, 1, failed.stderr);
      assert.match(
        lines[0],
        new RegExp(`^error: ${mnt}/sim1/full/\\S+: no space left on device \\(ENOSPC\\)`),
      );
      assert.doesNotMatch(failed.stderr, /^\s+at /m);
      assert.match(
        JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8")).status,
        /^failed: .*no space left/,
      );
      assert.deepEqual(files(mnt).filter((f) => /\.tmp-/.test(f)), [], "no temp file left");
      assert.ok(!existsSync(join(runDir, ".lock")), "the lock was released");

      // free space, resume: completes with the reference tables
      const grown = await new Deno.Command("mount", { args: ["-o", "remount,size=16m", mnt] }).output();
      assert.ok(grown.success);
      const resumed = await run([...args, "--resume"]);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.deepEqual(csvs(runDir), ref);
    } finally {
      if (mounted) await new Deno.Command("umount", { args: [mnt] }).output();
      rmSync(root, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name: "a read-only --out (a read-only tmpfs) is refused before any work: exit 2, one line",
  ignore: noTmpfs !== null,
  ...TEST,
  async fn() {
    const mnt = Deno.makeTempDirSync({ prefix: "polylab-ro-" });
    try {
      assert.ok(
        (await new Deno.Command("mount", { args: ["-t", "tmpfs", "-o", "size=64k,ro", "tmpfs", mnt] })
          .output()).success,
      );
      try {
        const r = await run(["run", "sim1", "--out", mnt]);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(
          r.stderr,
          `error: --out: cannot write in ${mnt} (read-only file system); choose a writable folder with --out`,
        );
      } finally {
        await new Deno.Command("umount", { args: [mnt] }).output();
      }
    } finally {
      rmSync(mnt, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name: "deno task check --help prints the help and runs no check",
  ...TEST,
  async fn() {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["task", "-q", "check", "--help"],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    assert.equal(out.code, 0);
    const text = new TextDecoder().decode(out.stdout);
    assert.match(text, /^Usage: deno task check/);
    assert.doesNotMatch(text + new TextDecoder().decode(out.stderr), /Checked \d+ files|Check file/);
  },
});
