import assert from "node:assert/strict";
import {
  fmtSeconds,
  machineInfo,
  machineLine,
  markdownTable,
  type ProcessRun,
  summarize,
} from "./harness.ts";
import { type BenchFixture, maxSampleDiff, nn2polyMarkdown, nn2polyRow } from "./nn2poly_suite.ts";
import { maxRelDiff, referenceCoefficients, taylorArgs, taylorCell, taylorMarkdown } from "./taylor_suite.ts";
import { TRAIN_CASES, trainArgs, trainMarkdown, trainRow } from "./train_suite.ts";
import { parseBenchArgs } from "../lib/cli/bench.ts";
import { UsageError } from "../lib/errors.ts";

const ok = (seconds: number, extra: Record<string, unknown> = {}): ProcessRun => ({
  ok: true,
  json: { seconds, peak_rss_mib: 100 + seconds, ...extra },
  wallSeconds: seconds + 0.2,
});

const fixture = (nTerms: number, reference: number[]): BenchFixture => ({
  name: `net-${nTerms}`,
  path: "/dev/null",
  inputs: 2,
  shape: "4-1",
  maxOrder: 2,
  nTerms,
  referenceSeconds: reference,
  sampleLabels: [[0], [1, 2]],
  sampleCoefficients: [[0.5, -1]],
});

Deno.test("bench flags: defaults, values and one-line usage errors", () => {
  const d = parseBenchArgs([]);
  assert.equal(d.repeats, 3);
  assert.equal(d.timeout, 300);
  assert.equal(d.taylorMaxOrder, 10);
  assert.ok(d.out.endsWith("results/bench"));
  const o = parseBenchArgs(["--only", "covtype", "--repeats", "5", "--out", "/tmp/x", "--timeout", "2.5"]);
  assert.deepEqual([o.only, o.repeats, o.out, o.timeout], ["covtype", 5, "/tmp/x", 2.5]);
  for (const bad of [["--repeats", "0"], ["--repeats", "x"], ["--bogus"], ["extra"], ["--timeout", "-1"]]) {
    assert.throws(() => parseBenchArgs(bad), (e) => e instanceof UsageError && !e.message.includes("\n"));
  }
  assert.equal(parseBenchArgs(["--help"]).help, true);
});

Deno.test("nn2poly row: median, min, speedup and PASS/FAIL only above 1,000 terms", () => {
  const runs = [ok(0.3), ok(0.1), ok(0.2)];
  const fast = nn2polyRow(fixture(2000, [1.0, 0.6, 0.9]), runs);
  assert.equal(fast.median_seconds, 0.2);
  assert.equal(fast.min_seconds, 0.1);
  assert.equal(fast.r_median_seconds, 0.9);
  assert.ok(Math.abs(fast.speedup - 4.5) < 1e-12);
  assert.equal(fast.target, "PASS");
  assert.equal(fast.peak_rss_mib, 100.3);
  assert.equal(nn2polyRow(fixture(2000, [0.5, 0.5, 0.5]), runs).target, "FAIL");
  assert.equal(nn2polyRow(fixture(1000, [0.01, 0.01, 0.01]), runs).target, "—");
  const broken = nn2polyRow(fixture(5000, [9, 9, 9]), [ok(0.1), {
    ok: false,
    error: "timeout after 1 s",
    wallSeconds: 1,
  }]);
  assert.equal(broken.target, "FAIL");
  assert.equal(broken.error, "timeout after 1 s");
  const md = nn2polyMarkdown([fast, broken], 3);
  assert.match(md, /\| net-2000 \| 2 \| 4-1 \| 2 \| 2000 \| 0\.2 \| 0\.1 \| 100 \| 0\.9 \| 4\.5× \| PASS \|/);
  assert.match(md, /Target NOT met on: net-5000\./);
});

Deno.test("nn2poly sample check: matches labels in any order, Infinity when a term is missing", () => {
  const fx = fixture(3, [1]);
  assert.equal(maxSampleDiff(fx, [[0], [2, 1], [1]], [[0.5, -1.25, 7]]), 0.25);
  assert.equal(maxSampleDiff(fx, [[0], [1]], [[0.5, 7]]), Infinity);
});

