import assert from "node:assert/strict";
import "../../methods/mod.ts";
import "./register.ts";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { evaluatePolynomial } from "../../data/polynomial.ts";
import { fitMinMaxScaler, scaleColumns } from "../../data/scale.ts";
import { denseLayer, forward, type Network } from "../../network/network.ts";
import { taylorCoefficients } from "../../series/activations.ts";
import { prepareData } from "../../experiment/cell.ts";
import { gaussianKde, linspace, monomialText } from "./common.ts";
import { layerPotentials, taylorValue } from "./layers.ts";
import { coefficientErrors, scaleTruth } from "./scaled_truth.ts";
import { coefficientVerdict } from "./comparisons.ts";
import { planExperiment } from "../../experiment/plan.ts";
import { runExperiment } from "../../experiment/runner.ts";
import type { ExperimentInput } from "../../experiment/schema.ts";

Deno.test("layerPotentials: the last layer's potentials are the (linear) network output", () => {
  const net: Network = {
    inputs: 2,
    layers: [
      denseLayer("tanh", [[0.1, -0.2], [0.3, -0.4], [0.25, 0.1]]),
      denseLayer("linear", [[0.2], [1.1], [-0.7]]),
    ],
  };
  const x = Float64Array.from([0.5, -0.3, -1, 0.8, 0.2, 0.1]);
  const u = layerPotentials(net, x, 3);
  assert.equal(u.length, 2);
  assert.deepEqual(Array.from(u[1]), Array.from(forward(net, x, 3)));
  assert.ok(Math.abs(u[0][0] - (0.1 + 0.5 * 0.3 - 0.3 * 0.25)) < 1e-15);
});

Deno.test("taylorValue evaluates the activation's Taylor polynomial; the KDE integrates to 1", () => {
  const c = taylorCoefficients("tanh", 0, 9);
  assert.ok(Math.abs(taylorValue(c, 0, 0.3) - Math.tanh(0.3)) < 1e-7);
  assert.ok(Math.abs(taylorValue(c, 0, 2) - Math.tanh(2)) > 0.5, "diverges beyond π/2");
  const values = Array.from({ length: 500 }, (_, i) => Math.sin(i * 12.9898) * 2);
  const grid = linspace(-5, 5, 1001);
  const d = gaussianKde(values, grid);
  const integral = d.reduce((s, v) => s + v, 0) * (grid[1] - grid[0]);
  assert.ok(Math.abs(integral - 1) < 1e-3, `integral ${integral}`);
  assert.equal(monomialText([1, 1, 3]), "x1²·x3");
  assert.equal(monomialText([0]), "1");
});

Deno.test("scaleTruth rewrites the true polynomial exactly in the scaled inputs and response", () => {
  const truth = { labels: [[0], [1], [2], [1, 1], [1, 2], [2, 2, 2]], values: [1.5, -2, 0.5, 3, -1.25, 0.4] };
  const poly = { inputs: 2, labels: truth.labels, values: Float64Array.from(truth.values) };
  const n = 50;
  const x = Float64Array.from({ length: n * 2 }, (_, i) => 5 + 3 * Math.sin(i * 1.7));
  const y = evaluatePolynomial(poly, x, n);
  for (const range of [[-1, 1], [0, 1]] as const) {
    const sx = fitMinMaxScaler(x, 2, range), sy = fitMinMaxScaler(y, 1, range);
    const scaled = scaleTruth(truth, 2, sx, sy);
    const labels = [...scaled.keys()].map((k) => k.split(",").map(Number));
    const f = { inputs: 2, labels, values: Float64Array.from(scaled.values()) };
    const got = evaluatePolynomial(f, scaleColumns(sx, x), n);
    const want = scaleColumns(sy, y);
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(got[i] - want[i]) < 1e-9, `row ${i}: ${got[i]} vs ${want[i]}`);
    }
    const exact = coefficientErrors(scaled, { labels, values: [...scaled.values()] }, 3);
    assert.equal(exact.rmsError, 0);
  }
  const errs = coefficientErrors(new Map([["1", 1], ["2", 1]]), {
    labels: [[1], [2], [1, 1, 1]],
    values: [1, 0, 2],
  }, 1);
  assert.ok(Math.abs(errs.rmsError - Math.sqrt(0.5)) < 1e-15);
  assert.ok(Math.abs(errs.relError - Math.sqrt(0.5)) < 1e-15);
  assert.equal(errs.rmsHigher, 2);
});

Deno.test("coefficientVerdict compares means within 2 pooled sds", () => {
  assert.equal(coefficientVerdict(1, 0.3, 1.5, 0.4), "agrees (within 2 pooled sd)");
  assert.equal(coefficientVerdict(1, 0.01, 1.5, 0.01), "differs (ours smaller)");
  assert.equal(coefficientVerdict(2, 0.01, 1.5, 0.01), "differs (ours larger)");
  assert.equal(coefficientVerdict(NaN, 0.01, 1.5, 0.01), "n/a");
});

