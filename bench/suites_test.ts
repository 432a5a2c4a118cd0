import assert from "node:assert/strict";
import { join } from "node:path";
import { fmtSeconds, markdownTable, ROOT_DIR, summarize } from "./harness.ts";
import {
  type BenchFixture,
  inspectNn2poly,
  maxSampleDiff,
  nn2polyMarkdown,
  nn2polySuite,
} from "./nn2poly_suite.ts";
import { maxRelDiff, referenceCoefficients, taylorMarkdown, taylorSuite } from "./taylor_suite.ts";
import { TRAIN_CASES, trainCase, trainingSuite, trainMarkdown } from "./train_suite.ts";
import { paperMarkdown } from "./paper_suite.ts";
import { SUITES } from "./suites.ts";
import { type BenchCase, caseProblem, type CaseSummary, caseVersion, matchesPattern } from "./suite.ts";
import { collectCases } from "./runner.ts";

const SHARED = join(ROOT_DIR, "..", "shared");

const summary = (id: string, samples: number[], extra: Partial<CaseSummary> = {}): CaseSummary => ({
  id,
  samples,
  median: samples.length ? summarize(samples).median : NaN,
  min: samples.length ? Math.min(...samples) : NaN,
  ...extra,
});

const fixture = (nTerms: number, reference: number[]): BenchFixture => ({
  name: `net-${nTerms}`,
  inputs: 2,
  shape: "4-1",
  maxOrder: 2,
  nTerms,
  referenceSeconds: reference,
  sampleLabels: [[0], [1, 2]],
  sampleCoefficients: [[0.5, -1]],
});

Deno.test("every registered suite lists valid, unique, versioned cases (or says why it is skipped)", async () => {
  const workDir = await Deno.makeTempDir();
  try {
    const ctx = { sharedDir: SHARED, workDir };
    const { cases, skipped } = await collectCases(SUITES, ctx);
    for (const s of skipped) console.log(`suite ${s.suite} skipped here: ${s.reason}`);
    for (const rc of cases) {
      assert.equal(caseProblem(rc.suite, rc.case), undefined);
      assert.match(rc.version, /^[0-9a-f]{12}$/);
    }
    assert.equal(new Set(cases.map((c) => c.case.id)).size, cases.length);
    // training needs no fixture: always listed, single mode deduplicated to min(R, 3) networks
    assert.deepEqual(
      cases.filter((c) => c.suite === trainingSuite).map((c) => c.case.id),
      [
        "training/sim3-10/single/r1",
        "training/sim3-10/stack/r1",
        "training/sim3-10/single/r3",
        "training/sim3-10/stack/r10",
        "training/sim3-10/stack/r100",
        "training/sim1-50x3/single/r1",
        "training/sim1-50x3/stack/r1",
        "training/sim1-50x3/single/r3",
        "training/sim1-50x3/stack/r20",
      ],
    );
  } finally {
    await Deno.remove(workDir, { recursive: true });
  }
});

Deno.test("case version: placeholders keep it machine-independent; args, revision and file content change it", async () => {
  const a = await Deno.makeTempDir();
  const b = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(a, "net.json"), "{}");
    await Deno.writeTextFile(join(b, "net.json"), "{}");
    const c: BenchCase = { id: "x/net", script: "main.ts", args: ["poly", "nn2poly", "@work/net.json"] };
    const va = await caseVersion(c, { sharedDir: a, workDir: a });
    assert.equal(await caseVersion(c, { sharedDir: b, workDir: b }), va); // other folder, same content
    assert.notEqual(await caseVersion({ ...c, revision: 1 }, { sharedDir: a, workDir: a }), va);
    assert.notEqual(
      await caseVersion({ ...c, args: [...c.args, "--max-order", "2"] }, { sharedDir: a, workDir: a }),
      va,
    );
    await Deno.writeTextFile(join(b, "net.json"), "{ }");
    assert.notEqual(await caseVersion(c, { sharedDir: b, workDir: b }), va);
  } finally {
    await Deno.remove(a, { recursive: true });
    await Deno.remove(b, { recursive: true });
  }
});

Deno.test("case definitions: ids, scripts and patterns", () => {
  const ok: BenchCase = { id: "nn2poly/a-b_c.1/k=2", script: "main.ts", args: [] };
  assert.equal(caseProblem(nn2polySuite, ok), undefined);
  assert.match(caseProblem(nn2polySuite, { ...ok, id: "taylor/x" })!, /must start with "nn2poly\/"/);
  assert.match(caseProblem(nn2polySuite, { ...ok, id: "nn2poly" })!, /expected "suite\/name"/);
  assert.match(caseProblem(nn2polySuite, { ...ok, script: "bench/run.ts" })!, /bench\/drivers\/NAME\.ts/);
  assert.equal(caseProblem(nn2polySuite, { ...ok, script: "bench/drivers/x_run.ts" }), undefined);
  const c = { id: "taylor/sine-1d-128x4/exact/k10", tags: ["quick"] };
  assert.ok(matchesPattern("taylor/*/exact/*", c));
  assert.ok(matchesPattern("exact", c));
  assert.ok(matchesPattern("tag:quick", c));
  assert.ok(!matchesPattern("taylor/*/hope/*", c));
  assert.ok(!matchesPattern("tag:heavy", c));
  assert.ok(matchesPattern("*k1*", c) && !matchesPattern("*k1", c));
});

