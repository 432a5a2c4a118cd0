import assert from "node:assert/strict";
import { join } from "node:path";
import { BENCH_HELP, DEFAULT_OUT, parseBenchArgs } from "./bench.ts";
import { UsageError } from "../errors.ts";

const noEnv = () => undefined;

Deno.test("bench flags: defaults, paired defaults, values and one-line usage errors", () => {
  const d = parseBenchArgs([], noEnv);
  assert.deepEqual([d.samples, d.warmup, d.seed, d.timeout, d.trigger, d.anchors], [
    5,
    1,
    1,
    300,
    "manual",
    false,
  ]);
  assert.equal(d.out, DEFAULT_OUT);
  assert.equal(d.history, join(DEFAULT_OUT, "history.jsonl"));
  assert.ok(d.readme && d.figures && !d.list && !d.report);
  const p = parseBenchArgs(
    ["--baseline", "HEAD~2", "--only", "nn2poly/*, tag:quick", "--out", "/tmp/x"],
    noEnv,
  );
  assert.deepEqual([p.baseline, p.samples, p.only, p.history, p.readme], [
    "HEAD~2",
    10,
    ["nn2poly/*", "tag:quick"],
    "/tmp/x/history.jsonl",
    false,
  ]);
  assert.equal(parseBenchArgs(["--repeats", "7"], noEnv).samples, 7); // the old flag name still works
  assert.equal(
    parseBenchArgs([], (n) => (n === "GITHUB_EVENT_NAME" ? "schedule" : undefined)).trigger,
    "schedule",
  );
  for (
    const bad of [
      ["--baseline", "HEAD~1", "--samples", "5"],
      ["--samples", "0"],
      ["--warmup", "x"],
      ["--bogus"],
      ["extra"],
      ["--timeout", "-1"],
      ["--only", ""],
      ["--only", ","],
      ["--list", "--report"],
      ["--baseline", "HEAD", "--list"],
    ]
  ) {
    assert.throws(
      () => parseBenchArgs(bad, noEnv),
      (e) => e instanceof UsageError && !e.message.includes("\n"),
      bad.join(" "),
    );
  }
  assert.equal(parseBenchArgs(["-h"], noEnv).help, true);
});

Deno.test("bench --help explains the paired design, history, trends, anchors and the schedules", () => {
  for (
    const words of [
      /--baseline REF/,
      /git worktree/,
      /ABBA/,
      /Mann–Whitney/,
      /Holm/,
      /Exit code 1 when a regression is confirmed/,
      /thresholds\.json/,
      /history/,
      /1\.05/,
      /--anchors/,
      /PyTorch/,
      /\.github\/workflows\/bench\.yml/,
      /crontab/,
      /systemd/,
    ]
  ) assert.match(BENCH_HELP, words);
});
