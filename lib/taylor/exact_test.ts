import assert from "node:assert/strict";
import { exactTaylor, shiftInputs } from "./exact.ts";
import { denseLayer, forward, type Network, parseNetwork } from "../network/network.ts";
import { loadFixtures, maxRelativeError } from "../../tests/fixtures.ts";
import { exactTaylorModules } from "./exact_modules.ts";
import { loadHopeReference } from "./fixtures.ts";
import { derivativeTensor, networkModules } from "./hope.ts";

interface TaylorFixture {
  inputs: number;
  layers: { activation: string; weights: number[][] }[];
  x0: number[];
  order: number;
  labels: number[][];
  coefficients: number[][];
}

for (const kind of ["taylor", "taylor-bench"]) {
  for (const { file, data: fx } of loadFixtures<TaylorFixture>(kind)) {
    Deno.test(`exact Taylor parity with float64 autograd: ${kind}/${file}`, () => {
      const { polynomials } = exactTaylor(parseNetwork(fx), fx.x0, fx.order);
      fx.coefficients.forEach((ref, o) => {
        const mine = fx.labels.map((label) => polynomials[o].coefficient(label));
        const err = maxRelativeError(mine, ref);
        assert.ok(err <= 1e-9, `output ${o}: max relative error ${err}`);
      });
    });
  }
}

Deno.test("a single tanh neuron at x0 has the derivatives of tanh at w·x0 + b", () => {
  const w = 1.5, b = -0.2, x0 = 0.4;
  const net: Network = { inputs: 1, layers: [denseLayer("tanh", [[b], [w]])] };
  const { polynomials } = exactTaylor(net, [x0], 3);
  const t = Math.tanh(w * x0 + b), d1 = 1 - t * t;
  const expected = [t, w * d1, (w * w * -2 * t * d1) / 2, (w ** 3 * -2 * d1 * (1 - 3 * t * t)) / 6];
  assert.ok(maxRelativeError(polynomials[0].coefficients, expected) < 1e-14);
});

Deno.test("the Taylor polynomial converges to the network near x0 and the shift is exact", () => {
  const net: Network = {
    inputs: 2,
    layers: [
      denseLayer("sin", [[0.1, -0.3], [0.8, 0.2], [-0.4, 0.9]]),
      denseLayer("silu", [[0.2], [1.1], [-0.7]]),
    ],
  };
  const x0 = [0.3, -0.5];
  const h = [0.02, -0.03];
  const { polynomials } = exactTaylor(net, x0, 8);
  const nn = forward(net, new Float64Array([x0[0] + h[0], x0[1] + h[1]]), 1);
  assert.ok(Math.abs(polynomials[0].evaluateAt(h) - nn[0]) < 1e-14);
  const shifted = forward(shiftInputs(net, x0), new Float64Array(h), 1);
  assert.ok(Math.abs(shifted[0] - nn[0]) < 1e-15);
  assert.throws(() => exactTaylor(net, [0], 2), /x0: expected 2 values/);
});

Deno.test("ReLU networks expand locally into their active linear piece", () => {
  const net: Network = {
    inputs: 1,
    layers: [denseLayer("relu", [[0.5, -1], [1, 2]]), denseLayer("linear", [[0], [1], [1]])],
  };
  // at x0 = 0: unit 1 active (0.5 > 0), unit 2 inactive (−1 < 0): f = 0.5 + x
  const { polynomials } = exactTaylor(net, [0], 3);
  assert.deepEqual(Array.from(polynomials[0].coefficients), [0.5, 1, 0, 0]);
});

const reference = await loadHopeReference();

Deno.test({
  name:
    "exact Taylor matches the HOPE paper's exact derivative arrays T1–T4 (1e-12), dense and module engines",
  ignore: reference === null,
  fn() {
    assert.equal(reference!.length, 4);
    for (const c of reference!) {
      const p = c.net.inputs;
      const engines = [
        exactTaylor(c.net, c.x0, c.order),
        exactTaylorModules(networkModules(c.net), p, c.x0, c.order),
      ];
      for (const [e, { polynomials, terms }] of engines.entries()) {
        const labels = terms.labels("taylor");
        assert.ok(Math.abs(polynomials[0].coefficients[0] - c.y0) < 1e-14, `${c.name}: y0`);
        for (const [k, want] of c.exact) {
          const got = derivativeTensor(labels, polynomials[0].coefficients, p, k);
          const err = maxRelativeError(got, want);
          assert.ok(err <= 1e-12, `${c.name} engine ${e}: order ${k} error ${err}`);
        }
      }
    }
  },
});
