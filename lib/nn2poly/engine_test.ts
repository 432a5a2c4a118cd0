import assert from "node:assert/strict";
import { nn2poly } from "./engine.ts";
import { denseLayer, forward, type Network, parseNetwork } from "../network/network.ts";
import { evaluatePolynomials } from "../poly/polynomial.ts";
import { taylorCoefficients } from "../series/activations.ts";
import { loadFixtures, maxRelativeError } from "../../tests/fixtures.ts";

interface Nn2polyFixture {
  name: string;
  inputs: number;
  layers: { activation: string; weights: number[][] }[];
  max_order: number;
  taylor_orders: number | number[];
  taylor_center: number;
  labels?: number[][];
  coefficients?: number[][];
  sample_labels?: number[][];
  sample_coefficients?: number[][];
  n_terms?: number;
  x?: number[][];
  poly_pred?: number[][];
}

const TOL = 1e-9;

function expandFixture(fx: Nn2polyFixture) {
  return nn2poly(parseNetwork(fx), {
    maxOrder: fx.max_order,
    taylorOrders: fx.taylor_orders,
    taylorCenter: fx.taylor_center,
  });
}

for (const { file, data: fx } of loadFixtures<Nn2polyFixture>("nn2poly")) {
  Deno.test(`R package parity: ${file}`, () => {
    const { polynomials, terms } = expandFixture(fx);
    assert.equal(terms.count, fx.labels!.length, "same number of terms as the R package");
    fx.coefficients!.forEach((ref, o) => {
      const mine = fx.labels!.map((label) => polynomials[o].coefficient(label));
      const err = maxRelativeError(mine, ref);
      assert.ok(err <= TOL, `output ${o}: max relative error ${err}`);
    });
    const x = Float64Array.from(fx.x!.flat());
    const pred = evaluatePolynomials(polynomials, x, fx.x!.length);
    const err = maxRelativeError(pred, fx.poly_pred!.flat());
    assert.ok(err <= TOL, `poly_pred: max relative error ${err}`);
  });
}

for (const { file, data: fx } of loadFixtures<Nn2polyFixture>("nn2poly-bench")) {
  Deno.test(`R package parity on a large network: ${file}`, () => {
    const { polynomials, terms } = expandFixture(fx);
    assert.equal(terms.count, fx.n_terms);
    fx.sample_coefficients!.forEach((ref, o) => {
      const mine = fx.sample_labels!.map((label) => polynomials[o].coefficient(label));
      const err = maxRelativeError(mine, ref);
      assert.ok(err <= TOL, `output ${o}: max relative error ${err}`);
    });
  });
}

/** Coefficients of a one-hidden-layer network by the 2021 paper's closed form. */
function oneHiddenLayerClosedForm(
  hidden: { activation: "tanh" | "sigmoid" | "softplus"; W: number[][] },
  out: number[][],
  q: number,
  center: number,
  label: number[],
): number {
  const d = label[0] === 0 ? 0 : label.length;
  const counts = new Map<number, number>();
  if (d > 0) { for (const v of label) counts.set(v, (counts.get(v) ?? 0) + 1); }
  let multinomial = 1;
  for (let k = 2; k <= d; k++) multinomial *= k;
  for (const c of counts.values()) for (let k = 2; k <= c; k++) multinomial /= k;
  const c = taylorCoefficients(hidden.activation, center, q);
  const binom = (n: number, k: number) => {
    let r = 1;
    for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
    return r;
  };
  let total = d === 0 ? out[0][0] : 0;
  const units = hidden.W[0].length;
  for (let j = 0; j < units; j++) {
    const shift = hidden.W[0][j] - center;
    let mono = multinomial;
    for (const [v, e] of counts) mono *= hidden.W[v][j] ** e;
    let s = 0;
    for (let n = d; n <= q; n++) s += c[n] * binom(n, d) * shift ** (n - d);
    total += out[j + 1][0] * mono * s;
  }
  return total;
}

