import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../data/random.ts";
import { simulateClassification } from "../data/simulate.ts";
import { ACTIVATIONS } from "../series/activations.ts";
import { initBackend } from "./backend.ts";
import { buildModel, compileForward, denseLayers, resolveModelSpec } from "./model.ts";
import { batchLoss, trainModel } from "./train.ts";
import { modelToNetwork } from "./convert.ts";
import { forward } from "../network/network.ts";

const backend = await initBackend("wasm");

/** n×p inputs U(-1,1) and y = f(x) as n×1. */
function regressionData(n: number, p: number, seed: number, f: (row: Float64Array) => number) {
  const rng = new Rng(seed);
  const x = new Float64Array(n * p);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1);
  const y = new Float64Array(n);
  for (let s = 0; s < n; s++) y[s] = f(x.subarray(s * p, (s + 1) * p));
  return { x, y };
}

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((t) => t.dataSync() as Float32Array);
}

/** Per-neuron norms of (bias, incoming weights) of a Dense layer. */
function neuronNorms(layer: tf.layers.Layer, norm: "l1" | "l2"): number[] {
  const [kernel, bias] = layer.getWeights();
  const [inputs, units] = kernel.shape;
  const k = kernel.dataSync();
  const b = bias.dataSync();
  return Array.from({ length: units }, (_, j) => {
    let s = norm === "l1" ? Math.abs(b[j]) : b[j] * b[j];
    for (let i = 0; i < inputs; i++) s += norm === "l1" ? Math.abs(k[i * units + j]) : k[i * units + j] ** 2;
    return norm === "l1" ? s : Math.sqrt(s);
  });
}

