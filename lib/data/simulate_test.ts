import assert from "node:assert/strict";
import { parseFormula } from "./formula.ts";
import {
  enumerateMonomials,
  evaluatePolynomial,
  monomialCount,
  polynomialToString,
  randomPolynomial,
} from "./polynomial.ts";
import { Rng } from "./random.ts";
import { fitMinMaxScaler, scaleColumns, unscaleColumns } from "./scale.ts";
import { cholesky, sampleInputs, simulateClassification, simulateRegression } from "./simulate.ts";
import { splitIndices, splitXY, takeRows } from "./split.ts";

Deno.test("formula parser: examples, merging, constants and powers", () => {
  const f = parseFormula("4*x1 - 3*x2*x3 + 0.5*x1^2");
  assert.deepEqual(f.labels, [[1], [1, 1], [2, 3]]);
  assert.deepEqual([...f.values], [4, 0.5, -3]);
  assert.equal(f.inputs, 3);
  const g = parseFormula(" -2 + x3*x1*x1 + x1**2*x3 - 1.5e1*x2 + x2 ", 4);
  assert.equal(g.inputs, 4);
  assert.deepEqual(g.labels, [[0], [2], [1, 1, 3]]);
  assert.deepEqual([...g.values], [-2, -14, 2]);
  assert.deepEqual(parseFormula("x1 - x1 + x2").labels, [[2]]);
  const y = evaluatePolynomial(f, Float64Array.from([1, 2, 3, -1, 0, 5]), 2);
  assert.deepEqual([...y], [4 - 18 + 0.5, -4 + 0.5]);
  assert.equal(polynomialToString(f), "4*x1 + 0.5*x1^2 - 3*x2*x3");
});

Deno.test("formula parser: errors name the position and the fix", () => {
  assert.throws(() => parseFormula("4*y"), /formula: unexpected "y".*position 2/);
  assert.throws(() => parseFormula("x0 + 1"), /1-based/);
  assert.throws(() => parseFormula("4x1"), /expected \+, - or \* between terms/);
  assert.throws(() => parseFormula("x1^1.5"), /exponent "1.5" must be a non-negative integer/);
  assert.throws(() => parseFormula("x1 +"), /unexpected "end of formula"/);
  assert.throws(() => parseFormula(""), /non-empty string/);
  assert.throws(() => parseFormula("x5", 3), /uses x5 but the data has only 3 inputs/);
  assert.throws(() => parseFormula("Math.exit()"), /formula: unexpected "M"/);
});

Deno.test("monomial enumeration counts", () => {
  assert.equal(enumerateMonomials(5, 2, 2).length, 15);
  assert.equal(monomialCount(5, 2), 15);
  assert.equal(enumerateMonomials(4, 1, 3).length, 4 + 10 + 20);
  assert.deepEqual(enumerateMonomials(2, 2, 2), [[1, 1], [1, 2], [2, 2]]);
});

Deno.test("random polynomial has exactly the requested term counts (sim1 and larger)", () => {
  for (const seed of [1, 2, 3]) {
    const poly = randomPolynomial(new Rng(seed), {
      inputs: 5,
      degree: 2,
      linearTerms: 5,
      higherTerms: 5,
      coefficientRange: [-5, 5],
    });
    assert.equal(poly.labels.filter((l) => l.length === 1 && l[0] !== 0).length, 5);
    assert.equal(poly.labels.filter((l) => l.length === 2).length, 5);
    assert.equal(new Set(poly.labels.map((l) => l.join())).size, 10);
    for (const v of poly.values) assert.ok(v >= -5 && v < 5);
  }
  const big = randomPolynomial(new Rng(4), {
    inputs: 8,
    degree: 3,
    linearTerms: 3,
    higherTerms: 12,
    coefficientRange: [1, 2],
    intercept: true,
  });
  assert.deepEqual(big.labels[0], [0]);
  assert.equal(big.labels.filter((l) => l[0] !== 0 && l.length === 1).length, 3);
  assert.equal(big.labels.filter((l) => l.length >= 2).length, 12);
  for (const l of big.labels) assert.deepEqual(l, [...l].sort((a, b) => a - b));
  const again = randomPolynomial(new Rng(4), {
    inputs: 8,
    degree: 3,
    linearTerms: 3,
    higherTerms: 12,
    coefficientRange: [1, 2],
    intercept: true,
  });
  assert.deepEqual(again, big);
  assert.throws(
    () =>
      randomPolynomial(new Rng(1), {
        inputs: 5,
        degree: 2,
        linearTerms: 6,
        higherTerms: 0,
        coefficientRange: [0, 1],
      }),
    /polynomial.linearTerms: expected an integer in 0..5/,
  );
  assert.throws(
    () =>
      randomPolynomial(new Rng(1), {
        inputs: 5,
        degree: 2,
        linearTerms: 1,
        higherTerms: 16,
        coefficientRange: [0, 1],
      }),
    /polynomial.higherTerms: expected an integer in 0..15/,
  );
});