Deno.test("one hidden layer equals the closed form of the 2021 paper, at centre 0 and 0.3", () => {
  const W = [[0.2, -0.4, 0.1], [0.5, 0.3, -0.7], [-0.6, 0.8, 0.2]];
  const out = [[0.1], [1.2], [-0.7], [0.4]];
  for (const activation of ["tanh", "sigmoid", "softplus"] as const) {
    for (const center of [0, 0.3]) {
      const net: Network = { inputs: 2, layers: [denseLayer(activation, W), denseLayer("linear", out)] };
      const { polynomials, terms } = nn2poly(net, { maxOrder: 4, taylorOrders: 5, taylorCenter: center });
      for (const label of terms.labels()) {
        const expected = oneHiddenLayerClosedForm({ activation, W }, out, 5, center, label);
        const got = polynomials[0].coefficient(label);
        assert.ok(
          Math.abs(got - expected) < 1e-13,
          `${activation} @${center} ${label}: ${got} ≠ ${expected}`,
        );
      }
    }
  }
});

Deno.test("an all-linear network is its exact affine map", () => {
  const net: Network = {
    inputs: 2,
    layers: [denseLayer("linear", [[1, 2], [3, 4], [5, 6]]), denseLayer("linear", [[0.5], [-1], [2]])],
  };
  const { polynomials } = nn2poly(net, { maxOrder: 3, taylorOrders: 8 });
  // y = 0.5 − (1 + 3x1 + 5x2) + 2(2 + 4x1 + 6x2) = 3.5 + 5x1 + 7x2
  assert.deepEqual(polynomials[0].toJSON().labels, [[0], [1], [2]]);
  assert.deepEqual(Array.from(polynomials[0].coefficients), [3.5, 5, 7]);
});

Deno.test("a single tanh neuron gives the tanh series", () => {
  const net: Network = {
    inputs: 1,
    layers: [denseLayer("tanh", [[0], [1]]), denseLayer("linear", [[0], [1]])],
  };
  const { polynomials } = nn2poly(net, { maxOrder: 7, taylorOrders: 7 });
  const c = Array.from(polynomials[0].coefficients);
  [0, 1, 0, -1 / 3, 0, 2 / 15, 0, -17 / 315].forEach((e, i) => assert.ok(Math.abs(c[i] - e) < 1e-15));
});

Deno.test("high Taylor orders converge to the network near 0; keep_layers exposes every layer", () => {
  const net: Network = {
    inputs: 2,
    layers: [
      denseLayer("tanh", [[0.1, -0.2], [0.3, 0.2], [-0.1, 0.4]]),
      denseLayer("sigmoid", [[0.05], [0.6], [-0.5]]),
      denseLayer("linear", [[0.2], [1.5]]),
    ],
  };
  const x = new Float64Array([0.2, -0.1, -0.15, 0.05]);
  const nn = forward(net, x, 2);
  const { polynomials, layers } = nn2poly(net, { maxOrder: 9, taylorOrders: 9, keepLayers: true });
  const poly = evaluatePolynomials(polynomials, x, 2);
  assert.ok(maxRelativeError(poly, nn) < 1e-9);
  assert.equal(layers!.length, 3);
  assert.deepEqual(Array.from(layers![2].outputs[0].coefficients), Array.from(polynomials[0].coefficients));
  assert.equal(layers![0].potentials[1].coefficient([2]), 0.4);
});

Deno.test("several output units give one polynomial each", () => {
  const net: Network = {
    inputs: 1,
    layers: [
      denseLayer("tanh", [[0, 0.1], [1, -2]]),
      denseLayer("linear", [[0, 1, 2], [1, 0, 3], [0, 1, 4]]),
    ],
  };
  const { polynomials } = nn2poly(net, { maxOrder: 3, taylorOrders: 3 });
  assert.equal(polynomials.length, 3);
  assert.equal(polynomials[0].coefficient([1]), 1);
});

