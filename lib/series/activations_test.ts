import assert from "node:assert/strict";
import {
  activationDerivatives,
  ACTIVATIONS,
  evaluateActivation,
  taylorCoefficients,
  taylorCoefficientsAt,
} from "./activations.ts";
import { erf } from "./jet.ts";

function close(actual: ArrayLike<number>, expected: number[], tol = 1e-14) {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) =>
    assert.ok(Math.abs(actual[i] - e) <= tol * Math.max(1, Math.abs(e)), `[${i}] ${actual[i]} ≠ ${e}`)
  );
}

Deno.test("tanh series at 0 is x − x³/3 + 2x⁵/15 − 17x⁷/315", () => {
  close(taylorCoefficients("tanh", 0, 7), [0, 1, 0, -1 / 3, 0, 2 / 15, 0, -17 / 315]);
});

Deno.test("sigmoid, softplus, silu series at 0", () => {
  close(taylorCoefficients("sigmoid", 0, 5), [0.5, 0.25, 0, -1 / 48, 0, 1 / 480]);
  close(taylorCoefficients("softplus", 0, 4), [Math.LN2, 0.5, 0.125, 0, -1 / 192]);
  close(taylorCoefficients("silu", 0, 4), [0, 0.5, 0.25, 0, -1 / 48]);
});

Deno.test("sin, cos, exp series at a non-zero centre are their closed forms", () => {
  const a = 0.7;
  close(activationDerivatives("sin", a, 4), [
    Math.sin(a),
    Math.cos(a),
    -Math.sin(a),
    -Math.cos(a),
    Math.sin(a),
  ]);
  close(activationDerivatives("cos", a, 3), [Math.cos(a), -Math.sin(a), -Math.cos(a), Math.sin(a)]);
  close(activationDerivatives("exp", a, 3), [Math.exp(a), Math.exp(a), Math.exp(a), Math.exp(a)]);
});

Deno.test("gelu (erf form) series at 0 is x/2 + x²/√(2π) − x⁴/(6√(2π))", () => {
  const s = 1 / Math.sqrt(2 * Math.PI);
  close(taylorCoefficients("gelu", 0, 4), [0, 0.5, s, 0, -s / 6]);
});

Deno.test("tanh and sigmoid derivatives at a centre follow tanh' = 1 − tanh², σ' = σ(1 − σ)", () => {
  const a = -1.3, t = Math.tanh(a), s = 1 / (1 + Math.exp(-a));
  close(activationDerivatives("tanh", a, 3), [
    t,
    1 - t * t,
    -2 * t * (1 - t * t),
    -2 * (1 - t * t) * (1 - 3 * t * t),
  ]);
  close(activationDerivatives("sigmoid", a, 2), [s, s * (1 - s), s * (1 - s) * (1 - 2 * s)]);
  close(activationDerivatives("softplus", a, 2), [Math.log1p(Math.exp(a)), s, s * (1 - s)]);
});

Deno.test("gelu_tanh first derivative matches a central difference", () => {
  const a = 0.4, h = 1e-5;
  const fd = (evaluateActivation("gelu_tanh", a + h) - evaluateActivation("gelu_tanh", a - h)) / (2 * h);
  assert.ok(Math.abs(activationDerivatives("gelu_tanh", a, 1)[1] - fd) < 1e-9);
  const fd2 = (evaluateActivation("gelu", a + h) - evaluateActivation("gelu", a - h)) / (2 * h);
  assert.ok(Math.abs(activationDerivatives("gelu", a, 1)[1] - fd2) < 1e-9);
});

Deno.test("erf matches reference values on both branches", () => {
  close([erf(0.5), erf(1), erf(-2), erf(3), erf(5)], [
    0.5204998778130465,
    0.8427007929497149,
    -0.9953222650189527,
    0.9999779095030014,
    0.9999999999984626,
  ], 2e-15);
});

Deno.test("softplus and sigmoid are stable for large arguments", () => {
  assert.equal(evaluateActivation("softplus", 800), 800);
  assert.equal(evaluateActivation("sigmoid", -800), 0);
  assert.ok(Number.isFinite(activationDerivatives("softplus", 60, 6)[6]));
});

Deno.test("batched coefficients at many centres equal the per-centre jets bit for bit", () => {
  const centers = Float64Array.from([-3.1, -0.4, 0, 0.25, 1.7, 42]);
  for (const name of ACTIVATIONS) {
    const batch = taylorCoefficientsAt(name, centers, 9);
    centers.forEach((a, j) => {
      const one = taylorCoefficients(name, a, 9);
      for (let k = 0; k <= 9; k++) assert.equal(batch[k][j], one[k], `${name} at ${a}, k=${k}`);
    });
  }
});
