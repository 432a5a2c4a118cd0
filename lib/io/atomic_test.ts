import assert from "node:assert/strict";
import { join } from "node:path";
import {
  appendJsonLine,
  appendJsonLines,
  cleanupTempFiles,
  isTempFileName,
  readJsonLines,
  tempPathFor,
  writeFileAtomic,
  writeJsonAtomic,
} from "./atomic.ts";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

Deno.test("writeFileAtomic creates parent dirs and leaves no temp files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const target = join(dir, "a", "b", "table.csv");
    await writeFileAtomic(target, "x,y\n1,2\n");
    assert.equal(await Deno.readTextFile(target), "x,y\n1,2\n");
    await writeFileAtomic(target, new Uint8Array([104, 105]));
    assert.equal(await Deno.readTextFile(target), "hi");
    assert.deepEqual(await Array.fromAsync(Deno.readDir(join(dir, "a", "b")), (e) => e.name), ["table.csv"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("simulated crash: temp written but not renamed keeps target old/absent; cleanup removes temp", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fresh = join(dir, "manifest.json");
    const old = join(dir, "report.md");
    await writeFileAtomic(old, "old report\n");
    // Crash simulation: a writer got as far as writing its temp files, then died before rename.
    const tempFresh = tempPathFor(fresh);
    const tempOld = tempPathFor(old);
    await Deno.writeTextFile(tempFresh, '{"half":');
    await Deno.writeTextFile(tempOld, "new rep");
    assert.ok(isTempFileName(tempFresh.slice(dir.length + 1)));

    assert.equal(await exists(fresh), false, "target of a crashed first write must be absent");
    assert.equal(
      await Deno.readTextFile(old),
      "old report\n",
      "target of a crashed rewrite must keep old content",
    );

    await Deno.mkdir(join(dir, "sub"));
    const nested = tempPathFor(join(dir, "sub", "x.svg"));
    await Deno.writeTextFile(nested, "<svg");
    const removed = await cleanupTempFiles(dir);
    assert.deepEqual(removed, [tempFresh, tempOld, nested].sort());
    assert.equal(await exists(tempFresh), false);
    assert.equal(await exists(nested), false);
    assert.equal(await Deno.readTextFile(old), "old report\n");
    assert.deepEqual(await cleanupTempFiles(join(dir, "missing")), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cleanupTempFiles ignores ordinary dotfiles and respects olderThanMs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, ".gitignore"), "x");
    await Deno.writeTextFile(join(dir, "notes.tmp-1-2"), "x"); // not hidden → not ours
    const temp = tempPathFor(join(dir, "t.csv"));
    await Deno.writeTextFile(temp, "x");
    assert.deepEqual(await cleanupTempFiles(dir, { olderThanMs: 60_000 }), []);
    assert.deepEqual(await cleanupTempFiles(dir), [temp]);
    assert.ok(await exists(join(dir, ".gitignore")));
    assert.ok(await exists(join(dir, "notes.tmp-1-2")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeJsonAtomic writes pretty JSON with trailing newline and rejects undefined", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "manifest.json");
    await writeJsonAtomic(path, { b: 1, a: [1, 2] });
    assert.equal(await Deno.readTextFile(path), '{\n  "b": 1,\n  "a": [\n    1,\n    2\n  ]\n}\n');
    await assert.rejects(() => writeJsonAtomic(path, undefined), /not JSON-serialisable/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("appendJsonLine: concurrent appends keep every complete line, in call order", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "metrics.jsonl");
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendJsonLine(path, { cell: i, mse: i / 10 })));
    await appendJsonLines(path, [{ cell: "x", epoch: 1 }, { cell: "x", epoch: 2 }]);
    const records = await readJsonLines<{ cell: number | string }>(path);
    assert.equal(records.length, 22);
    assert.deepEqual(records.slice(0, 20).map((r) => r.cell), Array.from({ length: 20 }, (_, i) => i));
    const text = await Deno.readTextFile(path);
    assert.ok(text.endsWith("}\n"));
    assert.deepEqual(await readJsonLines(join(dir, "none.jsonl")), []);
    await assert.rejects(() => appendJsonLine(path, undefined), /records\[0\].*not JSON-serialisable/);
    assert.equal((await readJsonLines(path)).length, 22, "a failed append must not change the file");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readJsonLines names file and line of a corrupt record", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "m.jsonl");
    await Deno.writeTextFile(path, '{"a":1}\n{"a":\n');
    await assert.rejects(() => readJsonLines(path), /m\.jsonl line 2/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
