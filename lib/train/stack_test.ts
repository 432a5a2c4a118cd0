import assert from "node:assert/strict";
import { Rng } from "../data/random.ts";
import type { Network } from "../network/network.ts";
import { initBackend } from "./backend.ts";
import { fitNetwork } from "./fit.ts";
import type { ModelSpec } from "./model.ts";
import { fitNetworkStack, type StackMember, type StackOptions } from "./stack.ts";

await initBackend("wasm");

function member(spec: Omit<ModelSpec, "seed">, n: number, seed: number, classes = 0): StackMember {
  const rng = new Rng(seed);
  const p = spec.inputs;
  const x = new Float64Array(n * p).map(() => rng.uniform(-1, 1));
  let y: Float64Array;
  if (classes > 0) {
    y = new Float64Array(n * classes);
    for (let s = 0; s < n; s++) {
      const c = (x[s * p] > 0 ? 1 : 0) + (x[s * p + 1] > 0.3 ? 1 : 0);
      y[s * classes + Math.min(c, classes - 1)] = 1;
    }
  } else {
    y = new Float64Array(n).map((_, s) => x[s * p] - 2 * x[s * p] * x[s * p + 1] + 0.1 * rng.normal());
  }
  return { spec: { ...spec, seed: 1000 + seed }, data: { x, y }, shuffleSeed: 77 + seed };
}

function sameWeights(a: Network, b: Network): boolean {
  return a.layers.every((layer, l) => layer.weights.every((w, i) => w === b.layers[l].weights[i]));
}

async function assertStackMatchesSingle(members: StackMember[], options: StackOptions) {
  const stacked = await fitNetworkStack(members, options);
  assert.equal(stacked.length, members.length);
  for (let r = 0; r < members.length; r++) {
    const single = await fitNetwork(members[r].spec, members[r].data, {
      ...options,
      shuffleSeed: members[r].shuffleSeed,
    });
    single.model.dispose();
    assert.equal(stacked[r].training.status, "ok");
    assert.deepEqual(stacked[r].training.history, single.training.history, `member ${r}: loss history`);
    assert.ok(
      sameWeights(stacked[r].network!, single.network!),
      `member ${r}: weights differ from training alone`,
    );
  }
  return stacked;
}

Deno.test("stack: one hidden softplus layer, each network bit-identical to training alone", async () => {
  const spec = { inputs: 3, hidden: [10], activation: "softplus", outputUnits: 1 };
  const members = [0, 1, 2].map((s) => member(spec, 150, s));
  const fits = await assertStackMatchesSingle(members, { learningRate: 1e-2, epochs: 6, batchSize: 16 });
  // the networks really trained: the loss fell
  for (const f of fits) assert.ok(f.training.history.trainLoss[5] < f.training.history.trainLoss[0]);
});

Deno.test("stack: two tanh layers with the L1 constraint and a validation split", async () => {
  const spec = { inputs: 2, hidden: [8, 5], activation: "tanh", outputUnits: 1 };
  const members = [3, 4].map((s) => member(spec, 90, s));
  const fits = await assertStackMatchesSingle(members, {
    learningRate: 1e-2,
    epochs: 4,
    batchSize: 20,
    validationSplit: 0.2,
    constraint: "l1",
  });
  for (const f of fits) {
    assert.equal(f.training.history.validationLoss.length, 4);
    const hidden = f.network!.layers[0];
    for (let j = 0; j < hidden.units; j++) {
      let norm = 0;
      for (let i = 0; i <= hidden.inputs; i++) norm += Math.abs(hidden.weights[i * hidden.units + j]);
      assert.ok(norm <= 1 + 1e-6, `neuron ${j}: L1 norm ${norm} > 1`);
    }
  }
});

Deno.test("stack: softmax classification with a polylab activation (sin)", async () => {
  const spec = {
    inputs: 2,
    hidden: [6],
    activation: "sin",
    outputUnits: 3,
    outputActivation: "softmax" as const,
  };
  const members = [5, 6].map((s) => member(spec, 60, s, 3));
  await assertStackMatchesSingle(members, { learningRate: 5e-3, epochs: 3, batchSize: 25 });
});

Deno.test("stack: a diverging network fails alone; the others are unaffected", async () => {
  const spec = { inputs: 3, hidden: [4], activation: "tanh", outputUnits: 1 };
  const good = [7, 8].map((s) => member(spec, 40, s));
  const bad = member(spec, 40, 9);
  (bad.data.y as Float64Array)[5] = NaN;
  const options = { learningRate: 1e-2, epochs: 3, batchSize: 10 };
  const fits = await fitNetworkStack([good[0], bad, good[1]], options);
  assert.equal(fits[1].training.status, "failed");
  assert.equal(fits[1].network, null);
  assert.match((fits[1].training as { reason: string }).reason, /training loss is NaN at epoch 0/);
  const alone = await fitNetworkStack(good, options);
  assert.ok(sameWeights(fits[0].network!, alone[0].network!));
  assert.ok(sameWeights(fits[2].network!, alone[1].network!));
});

Deno.test("stack: mismatched architectures or row counts are refused by field", async () => {
  const a = member({ inputs: 3, hidden: [4], activation: "tanh", outputUnits: 1 }, 40, 1);
  const b = member({ inputs: 3, hidden: [5], activation: "tanh", outputUnits: 1 }, 40, 2);
  const c = member({ inputs: 3, hidden: [4], activation: "tanh", outputUnits: 1 }, 30, 3);
  const options = { epochs: 1, batchSize: 10 };
  await assert.rejects(fitNetworkStack([a, b], options), /stack\[1\]\.spec: .*same architecture/);
  await assert.rejects(fitNetworkStack([a, c], options), /stack\[1\]\.data\.x/);
  assert.deepEqual(await fitNetworkStack([], options), []);
});

Deno.test("stack: wider layers stay bit-identical to training alone", async () => {
  const spec = { inputs: 5, hidden: [40, 40], activation: "tanh", outputUnits: 1 };
  const members = [10, 11, 12].map((s) => member(spec, 100, s));
  await assertStackMatchesSingle(members, { learningRate: 1e-3, epochs: 3, batchSize: 25, constraint: "l1" });
});
