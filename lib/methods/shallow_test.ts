import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { planExperiment } from "../experiment/plan.ts";
import type { ExperimentInput } from "../experiment/schema.ts";
import { forward } from "../network/network.ts";
import { guaranteedRegions, serraBound } from "../relu/bounds.ts";
import { plNetwork } from "../relu/net.ts";
import { enumerateRegions } from "../relu/regions.ts";
import { mulberry32, randomDyadicNetwork } from "../relu/testing.ts";
import "./mod.ts";
import { shallowMethod, shallowOptionsSchema } from "./shallow.ts";

function config(
  p: number,
  model: Record<string, unknown>,
  methods: Record<string, unknown>,
): ExperimentInput {
  return {
    name: "shallow-plan",
    description: "plan-time checks of the shallow method",
    seed: 1,
    data: {
      p,
      n: 100,
      truth: { kind: "formula", formula: "x1" },
      inputs: { kind: "uniform", lo: -1, hi: 1 },
    },
    model,
    train: { epochs: 1, batchSize: 10 },
    methods,
  } as ExperimentInput;
}

function refuses(input: ExperimentInput, pattern: RegExp) {
  assert.throws(() => planExperiment(input), (e: unknown) => {
    assert.ok(e instanceof UsageError, `a UsageError, got ${e}`);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes("\n"));
    return true;
  });
}

Deno.test("guaranteedRegions: the first layer's cells, never above the count of any network (general position)", () => {
  assert.equal(guaranteedRegions(2, [8, 8]), 37);
  assert.equal(guaranteedRegions(1, [5, 100]), 6);
  assert.equal(guaranteedRegions(3, []), 1);
  const rng = mulberry32(31);
  for (let t = 0; t < 16; t++) {
    const p = 1 + (t % 3);
    const widths = t % 4 === 0 ? [6] : [5, 3 + (t % 3)];
    // continuous weights: hyperplanes in general position with probability 1
    const net = randomDyadicNetwork(rng, p, widths, 1);
    for (const layer of net.layers) {
      const w = layer.weights as Float64Array;
      for (let i = 0; i < w.length; i++) w[i] += 1e-3 * Math.sin(7 * i + t + 1);
    }
    const count = enumerateRegions(plNetwork(net)).regions.length;
    const lower = guaranteedRegions(p, widths);
    assert.ok(lower <= count, `t=${t}: ${lower} ≤ ${count}`);
    if (widths.length === 1) assert.equal(count, lower, `one layer: exactly Zaslavsky's count (t=${t})`);
  }
});

Deno.test("shallow: a region limit the first layer alone exceeds is refused when planned, before training", () => {
  // 8 inputs, 40 relu units: Σ_{j ≤ 8} C(40, j) ≈ 1.2e8 regions over ℝ^8, far above the default 100000
  refuses(
    config(8, { layers: 1, width: 40, activation: "relu" }, { shallow: {} }),
    /^methods\.shallow\.maxRegions: 100000 is below the 1\.\d\de\+8 activation regions over ℝ\^8 that the first hidden layer \(40 units\) alone creates, so every cell would fail after training; raise maxRegions above/,
  );
  refuses(
    config(2, { layers: 2, width: 8, activation: "leaky_relu" }, { shallow: { maxRegions: 30 } }),
    /^methods\.shallow\.maxRegions: 30 is below the 37\.0 activation regions over ℝ\^2/,
  );
  // in a box the count can be anything: not refused
  planExperiment(config(8, { layers: 1, width: 40, activation: "relu" }, { shallow: { box: [-1, 1] } }));
  // the upper bound is not a reason to refuse: 10–10–10–10 in the plane (Serra: 9.8e6) with a limit of 1000
  assert.ok(serraBound(2, [10, 10, 10, 10]) > 1e6);
  planExperiment(
    config(2, { hidden: [10, 10, 10, 10], activation: "relu" }, { shallow: { maxRegions: 1000 } }),
  );
});

Deno.test("shallow: a limit reached while building names methods.shallow.maxRegions and the right fix", () => {
  const net = randomDyadicNetwork(mulberry32(5), 2, [8, 8], 1);
  const input = {
    network: net,
    p: 2,
    outputs: 1,
    trainX: new Float64Array(0),
    trainY: new Float64Array(0),
    trainN: 0,
  };
  assert.throws(
    () => shallowMethod.build(input, shallowOptionsSchema.parse({ maxRegions: 10 })),
    /^Error: methods\.shallow\.maxRegions: more than 10 activation regions \(reached at hidden unit \d+ of 16\); raise the limit or use a box$/,
  );
  assert.throws(
    () => shallowMethod.build(input, shallowOptionsSchema.parse({ maxRegions: 3, box: [-1, 1] })),
    (e: Error) => {
      assert.match(
        e.message,
        /more than 3 activation regions meeting the box \(-1, 1\)\^2 .*raise the limit or shrink the box$/,
      );
      assert.doesNotMatch(e.message, /use a box/);
      return true;
    },
  );
  const built = shallowMethod.build(input, shallowOptionsSchema.parse({}));
  const x = Float64Array.from({ length: 40 }, (_, i) => Math.sin(3 * i) * 2);
  const y = forward(net, x, 20), ys = built.evaluate(x, 20);
  for (let i = 0; i < 20; i++) assert.ok(Math.abs(y[i] - ys[i]) <= 1e-9 * Math.max(1, Math.abs(y[i])));
});

Deno.test("nn2poly's refusal of relu / leaky_relu points to methods.shallow (not for elu or mixed nets)", () => {
  refuses(
    config(2, { layers: 1, width: 4, activation: "relu" }, { nn2poly: { maxOrder: 2 } }),
    /^model\.activation: "relu" \(hidden layer 1\) has no Taylor expansion .*a local method \(taylor\), or for this relu network the exact method methods\.shallow/,
  );
  refuses(
    config(2, { layers: 2, width: 4, activation: "leaky_relu" }, { nn2poly: { maxOrder: 2 } }),
    /methods\.shallow/,
  );
  for (const activation of ["elu", ["relu", "tanh"]]) {
    assert.throws(
      () => planExperiment(config(2, { layers: 2, width: 4, activation }, { nn2poly: { maxOrder: 2 } })),
      (e: Error) => /a local method \(taylor\)$/.test(e.message),
    );
  }
});