Deno.test("input distributions: uniform bounds, mvnormal means and covariance", () => {
  const u = sampleInputs(new Rng(1), { kind: "uniform", lo: -2, hi: 3 }, 1000, 2);
  assert.ok(u.x.every((v) => v >= -2 && v < 3));
  const n = 20000;
  const mv = sampleInputs(
    new Rng(2),
    { kind: "mvnormal", means: [1, -4], covariance: [[4, 1.2], [1.2, 1]] },
    n,
    2,
  );
  let m0 = 0, m1 = 0;
  for (let s = 0; s < n; s++) {
    m0 += mv.x[2 * s] / n;
    m1 += mv.x[2 * s + 1] / n;
  }
  let c00 = 0, c01 = 0, c11 = 0;
  for (let s = 0; s < n; s++) {
    const a = mv.x[2 * s] - m0, b = mv.x[2 * s + 1] - m1;
    c00 += a * a / n;
    c01 += a * b / n;
    c11 += b * b / n;
  }
  assert.ok(Math.abs(m0 - 1) < 0.05 && Math.abs(m1 + 4) < 0.03, `means ${m0} ${m1}`);
  assert.ok(
    Math.abs(c00 - 4) < 0.15 && Math.abs(c01 - 1.2) < 0.06 && Math.abs(c11 - 1) < 0.04,
    `${c00} ${c01} ${c11}`,
  );
  const rm = sampleInputs(new Rng(3), { kind: "mvnormal", means: { lo: -10, hi: 10 }, sd: 0.5 }, 10, 4);
  assert.ok(rm.means.every((m) => m >= -10 && m < 10));
  assert.ok(new Set(rm.means).size === 4);
  assert.throws(() => cholesky([[1, 2], [2, 1]]), /not positive definite/);
  assert.throws(
    () => sampleInputs(new Rng(1), { kind: "normal", mean: 0, sd: -1 }, 3, 1),
    /distribution.sd: expected a finite number >= 0/,
  );
});

Deno.test("simulateRegression is deterministic, y = truth + noise", () => {
  const spec = {
    seed: 11,
    samples: 400,
    inputs: 5,
    truth: {
      kind: "random" as const,
      degree: 2,
      linearTerms: 5,
      higherTerms: 5,
      coefficientRange: [-5, 5] as const,
    },
    distribution: { kind: "mvnormal" as const, means: { lo: -10, hi: 10 }, sd: 1 },
    noiseSd: 0.1,
  };
  const a = simulateRegression(spec);
  const b = simulateRegression(spec);
  assert.deepEqual(a.x, b.x);
  assert.deepEqual(a.y, b.y);
  assert.equal(a.polynomial.labels.length, 10);
  let sq = 0;
  for (let s = 0; s < a.samples; s++) sq += (a.y[s] - a.signal[s]) ** 2;
  const noiseSd = Math.sqrt(sq / a.samples);
  assert.ok(Math.abs(noiseSd - 0.1) < 0.015, `noise sd ${noiseSd}`);
  const c = simulateRegression({ ...spec, seed: 12 });
  assert.notDeepEqual(c.x, a.x);
  const f = simulateRegression({
    seed: 1,
    samples: 5,
    inputs: 3,
    truth: { kind: "formula", formula: "4*x1 - 3*x2*x3" },
    distribution: { kind: "uniform", lo: -1, hi: 1 },
  });
  for (let s = 0; s < 5; s++) {
    const [x1, x2, x3] = f.x.subarray(3 * s, 3 * s + 3);
    assert.ok(Math.abs(f.y[s] - (4 * x1 - 3 * x2 * x3)) < 1e-12);
  }
  assert.throws(() => simulateRegression({ ...spec, samples: 0 }), /samples: expected a positive integer/);
});

