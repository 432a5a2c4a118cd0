import assert from "node:assert/strict";
import "../methods/mod.ts";
import { planExperiment, validateExperiment } from "./plan.ts";
import { groupCells } from "./pool.ts";
import type { ExperimentInput } from "./schema.ts";
import { UsageError } from "../errors.ts";

const base: ExperimentInput = {
  name: "tiny",
  description: "test",
  data: {
    p: 2,
    n: 60,
    truth: { kind: "formula", formula: "x1 - 2*x1*x2" },
    inputs: { kind: "uniform", lo: -1, hi: 1 },
  },
  model: { layers: 1, width: 4 },
  train: { epochs: 3, batchSize: 20 },
  methods: { nn2poly: { maxOrder: 2 } },
  grid: { "model.activation": ["tanh", "sigmoid"] },
  repetitions: 2,
};

function refused(input: unknown, pattern: RegExp) {
  assert.throws(() => planExperiment(input as ExperimentInput), (e: unknown) => {
    assert.ok(e instanceof UsageError, `expected a UsageError, got ${e}`);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes("\n"), "the error is one line");
    return true;
  });
}

Deno.test("bad configs are refused with the path and the expected value", () => {
  refused({ ...base, train: { ...base.train, epochs: 0 } }, /^train\.epochs: expected an integer ≥ 1/);
  refused({ ...base, train: { ...base.train, epoch: 3 } }, /^train: unknown key "epoch"/);
  refused({ ...base, model: { ...base.model, activation: "relu6" } }, /^model\.activation/);
  refused(
    { ...base, data: { ...base.data, trainFraction: 1.5 } },
    /^data\.trainFraction: must be in \(0, 1\)/,
  );
  refused({ ...base, methods: {} }, /^methods: choose at least one method/);
  refused({ ...base, grid: { "model.widht": [1, 2] } }, /^grid\.model\.widht: no such config field/);
  refused({ ...base, grid: { "model.layers": [1, -1] } }, /grid point model\.layers=-1: model\.layers/);
});

Deno.test("--set overrides with JSON values and plain strings", () => {
  const plan = planExperiment(base, { sets: ["train.epochs=7", "model.activation=softplus", "grid={}"] });
  assert.equal(plan.config.train.epochs, 7);
  assert.equal(plan.config.model.activation, "softplus");
  assert.equal(plan.cells.length, 2);
  assert.throws(() => planExperiment(base, { sets: ["train.epochs"] }), /expected path=value/);
});

Deno.test("grid expands in declaration order with per-stream seeds", () => {
  const plan = planExperiment({
    ...base,
    grid: { "model.activation": ["tanh", "sigmoid"], "model.width": [3, 5] },
  });
  assert.equal(plan.cells.length, 8);
  assert.deepEqual(plan.cells.map((c) => c.id).slice(0, 3), ["g000-r00", "g000-r01", "g001-r00"]);
  assert.deepEqual(plan.cells[2].params, { "model.activation": "tanh", "model.width": 5 });
  assert.equal(plan.cells[2].config.model.width, 5);
  // same repetition → same data and split for every architecture; init and shuffle differ per cell
  assert.equal(plan.cells[0].seeds.data, plan.cells[2].seeds.data);
  assert.notEqual(plan.cells[0].seeds.data, plan.cells[1].seeds.data);
  assert.notEqual(plan.cells[0].seeds.init, plan.cells[2].seeds.init);
  assert.notEqual(plan.cells[0].seeds.shuffle, plan.cells[0].seeds.init);
  // a different master seed changes every stream; the same one reproduces them
  const again = planExperiment({
    ...base,
    grid: { "model.activation": ["tanh", "sigmoid"], "model.width": [3, 5] },
  });
  assert.deepEqual(again.cells.map((c) => c.seeds), plan.cells.map((c) => c.seeds));
  const other = planExperiment(base, { seed: 99 });
  assert.notEqual(other.cells[0].seeds.data, planExperiment(base).cells[0].seeds.data);
});

Deno.test("--full on a config without a full protocol is refused", () => {
  assert.throws(() => planExperiment({ ...base }, { full: true }), /defines no full protocol/);
});

Deno.test("defaults are filled in by the schema", () => {
  const c = validateExperiment(base);
  assert.equal(c.seed, 1);
  assert.equal(c.train.backend, "wasm");
  assert.equal(c.data.scaleX, "minus1to1");
  assert.equal(c.model.constraint, "none");
});

Deno.test("groupCells: fixed blocks of train.stack repetitions per grid point, also for a resumed subset", () => {
  const plan = planExperiment({ ...base, repetitions: 5, train: { ...base.train, stack: 2 } });
  const ids = (jobs: { id: string }[][]) => jobs.map((j) => j.map((c) => c.id).join(","));
  assert.deepEqual(ids(groupCells(plan.cells)), [
    "g000-r00,g000-r01",
    "g000-r02,g000-r03",
    "g000-r04",
    "g001-r00,g001-r01",
    "g001-r02,g001-r03",
    "g001-r04",
  ]);
  const resumed = plan.cells.filter((c) => !["g000-r00", "g001-r03"].includes(c.id));
  assert.deepEqual(ids(groupCells(resumed)), [
    "g000-r01",
    "g000-r02,g000-r03",
    "g000-r04",
    "g001-r00,g001-r01",
    "g001-r02",
    "g001-r04",
  ]);
  const single = planExperiment(base);
  assert.equal(groupCells(single.cells).length, single.cells.length);
});

Deno.test("data.dataset: real data is checked against p, n and classes before any work", () => {
  const dir = Deno.makeTempDirSync({ prefix: "polylab-dataset-" });
  try {
    const path = `${dir}/toy.csv`;
    const rows = Array.from({ length: 20 }, (_, i) => `${i / 20},${(i * 7) % 5},${i % 2 ? "odd" : "even"}`);
    Deno.writeTextFileSync(path, `"u","v","kind"\n${rows.join("\n")}\n`);
    const real = {
      ...base,
      data: { task: "classification", dataset: { path, target: "kind" }, p: 2, n: 20, classes: 2 },
      model: { layers: 1, width: 4, outputActivation: "softmax" },
      train: { ...base.train, loss: "crossentropy" },
      grid: {},
    };
    const plan = planExperiment(real as ExperimentInput);
    assert.equal(plan.cells.length, 2);
    refused(
      { ...real, data: { ...real.data, p: 3 } },
      /data\.p: the dataset has 2 predictor columns \(u, v\); set p: 2/,
    );
    refused({ ...real, data: { ...real.data, n: 21 } }, /data\.n: the dataset has 20 rows; set n: 20/);
    refused(
      { ...real, data: { ...real.data, classes: 3 } },
      /data\.classes: the target "kind" has 2 classes/,
    );
    refused(
      { ...real, data: { ...real.data, dataset: { path: `${dir}/missing.csv`, target: "kind" } } },
      /data\.dataset\.path: cannot read .*no such file/,
    );
    refused(
      { ...real, data: { ...real.data, dataset: { path, target: "Kind" } } },
      /data\.dataset\.target: no column "Kind"/,
    );
    refused(
      { ...real, data: { ...real.data, truth: { kind: "formula", formula: "x1" } } },
      /data\.truth.*not allowed with data\.dataset/,
    );
    refused(
      { ...base, data: { p: 2, n: 60, inputs: { kind: "uniform", lo: -1, hi: 1 } } },
      /data\.truth.*required/,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
