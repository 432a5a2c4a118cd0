import assert from "node:assert/strict";
import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { designMatrix, fitPolynomialRegression, PolynomialRegressionError } from "./poly_regression.ts";
import { Polynomial } from "../poly/polynomial.ts";

function close(actual: number, expected: number, tol: number, what = ""): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what} ${actual} vs ${expected} (tol ${tol})`);
}

/** Small deterministic generator (mulberry32) for uniform(-1, 1) draws. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

function normal(u: () => number): number {
  const a = (u() + 1) / 2 || 1e-12, b = (u() + 1) / 2;
  return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * b);
}

Deno.test("poly regression: exact recovery of two known cubics from noise-free data", () => {
  const p = 3, n = 60;
  const f = Polynomial.fromLabels(p, [[0], [1], [2, 3], [1, 1, 3], [3, 3, 3]], [0.5, 0.73, -1.8, 2.25, -0.4]);
  const g = Polynomial.fromLabels(p, [[2], [1, 2], [2, 2, 2]], [-1, 3, 0.125]);
  const u = rng(7);
  const x = Float64Array.from({ length: n * p }, u);
  const fy = f.evaluate(x, n), gy = g.evaluate(x, n);
  const y = Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? fy : gy)[i >> 1]);
  const fit = fitPolynomialRegression(x, y, n, p, 3, 2);
  assert.deepEqual(fit.terms.count, 20);
  assert.deepEqual(fit.rank, 20);
  assert.deepEqual(fit.method, "qr");
  assert.deepEqual(fit.rankDeficient, false);
  assert.deepEqual(fit.terms.label(0), [0]);
  assert.deepEqual(fit.polynomials[0].terms, fit.polynomials[1].terms);
  for (const [truth, poly] of [[f, fit.polynomials[0]], [g, fit.polynomials[1]]] as const) {
    for (let t = 0; t < fit.terms.count; t++) {
      const label = fit.terms.label(t);
      close(poly.coefficients[t], truth.coefficient(label), 1e-10, `term ${label}`);
    }
  }
  assert.ok(fit.rss.every((r) => r < 1e-20));
  assert.ok(fit.condition >= 1 && Number.isFinite(fit.condition));
  // Out-of-sample evaluation matches too (columns align with labels).
  const xt = Float64Array.from({ length: 5 * p }, rng(99));
  const pred = fit.polynomials[0].evaluate(xt, 5), truth = f.evaluate(xt, 5);
  for (let i = 0; i < 5; i++) close(pred[i], truth[i], 1e-10);
});

Deno.test("poly regression: noisy quadratic is close, rmse ≈ noise level", () => {
  const p = 2, n = 2000, sd = 0.01;
  const f = Polynomial.fromLabels(p, [[0], [1], [2], [1, 1], [1, 2], [2, 2]], [1, -2, 0.5, 3, -1.5, 0.25]);
  const u = rng(3);
  const x = Float64Array.from({ length: n * p }, u);
  const y = f.evaluate(x, n).map((v) => v + sd * normal(u));
  const fit = fitPolynomialRegression(x, y, n, p, 2);
  for (let t = 0; t < 6; t++) {
    close(fit.polynomials[0].coefficients[t], f.coefficients[t], 3e-3);
  }
  close(fit.rmse[0], sd, 0.1 * sd);
  assert.ok(fit.r2[0] > 0.9999);
});

Deno.test("poly regression: p = 1 recovers 1 − 2x + 0.5x³ with degree 4", () => {
  const n = 12;
  const x = Float64Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));
  const y = x.map((v) => 1 - 2 * v + 0.5 * v ** 3);
  const fit = fitPolynomialRegression(x, y, n, 1, 4);
  assert.deepEqual(fit.terms.labels(), [[0], [1], [1, 1], [1, 1, 1], [1, 1, 1, 1]]);
  const expected = [1, -2, 0, 0.5, 0];
  fit.polynomials[0].coefficients.forEach((c, t) => close(c, expected[t], 1e-10));
});

Deno.test("poly regression: fewer rows than terms is a clear error naming the fix", () => {
  const x = Float64Array.from({ length: 30 }, rng(1));
  const y = new Float64Array(10);
  assert.throws(
    () => fitPolynomialRegression(x, y, 10, 3, 3),
    (e) =>
      e instanceof PolynomialRegressionError &&
      e.message.includes("has 20 terms but only 10 rows; use at least 20 rows or a lower degree"),
  );
  assert.throws(
    () => fitPolynomialRegression(x, new Float64Array(9), 10, 3, 1),
    /^PolynomialRegressionError: y:/,
  );
});

Deno.test("poly regression: rank-deficient design falls back to the SVD minimum-norm solution", () => {
  // x2 = 2·x1, y = 3·x1: the scaled columns of x1 and x2 coincide, so the minimum-norm split gives
  // equal scaled coefficients, i.e. c1 = 1.5 and c2 = 0.75 (c1 + 2·c2 = 3).
  const n = 10;
  const u = rng(5);
  const x = new Float64Array(2 * n);
  for (let s = 0; s < n; s++) {
    x[2 * s] = u();
    x[2 * s + 1] = 2 * x[2 * s];
  }
  const y = Float64Array.from({ length: n }, (_, s) => 3 * x[2 * s]);
  const fit = fitPolynomialRegression(x, y, n, 2, 1);
  assert.deepEqual(fit.method, "svd-min-norm");
  assert.deepEqual(fit.rank, 2);
  assert.deepEqual(fit.rankDeficient, true);
  assert.deepEqual(fit.conditionIsEstimate, false);
  assert.ok(fit.notes[0].includes("rank-deficient (rank 2 < 3 terms)"));
  const [c0, c1, c2] = fit.polynomials[0].coefficients;
  close(c0, 0, 1e-12);
  close(c1, 1.5, 1e-10);
  close(c2, 0.75, 1e-10);
  assert.ok(fit.rss[0] < 1e-20);
});

Deno.test("poly regression: matches ml-matrix's SVD least squares on an inexact two-output fit", () => {
  const p = 2, n = 40;
  const u = rng(11);
  const x = Float64Array.from({ length: n * p }, u);
  const y = Float64Array.from({ length: 2 * n }, (_, i) => Math.exp(x[(i >> 1) * p + (i % 2)]) + u());
  const fit = fitPolynomialRegression(x, y, n, p, 3, 2);
  const A = new Matrix(
    Array.from({ length: n }, (_, s) => designMatrix(fit.terms, x.subarray(s * p, s * p + p), 1)),
  );
  const Y = new Matrix(Array.from({ length: n }, (_, s) => y.subarray(2 * s, 2 * s + 2)));
  const ref = new SingularValueDecomposition(A).solve(Y);
  for (let o = 0; o < 2; o++) {
    for (let t = 0; t < fit.terms.count; t++) close(fit.polynomials[o].coefficients[t], ref.get(t, o), 1e-9);
    assert.ok(fit.rss[o] > 1);
  }
});
