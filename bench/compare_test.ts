import assert from "node:assert/strict";
import { Rng } from "../lib/data/random.ts";
import { UsageError } from "../lib/errors.ts";
import { compareRun, DEFAULT_THRESHOLDS, type PairedCase, parseThresholds, thresholdFor } from "./compare.ts";
import type { SideRecord } from "./history.ts";
import { caseChanged } from "./baseline.ts";

const side = (samples: number[], error?: string): SideRecord => ({
  samples,
  wall_seconds: [],
  warmup: [],
  ...(error ? { error } : {}),
});
const noisy = (seed: number, n: number, scale: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => scale * Math.exp(0.03 * rng.normal()));
};

Deno.test("paired verdicts: regression, improvement, not significant, failed, not comparable", () => {
  const base = noisy(1, 10, 1);
  const cases: PairedCase[] = [
    { id: "s/slower", baseline: side(base), head: side(noisy(2, 10, 1.5)), changed: false },
    { id: "s/faster", baseline: side(base), head: side(noisy(3, 10, 0.5)), changed: false },
    { id: "s/same", baseline: side(base), head: side(noisy(4, 10, 1)), changed: false },
    { id: "s/slightly", baseline: side(base), head: side(noisy(5, 10, 1.05)), changed: false },
    { id: "s/broken", baseline: side(base), head: side([], "exit 1: boom"), changed: false },
    { id: "s/changed", baseline: side(base), head: side(noisy(6, 10, 2)), changed: true },
  ];
  const out = compareRun(cases, DEFAULT_THRESHOLDS, 7);
  assert.deepEqual(out.map((c) => c.mark), [
    "regression",
    "improvement",
    "not significant",
    "not significant",
    "failed",
    "not comparable",
  ]);
  // complete separation of 10 vs 10: exact p = 2/C(20,10); Holm over the 4 tested cases
  assert.equal(out[0].test, "exact");
  assert.ok(Math.abs(out[0].p! - 2 / 184756) < 1e-15);
  assert.ok(out[0].p_holm! >= out[0].p! && out[0].p_holm! <= 4 * out[0].p!);
  assert.ok(out[0].ci_low! > 1.1 && out[0].ratio! > 1.4);
  assert.match(out[4].note!, /HEAD: exit 1: boom/);
  assert.equal(out[5].ratio, null);
  assert.deepEqual(compareRun(cases, DEFAULT_THRESHOLDS, 7), out); // seeded: reproducible
});

Deno.test("paired verdicts: significant but inside the threshold is not a regression", () => {
  const base = noisy(1, 20, 1);
  const head = noisy(2, 20, 1.06); // +6 %: separated but below 10 %
  const [c] = compareRun(
    [{ id: "s/x", baseline: side(base), head: side(head), changed: false }],
    DEFAULT_THRESHOLDS,
    1,
  );
  assert.ok(c.p_holm! < 0.05);
  assert.equal(c.mark, "not significant");
  assert.match(c.note!, /interval reaches within 10 %/);
  const strict = parseThresholds({ default: 0.02 }, "t.json");
  const [d] = compareRun([{ id: "s/x", baseline: side(base), head: side(head), changed: false }], strict, 1);
  assert.equal(d.mark, "regression");
  assert.equal(d.threshold, 0.02);
});

Deno.test("thresholds file: first matching pattern wins; bad fields are one-line usage errors", () => {
  const t = parseThresholds(
    {
      default: 0.1,
      cases: [{ pattern: "training/*", threshold: 0.2 }, { pattern: "training/sim3*", threshold: 0.5 }],
    },
    "t.json",
  );
  assert.equal(thresholdFor(t, "training/sim3-10/stack/r10"), 0.2);
  assert.equal(thresholdFor(t, "nn2poly/x"), 0.1);
  assert.equal(thresholdFor(parseThresholds({}, "t.json"), "a/b"), 0.1);
  for (const bad of [{ default: -1 }, { cases: [{ pattern: "", threshold: 0.1 }] }, { extra: 1 }, []]) {
    assert.throws(
      () => parseThresholds(bad, "t.json"),
      (e) => e instanceof UsageError && e.message.startsWith("t.json: ") && !e.message.includes("\n"),
    );
  }
});

Deno.test("not comparable: only a registry baseline with another version of the id", () => {
  const versions = new Map([["s/a", "v1"], ["s/b", "v2"]]);
  assert.equal(caseChanged({ mode: "registry", versions }, "s/a", "v1"), false);
  assert.equal(caseChanged({ mode: "registry", versions }, "s/b", "v3"), true);
  assert.equal(caseChanged({ mode: "registry", versions }, "s/new", "v9"), false);
  assert.equal(caseChanged({ mode: "legacy", versions: new Map() }, "s/a", "v0"), false);
});
