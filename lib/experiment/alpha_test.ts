import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import "../methods/mod.ts";
import "../studies/mod.ts";
import { UsageError } from "../errors.ts";
import { runCell, runCellGroup } from "./cell.ts";
import { configHash, planExperiment } from "./plan.ts";
import type { ExperimentInput } from "./schema.ts";
import { validatePlan } from "./validate.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

const leaky: ExperimentInput = {
  name: "alpha",
  description: "model.alpha reaches the trainer",
  seed: 4,
  data: {
    p: 2,
    n: 60,
    truth: { kind: "formula", formula: "x1*x2" },
    inputs: { kind: "uniform", lo: -1, hi: 1 },
  },
  model: { layers: 2, width: 4, activation: "leaky_relu", alpha: 0.3 },
  train: { epochs: 1, batchSize: 20, backend: "cpu" },
  methods: { shallow: {} },
  outputs: { saveNetworks: true },
};

function refuses(input: unknown, pattern: RegExp) {
  assert.throws(
    () => validatePlan(planExperiment(input as ExperimentInput), { workers: 1 }),
    (e: unknown) => {
      assert.ok(e instanceof UsageError, `a UsageError, got ${e}`);
      assert.match(e.message, pattern);
      assert.ok(!e.message.includes("\n"));
      return true;
    },
  );
}

const withModel = (model: Record<string, unknown>) => ({
  ...structuredClone(leaky),
  model,
  methods: { taylor: { order: 1 } },
});

Deno.test("model.alpha: only leaky_relu and elu layers take one, one value per hidden layer", () => {
  refuses(
    withModel({ layers: 1, width: 4, activation: "tanh", alpha: 0.2 }),
    /^model\.alpha: hidden layer 1 is "tanh", which takes no alpha .*remove it or give one per layer$/,
  );
  refuses(
    withModel({ layers: 2, width: 4, activation: ["elu", "relu"], alpha: [1.5, 0.1] }),
    /^model\.alpha: hidden layer 2 is "relu", which takes no alpha .*put null there$/,
  );
  refuses(
    withModel({ layers: 2, width: 4, activation: "leaky_relu", alpha: [0.1] }),
    /^model\.alpha: 1 values for 2 hidden layers; give one per hidden layer/,
  );
  refuses(withModel({ layers: 1, width: 4, activation: "elu", alpha: "big" }), /^model\.alpha: /);
  planExperiment(
    withModel({
      layers: 2,
      width: 4,
      activation: ["leaky_relu", "tanh"],
      alpha: [0.2, null],
    }) as ExperimentInput,
  );
  planExperiment(withModel({ layers: 1, width: 4, activation: "elu", alpha: 0.5 }) as ExperimentInput);
});

Deno.test("model.alpha absent: the committed experiments keep their config hashes", async () => {
  let checked = 0;
  for (const name of ["sim1", "sim2", "sim3", "sim4", "iris", "boston", "compare"]) {
    const file = `${ROOT}results/${name}/reference/config.json`;
    if (!existsSync(file)) continue;
    const config = (await import(`../../experiments/${name}.ts`)).default;
    const plan = planExperiment(config);
    assert.ok(!("alpha" in plan.config.model), name);
    assert.equal(configHash(plan.config), JSON.parse(readFileSync(file, "utf8")).hash, name);
    checked++;
  }
  assert.ok(checked >= 4, `compared ${checked} committed configs`);
});

Deno.test({
  name: "model.alpha reaches the trained network (single and stacked training), per layer",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const one = await runCell(planExperiment(leaky).cells[0]);
    assert.equal(one.status, "ok", String(one.reason));
    assert.deepEqual(one.network!.layers.map((l) => l.alpha), [0.3, 0.3, undefined]);
    const mixed = planExperiment({
      ...withModel({ layers: 2, width: 4, activation: ["leaky_relu", "elu"], alpha: [0.05, null] }),
      methods: { taylor: { order: 1 } },
      repetitions: 2,
    } as ExperimentInput);
    const records = await runCellGroup(mixed.cells);
    for (const r of records) {
      assert.equal(r.status, "ok", String(r.reason));
      assert.deepEqual(r.network!.layers.map((l) => l.alpha), [0.05, undefined, undefined]);
    }
  },
});