Deno.test("the wasm backend is active with SIMD", () => {
  assert.equal(backend.fellBack, false, `wasm failed to load: ${backend.fallbackReason}`);
  assert.equal(backend.name, "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.equal(backend.simd, true);
  assert.equal(backend.tfjsVersion, "4.22.0");
});

Deno.test("model specs are validated with messages naming the field", () => {
  const base = { inputs: 3, hidden: [4], activation: "tanh" as const, outputUnits: 1, seed: 1 };
  assert.throws(
    () => buildModel({ ...base, activation: "swishy" as "tanh" }),
    /model.activation: unknown activation "swishy"/,
  );
  assert.throws(() => buildModel({ ...base, hidden: [0] }), /model.hidden\[0\]: expected a positive integer/);
  assert.throws(
    () => buildModel({ ...base, activation: ["tanh", "tanh"] }),
    /model.activation: has 2 entries/,
  );
  assert.throws(
    () => buildModel({ ...base, initializer: "zeros" as "heNormal" }),
    /model.initializer: unknown "zeros"/,
  );
  assert.throws(
    () => buildModel({ ...base, outputActivation: "softmax" }),
    /softmax needs at least 2 output units/,
  );
  const r = resolveModelSpec({ ...base, hidden: [4, 5] });
  assert.equal(new Set(r.layerSeeds).size, 3);
});

Deno.test("seeded initialisation: same seed same weights, per-layer seeds differ", () => {
  const spec = { inputs: 4, hidden: [6, 6], activation: "tanh" as const, outputUnits: 1, seed: 5 };
  const a = buildModel(spec);
  const b = buildModel(spec);
  const c = buildModel({ ...spec, seed: 6 });
  assert.deepEqual(weightsOf(a), weightsOf(b));
  assert.notDeepEqual(weightsOf(a)[0], weightsOf(c)[0]);
  const w = weightsOf(a);
  assert.notDeepEqual(w[2].subarray(0, 6), w[0].subarray(0, 6), "layer kernels must not share a stream");
  assert.ok(w[1].every((v) => v === 0), "biases start at zero");
  for (const m of [a, b, c]) m.dispose();
});

Deno.test("invalid training options throw naming the field", async () => {
  const model = buildModel({ inputs: 2, hidden: [3], activation: "tanh", outputUnits: 1, seed: 1 });
  const data = regressionData(10, 2, 1, (r) => r[0]);
  const opts = { epochs: 1, batchSize: 5, shuffleSeed: 1 };
  await assert.rejects(
    trainModel(model, data, { ...opts, batchSize: 0 }),
    /train.batchSize: expected an integer >= 1/,
  );
  await assert.rejects(
    trainModel(model, data, { ...opts, optimizer: "rmsprop" as "sgd" }),
    /train.optimizer/,
  );
  await assert.rejects(trainModel(model, data, { ...opts, learningRate: -1 }), /train.learningRate/);
  await assert.rejects(trainModel(model, data, { ...opts, validationSplit: 1 }), /train.validationSplit/);
  await assert.rejects(
    trainModel(model, { x: data.x, y: data.y.subarray(1) }, opts),
    /data.y: expected n×1 = 10/,
  );
  model.dispose();
});

Deno.test("training reduces the loss, records history, and holds the last rows out for validation", async () => {
  const data = regressionData(200, 3, 2, (r) => Math.sin(2 * r[0]) + r[1] * r[2]);
  const model = buildModel({ inputs: 3, hidden: [32], activation: "tanh", outputUnits: 1, seed: 3 });
  const result = await trainModel(model, data, {
    epochs: 150,
    batchSize: 32,
    learningRate: 0.01,
    validationSplit: 0.25,
    shuffleSeed: 4,
  });
  assert.equal(result.status, "ok");
  assert.equal(result.trainRows, 150);
  assert.equal(result.validationRows, 50);
  assert.equal(result.history.trainLoss.length, 150);
  assert.equal(result.history.validationLoss.length, 150);
  const first = result.history.trainLoss[0];
  const last = result.history.trainLoss[149];
  assert.ok(last < first / 10, `loss ${first} -> ${last}`);
  assert.ok(result.history.validationLoss[149] < result.history.validationLoss[0] / 5);
  model.dispose();
});

Deno.test("seeded training is bit-identical; a different shuffle seed changes the weights", async () => {
  const data = regressionData(120, 3, 5, (r) => r[0] * r[1] - r[2]);
  const run = async (shuffleSeed: number, optimizer: "adam" | "sgd" | "adamax") => {
    const model = buildModel({
      inputs: 3,
      hidden: [16, 8],
      activation: ["tanh", "softplus"],
      outputUnits: 1,
      seed: 9,
    });
    const r = await trainModel(model, data, {
      epochs: 15,
      batchSize: 25,
      learningRate: 0.01,
      shuffleSeed,
      optimizer,
    });
    assert.equal(r.status, "ok");
    const w = weightsOf(model);
    model.dispose();
    return w;
  };
  for (const optimizer of ["adam", "sgd", "adamax"] as const) {
    const a = await run(11, optimizer);
    const b = await run(11, optimizer);
    assert.deepEqual(a, b, `${optimizer}: same seeds must give identical weights`);
    const c = await run(12, optimizer);
    assert.notDeepEqual(a[0], c[0], `${optimizer}: a different shuffle seed must change the weights`);
  }
});

for (const norm of ["l1", "l2"] as const) {
  Deno.test(`${norm} constraint: after every step each hidden neuron's (bias, weights) norm <= 1; output free`, async () => {
    const data = regressionData(60, 3, 6, (r) => 8 * r[0] - 6 * r[1] * r[2] + 3);
    const spec = { inputs: 3, hidden: [10, 10], activation: "tanh" as const, outputUnits: 1, seed: 2 };
    const opts = { epochs: 6, batchSize: 20, learningRate: 0.1, shuffleSeed: 1 };
    const free = buildModel(spec);
    await trainModel(free, data, opts);
    const freeMax = Math.max(...denseLayers(free).slice(0, -1).flatMap((l) => neuronNorms(l, norm)));
    assert.ok(freeMax > 1.2, `without the constraint some hidden norm should exceed 1 (max ${freeMax})`);
    free.dispose();

    const model = buildModel(spec);
    let steps = 0;
    let worst = 0;
    const result = await trainModel(model, data, {
      ...opts,
      constraint: norm,
      onStep: ({ model }) => {
        steps++;
        for (const layer of denseLayers(model).slice(0, -1)) {
          worst = Math.max(worst, ...neuronNorms(layer, norm));
        }
      },
    });
    assert.equal(result.status, "ok");
    assert.equal(steps, 18);
    assert.ok(worst <= 1 + 1e-6, `max hidden ${norm} norm ${worst}`);
    assert.ok(worst > 0.99, `neurons should sit on the constraint boundary (max ${worst})`);
    const outputNorm = Math.max(...neuronNorms(denseLayers(model).at(-1)!, norm));
    assert.ok(outputNorm > 1.5, `output layer must stay unconstrained (norm ${outputNorm})`);
    model.dispose();
  });
}

Deno.test("NaN / divergence is reported as a failed status, not thrown", async () => {
  const data = regressionData(50, 2, 7, (r) => 100 * r[0]);
  const model = buildModel({ inputs: 2, hidden: [8], activation: "linear", outputUnits: 1, seed: 1 });
  const result = await trainModel(model, data, {
    optimizer: "sgd",
    learningRate: 1e4,
    epochs: 50,
    batchSize: 10,
    shuffleSeed: 1,
  });
  assert.equal(result.status, "failed");
  if (result.status === "failed") {
    assert.match(result.reason, /training loss (is NaN|is Infinity|.* exceeded divergenceThreshold)/);
    assert.ok(result.epoch < 50);
    assert.equal(result.history.trainLoss.length, result.epoch + 1);
  }
  model.dispose();
  const small = buildModel({ inputs: 2, hidden: [8], activation: "tanh", outputUnits: 1, seed: 1 });
  const low = await trainModel(small, data, {
    epochs: 1,
    batchSize: 10,
    shuffleSeed: 1,
    divergenceThreshold: 1e-3,
  });
  assert.equal(low.status, "failed");
  small.dispose();
});

Deno.test("no tensor leaks: tensor count is flat across epochs and restored after training", async () => {
  const data = regressionData(64, 2, 8, (r) => r[0] - r[1]);
  const model = buildModel({ inputs: 2, hidden: [8], activation: "sin", outputUnits: 1, seed: 1 });
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  await trainModel(model, data, {
    epochs: 6,
    batchSize: 16,
    validationSplit: 0.25,
    constraint: "l1",
    shuffleSeed: 2,
    onEpoch: () => counts.push(tf.memory().numTensors),
  });
  assert.ok(counts.slice(1).every((c) => c === counts[1]), `tensor counts per epoch ${counts}`);
  assert.equal(tf.memory().numTensors, before);
  model.dispose();
});

Deno.test("every polylab activation trains; the compiled forward equals model.apply", async () => {
  const data = regressionData(40, 2, 9, (r) => r[0] * r[1]);
  const xs = tf.tensor2d(Float32Array.from(data.x), [40, 2]);
  for (const activation of ACTIVATIONS) {
    const model = buildModel({ inputs: 2, hidden: [5, 4], activation, outputUnits: 2, seed: 3 });
    const forward = compileForward(model);
    assert.ok(forward, `${activation}: model should compile`);
    const direct = forward(xs);
    const viaLayers = model.apply(xs) as tf.Tensor;
    const a = direct.dataSync();
    const b = viaLayers.dataSync();
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-6, `${activation}: ${v} vs ${b[i]}`));
    tf.dispose([direct, viaLayers]);
    const y = new Float64Array(80).map((_, i) => data.y[i >> 1]);
    const r = await trainModel(model, { x: data.x, y }, {
      epochs: 3,
      batchSize: 10,
      learningRate: 0.01,
      shuffleSeed: 1,
    });
    assert.equal(r.status, "ok", `${activation} failed to train`);
    assert.ok(r.history.trainLoss.every(Number.isFinite));
    assert.ok(model.getWeights().every((t) => t.dataSync().every(Number.isFinite)));
    model.dispose();
  }
  xs.dispose();
});

