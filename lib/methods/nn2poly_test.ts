import assert from "node:assert/strict";
import { denseLayer, type Network } from "../network/network.ts";
import { nn2poly } from "../nn2poly/engine.ts";
import { evaluatePolynomials } from "../poly/polynomial.ts";
import { UsageError } from "../errors.ts";
import { tinyExperiment } from "../../tests/tiny_experiment.ts";
import "./mod.ts";
import { methodLabel, runMethods } from "../experiment/methods.ts";
import { planExperiment, validateExperiment } from "../experiment/plan.ts";
import type { ExperimentInput } from "../experiment/schema.ts";
import { nn2polyExpansions } from "./nn2poly.ts";

const net: Network = {
  inputs: 2,
  layers: [
    denseLayer("tanh", [[0.1, -0.2, 0.05], [0.3, -0.4, 0.2], [0.25, 0.1, -0.3]]),
    denseLayer("linear", [[0.2], [1.1], [-0.7], [0.5]]),
  ],
};

const input = tinyExperiment({
  nn2poly: {
    maxOrder: 2,
    taylorOrders: 6,
    convergenceOrders: [1, 2],
    variants: { q3: { maxOrder: 3, taylorOrders: 3 }, o1: { maxOrder: 1 } },
  },
  polyRegression: { degree: 2 },
}, { name: "variants" });

Deno.test("nn2poly variants resolve their options, inheriting unset ones from the base", () => {
  const config = validateExperiment(input);
  assert.deepEqual(nn2polyExpansions(config), [
    { name: "nn2poly_q3", maxOrder: 3, taylorOrders: 3, taylorCenter: 0 },
    { name: "nn2poly_o1", maxOrder: 1, taylorOrders: 6, taylorCenter: 0 },
  ]);
  const plain = validateExperiment({ ...input, methods: { nn2poly: { maxOrder: 2 } } });
  assert.deepEqual(nn2polyExpansions(plain).map((e) => e.name), ["nn2poly"]);
  assert.equal(methodLabel("nn2poly_q3"), "NN2Poly q3");
  assert.equal(methodLabel("nn2poly"), "NN2Poly");
  assert.equal(methodLabel("polyRegression"), "poly. regression");
});

Deno.test("runMethods expands one network once per variant, each equal to a direct nn2poly call", () => {
  const config = validateExperiment(input);
  const x = Float64Array.from({ length: 20 }, (_, i) => Math.sin(i + 1) * 0.9);
  const y = Float64Array.from({ length: 10 }, (_, i) => x[2 * i] * x[2 * i + 1]);
  const results = runMethods(config, net, {
    p: 2,
    outputs: 1,
    trainX: x,
    trainY: y,
    trainN: 10,
    testX: x,
    testY: y,
    testN: 10,
  });
  assert.deepEqual([...results.keys()], ["nn2poly_q3", "nn2poly_o1", "polyRegression"]);
  const q3 = results.get("nn2poly_q3")!;
  assert.equal(q3.polynomials![0].degree, 3);
  assert.equal(results.get("nn2poly_o1")!.polynomials![0].degree, 1);
  const direct = nn2poly(net, { maxOrder: 3, taylorOrders: 3 }).polynomials;
  assert.deepEqual(Array.from(q3.polynomials![0].coefficients), Array.from(direct[0].coefficients));
  assert.deepEqual(Array.from(q3.predictions), Array.from(evaluatePolynomials(direct, x, 10)));
  // the convergence curve belongs to the base expansion only
  assert.equal(q3.convergence!.length, 0);
});

Deno.test("variant names and the data.scale shorthand are validated", () => {
  const bad = structuredClone(input) as { methods: { nn2poly: { variants: Record<string, unknown> } } };
  bad.methods.nn2poly.variants = { "q-3": { maxOrder: 3 } };
  assert.throws(() => planExperiment(bad as ExperimentInput), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, /variants.*letters and digits/);
    return true;
  });
  const unknownKey = structuredClone(input) as {
    methods: { nn2poly: { variants: Record<string, unknown> } };
  };
  unknownKey.methods.nn2poly.variants = { q3: { maxOrder: 3, order: 2 } };
  assert.throws(() => planExperiment(unknownKey as ExperimentInput), /unknown key "order"/);
  const plan = planExperiment({ ...input, grid: { "data.scale": ["minus1to1", "0to1"] } });
  assert.deepEqual(plan.cells.map((c) => c.config.data.scale), ["minus1to1", "0to1"]);
});
