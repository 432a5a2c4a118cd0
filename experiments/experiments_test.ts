import assert from "node:assert/strict";
import "../lib/methods/mod.ts";
import "../lib/studies/mod.ts";
import { analysisSchema } from "../lib/experiment/schema.ts";
import { costParamsSchema } from "../lib/studies/nn2poly/cost.ts";
import { deepMerge, planExperiment } from "../lib/experiment/plan.ts";
import sim1 from "./sim1.ts";
import sim2 from "./sim2.ts";
import sim3 from "./sim3.ts";
import sim4 from "./sim4.ts";
import cost from "./cost.ts";
import iris from "./iris.ts";
import compare from "./compare.ts";
import { prepareData } from "../lib/experiment/cell.ts";
import { runExperiment } from "../lib/experiment/runner.ts";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";

Deno.test("sim1 default and --full protocols validate and have the paper's sizes", () => {
  const def = planExperiment(sim1);
  assert.equal(def.cells.length, 12);
  const full = planExperiment(sim1, { full: true });
  assert.equal(full.cells.length, 4 * 3 * 2 * 20);
  assert.equal(full.config.train.epochs, 700);
  assert.equal(full.config.methods.nn2poly?.taylorOrders, 8);
});

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

Deno.test("compare: every method on 24 networks by default, 200 with --full; all at 56 terms", () => {
  const def = planExperiment(compare), full = planExperiment(compare, { full: true });
  assert.equal(def.cells.length, 4 * 2 * 3);
  assert.equal(full.cells.length, 4 * 2 * 5 * 5);
  assert.deepEqual(Object.keys(def.config.methods), [
    "nn2poly",
    "taylor",
    "hope",
    "polyRegression",
    "symbolic",
  ]);
  assert.deepEqual(def.config.methods.taylor!.radii, def.config.methods.hope!.radii);
  assert.equal(def.config.methods.taylor!.center, "mean");
  const m = def.config.methods;
  assert.deepEqual([m.nn2poly!.maxOrder, m.taylor!.order, m.hope!.order, m.polyRegression!.degree], [
    3,
    3,
    3,
    3,
  ]);
  assert.ok(def.config.outputs.tables.includes("methods"));
  assert.equal(full.config.model.width, 32);
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

const IRIS_CSV = new URL("../../shared/reference/datasets/iris.csv", import.meta.url);
const haveIris = (() => {
  try {
    Deno.statSync(IRIS_CSV);
    return true;
  } catch {
    return false;
  }
})();
if (!haveIris) console.warn(`skipping the iris tests: ${IRIS_CSV.pathname} is absent`);

Deno.test({
  name: "iris: real data with the package's split (112/38); a short run names its terms after the columns",
  ignore: !haveIris,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const plan = planExperiment(iris), full = planExperiment(iris, { full: true });
    assert.equal(plan.cells.length, 3);
    assert.equal(full.cells.length, 20);
    const data = prepareData(plan.cells[0].config, plan.cells[0].seeds);
    assert.equal(data.train.n, 112);
    assert.equal(data.test.n, 38);
    assert.equal(data.outputs, 3);
    // scaled to [−1, 1] on the training split
    const col0 = Array.from({ length: data.train.n }, (_, i) => data.train.x[i * 4]);
    assert.equal(Math.min(...col0), -1);
    assert.equal(Math.max(...col0), 1);

    const out = Deno.makeTempDirSync({ prefix: "polylab-iris-" });
    try {
      const run = await runExperiment({
        input: iris,
        sets: ["train.epochs=30", "repetitions=1"],
        out,
        runId: "t",
        workers: 1,
        quiet: true,
      });
      assert.equal(run.status, "completed");
      const m = run.records[0].metrics;
      assert.ok(m.acc_nn_y > 0.8, `network accuracy ${m.acc_nn_y}`);
      assert.ok(m.acc_nn2poly_o3_nn >= 0.9, `order-3 agreement ${m.acc_nn2poly_o3_nn}`);
      const terms = readFileSync(join(run.runDir, "tables", "top_terms.csv"), "utf8");
      assert.match(terms, /setosa/);
      assert.match(terms, /Petal\.Width/);
      const manifest = JSON.parse(readFileSync(join(run.runDir, "manifest.json"), "utf8"));
      const bytes = readFileSync(IRIS_CSV);
      assert.equal(manifest.datasets[0].sha256, createHash("sha256").update(bytes).digest("hex"));
      assert.deepEqual(manifest.datasets[0].classes, ["setosa", "versicolor", "virginica"]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
});