Deno.test("softmax classification on logits learns above chance", async () => {
  const d = simulateClassification({
    seed: 4,
    samples: 300,
    inputs: 2,
    classes: 3,
    truth: { kind: "random", degree: 1, linearTerms: 2, higherTerms: 0, coefficientRange: [-2, 2] },
    distribution: { kind: "uniform", lo: -1, hi: 1 },
  });
  const model = buildModel({
    inputs: 2,
    hidden: [16],
    activation: "tanh",
    outputUnits: 3,
    outputActivation: "softmax",
    seed: 1,
  });
  const r = await trainModel(model, { x: d.x, y: d.y }, {
    loss: "softmaxCrossEntropy",
    epochs: 60,
    batchSize: 30,
    learningRate: 0.02,
    shuffleSeed: 2,
  });
  assert.equal(r.status, "ok");
  assert.ok(r.history.trainLoss[0] > 2 * r.history.trainLoss.at(-1)!, `CE ${r.history.trainLoss}`);
  assert.ok(r.history.trainLoss.at(-1)! < 0.4, `final CE ${r.history.trainLoss.at(-1)}`);
  const predicted = tf.tidy(() =>
    (model.predict(tf.tensor2d(Float32Array.from(d.x), [300, 2])) as tf.Tensor).argMax(-1)
  );
  const classes = Array.from(predicted.dataSync());
  predicted.dispose();
  const accuracy = classes.filter((c, s) => c === d.labels[s]).length / 300;
  assert.ok(accuracy > 0.85, `accuracy ${accuracy}`);
  model.dispose();
});

