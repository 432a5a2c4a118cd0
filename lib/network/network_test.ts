import assert from "node:assert/strict";
import {
  forward,
  inputGradients,
  type Network,
  NetworkError,
  networkToJson,
  parseNetwork,
} from "./network.ts";
import { activationDerivative, ACTIVATIONS, evaluateActivation } from "../series/activations.ts";
import { exactTaylor } from "../taylor/exact.ts";
import { nn2poly, Nn2polyError } from "../nn2poly/engine.ts";

/** A 2 → 3 → 2 → 1 network with the given hidden activations (fixed, irregular weights). */
function net(a1: string, a2: string, alpha1?: number, alpha2?: number): Network {
  return parseNetwork({
    inputs: 2,
    layers: [
      { activation: a1, alpha: alpha1, weights: [[0.1, -0.3, 0.05], [0.7, -0.4, 0.2], [-0.5, 0.9, 0.6]] },
      { activation: a2, alpha: alpha2, weights: [[0.2, -0.1], [0.5, 0.3], [-0.8, 0.4], [0.6, -0.7]] },
      { activation: "linear", weights: [[0.05], [1.3], [-0.9]] },
    ],
  });
}

Deno.test("elu: α(eˣ − 1) left of 0 with α = 1 by default, identity right of it; derivative α·eˣ", () => {
  assert.equal(evaluateActivation("elu", 2), 2);
  assert.equal(evaluateActivation("elu", -1), Math.expm1(-1));
  assert.equal(evaluateActivation("elu", -1, 0.5), 0.5 * Math.expm1(-1));
  assert.equal(activationDerivative("elu", -2, 0.5), 0.5 * Math.exp(-2));
  assert.equal(activationDerivative("elu", 3), 1);
  assert.equal(evaluateActivation("leaky_relu", -2), -0.02);
  assert.equal(evaluateActivation("leaky_relu", -2, 0.3), -0.6);
});

Deno.test("activationDerivative matches central differences for every activation away from kinks", () => {
  for (const name of ACTIVATIONS) {
    for (const x of [-1.3, -0.4, 0.6, 1.7]) {
      const h = 1e-6;
      const fd = (evaluateActivation(name, x + h, 0.2) - evaluateActivation(name, x - h, 0.2)) / (2 * h);
      const d = activationDerivative(name, x, name === "leaky_relu" || name === "elu" ? 0.2 : undefined);
      assert.ok(Math.abs(d - fd) < 1e-7 * Math.max(1, Math.abs(fd)), `${name} at ${x}: ${d} vs ${fd}`);
    }
  }
});

Deno.test("alpha is read, kept through JSON and refused where it does not apply", () => {
  const n = net("leaky_relu", "elu", 0.1, 0.5);
  assert.equal(n.layers[0].alpha, 0.1);
  assert.equal(n.layers[1].alpha, 0.5);
  assert.equal(n.layers[2].alpha, undefined);
  const json = networkToJson(n);
  assert.equal(json.layers[0].alpha, 0.1);
  assert.ok(!("alpha" in json.layers[2]));
  assert.deepEqual(networkToJson(parseNetwork(json)), json);
  assert.throws(
    () => net("tanh", "elu", 0.1),
    (e: Error) => e instanceof NetworkError && /layers\[0\]\.alpha/.test(e.message),
  );
  assert.throws(
    () => net("leaky_relu", "elu", Number.NaN),
    (e: Error) => e instanceof NetworkError && /finite/.test(e.message),
  );
});

Deno.test("forward uses each layer's alpha", () => {
  const x = Float64Array.of(-1, 2);
  const y1 = forward(net("leaky_relu", "elu", 0.1, 0.5), x, 1)[0];
  const y2 = forward(net("leaky_relu", "elu"), x, 1)[0];
  // by hand: layer 1 potentials, leaky slope 0.1, then elu α = 0.5
  const u1 = [0.1 - 0.7 - 1.0, -0.3 + 0.4 + 1.8, 0.05 - 0.2 + 1.2];
  const a1 = u1.map((u) => (u > 0 ? u : 0.1 * u));
  const u2 = [0.2 + 0.5 * a1[0] - 0.8 * a1[1] + 0.6 * a1[2], -0.1 + 0.3 * a1[0] + 0.4 * a1[1] - 0.7 * a1[2]];
  const a2 = u2.map((u) => (u > 0 ? u : 0.5 * Math.expm1(u)));
  assert.ok(Math.abs(y1 - (0.05 + 1.3 * a2[0] - 0.9 * a2[1])) < 1e-15);
  assert.notEqual(y1, y2);
});

Deno.test("inputGradients equals central differences of forward on a batch (smooth and piecewise nets)", () => {
  const pts = [[0.3, -0.2], [-1.1, 0.7], [2.0, 1.5], [-0.6, -1.4]];
  const x = Float64Array.from(pts.flat());
  for (const n of [net("tanh", "softplus"), net("elu", "sigmoid", 0.7), net("leaky_relu", "elu", 0.2, 1.5)]) {
    const { value, gradient } = inputGradients(n, x, pts.length);
    const y = forward(n, x, pts.length);
    pts.forEach((p, s) => {
      assert.equal(value[s], y[s]);
      for (let k = 0; k < 2; k++) {
        const h = 1e-6;
        const up = p.slice(), dn = p.slice();
        up[k] += h;
        dn[k] -= h;
        const fd = (forward(n, Float64Array.from(up), 1)[0] - forward(n, Float64Array.from(dn), 1)[0]) /
          (2 * h);
        assert.ok(
          Math.abs(gradient[s * 2 + k] - fd) < 1e-8,
          `point ${s}, x${k + 1}: ${gradient[s * 2 + k]} vs ${fd}`,
        );
      }
    });
  }
});

Deno.test("inputGradients of a one-layer tanh net is w·(1 − tanh²(u)), for the chosen output", () => {
  const n = parseNetwork({ layers: [{ activation: "tanh", weights: [[0.2, -0.1], [0.5, 2], [-1, 0.25]] }] });
  const { gradient } = inputGradients(n, Float64Array.of(0.4, 0.3), 1, 1);
  const u = -0.1 + 2 * 0.4 + 0.25 * 0.3;
  const d = 1 - Math.tanh(u) ** 2;
  assert.ok(Math.abs(gradient[0] - 2 * d) < 1e-15 && Math.abs(gradient[1] - 0.25 * d) < 1e-15);
  assert.throws(() => inputGradients(n, Float64Array.of(0, 0), 1, 2), NetworkError);
});

Deno.test("exact Taylor of an elu / leaky_relu net away from the kinks uses the layer's alpha", () => {
  const n = net("leaky_relu", "elu", 0.1, 0.5);
  const x0 = [-1, 2];
  const { gradient } = inputGradients(n, Float64Array.from(x0), 1);
  const t = exactTaylor(n, x0, 2);
  const grad = [1, 2].map((k) =>
    t.polynomials[0].coefficients[t.terms.labels("taylor").findIndex((l) => l.length === 1 && l[0] === k)]
  );
  assert.ok(
    Math.abs(grad[0] - gradient[0]) < 1e-14 && Math.abs(grad[1] - gradient[1]) < 1e-14,
    `${grad} vs ${gradient}`,
  );
});

Deno.test("NN2Poly refuses elu at a fixed centre with the kink reason", () => {
  assert.throws(
    () => nn2poly(net("tanh", "elu"), { maxOrder: 2, taylorOrders: 3 }),
    (e: Error) => e instanceof Nn2polyError && /elu.*kink/.test(e.message),
  );
});