Deno.test("taylor cell and accuracy against the fixture's coefficients", () => {
  const ref = referenceCoefficients({ labels: [[], [1], [1, 1]], coefficients: [[1, -2, 100]] });
  assert.ok(Math.abs(maxRelDiff(ref, [[1, 1], [], [1]], [[101, 1, -2]]) - 0.01) < 1e-12);
  const cell = taylorCell(
    "exact",
    2,
    [ok(0.04, { labels: [[], [1], [1, 1]], coefficients: [[1, -2, 100]] })],
    ref,
  );
  assert.equal(cell.median_seconds, 0.04);
  assert.equal(cell.max_rel_diff, 0);
  const failed = taylorCell("autodiff", 3, [{ ok: false, error: "exit 2: boom", wallSeconds: 0.5 }], ref);
  assert.equal(failed.error, "exit 2: boom");
  const md = taylorMarkdown([cell, failed], 1);
  assert.match(md, /\| 2 \| 0\.04 \| n\/a \| 100 \| n\/a \|/);
  assert.match(md, /\| autodiff \| n\/a \| n\/a \| K = 3: exit 2: boom \|/);
  assert.deepEqual(taylorArgs("f.json", 4, "hope").slice(3), [
    "poly",
    "taylor",
    "f.json",
    "--order",
    "4",
    "--method",
    "hope",
  ]);
});

Deno.test("harness helpers: summary, seconds format, Markdown alignment, machine line", () => {
  assert.deepEqual(summarize([3, 1, 2, 10]), { median: 2.5, min: 1 });
  assert.ok(Number.isNaN(summarize([]).median));
  assert.deepEqual([fmtSeconds(0.012345), fmtSeconds(1.3649), fmtSeconds(123.4), fmtSeconds(NaN)], [
    "0.0123",
    "1.36",
    "123",
    "n/a",
  ]);
  assert.equal(
    markdownTable(["name", "s", "note"], [["a|b", "1.5", "—"], ["c", "n/a", "—"]]),
    "| name | s | note |\n|:---|---:|:---|\n| a\\|b | 1.5 | — |\n| c | n/a | — |",
  );
  const m = machineInfo(new Date("2025-01-02T03:04:05Z"));
  assert.equal(m.deno, Deno.version.deno);
  assert.ok(m.cores >= 1);
  assert.match(machineLine(m), /cores.*Deno .*V8 .*2025-01-02T03:04:05\.000Z/);
});

Deno.test("training rows: per-network speed-up, min(R, 3) networks one by one, errors in the notes", () => {
  const c = { shape: "sim3-10", networks: 100, epochs: 100 };
  const row = trainRow(c, { perNetwork: 0.05, rss: 180.5, failed: 0 }, {
    perNetwork: 1.2,
    rss: 150,
    failed: 1,
  });
  assert.equal(row.single_networks, 3);
  assert.ok(Math.abs(row.speedup! - 24) < 1e-12);
  assert.equal(row.failed_networks, 1);
  const broken = trainRow(
    { shape: "sim1-50x3", networks: 20, epochs: 50 },
    { failed: 0, error: "timeout after 1 s" },
    { perNetwork: 0.6, rss: 130, failed: 0 },
  );
  assert.equal(broken.speedup, undefined);
  const md = trainMarkdown([row, broken], 3);
  assert.match(md, /median of 3 fresh processes/);
  assert.match(md, /\| sim3-10 \| 100 \| 100 \| 0\.05 \| 1\.2 \| 24\.0× \| 180\.5 \| 150 \|/);
  assert.match(md, /\| sim1-50x3 \| 20 \| 50 \| n\/a \| 0\.6 \| — \| n\/a \| 130 \|/);
  assert.match(md, /sim1-50x3 R = 20: timeout after 1 s\./);
  assert.match(md, /sim3-10 R = 100: 1 network\(s\) diverged/);
  assert.deepEqual(trainArgs(c, "single").slice(2), [
    "bench/train_run.ts",
    "--shape",
    "sim3-10",
    "--networks",
    "3",
    "--epochs",
    "100",
    "--mode",
    "single",
  ]);
  assert.equal(trainArgs(c, "stack")[6], "100");
  assert.deepEqual(TRAIN_CASES.map((t) => `${t.shape}:${t.networks}`), [
    "sim3-10:1",
    "sim3-10:10",
    "sim3-10:100",
    "sim1-50x3:1",
    "sim1-50x3:20",
  ]);
});