Deno.test("nn2poly section: median, speed-up over R and PASS/FAIL only above 1,000 terms", () => {
  const info = (nTerms: number, r: number[]) => ({
    inputs: 2,
    shape: "4-1",
    max_order: 2,
    n_terms: nTerms,
    r_seconds: r,
  });
  const fast = summary("nn2poly/net-2000", [0.3, 0.1, 0.2], {
    info: info(2000, [1.0, 0.6, 0.9]),
    facts: { terms: 2000, max_abs_diff_vs_r: 1e-16 },
    peakRssMiB: 100.3,
  });
  const slow = summary("nn2poly/net-5000", [], { info: info(5000, [9, 9, 9]), error: "timeout after 1 s" });
  const small = summary("nn2poly/net-10", [0.1], { info: info(10, [0.01, 0.01, 0.01]) });
  const md = nn2polyMarkdown([fast, slow, small]);
  assert.match(
    md,
    /\| net-2000 \| 2 \| 4-1 \| 2 \| 2000 \| 0\.2 \| 0\.1 \| 100 \| 0\.9 \| 4\.5× \| PASS \| 1\.0e-16 \|/,
  );
  assert.match(md, /\| net-5000 \| .* \| n\/a \(timeout after 1 s\) \| .* \| FAIL \|/);
  assert.match(md, /\| net-10 \| .* \| — \|/);
  assert.match(md, /Target NOT met on: net-5000\./);
  assert.match(md, /median of 3 fresh processes/);
});

Deno.test("nn2poly sample check: matches labels in any order, a missing term is named", () => {
  const fx = fixture(3, [1]);
  assert.equal(maxSampleDiff(fx, [[0], [2, 1], [1]], [[0.5, -1.25, 7]]), 0.25);
  assert.equal(maxSampleDiff(fx, [[0], [1]], [[0.5, 7]]), Infinity);
  assert.deepEqual(inspectNn2poly(fx, { labels: [[0], [1]], coefficients: [[0.5, 7]] }), {
    terms: 2,
    max_abs_diff_vs_r: "missing term",
  });
});

Deno.test("taylor section and accuracy against the fixture's coefficients", () => {
  const ref = referenceCoefficients({ labels: [[], [1], [1, 1]], coefficients: [[1, -2, 100]] });
  assert.ok(Math.abs(maxRelDiff(ref, [[1, 1], [], [1]], [[101, 1, -2]]) - 0.01) < 1e-12);
  const exact = summary("taylor/sine-1d-128x4/exact/k2", [0.04], {
    info: { method: "exact", order: 2 },
    facts: { max_rel_diff: 0 },
    peakRssMiB: 100,
  });
  const failed = summary("taylor/sine-1d-128x4/autodiff/k3", [], {
    info: { method: "autodiff", order: 3 },
    error: "exit 2: boom",
  });
  const md = taylorMarkdown([exact, failed]);
  assert.match(md, /\| 2 \| 0\.04 \| n\/a \| 100 \| n\/a \|/);
  assert.match(md, /\| autodiff \| n\/a \| n\/a \| K = 3: exit 2: boom \|/);
});

Deno.test("paper and training sections: ratios from the cases' medians", () => {
  const net = "sine MLP 1–1024×4–1";
  const md = paperMarkdown([
    summary("paper/sine-1d-1024x4/exact/k4", [0.04], { info: { network: net, method: "exact", order: 4 } }),
    summary("paper/sine-1d-1024x4/autodiff/k4", [0.8], {
      info: { network: net, method: "autodiff", order: 4 },
    }),
  ]);
  assert.match(md, /\| sine MLP 1–1024×4–1 \| 4 \| 0\.04 \| autodiff \| 0\.8 \| 20× \|/);
  assert.match(md, /: met\./);
  const exactOnly = paperMarkdown([
    summary("paper/sine-1d-1024x4/exact/k4", [0.04], { info: { network: net, method: "exact", order: 4 } }),
  ]);
  assert.match(exactOnly, /not checked \(no autodiff time in this run\)/);
  const c = TRAIN_CASES[2]; // sim3-10, R = 100
  const tmd = trainMarkdown([
    summary(trainCase(c, "stack").id, [0.05], { peakRssMiB: 180.5 }),
    summary(trainCase(c, "single").id, [1.2], { peakRssMiB: 150, facts: { failed_networks: 1 } }),
  ]);
  assert.match(tmd, /\| sim3-10 \| 100 \| 100 \| 0\.05 \| 1\.2 \| 24\.0× \| 180\.5 \| 150 \|/);
  assert.match(tmd, /training\/sim3-10\/single\/r3: 1 network\(s\) diverged/);
  assert.deepEqual(trainCase(c, "single").args, [
    "--shape",
    "sim3-10",
    "--networks",
    "3",
    "--epochs",
    "100",
    "--mode",
    "single",
  ]);
});

Deno.test("taylor suite: skipped with a reason when the fixture is absent", async () => {
  const listed = await taylorSuite.cases({ sharedDir: "/nonexistent", workDir: "/tmp" });
  assert.ok("skip" in listed && /absent/.test(listed.skip));
});

Deno.test("harness helpers: summary, seconds format, Markdown alignment", () => {
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
});
