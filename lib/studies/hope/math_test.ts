import assert from "node:assert/strict";
import { Polynomial } from "../../poly/polynomial.ts";
import { exactTaylor } from "../../taylor/exact.ts";
import { convDemo, sineMlp } from "../../taylor/paper_networks.ts";
import { forward } from "../../network/network.ts";
import {
  grid2d,
  linspace,
  moduleForward,
  pearson,
  ranks,
  restrictToAxis,
  shiftToX,
  spearman,
  termName,
  toOffsets,
} from "./math.ts";
import { hopeTaylor, hopeTaylorModules, networkModules } from "../../taylor/hope.ts";

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

Deno.test("ranks: average ranks for ties", () => {
  assert.deepEqual(Array.from(ranks([10, 30, 20, 20])), [1, 4, 2.5, 2.5]);
});

Deno.test("spearman: monotone maps give ±1, ties and a textbook value", () => {
  close(spearman([1, 2, 3, 4], [1, 8, 27, 64]), 1);
  close(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  // ranks a = 1..5, b = [2,1,4,3,5] → 1 − 6·Σd²/(n(n²−1)) = 1 − 6·4/120 = 0.8
  close(spearman([1, 2, 3, 4, 5], [20, 10, 40, 30, 50]), 0.8);
  // a binary mask against a score: ties handled by average ranks
  const r = spearman([0, 0, 1, 1], [0.1, 0.2, 0.9, 0.8]);
  close(r, pearson([1.5, 1.5, 3.5, 3.5], [1, 2, 4, 3]));
  assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])));
});

Deno.test("shiftToX: (x − 1)² and a 2-D product re-expanded in x", () => {
  // h² with x0 = 1 → x² − 2x + 1
  const sq = shiftToX(Polynomial.fromLabels(1, [[1, 1]], [1]), [1]);
  close(sq.coefficient([1, 1]), 1);
  close(sq.coefficient([1]), -2);
  close(sq.coefficient([0]), 1);
  // 3 + 2·h1·h2² at x0 = (0.5, −2): 3 + 2(x1 − 0.5)(x2 + 2)²
  const f = Polynomial.fromLabels(2, [[0], [1, 2, 2]], [3, 2]);
  const g = shiftToX(f, [0.5, -2]);
  for (const [x1, x2] of [[0.3, 0.7], [-1, 2], [2, -3]]) {
    close(g.evaluateAt([x1, x2]), f.evaluateAt([x1 - 0.5, x2 + 2]));
  }
  close(g.coefficient([1, 2, 2]), 2);
  close(g.coefficient([2, 2]), -1); // 2·(−0.5)·x2²
  close(g.coefficient([0]), 3 + 2 * -0.5 * 4);
  assert.equal(g.degree, 3);
});

Deno.test("shiftToX: a network's Taylor polynomial at x0, shifted, matches it at x", () => {
  const net = sineMlp({ width: 8, depth: 2, seed: 3 });
  const two = { inputs: 1, layers: net.layers };
  const { polynomials } = exactTaylor(two, [0.4], 5);
  const inX = shiftToX(polynomials[0], [0.4]);
  for (const x of [-0.2, 0.4, 1.1]) close(inX.evaluateAt([x]), polynomials[0].evaluateAt([x - 0.4]), 1e-10);
});

Deno.test("grids, offsets and term names", () => {
  assert.deepEqual(linspace(-1, 1, 3), [-1, 0, 1]);
  const g = grid2d([1, 2], 1, 2);
  assert.deepEqual(Array.from(g), [0, 1, 2, 1, 0, 3, 2, 3]);
  assert.deepEqual(Array.from(toOffsets(new Float64Array([1, 2, 3, 4]), [1, 1])), [0, 1, 2, 3]);
  assert.equal(termName([]), "1");
  assert.equal(termName([0]), "1");
  assert.equal(termName([1, 1, 3]), "x1^2·x3");
});

Deno.test("moduleForward agrees with the dense forward pass and with HOPE's y0 on the conv demo", () => {
  const net = sineMlp({ width: 6, depth: 2, seed: 5 });
  const x = new Float64Array([-0.3, 0.2, 0.9]);
  const a = moduleForward(networkModules(net), x, 3);
  const b = forward(net, x, 3);
  for (let i = 0; i < 3; i++) close(a[i], b[i]);
  const conv = convDemo();
  const y = moduleForward(conv.modules, new Float64Array([0.1, -0.2]), 1)[0];
  close(y, hopeTaylorModules(conv.modules, 2, [0.1, -0.2], 0).coefficients[0][0]);
});

Deno.test("restrictToAxis: 1-D Taylor coefficients are the unmixed ones of the full expansion (exact and HOPE)", () => {
  const base = sineMlp({ width: 5, depth: 2, seed: 9 });
  // widen the first layer to 3 inputs with a deterministic pattern
  const u = base.layers[0].units;
  const w = new Float64Array(4 * u).map((_, k) => Math.sin(1.7 * k + 0.3));
  const net = { inputs: 3, layers: [{ ...base.layers[0], inputs: 3, weights: w }, ...base.layers.slice(1)] };
  const x0 = [0.2, -0.4, 0.7];
  const full = exactTaylor(net, x0, 4).polynomials[0];
  const fullHope = hopeTaylor(net, x0, 4);
  for (let i = 0; i < 3; i++) {
    const line = restrictToAxis(net, x0, i);
    const e = exactTaylor(line, [0], 4).polynomials[0];
    const h = hopeTaylor(line, [0], 4).coefficients[0];
    for (let k = 1; k <= 4; k++) {
      const label = Array(k).fill(i + 1);
      close(e.coefficient(Array(k).fill(1)), full.coefficient(label), 1e-10);
      const t = fullHope.labels.findIndex((l) => l.join() === label.join());
      close(h[k], fullHope.coefficients[0][t], 1e-10);
    }
  }
});
