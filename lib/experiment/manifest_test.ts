import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gitState } from "./manifest.ts";

function git(cwd: string, ...args: string[]) {
  const out = new Deno.Command("git", {
    args: ["-c", "user.name=t", "-c", "user.email=t@t", ...args],
    cwd,
    stdout: "null",
    stderr: "null",
  }).outputSync();
  if (!out.success) throw new Error(`git ${args.join(" ")} failed`);
}

Deno.test("gitState: rewritten results/ leave the tree clean; a changed source file makes it dirty, from any folder", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "polylab-git-" });
  try {
    mkdirSync(join(dir, "results", "x"), { recursive: true });
    mkdirSync(join(dir, "lib"));
    writeFileSync(join(dir, "results", "x", "report.md"), "a\n");
    writeFileSync(join(dir, "lib", "code.ts"), "a\n");
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "init");
    const clean = await gitState(dir);
    assert.match(clean.commit ?? "", /^[0-9a-f]{40}$/);
    assert.equal(clean.dirty, false);
    writeFileSync(join(dir, "results", "x", "report.md"), "b\n");
    assert.equal((await gitState(dir)).dirty, false);
    writeFileSync(join(dir, "lib", "code.ts"), "b\n");
    assert.equal((await gitState(dir)).dirty, true);
    assert.equal((await gitState(join(dir, "results"))).dirty, true);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
