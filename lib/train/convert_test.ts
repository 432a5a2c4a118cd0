import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../data/random.ts";
import { denseLayer, forward, type Network } from "../network/network.ts";
import { initBackend } from "./backend.ts";
import { modelToNetwork, networkToModel, predict } from "./convert.ts";
import { buildModel } from "./model.ts";
import { trainModel } from "./train.ts";

await initBackend("wasm");

function uniformMatrix(n: number, p: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n * p }, () => rng.uniform(-1, 1));
}

Deno.test("modelToNetwork: float64 forward matches model.predict within float32 tolerance", async () => {
  const x = uniformMatrix(50, 4, 1);
  const y = Float64Array.from({ length: 100 }, (_, i) => Math.sin(x[(i >> 1) * 4] + (i & 1)));
  for (const activation of [["tanh", "softplus"], ["silu", "gelu"], ["sigmoid", "leaky_relu"]] as const) {
    const model = buildModel({ inputs: 4, hidden: [12, 7], activation, outputUnits: 2, seed: 7 });
    await trainModel(model, { x, y }, { epochs: 5, batchSize: 10, learningRate: 0.05, shuffleSeed: 1 });
    const net = modelToNetwork(model);
    assert.equal(net.inputs, 4);
    assert.deepEqual(net.layers.map((l) => [l.activation, l.inputs, l.units]), [
      [activation[0], 4, 12],
      [activation[1], 12, 7],
      ["linear", 7, 2],
    ]);
    const exact = forward(net, x, 50);
    const viaTf = predict(model, x);
    assert.equal(viaTf.length, 100);
    let worst = 0;
    exact.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - viaTf[i]))));
    assert.ok(worst < 1e-5, `${activation}: max |forward - predict| = ${worst}`);
    model.dispose();
  }
});

Deno.test("leaky_relu and elu alpha: trained with it, carried into the network, round-tripped", async () => {
  const x = uniformMatrix(40, 2, 3);
  const y = Float64Array.from({ length: 40 }, (_, i) => x[2 * i] * x[2 * i + 1]);
  const model = buildModel({
    inputs: 2,
    hidden: [6, 5],
    activation: ["leaky_relu", "elu"],
    alpha: [0.3, 0.5],
    outputUnits: 1,
    seed: 3,
  });
  await trainModel(model, { x, y }, { epochs: 3, batchSize: 8, learningRate: 0.05, shuffleSeed: 2 });
  const net = modelToNetwork(model);
  assert.deepEqual(net.layers.map((l) => l.alpha), [0.3, 0.5, undefined]);
  const exact = forward(net, x, 40);
  const viaTf = predict(model, x);
  exact.forEach((v, i) => assert.ok(Math.abs(v - viaTf[i]) < 1e-5));
  // with α = 0.3 the negative side is not the default 0.01 slope
  const plain = forward({ ...net, layers: net.layers.map((l) => ({ ...l, alpha: undefined })) }, x, 40);
  assert.ok(plain.some((v, i) => Math.abs(v - exact[i]) > 1e-3));
  const back = modelToNetwork(networkToModel(net));
  assert.deepEqual(back.layers.map((l) => l.alpha), [0.3, 0.5, undefined]);
  model.dispose();
});

Deno.test("bias-first layout: row 0 of each layer matrix is the tfjs bias", () => {
  const model = buildModel({ inputs: 2, hidden: [3], activation: "tanh", outputUnits: 1, seed: 1 });
  const dense = model.layers[0];
  tf.tidy(() => dense.setWeights([tf.tensor2d([[1, 2, 3], [4, 5, 6]]), tf.tensor1d([0.5, -0.5, 0.25])]));
  const net = modelToNetwork(model);
  assert.deepEqual([...net.layers[0].weights], [0.5, -0.5, 0.25, 1, 2, 3, 4, 5, 6]);
  model.dispose();
});

Deno.test("networkToModel round-trips and predict applies softmax on request", () => {
  const net: Network = {
    inputs: 2,
    layers: [
      denseLayer("tanh", [[0.1, -0.2, 0.3], [1, 0.5, -1], [-0.7, 0.2, 0.9]]),
      denseLayer("linear", [[0, 1], [1, -1], [0.5, 0.5], [-2, 2]]),
    ],
  };
  const model = networkToModel(net);
  const back = modelToNetwork(model);
  back.layers.forEach((l, i) => {
    l.weights.forEach((v, k) => assert.ok(Math.abs(v - net.layers[i].weights[k]) < 1e-7));
    assert.equal(l.activation, net.layers[i].activation);
  });
  const x = uniformMatrix(8, 2, 3);
  const logits = predict(model, x);
  const exact = forward(net, x, 8);
  logits.forEach((v, i) => assert.ok(Math.abs(v - exact[i]) < 1e-5));
  const probs = predict(model, x, { softmax: true });
  for (let s = 0; s < 8; s++) {
    assert.ok(Math.abs(probs[2 * s] + probs[2 * s + 1] - 1) < 1e-6);
    const expected = 1 / (1 + Math.exp(exact[2 * s + 1] - exact[2 * s]));
    assert.ok(Math.abs(probs[2 * s] - expected) < 1e-5);
  }
  model.dispose();
  assert.throws(
    () => networkToModel({ inputs: 1, layers: [denseLayer("tanh", [[0], [1]])] }),
    /output layer must be "linear"/,
  );
  assert.throws(
    () => predict(buildModel({ inputs: 3, hidden: [], activation: "tanh", outputUnits: 1, seed: 1 }), x),
    /x: expected a row-major n×3/,
  );
});

Deno.test("modelToNetwork rejects activations without an exact polylab equivalent", () => {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 2, inputShape: [2], activation: "elu" })],
  });
  assert.throws(() => modelToNetwork(model), /tfjs activation "elu" has no exact polylab equivalent/);
  model.dispose();
});