Deno.test("refusals: ReLU, bad orders, and expansions above the memory limit", () => {
  const relu: Network = {
    inputs: 1,
    layers: [denseLayer("relu", [[0], [1]]), denseLayer("linear", [[0], [1]])],
  };
  assert.throws(() => nn2poly(relu, { maxOrder: 2 }), /no Taylor expansion at its kink/);
  for (const activation of ["relu", "leaky_relu", "elu"]) {
    const kinked: Network = {
      inputs: 1,
      layers: [denseLayer(activation, [[0], [1]]), denseLayer("linear", [[0], [1]])],
    };
    assert.throws(
      () => nn2poly(kinked, { maxOrder: 2 }),
      /relu\/leaky_relu network `deno task poly shallow`/,
    );
  }
  const net: Network = {
    inputs: 1,
    layers: [denseLayer("tanh", [[0], [1]]), denseLayer("linear", [[0], [1]])],
  };
  assert.throws(() => nn2poly(net, { maxOrder: 2, taylorOrders: [3] }), /one per layer/);
  assert.throws(
    () => nn2poly(net, { maxOrder: 2, taylorOrders: 0 }),
    /taylor_orders must be a positive integer/,
  );
  const wide: Network = {
    inputs: 200,
    layers: [denseLayer("tanh", Array.from({ length: 201 }, () => [0.01])), denseLayer("linear", [[0], [1]])],
  };
  assert.throws(() => nn2poly(wide, { maxOrder: 6, maxCoefficients: 1e6 }), /expansion too large: \d+ terms/);
});

Deno.test("a max_order above the network's degree builds the basis for that degree only (the guard's estimate)", () => {
  // 40 inputs, Taylor order 2, one hidden layer: degree 2. A basis for Q = 30 would hold C(70, 30)
  // ≈ 5.5e19 terms (the old "Array buffer allocation failed"); the result equals the Q = 2 one.
  const p = 40;
  const row = (v: number) => Array.from({ length: 3 }, (_, j) => v * (j + 1));
  const net: Network = {
    inputs: p,
    layers: [
      denseLayer("tanh", Array.from({ length: p + 1 }, (_, i) => row(0.01 * (i % 7) - 0.02))),
      denseLayer("linear", [[0.1], [0.5], [-0.3], [0.2]]),
    ],
  };
  const high = nn2poly(net, { maxOrder: 30, taylorOrders: 2 });
  const exact = nn2poly(net, { maxOrder: 2, taylorOrders: 2 });
  assert.equal(high.terms.count, 861); // C(42, 2)
  assert.deepEqual(
    Array.from(high.polynomials[0].coefficients),
    Array.from(exact.polynomials[0].coefficients),
  );
});

Deno.test("non-finite coefficients are refused, naming the layer, stage, unit and term where overflow begins", () => {
  const big: Network = {
    inputs: 2,
    layers: [
      denseLayer("tanh", [[0.1, 0.2], [1, 2], [1e200, 3]]),
      denseLayer("linear", [[0], [1], [1]]),
    ],
  };
  assert.throws(
    () => nn2poly(big, { maxOrder: 3, taylorOrders: 3 }),
    (e: Error) =>
      /^non-finite coefficients \(float64 overflow\): the first is in layers\[0\] activation output, unit 1, term \[2,2\]/
        .test(e.message) && /largest \|weight\| of that layer 1\.00e\+200/.test(e.message),
  );
  const inf: Network = {
    inputs: 1,
    layers: [denseLayer("linear", [[1e308], [1e308]]), denseLayer("linear", [[0], [1e308]])],
  };
  assert.throws(() => nn2poly(inf, { maxOrder: 1 }), /layers\[1\] potentials, unit 1, term \[0\]/);
});

Deno.test("wasm and JavaScript backends give bit-identical polynomials, call after call", () => {
  const fixtures = loadFixtures<Nn2polyFixture>("nn2poly");
  for (const { data: fx } of [...fixtures.slice(0, 12), ...fixtures.slice(0, 3)]) {
    const opts = { maxOrder: fx.max_order, taylorOrders: fx.taylor_orders, taylorCenter: fx.taylor_center };
    const net = parseNetwork(fx);
    const wasm = nn2poly(net, { ...opts, backend: "wasm" });
    const js = nn2poly(net, { ...opts, backend: "js" });
    wasm.polynomials.forEach((f, o) =>
      assert.deepEqual(Array.from(f.coefficients), Array.from(js.polynomials[o].coefficients), fx.name)
    );
  }
});
