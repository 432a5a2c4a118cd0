/**
 * The baseline tree of a paired run: a temporary `git worktree` of the baseline commit with its
 * own `deno install`, removed again in every case (normal end, error, Ctrl-C/SIGTERM through the
 * caller's `finally`; a tree left by a killed run is removed by the next run, since its folder name
 * carries the dead process id).
 *
 * How HEAD's cases run against old code: the case list is always HEAD's, and HEAD's
 * `bench/drivers/` folder is copied over the baseline's, so both sides run the same commands
 * (`main.ts poly …`, the CLI contracts, or the drivers) and only the baseline's `main.ts` and
 * `lib/` (the engines) differ. When the baseline has the suite registry too, its own case list
 * (`main.ts bench --list --json`) gives each id's version there; a differing version marks the
 * case "not comparable". A baseline older than the registry ("legacy") cannot say, and a case
 * whose command the old code does not know simply fails on that side ("failed").
 *
 * @module
 */

import { join } from "node:path";
import { tmpdir } from "node:os";
import { runDenoJson } from "./harness.ts";
import { UsageError } from "../lib/errors.ts";

/** Prefix of the temporary worktree folders: `polylab-bench-baseline-<pid>-<random>`. */
export const WORKTREE_PREFIX = "polylab-bench-baseline-";

async function git(args: string[], cwd: string): Promise<{ ok: boolean; out: string; err: string }> {
  const o = await new Deno.Command("git", { args, cwd, stdout: "piped", stderr: "piped", stdin: "null" })
    .output();
  const dec = new TextDecoder();
  return { ok: o.success, out: dec.decode(o.stdout).trim(), err: dec.decode(o.stderr).trim() };
}

/** The full commit id of `ref` in the repository at `cwd`; a one-line {@link UsageError} if unknown. */
export async function resolveCommit(ref: string, cwd: string): Promise<string> {
  const r = await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], cwd).catch(() => null);
  if (!r?.ok || !/^[0-9a-f]{40}$/.test(r.out)) {
    throw new UsageError(
      `--baseline: "${ref}" is not a commit of this repository (try HEAD~1, a tag or a hash)`,
    );
  }
  return r.out;
}

/** A checked-out, installed baseline tree. */
export interface BaselineTree {
  ref: string;
  commit: string;
  /** The worktree's folder. */
  root: string;
  /** "registry" when the baseline listed its own cases, else "legacy". */
  mode: "registry" | "legacy";
  /** The baseline's own case versions by id (registry mode). */
  versions: Map<string, string>;
}

/**
 * True when the baseline's own registry defines `id` with another version than HEAD's `version`
 * (the case is then "not comparable"). A legacy baseline, or one without the id, cannot say: false.
 */
export function caseChanged(
  tree: Pick<BaselineTree, "mode" | "versions">,
  id: string,
  version: string,
): boolean {
  return tree.mode === "registry" && tree.versions.has(id) && tree.versions.get(id) !== version;
}

function pidAlive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return !Deno.build.os.startsWith("linux"); // without /proc, assume alive (never remove by guess)
  }
}

/** Removes worktrees of this prefix whose creating process is gone, then prunes git's records. */
export async function removeStaleWorktrees(repo: string, log: (line: string) => void): Promise<void> {
  const list = await git(["worktree", "list", "--porcelain"], repo);
  for (const line of list.out.split("\n")) {
    const path = line.startsWith("worktree ") ? line.slice(9) : "";
    const m = path.match(new RegExp(`/${WORKTREE_PREFIX}(\\d+)-[^/]*$`));
    if (!m || Number(m[1]) === Deno.pid || pidAlive(Number(m[1]))) continue;
    log(`removing the baseline worktree left by process ${m[1]}: ${path}`);
    await git(["worktree", "remove", "--force", path], repo);
    await Deno.remove(path, { recursive: true }).catch(() => {});
  }
  await git(["worktree", "prune"], repo);
}

/** Removes a baseline worktree (never throws). */
export async function removeBaseline(repo: string, root: string): Promise<void> {
  await git(["worktree", "remove", "--force", root], repo).catch(() => {});
  await Deno.remove(root, { recursive: true }).catch(() => {});
  await git(["worktree", "prune"], repo).catch(() => {});
}

/** Copies HEAD's `bench/drivers/` over the baseline tree's. */
export async function overlayDrivers(headRoot: string, baseRoot: string): Promise<void> {
  const from = join(headRoot, "bench", "drivers");
  const to = join(baseRoot, "bench", "drivers");
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isFile && e.name.endsWith(".ts")) await Deno.copyFile(join(from, e.name), join(to, e.name));
  }
}

/**
 * Checks out `commit` in a new temporary worktree, installs its dependencies, overlays HEAD's
 * drivers and asks it for its own case versions. `onCreated` receives the folder as soon as it
 * exists, so the caller can remove it however the run ends. Throws an Error (not a usage error)
 * when git or `deno install` fail.
 */
export async function createBaseline(
  ref: string,
  commit: string,
  options: {
    headRoot: string;
    sharedDir: string;
    log: (line: string) => void;
    onCreated: (root: string) => void;
    signal?: AbortSignal;
  },
): Promise<BaselineTree> {
  const { headRoot, log } = options;
  await removeStaleWorktrees(headRoot, log);
  const root = await Deno.makeTempDir({ dir: tmpdir(), prefix: `${WORKTREE_PREFIX}${Deno.pid}-` });
  options.onCreated(root);
  const add = await git(["worktree", "add", "--detach", "--force", root, commit], headRoot);
  if (!add.ok) {
    throw new Error(`git worktree add ${commit.slice(0, 10)} failed: ${add.err.split("\n").at(-1)}`);
  }
  log(`baseline ${ref} = ${commit.slice(0, 10)} checked out in ${root}; deno install …`);
  const install = await new Deno.Command(Deno.execPath(), {
    args: ["install", "--quiet"],
    cwd: root,
    stdout: "null",
    stderr: "piped",
    stdin: "null",
    env: { NO_COLOR: "1" },
    signal: options.signal,
  }).output();
  if (!install.success) {
    const last = new TextDecoder().decode(install.stderr).trim().split("\n").at(-1);
    throw new Error(`deno install in the baseline tree failed: ${last}`);
  }
  await overlayDrivers(headRoot, root);
  const workDir = await Deno.makeTempDir({ prefix: "polylab-bench-list-" });
  try {
    const listed = await runDenoJson(
      [
        "run",
        "-A",
        "main.ts",
        "bench",
        "--list",
        "--json",
        "--shared",
        options.sharedDir,
        "--work-dir",
        workDir,
      ],
      300,
      { cwd: root, signal: options.signal },
    );
    const cases = listed.ok ? listed.json.cases : undefined;
    if (!Array.isArray(cases)) {
      log(`baseline predates the bench suite registry: HEAD's case definitions run against its engines`);
      return { ref, commit, root, mode: "legacy", versions: new Map() };
    }
    const versions = new Map(cases.map((c: { id: string; version: string }) => [c.id, c.version]));
    return { ref, commit, root, mode: "registry", versions };
  } finally {
    await Deno.remove(workDir, { recursive: true }).catch(() => {});
  }
}
