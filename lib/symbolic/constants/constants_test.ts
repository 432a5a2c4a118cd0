import assert from "node:assert/strict";
import { Rng } from "../../data/random.ts";
import { getConstants } from "../core/expression.ts";
import { gradientAt } from "../evaluation/reference.ts";
import { GradientLoss } from "../loss/gradient_loss.ts";
import { MseLoss } from "../loss/mse.ts";
import { parseExpression } from "../parse/parse.ts";
import { levenbergMarquardt, LmWorkspace } from "./levenberg_marquardt.ts";
import { optimizeConstants } from "./optimize.ts";

Deno.test("Levenberg–Marquardt fits y = 2.5·exp(−1.3t) + 0.5 from a poor start", () => {
  const m = 40;
  const t = Float64Array.from({ length: m }, (_, i) => i / 10);
  const y = t.map((v) => 2.5 * Math.exp(-1.3 * v) + 0.5);
  const residual = (c: Float64Array, out: Float64Array) => {
    for (let i = 0; i < m; i++) out[i] = c[0] * Math.exp(c[1] * t[i]) + c[2] - y[i];
    return true;
  };
  const res = levenbergMarquardt(residual, Float64Array.of(1, -0.5, 0), new LmWorkspace(m), {
    maxIterations: 100,
  });
  assert.ok(res.sumOfSquares < 1e-18, `S = ${res.sumOfSquares}`);
  assert.ok(
    Math.abs(res.params[0] - 2.5) < 1e-8 && Math.abs(res.params[1] + 1.3) < 1e-8 &&
      Math.abs(res.params[2] - 0.5) < 1e-8,
  );
  assert.ok(res.evaluations < 200);
});

Deno.test("LM never accepts an uphill step and reports a non-finite start", () => {
  const bad = levenbergMarquardt((_c, out) => (out[0] = NaN, false), Float64Array.of(1), new LmWorkspace(1));
  assert.equal(bad.sumOfSquares, Infinity);
  let last = Infinity;
  const seen: number[] = [];
  const residual = (c: Float64Array, out: Float64Array) => {
    out[0] = Math.sin(3 * c[0]) + c[0] * c[0];
    out[1] = c[0] - 0.3;
    return true;
  };
  const ws = new LmWorkspace(2);
  for (let it = 1; it <= 10; it++) {
    const r = levenbergMarquardt(residual, Float64Array.of(2), ws, { maxIterations: it });
    seen.push(r.sumOfSquares);
    assert.ok(r.sumOfSquares <= last);
    last = r.sumOfSquares;
  }
});

Deno.test("constant optimisation recovers the coefficients of a concept from its normalised gradients", () => {
  const rng = new Rng(9);
  const n = 300;
  const p = 3;
  const x = Float64Array.from({ length: n * p }, () => rng.uniform(-2, 0));
  const truth = parseExpression("x1*x1 + 0.85*sin(x2 + 1.08*x3)", p);
  const g = new Float64Array(n * p);
  for (let i = 0; i < n; i++) g.set(gradientAt(truth, x.subarray(i * p, i * p + p), p).gradient, i * p);
  const loss = new GradientLoss(x, g, n, p);
  const start = parseExpression("x1*x1 + 1*sin(x2 + 1*x3)", p);
  const res = optimizeConstants(start, loss, new Rng(1));
  assert.ok(res.loss < 1e-20, `loss ${res.loss}`);
  const c = getConstants(res.tree);
  assert.ok(Math.abs(c[0] - 0.85) < 1e-7 && Math.abs(c[1] - 1.08) < 1e-7, `${c}`);
  assert.deepEqual(Array.from(getConstants(start)), [1, 1]); // the input tree is untouched
});

Deno.test("constant optimisation on MSE (plain regression)", () => {
  const n = 50;
  const x = Float64Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));
  const y = x.map((v) => 1.7 * v * v * v - 0.4 * v + 3);
  const res = optimizeConstants(
    parseExpression("1*x1*x1*x1 + 1*x1 + 1", 1),
    new MseLoss(x, y, n, 1),
    new Rng(2),
  );
  assert.ok(res.loss < 1e-24);
  const c = getConstants(res.tree);
  assert.ok(Math.abs(c[0] - 1.7) < 1e-10 && Math.abs(c[1] + 0.4) < 1e-10 && Math.abs(c[2] - 3) < 1e-10);
});
