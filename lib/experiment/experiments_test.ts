import assert from "node:assert/strict";
import { analysisSchema } from "./schema.ts";
import { costParamsSchema } from "./analyses/cost.ts";
import { deepMerge, planExperiment } from "./plan.ts";
import sim2 from "../../experiments/sim2.ts";
import sim3 from "../../experiments/sim3.ts";
import sim4 from "../../experiments/sim4.ts";
import cost from "../../experiments/cost.ts";

Deno.test("sim2, sim3 and sim4: default and --full protocols validate and have the papers' sizes", () => {
  const s2 = planExperiment(sim2), s2f = planExperiment(sim2, { full: true });
  assert.equal(s2.cells.length, 6);
  assert.equal(s2f.cells.length, 20);
  assert.equal(s2f.config.train.epochs, 3000);
  assert.ok(s2.config.outputs.saveNetworks && s2.config.outputs.tables.includes("coefficients"));

  const s3 = planExperiment(sim3), s3f = planExperiment(sim3, { full: true });
  assert.equal(s3.cells.length, 24);
  assert.equal(s3f.cells.length, 2 * 2 * 3 * 500);
  assert.deepEqual(Object.keys(s3f.config.methods.nn2poly!.variants!), ["q3", "q5", "q7"]);
  for (const [name, v] of Object.entries(s3f.config.methods.nn2poly!.variants!)) {
    assert.equal(v.maxOrder, Number(name.slice(1)), "max order = q, no cap");
    assert.equal(v.taylorOrders, v.maxOrder);
  }
  assert.equal(s3f.cells[0].config.model.constraint, "none");

  const s4 = planExperiment(sim4), s4f = planExperiment(sim4, { full: true });
  assert.equal(s4.cells.length, 4);
  assert.equal(s4f.cells.length, 3 * 2 * 10);
  assert.deepEqual(s4f.cells.map((c) => c.config.data.classes).filter((v, i, a) => a.indexOf(v) === i), [
    3,
    5,
    7,
  ]);
  assert.equal(s4f.cells[0].config.model.outputActivation, "softmax");
});

Deno.test("cost: default and --full parameters validate", () => {
  const config = analysisSchema.parse(cost);
  const params = costParamsSchema.parse(config.params);
  assert.equal(params.termsP.length, 30);
  assert.deepEqual(params.termsQ, [2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const full = costParamsSchema.parse(deepMerge(config.params, config.full!));
  assert.equal(Math.max(...full.timingP), 30);
  assert.equal(Math.max(...full.timingQ), 8);
});
