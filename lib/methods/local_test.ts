import assert from "node:assert/strict";
import "./mod.ts";
import { radiusCurve } from "../experiment/metrics.ts";
import { runMethods } from "../experiment/methods.ts";
import { validateExperiment } from "../experiment/plan.ts";
import { tinyExperiment } from "../../tests/tiny_experiment.ts";
import type { ExperimentInput } from "../experiment/schema.ts";
import { denseLayer, forward, type Network } from "../network/network.ts";
import { exactTaylor } from "../taylor/exact.ts";
import { hopeTaylor } from "../taylor/hope.ts";

/** Deterministic points in [−1, 1]^2 (row-major n × 2). */
function points(n: number, phase = 0): Float64Array {
  return Float64Array.from({ length: 2 * n }, (_, i) => Math.sin(12.9898 * (i + 1) + phase) * 0.999);
}

function config(methods: Record<string, unknown>): ReturnType<typeof validateExperiment> {
  return validateExperiment(tinyExperiment(methods as ExperimentInput["methods"], { name: "local" }));
}

/** Runs the configured methods on `net` with train = `train`, test = `test`; returns results and the net's test values. */
function run(net: Network, methods: Record<string, unknown>, train: Float64Array, test: Float64Array) {
  const trainN = train.length / 2, testN = test.length / 2;
  const results = runMethods(config(methods), net, {
    p: 2,
    outputs: 1,
    trainX: train,
    trainY: new Float64Array(trainN),
    trainN,
    testX: test,
    testY: new Float64Array(testN),
    testN,
  });
  return { results, nn: forward(net, test, testN), testN };
}

// f(x) = 0.3 + 0.5·(x1 − 2·x2 + 0.1) − 0.8·(0.4·x1 + x2): a network of linear layers is a polynomial of degree 1
const linearNet: Network = {
  inputs: 2,
  layers: [
    denseLayer("linear", [[0.1, 0], [1, 0.4], [-2, 1]]),
    denseLayer("linear", [[0.3], [0.5], [-0.8]]),
  ],
};

const tanhNet: Network = {
  inputs: 2,
  layers: [
    denseLayer("tanh", [[0.2, -0.3, 0.1, 0.4], [1.5, -0.7, 0.9, 1.2], [0.8, 1.3, -1.1, 0.6]]),
    denseLayer("linear", [[0.1], [1.2], [-0.9], [0.7], [1.1]]),
  ],
};

const RADII = [0.1, 0.25, 0.5, 1, 1.5];

Deno.test("radius curve, analytic case: a linear network's order-1 Taylor polynomial is exact at every radius", () => {
  const train = points(30), test = points(200, 1);
  const { results, nn, testN } = run(
    linearNet,
    {
      taylor: { order: 1, center: "mean", radii: RADII },
      hope: { order: 1, center: [0.3, -0.2], radii: RADII },
    },
    train,
    test,
  );
  for (const name of ["taylor", "hope"]) {
    const r = results.get(name)!;
    assert.deepEqual(r.radii, RADII);
    const curve = radiusCurve(test, testN, r.center!, nn, r.predictions, 1, r.radii!);
    assert.ok(curve.at(-1)!.n > 100, "most test points within r = 1.5");
    for (const c of curve) assert.ok(c.mse === null || c.mse < 1e-30, `${name} r=${c.radius}: ${c.mse}`);
    assert.equal(r.size, 3, "1, x1, x2");
  }
  // the centre "mean" is the training inputs' mean
  const mean = [0, 1].map((j) =>
    Array.from({ length: 30 }, (_, i) => train[2 * i + j]).reduce((a, b) => a + b) / 30
  );
  assert.deepEqual(Array.from(results.get("taylor")!.center!), mean);
  // order 0 is not exact: the same curve is then far from zero
  const zero = run(linearNet, { taylor: { order: 0, center: "mean", radii: RADII } }, train, test).results
    .get("taylor")!;
  const curve0 = radiusCurve(test, testN, zero.center!, nn, zero.predictions, 1, RADII);
  assert.ok(curve0.at(-1)!.mse! > 0.05);
});