Deno.test("batch losses: mse and softmax cross-entropy from logits match hand computation", () => {
  const logits = tf.tensor2d([[1, 2, 0], [0, 0, 3]]);
  const target = tf.tensor2d([[0, 1, 0], [1, 0, 0]]);
  const ce = batchLoss("softmaxCrossEntropy", logits, target);
  const lse = (r: number[]) => Math.log(r.reduce((a, v) => a + Math.exp(v), 0));
  const expected = ((lse([1, 2, 0]) - 2) + (lse([0, 0, 3]) - 0)) / 2;
  assert.ok(Math.abs(ce.dataSync()[0] - expected) < 1e-6, `${ce.dataSync()[0]} vs ${expected}`);
  const mse = batchLoss("mse", tf.tensor2d([[1], [3]]), tf.tensor2d([[0], [1]]));
  assert.ok(Math.abs(mse.dataSync()[0] - 2.5) < 1e-7);
  tf.dispose([logits, target, ce, mse]);
});

Deno.test("sigmoidCrossEntropy is the binary cross-entropy of sigmoid(logit); L2 shrinks the weights; dropout is identity after conversion", async () => {
  const f = tf.tensor2d([[2], [-1], [0.5]]);
  const y = tf.tensor2d([[1], [0], [0]]);
  const got = (await batchLoss("sigmoidCrossEntropy", f, y).data())[0];
  const s = (v: number) => 1 / (1 + Math.exp(-v));
  const want = -(Math.log(s(2)) + Math.log(1 - s(-1)) + Math.log(1 - s(0.5))) / 3;
  assert.ok(Math.abs(got - want) < 1e-6);
  const x = Float64Array.from({ length: 200 }, (_, i) => Math.sin(i));
  const labels = Float64Array.from({ length: 100 }, (_, i) => (x[2 * i] + x[2 * i + 1] > 0 ? 1 : 0));
  const norms: number[] = [];
  for (const l2 of [0, 0.1]) {
    const model = buildModel({
      inputs: 2,
      hidden: [8],
      activation: "elu",
      outputUnits: 1,
      seed: 3,
      dropout: 0.2,
    });
    const res = await trainModel(model, { x, y: labels }, {
      epochs: 5,
      batchSize: 20,
      loss: "sigmoidCrossEntropy",
      shuffleSeed: 1,
      l2,
    });
    assert.equal(res.status, "ok");
    const net = modelToNetwork(model);
    assert.equal(net.layers.length, 2); // the dropout layer is gone
    const pred = model.predict(tf.tensor2d(Array.from(x.subarray(0, 20)), [10, 2])) as tf.Tensor;
    const mine = forward(net, x.subarray(0, 20), 10);
    const theirs = await pred.data();
    for (let i = 0; i < 10; i++) assert.ok(Math.abs(mine[i] - theirs[i]) < 1e-5);
    norms.push(net.layers.reduce((a, layer) => a + layer.weights.reduce((b, w) => b + w * w, 0), 0));
  }
  assert.ok(norms[1] < norms[0], `L2 did not shrink the weights: ${norms}`);
  assert.throws(
    () => buildModel({ inputs: 2, hidden: [4], activation: "elu", outputUnits: 1, seed: 1, dropout: 1 }),
    /model\.dropout/,
  );
});

Deno.test("plateau: training stops after `stopAfter` epochs without improvement; bad settings are refused", async () => {
  // a learning rate so large that the loss never improves after the first epochs: a plateau at once
  const data = regressionData(60, 2, 8, (r) => r[0] - r[1]);
  const model = buildModel({ inputs: 2, hidden: [4], activation: "tanh", outputUnits: 1, seed: 2 });
  const seen: number[] = [];
  const result = await trainModel(model, data, {
    epochs: 500,
    batchSize: 60,
    learningRate: 0.05,
    validationSplit: 0.5,
    shuffleSeed: 1,
    plateau: { patience: 3, factor: 0.5, stopAfter: 6 },
    onEpoch: (r) => seen.push(r.validationLoss),
  });
  assert.equal(result.status, "ok");
  const epochs = result.status === "ok" ? result.epochs : -1;
  assert.ok(epochs < 500, `stopped after ${epochs} epochs`);
  assert.equal(result.history.validationLoss.length, epochs);
  // the last 6 epochs did not improve on the best before them by more than 1e-4 relative
  const best = Math.min(...seen.slice(0, epochs - 6));
  assert.ok(seen.slice(epochs - 6).every((v) => !(v < best * (1 - 1e-4))));
  await assert.rejects(
    () =>
      trainModel(model, data, {
        epochs: 1,
        batchSize: 10,
        shuffleSeed: 1,
        plateau: { patience: 0, factor: 0.5, stopAfter: 2 },
      }),
    /train.plateau/,
  );
  model.dispose();
});
