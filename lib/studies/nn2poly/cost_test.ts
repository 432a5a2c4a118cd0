import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../errors.ts";
import { costAnalysis, logLogSlope, randomL1Network, termCountExact } from "./cost.ts";
import { analysisContext } from "../../../tests/analysis_context.ts";

Deno.test("termCountExact is C(p + Q, Q), exact", () => {
  assert.equal(termCountExact(3, 2), 10);
  assert.equal(termCountExact(1, 10), 11);
  assert.equal(termCountExact(30, 10), 847660528);
  assert.ok(Math.abs(logLogSlope([1, 10, 100], [2, 200, 20000]) - 2) < 1e-12);
});

Deno.test("randomL1Network is seeded and every neuron's weights and bias have L1 norm 1", () => {
  const a = randomL1Network(4, [8, 8], "tanh", 5);
  const b = randomL1Network(4, [8, 8], "tanh", 5);
  assert.deepEqual(a, b);
  assert.deepEqual(a.layers.map((l) => l.activation), ["tanh", "tanh", "linear"]);
  for (const l of a.layers) {
    for (let j = 0; j < l.units; j++) {
      let norm = 0;
      for (let r = 0; r <= l.inputs; r++) norm += Math.abs(l.weights[r * l.units + j]);
      assert.ok(Math.abs(norm - 1) < 1e-12);
    }
  }
});

Deno.test({
  name: "the cost analysis writes the term and timing tables; bad params are refused",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const runDir = Deno.makeTempDirSync({ prefix: "polylab-cost-" });
    const ctx = (params: Record<string, unknown>) => analysisContext(runDir, params, 1);
    try {
      const out = await costAnalysis(ctx({
        termsP: [1, 2, 3],
        termsQ: [2, 3],
        timingP: [2, 3],
        timingQ: [2, 3],
        hidden: [4],
        repeats: 1,
        maxCoefficients: 40,
      }));
      const terms = readFileSync(join(runDir, "tables/terms.csv"), "utf8").trim().split("\n");
      assert.deepEqual(terms, ["p,Q,terms", "1,2,3", "2,2,6", "3,2,10", "1,3,4", "2,3,10", "3,3,20"]);
      const timing = readFileSync(join(runDir, "tables/timing.csv"), "utf8").trim().split("\n");
      // p=3, Q=3: 20 terms × 4 units = 80 > 40 coefficients: skipped
      assert.equal(timing.length, 1 + 3);
      assert.match(out.sections![0].text!, /Skipped: p=3 Q=3/);
      assert.ok(existsSync(join(runDir, "figures/timing_vs_terms.svg")));
      await assert.rejects(costAnalysis(ctx({ repeats: 0 })), UsageError);
      await assert.rejects(costAnalysis(ctx({ timingp: [2] })), /unknown key "timingp"/);
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  },
});
