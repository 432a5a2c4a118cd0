import assert from "node:assert/strict";
import { Rng } from "../../data/random.ts";
import { compile } from "../evaluation/compile.ts";
import { gradientAt } from "../evaluation/reference.ts";
import { parseExpression } from "../parse/parse.ts";
import { GradientLoss, normalizeRows } from "./gradient_loss.ts";
import { MseLoss } from "./mse.ts";

function setup(truth: string, n: number, p: number, lo: number, hi: number, seed = 1) {
  const rng = new Rng(seed);
  const x = Float64Array.from({ length: n * p }, () => rng.uniform(lo, hi));
  const e = parseExpression(truth, p);
  const g = new Float64Array(n * p);
  for (let i = 0; i < n; i++) g.set(gradientAt(e, x.subarray(i * p, i * p + p), p).gradient, i * p);
  return { x, g, loss: new GradientLoss(x, g, n, p) };
}

const L = (loss: GradientLoss, text: string) =>
  loss.loss(compile(parseExpression(text, loss.inputs), loss.inputs));

Deno.test("gradient loss: 0 for the truth, 4/p for its negative, invariant under monotone maps", () => {
  const { loss } = setup("x1^2 + sin(x2 + x3)", 300, 3, -2, 0);
  assert.ok(L(loss, "x1^2 + sin(x2 + x3)") < 1e-30);
  assert.ok(Math.abs(L(loss, "-(x1^2 + sin(x2 + x3))") - 4 / 3) < 1e-14);
  // monotone re-parametrisations h(g) share g's normalised gradients
  for (
    const h of ["2*(x1^2 + sin(x2 + x3)) + 7", "exp(x1^2 + sin(x2 + x3))", "(x1^2 + sin(x2 + x3) + 2)^3"]
  ) {
    assert.ok(L(loss, h) < 1e-28, h);
  }
  // a wrong concept scores in between
  const wrong = L(loss, "x1^2 + sin(x2)");
  assert.ok(wrong > 1e-3 && wrong < 4 / 3);
});

Deno.test("gradient loss equals (2/p)(1 − mean cos θ) on random targets", () => {
  const rng = new Rng(4);
  const n = 200;
  const p = 4;
  const x = Float64Array.from({ length: n * p }, () => rng.uniform(-1, 1));
  const t = Float64Array.from({ length: n * p }, () => rng.normal());
  const loss = new GradientLoss(x, t, n, p);
  const e = parseExpression("x1*x2 - exp(x3) + x4^3", p);
  const unit = normalizeRows(t, n, p);
  let cos = 0;
  for (let i = 0; i < n; i++) {
    const g = gradientAt(e, x.subarray(i * p, i * p + p), p).gradient;
    const norm = Math.hypot(...g);
    for (let k = 0; k < p; k++) cos += (g[k] / norm) * unit[k * n + i];
  }
  const expected = (2 / p) * (1 - cos / n);
  assert.ok(Math.abs(loss.loss(compile(e, p)) - expected) < 1e-14);
});

Deno.test("gradient loss: +∞ for a zero or non-finite gradient, constant trees, unary roots inadmissible", () => {
  const { loss } = setup("x1 + x2", 20, 2, -1, 1);
  assert.equal(L(loss, "3 + 2"), Infinity);
  assert.equal(L(loss, "x1*0 + x2*0"), Infinity);
  assert.equal(L(loss, "log(x1) + x2"), Infinity); // NaN where x1 < 0
  const atZero = new GradientLoss([0, 1, 1, 1], [1, 1, 1, 1], 2, 2);
  assert.ok(Number.isFinite(atZero.loss(compile(parseExpression("x1^2 + x1"), 2))));
  assert.equal(atZero.loss(compile(parseExpression("x1^2 + 0*x2"), 2)), Infinity); // ∇g = 0 at x1 = 0
  assert.equal(loss.admissible(parseExpression("sin(x1 + x2)")), false);
  assert.equal(loss.admissible(parseExpression("x1")), false);
  assert.equal(loss.admissible(parseExpression("x1 + x2")), true);
  assert.throws(() => new GradientLoss([0, 0], [0, 0], 1, 2), /gradient at point 0 is zero/);
});

Deno.test("gradient loss residuals: Σ r²/(n·p) is the loss; subsets and refills agree with full data", () => {
  const { loss } = setup("x1*exp(-(x2*x2 + x3*x3)/2)", 120, 3, -1, 1, 7);
  const prog = compile(parseExpression("x1 - x2*x2 - 0.4*x3*x3", 3), 3);
  const r = new Float64Array(loss.residualCount);
  assert.ok(loss.residuals(prog, r));
  const s = r.reduce((a, v) => a + v * v, 0);
  assert.ok(Math.abs(s / r.length - loss.loss(prog)) < 1e-15);
  const idx = Int32Array.from({ length: 30 }, (_, j) => 4 * j);
  const sub = loss.subset(idx);
  assert.equal(sub.n, 30);
  const other = loss.subset(Int32Array.from({ length: 30 }, (_, j) => j));
  loss.refill(other, idx);
  assert.equal(other.loss(prog), sub.loss(prog));
});

Deno.test("MSE loss and residuals", () => {
  const x = [0, 1, 2, 3];
  const y = [1, 3, 5, 7];
  const mse = new MseLoss(x, y, 4, 1);
  assert.equal(mse.loss(compile(parseExpression("2*x1 + 1", 1), 1)), 0);
  assert.equal(mse.loss(compile(parseExpression("2*x1", 1), 1)), 1);
  assert.equal(mse.loss(compile(parseExpression("4", 1), 1)), (9 + 1 + 1 + 9) / 4);
  assert.equal(mse.loss(compile(parseExpression("log(x1 - 1)", 1), 1)), Infinity);
  const r = new Float64Array(4);
  assert.ok(mse.residuals(compile(parseExpression("2*x1", 1), 1), r));
  assert.deepEqual(Array.from(r), [-1, -1, -1, -1]);
  const sub = mse.subset([3, 0]);
  assert.equal(sub.loss(compile(parseExpression("x1", 1), 1)), (16 + 1) / 2);
});
