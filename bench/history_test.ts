import assert from "node:assert/strict";
import { join } from "node:path";
import { appendRun, machineRecord, parseHistory, readHistory, type RunRecord } from "./history.ts";
import { sampleRun } from "./test_helpers.ts";

Deno.test("history: malformed lines are reported with their line number and skipped, never fatal", () => {
  const good = JSON.stringify(sampleRun());
  const noCases = JSON.stringify({ ...sampleRun(), cases: undefined });
  const badSample = JSON.stringify(sampleRun({
    cases: [{ ...sampleRun().cases[0], head: { samples: ["fast"], wall_seconds: [], warmup: [] } }],
  } as unknown as Partial<RunRecord>));
  const newer = JSON.stringify({ ...sampleRun(), schema: 2 });
  const text = [good, "", "{torn", noCases, badSample, newer, good].join("\n");
  const { runs, problems } = parseHistory(text, "h.jsonl");
  assert.equal(runs.length, 2);
  assert.equal(problems.length, 4);
  assert.match(problems[0], /^h\.jsonl:3: not JSON/);
  assert.match(problems[1], /^h\.jsonl:4: cases: /);
  assert.match(problems[2], /^h\.jsonl:5: cases\.0\.head\.samples\.0: /);
  assert.match(problems[3], /^h\.jsonl:6: schema 2 is newer/);
  assert.ok(problems.every((p) => p.endsWith("line skipped") && !p.includes("\n")));
});

Deno.test("history: appends keep earlier lines byte for byte, concurrent appends all land, bad runs refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "sub", "history.jsonl");
    await appendRun(path, sampleRun());
    const first = await Deno.readTextFile(path);
    // a torn last line (a crash of an older writer) stays, is reported, and the next append starts a new line
    await Deno.writeTextFile(path, '{"schema":1,"tim', { append: true });
    await Promise.all([1, 2, 3, 4, 5].map((i) => appendRun(path, sampleRun({ commit: `c${i}` }))));
    assert.ok((await Deno.readTextFile(path)).startsWith(first + '{"schema":1,"tim\n'));
    const { runs, problems } = await readHistory(path);
    assert.deepEqual(runs.map((r) => r.commit).sort(), ["abc", "c1", "c2", "c3", "c4", "c5"]);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /history\.jsonl:2: not JSON/);
    await assert.rejects(appendRun(path, sampleRun({ trigger: "" })));
    assert.equal((await readHistory(path)).runs.length, 6);
    await assert.rejects(Deno.stat(`${path}.lock`), Deno.errors.NotFound);
    assert.deepEqual(await readHistory(join(dir, "absent.jsonl")), { runs: [], problems: [] });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("history: a held lock makes the append wait, a stale one is taken over", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "history.jsonl");
    await Deno.writeTextFile(`${path}.lock`, "123\n");
    await assert.rejects(appendRun(path, sampleRun(), { waitMs: 300 }), /held by another bench run/);
    await appendRun(path, sampleRun(), { staleMs: 0 });
    assert.equal((await readHistory(path)).runs.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("machine record: a fingerprint of CPU, cores, memory and OS, without the host name", () => {
  const m = machineRecord();
  assert.match(m.fingerprint, /^[0-9a-f]{12}$/);
  assert.equal(m.cores, navigator.hardwareConcurrency);
  assert.equal(machineRecord().fingerprint, m.fingerprint);
  const host = Deno.hostname();
  if (host.length >= 6) assert.ok(!JSON.stringify(m).includes(host));
});