const regression: ExperimentInput = {
  name: "extras",
  description: "extras smoke test",
  seed: 3,
  data: {
    p: 3,
    n: 120,
    truth: { kind: "formula", formula: "4*x1 - 3*x2*x3" },
    inputs: { kind: "normal", mean: 0, sd: 1 },
    noiseSd: 0.1,
  },
  model: { layers: 2, width: 6, constraint: "l1" },
  train: { epochs: 3, batchSize: 30, backend: "cpu" },
  methods: {
    nn2poly: { maxOrder: 3, taylorOrders: 6, variants: { q2: { maxOrder: 2 }, q3: { maxOrder: 3 } } },
    polyRegression: { degree: 2 },
  },
  grid: { "model.constraint": ["l1", "none"] },
  repetitions: 2,
  outputs: {
    tables: ["cells", "coefficients"],
    figures: [],
    formats: ["svg"],
    extras: ["diagonals", "layer-potentials", "scaled-truth"],
    saveNetworks: true,
  },
};

Deno.test({
  name: "prepareData re-creates a cell's data; the regression extras write their tables and figures",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const plan = planExperiment(regression);
    const a = prepareData(plan.cells[0].config, plan.cells[0].seeds);
    const b = prepareData(plan.cells[0].config, plan.cells[0].seeds);
    assert.deepEqual(a.train.x, b.train.x);
    assert.equal(a.train.n, 90);
    assert.ok(Math.max(...a.train.x) <= 1 && Math.min(...a.train.x) >= -1);
    const out = Deno.makeTempDirSync({ prefix: "polylab-extras-" });
    try {
      const run = await runExperiment({ input: regression, out, runId: "r", workers: 1, quiet: true });
      assert.equal(run.status, "completed");
      const rec = run.records[0];
      assert.ok(rec.network, "the network is saved");
      assert.ok(
        Number.isFinite(rec.metrics.mse_nn_nn2poly_q2) && Number.isFinite(rec.metrics.mse_nn_nn2poly_q3),
      );
      assert.deepEqual(Object.keys(rec.coefficients!), ["nn2poly_q2", "nn2poly_q3", "polyRegression"]);
      // the data the extra re-creates is the data the network was tested on
      const again = prepareData(run.plan.cells[0].config, rec.seeds);
      assert.deepEqual(Array.from(again.test.y), rec.predictions.y);
      for (
        const f of [
          "figures/diagonals.svg",
          "figures/layer_potentials.svg",
          "figures/scaled_coefficients.svg",
        ]
      ) {
        assert.ok(existsSync(join(run.runDir, f)), `${f} exists`);
      }
      const layers = readFileSync(join(run.runDir, "tables/layer_potentials.csv"), "utf8").trim().split("\n");
      assert.equal(layers.length, 1 + 2 * 2, "2 hidden layers × 2 grid points");
      const summary = readFileSync(join(run.runDir, "tables/scaled_coefficients_summary.csv"), "utf8");
      assert.match(summary, /polyRegression/);
      const report = readFileSync(join(run.runDir, "report.md"), "utf8");
      assert.match(report, /Coefficients against the true polynomial/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name: "the classification extra tabulates per-class logit MSE and accuracies per max order",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const out = Deno.makeTempDirSync({ prefix: "polylab-extras-" });
    try {
      const run = await runExperiment({
        input: {
          name: "cls",
          description: "classification smoke test",
          seed: 2,
          data: {
            task: "classification",
            p: 2,
            n: 90,
            classes: 3,
            truth: {
              kind: "random",
              degree: 2,
              mainTerms: 2,
              interactionTerms: 1,
              coefficientRange: [-2, 2],
            },
            inputs: { kind: "uniform", lo: -1, hi: 1 },
          },
          model: { layers: 2, width: 5, outputActivation: "softmax", constraint: "l1" },
          train: { epochs: 2, batchSize: 30, backend: "cpu", loss: "crossentropy" },
          methods: { nn2poly: { maxOrder: 2, variants: { o1: { maxOrder: 1 }, o2: { maxOrder: 2 } } } },
          outputs: { tables: ["cells"], figures: [], formats: ["svg"], extras: ["classification"] },
        },
        out,
        runId: "c",
        workers: 1,
        quiet: true,
      });
      const text = readFileSync(join(run.runDir, "tables/classification.csv"), "utf8").trim().split("\n");
      assert.equal(text.length, 3);
      assert.match(text[0], /acc_poly_vs_nn.*mse_logits_c3/);
      assert.match(text[1], /nn2poly_o1,1,/);
      assert.ok(existsSync(join(run.runDir, "figures/classification_accuracy.svg")));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
});
