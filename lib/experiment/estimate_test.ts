import assert from "node:assert/strict";
import "../methods/mod.ts";
import { planExperiment } from "./plan.ts";
import type { ExperimentInput } from "./schema.ts";
import { estimateWork, formatCount, formatDuration } from "./estimate.ts";
import { validatePlan } from "./validate.ts";
import { termCount } from "../poly/basis.ts";

const base: ExperimentInput = {
  name: "est",
  description: "estimate test",
  data: {
    p: 4,
    n: 200,
    truth: { kind: "formula", formula: "x1 + x2*x3" },
    inputs: { kind: "uniform", lo: -1, hi: 1 },
  },
  model: { layers: 1, width: 8, activation: "tanh" },
  train: { epochs: 10, batchSize: 50 },
  methods: { nn2poly: { maxOrder: 40, taylorOrders: 3 } },
};

function facts(input: ExperimentInput) {
  return validatePlan(planExperiment(input), { workers: 1 });
}

Deno.test("estimate: NN2Poly's polynomial is sized at its effective degree min(Q, Π taylor orders), not at Q", () => {
  // one tanh layer with Taylor order 3: degree 3 in 4 inputs, whatever maxOrder says
  assert.equal(facts(base)[0].maxTerms, termCount(4, 3));
  const deep = { ...base, model: { layers: 2, width: 8, activation: "tanh" as const } };
  assert.equal(facts(deep)[0].maxTerms, termCount(4, 9)); // 3·3
  const capped = { ...deep, methods: { nn2poly: { maxOrder: 5, taylorOrders: 3 } } };
  assert.equal(facts(capped)[0].maxTerms, termCount(4, 5));
});

Deno.test("estimate: other polynomial methods are sized at their order; cells and row-epochs add up", () => {
  const input = { ...base, methods: { taylor: { order: 6 } }, repetitions: 3 };
  const f = facts(input);
  assert.equal(f[0].maxTerms, termCount(4, 6));
  const e = estimateWork(f, 2);
  assert.equal(e.cells, 3);
  assert.equal(e.workers, 2);
  assert.ok(e.rowEpochs > 0 && e.seconds > 0);
  assert.equal(formatCount(1_234_567), "1.2 M");
  assert.equal(formatDuration(45), "45 s");
  assert.equal(formatDuration(5400), "1.5 h");
});