Deno.test("radius curve, tanh network: the Taylor error is tiny near the centre and grows with r", () => {
  // points on circles of radius 0.05, 0.2, 0.4, 0.8 and 1.2 around the origin, 16 angles each
  const test = Float64Array.from(
    [0.05, 0.2, 0.4, 0.8, 1.2].flatMap((d) =>
      Array.from(
        { length: 16 },
        (_, k) => [d * Math.cos(k * Math.PI / 8 + d), d * Math.sin(k * Math.PI / 8 + d)],
      ).flat()
    ),
  );
  const { results, nn, testN } = run(
    tanhNet,
    {
      taylor: { order: 3, radii: RADII, convergenceOrders: [1, 3, 5, 7] },
    },
    points(30),
    test,
  );
  const r = results.get("taylor")!;
  assert.deepEqual(Array.from(r.center!), [0, 0], "the origin by default");
  const curve = radiusCurve(test, testN, r.center!, nn, r.predictions, 1, RADII);
  const mses = curve.map((c) => c.mse!);
  for (let i = 1; i < mses.length; i++) assert.ok(mses[i] > mses[i - 1], `grows with r: ${mses}`);
  assert.deepEqual(curve.map((c) => c.n), [16, 32, 48, 64, 80]);
  assert.ok(mses[0] < 1e-9, `near the centre: ${mses[0]}`);
  assert.ok(mses.at(-1)! > 1e-3, `far from it: ${mses.at(-1)}`);
  // the error of an order-3 polynomial falls like r^8 near the centre
  assert.ok(mses[2] / mses[1] > 30, `${mses[2] / mses[1]}`);
  // convergence over K inside the radius of convergence: the order-3 curve point is the base predictions
  const conv = r.convergence!;
  assert.deepEqual(conv.map((c) => c.size), [3, 10, 21, 36]);
  assert.equal(conv[1].predictions, r.predictions);
});

Deno.test("taylor is the exact polynomial at its centre; hope equals it for one hidden layer, not for two", () => {
  const c = [0.3, -0.4];
  const test = points(50, 3);
  const one = run(
    tanhNet,
    { taylor: { order: 4, center: c }, hope: { order: 4, center: c } },
    points(10),
    test,
  );
  const t = one.results.get("taylor")!, h = one.results.get("hope")!;
  const direct = exactTaylor(tanhNet, c, 4).polynomials[0];
  assert.deepEqual(Array.from(t.polynomials![0].coefficients), Array.from(direct.coefficients));
  assert.ok(
    Math.abs(t.polynomials![0].coefficients[0] - forward(tanhNet, Float64Array.from(c), 1)[0]) < 1e-15,
  );
  for (let i = 0; i < one.testN; i++) assert.ok(Math.abs(t.predictions[i] - h.predictions[i]) < 1e-12);

  const deep: Network = {
    inputs: 2,
    layers: [
      tanhNet.layers[0],
      denseLayer("tanh", [[0.1, -0.2], [0.9, 0.4], [-0.6, 1.0], [0.5, -0.8], [1.1, 0.3]]),
      denseLayer("linear", [[0], [1], [-1]]),
    ],
  };
  const two = run(deep, { taylor: { order: 4, center: c }, hope: { order: 4, center: c } }, points(10), test);
  const hopeDirect = hopeTaylor(deep, c, 4).coefficients[0];
  assert.deepEqual(Array.from(two.results.get("hope")!.polynomials![0].coefficients), Array.from(hopeDirect));
  const gap = Math.max(
    ...two.results.get("taylor")!.predictions.map((v, i) =>
      Math.abs(v - two.results.get("hope")!.predictions[i])
    ),
  );
  assert.ok(gap > 1e-3, `HOPE drops mixed hidden partials: ${gap}`);
});

Deno.test("variants of a local method: one instance per variant, inheriting the base options", () => {
  const { results } = run(
    tanhNet,
    {
      taylor: {
        order: 2,
        radii: [0.5],
        variants: { origin: {}, mean: { center: "mean" }, k4: { order: 4 } },
      },
    },
    points(20),
    points(20, 4),
  );
  assert.deepEqual([...results.keys()], ["taylor_origin", "taylor_mean", "taylor_k4"]);
  assert.deepEqual(
    results.get("taylor_origin")!.predictions,
    run(tanhNet, { taylor: { order: 2 } }, points(20), points(20, 4)).results.get("taylor")!.predictions,
  );
  assert.equal(results.get("taylor_k4")!.size, 15);
  assert.deepEqual(results.get("taylor_mean")!.radii, [0.5]);
  assert.notDeepEqual(Array.from(results.get("taylor_mean")!.center!), [0, 0]);
});

Deno.test("polyRegression fitted to the network reproduces a polynomial network exactly; to y it fits the data", () => {
  const train = points(40), test = points(30, 5);
  const y = forward(linearNet, train, 40).map((v, i) => v + (i % 2 ? 0.1 : -0.1));
  const config0 = config({ polyRegression: { degree: 1, target: "network" } });
  const data = {
    p: 2,
    outputs: 1,
    trainX: train,
    trainY: y,
    trainN: 40,
    testX: test,
    testY: new Float64Array(30),
    testN: 30,
  };
  const net = runMethods(config0, linearNet, data).get("polyRegression")!;
  const nn = forward(linearNet, test, 30);
  for (let i = 0; i < 30; i++) assert.ok(Math.abs(net.predictions[i] - nn[i]) < 1e-12);
  const onY = runMethods(config({ polyRegression: { degree: 1 } }), linearNet, data).get("polyRegression")!;
  assert.ok(
    Math.max(...onY.predictions.map((v, i) => Math.abs(v - nn[i]))) > 1e-4,
    "fits y, not the network",
  );
  assert.equal(onY.size, 3);
});