Deno.test("simulateClassification: argmax labels of the logits, one-hot targets, sampled rule", () => {
  const spec = {
    seed: 3,
    samples: 500,
    inputs: 3,
    classes: 3,
    truth: {
      kind: "random" as const,
      degree: 2,
      linearTerms: 3,
      higherTerms: 2,
      coefficientRange: [-1, 1] as const,
    },
    distribution: { kind: "uniform" as const, lo: -1, hi: 1 },
  };
  const d = simulateClassification(spec);
  assert.equal(d.polynomials.length, 3);
  assert.notDeepEqual(d.polynomials[0], d.polynomials[1]);
  const counts = [0, 0, 0];
  for (let s = 0; s < d.samples; s++) {
    const row = d.logits.subarray(3 * s, 3 * s + 3);
    assert.equal(d.labels[s], row.indexOf(Math.max(...row)));
    assert.equal(d.y[3 * s + d.labels[s]], 1);
    assert.equal(d.y[3 * s] + d.y[3 * s + 1] + d.y[3 * s + 2], 1);
    counts[d.labels[s]]++;
  }
  assert.ok(counts.every((c) => c > 0), `class counts ${counts}`);
  const sampled = simulateClassification({ ...spec, labelRule: "sample" });
  assert.deepEqual(sampled.x, d.x);
  assert.notDeepEqual(sampled.labels, d.labels);
  assert.deepEqual(simulateClassification({ ...spec, labelRule: "sample" }).labels, sampled.labels);
});

Deno.test("split: sizes, disjointness, determinism", () => {
  const { train, test } = splitIndices(100, 0.75, 9);
  assert.equal(train.length, 75);
  assert.equal(test.length, 25);
  const all = new Set([...train, ...test]);
  assert.equal(all.size, 100);
  assert.deepEqual(splitIndices(100, 0.75, 9).train, train);
  assert.notDeepEqual(splitIndices(100, 0.75, 10).train, train);
  assert.throws(() => splitIndices(10, 0, 1), /trainFraction: expected a number in \(0, 1\]/);
  const x = Float64Array.from({ length: 20 }, (_, i) => i);
  assert.deepEqual([...takeRows(x, 2, [3, 0])], [6, 7, 0, 1]);
  const y = Float64Array.from({ length: 10 }, (_, i) => 100 + i);
  const parts = splitXY(x, y, 2, 1, 0.6, 4);
  assert.equal(parts.train.n, 6);
  assert.equal(parts.test.n, 4);
  for (let r = 0; r < parts.train.n; r++) assert.equal(parts.train.y[r] - 100, parts.train.x[2 * r] / 2);
});

Deno.test("scaling: train min/max map to -1/1, test uses train stats, inverse round-trips", () => {
  const train = Float64Array.from([1, 10, 3, 20, 2, 15]); // 3 rows × 2
  const test = Float64Array.from([4, 5]);
  const sc = fitMinMaxScaler(train, 2, [-1, 1]);
  const st = scaleColumns(sc, train);
  assert.deepEqual([...st], [-1, -1, 1, 1, 0, 0]);
  const ss = scaleColumns(sc, test);
  assert.deepEqual([...ss], [2, -2]);
  const back = unscaleColumns(sc, ss);
  assert.ok(back.every((v, i) => Math.abs(v - test[i]) < 1e-12));
  const z = fitMinMaxScaler(train, 2, [0, 1]);
  assert.deepEqual([...scaleColumns(z, train)], [0, 0, 1, 1, 0.5, 0.5]);
  const constant = fitMinMaxScaler(Float64Array.from([5, 5]), 1);
  assert.deepEqual([...scaleColumns(constant, Float64Array.from([5]))], [0]);
  assert.deepEqual([...unscaleColumns(constant, Float64Array.from([0]))], [5]);
  assert.throws(() => fitMinMaxScaler(train, 2, [1, 1]), /scaler range: expected \[lo, hi\] with lo < hi/);
});
