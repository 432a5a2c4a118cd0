import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { listExperiments } from "./run.ts";

Deno.test("run --list survives a broken experiment file: the others are listed, the broken one named in one line", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "polylab-list-" });
  const out: string[] = [], err: string[] = [];
  const saved = { log: console.log, error: console.error };
  try {
    writeFileSync(
      join(dir, "good.ts"),
      'export default { name: "good", description: "a fine one\\nsecond line" };\n',
    );
    writeFileSync(join(dir, "broken.ts"), "export default { name: 'broken', description: ;\n");
    writeFileSync(join(dir, "throws.ts"), 'throw new Error("boom at load");\n');
    writeFileSync(join(dir, "nodefault.ts"), "export const x = 1;\n");
    console.log = (s: string) => out.push(s);
    console.error = (s: string) => err.push(s);
    const code = await listExperiments(dir);
    Object.assign(console, saved);
    assert.equal(code, 2);
    assert.equal(out.length, 4);
    assert.match(out.find((l) => l.startsWith("good"))!, /^good\s+a fine one$/);
    assert.match(out.find((l) => l.startsWith("broken"))!, /cannot be loaded/);
    assert.equal(err.length, 3);
    assert.ok(err.every((l) => l.startsWith("error: experiments/") && !l.includes("\n")), err.join("\n"));
    assert.match(err.join("\n"), /throws\.ts: cannot be loaded \(.*boom at load\)/);
    assert.match(err.join("\n"), /nodefault\.ts: export the config as the default export/);
  } finally {
    Object.assign(console, saved);
    rmSync(dir, { recursive: true });
  }
});
