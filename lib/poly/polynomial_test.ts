import assert from "node:assert/strict";
import { evaluatePolynomials, fromNn2polyForm, Polynomial, toNn2polyForm } from "./polynomial.ts";
import { getBasis } from "./basis.ts";
import { Terms } from "./terms.ts";

// f = 0.5 + 0.73·x1 − 1.8·x2·x3 + 2·x1²
const f = Polynomial.fromLabels(3, [[0], [1], [2, 3], [1, 1]], [0.5, 0.73, -1.8, 2]);

Deno.test("evaluate on a batch, including p = 1 with many rows", () => {
  const x = new Float64Array([1, 2, 3, -1, 0.5, 2]);
  const y = f.evaluate(x, 2);
  assert.ok(Math.abs(y[0] - (0.5 + 0.73 - 1.8 * 6 + 2)) < 1e-12);
  assert.ok(Math.abs(y[1] - (0.5 - 0.73 - 1.8 * 1 + 2)) < 1e-12);
  // one input column: one value per row (the R package's predict returns a single value here)
  const g = Polynomial.fromLabels(1, [[0], [1], [1, 1]], [1, 2, 3]);
  assert.deepEqual(Array.from(g.evaluate(new Float64Array([0, 1, 2]), 3)), [1, 6, 17]);
});

Deno.test("sparse terms whose parents are absent evaluate by direct products", () => {
  const h = Polynomial.fromLabels(3, [[1, 2, 3], [3, 3]], [2, -1]);
  assert.equal(h.evaluateAt([2, 3, 4]), 2 * 24 - 16);
});

Deno.test("contributions sum to the value and top terms are ordered by magnitude", () => {
  const x = new Float64Array([1, 2, 3]);
  const c = f.contributions(x, 1);
  assert.ok(Math.abs(c.reduce((s, v) => s + v, 0) - f.evaluateAt(x)) < 1e-12);
  assert.deepEqual(f.topTerms(2).map((t) => t.label), [[1, 1], [2, 3]]);
});

Deno.test("partial derivatives", () => {
  const d1 = f.derivative(1); // 0.73 + 4·x1
  assert.equal(d1.coefficient([0]), 0.73);
  assert.equal(d1.coefficient([1]), 4);
  const d2 = f.derivative(2); // −1.8·x3
  assert.equal(d2.coefficient([3]), -1.8);
  assert.equal(d2.terms.count, 1);
  assert.throws(() => f.derivative(4), /variable must be in 1..3/);
});

Deno.test("plain text and LaTeX printing", () => {
  assert.equal(f.toString(), "0.5 + 0.73·x1 − 1.8·x2·x3 + 2·x1^2");
  assert.equal(f.toLatex(), "0.5 + 0.73 x_{1} - 1.8 x_{2} x_{3} + 2 x_{1}^{2}");
  assert.equal(f.toString({ maxTerms: 2 }), "−1.8·x2·x3 + 2·x1^2");
  assert.equal(f.toString({ names: ["a", "b", "c"], threshold: 1 }), "−1.8·b·c + 2·a^2");
});

Deno.test("JSON and nn2poly {labels, values} round trips", () => {
  const back = Polynomial.fromJSON(JSON.parse(JSON.stringify(f)));
  assert.deepEqual(back.toJSON(), f.toJSON());
  const terms = Terms.fromBasis(getBasis(2, 2));
  const a = new Polynomial(terms, Float64Array.from([1, 2, 3, 4, 5, 6]));
  const b = new Polynomial(terms, Float64Array.from([6, 5, 4, 3, 2, 1]));
  const form = toNn2polyForm([a, b]);
  assert.deepEqual(form.labels, [[0], [1], [2], [1, 1], [1, 2], [2, 2]]);
  assert.deepEqual(form.values[1], [2, 5]);
  const [a2, b2] = fromNn2polyForm(form);
  assert.deepEqual(Array.from(a2.coefficients), Array.from(a.coefficients));
  assert.deepEqual(Array.from(b2.coefficients), Array.from(b.coefficients));
  const both = evaluatePolynomials([a, b], new Float64Array([1, 1]), 1);
  assert.deepEqual(Array.from(both), [21, 21]);
});

Deno.test("bad inputs are refused with the field named", () => {
  assert.throws(() => f.evaluate(new Float64Array(4), 2), /x: expected 2×3/);
  assert.throws(() => Polynomial.fromLabels(2, [[1], [1]], [1, 2]), /duplicate/);
  assert.throws(() => Polynomial.fromLabels(2, [[3]], [1]), /outside 0..1/);
});
