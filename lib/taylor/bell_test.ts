import assert from "node:assert/strict";
import { bellApply, bellTable, binomialTable } from "./bell.ts";

const STIRLING2: number[][] = [[1], [0, 1], [0, 1, 1], [0, 1, 3, 1], [0, 1, 7, 6, 1], [0, 1, 15, 25, 10, 1]];

Deno.test("bellTable: all-ones arguments give Stirling numbers of the second kind", () => {
  const K = 5;
  const t = bellTable(new Float64Array(K + 1).fill(1), K);
  for (let n = 0; n <= K; n++) {
    for (let k = 0; k <= n; k++) assert.equal(t[n * (K + 1) + k], STIRLING2[n][k], `B_{${n},${k}}`);
  }
});

Deno.test("bellTable: B_{n,1} = x_n, B_{n,n} = x_1^n, B_{4,2} = 4x1x3 + 3x2²", () => {
  const x = new Float64Array([0, 0.7, -1.3, 2.1, 0.4, -0.9]);
  const K = 5, w = K + 1;
  const t = bellTable(x, K);
  for (let n = 1; n <= K; n++) {
    assert.ok(Math.abs(t[n * w + 1] - x[n]) < 1e-15);
    assert.ok(Math.abs(t[n * w + n] - x[1] ** n) < 1e-14);
  }
  assert.ok(Math.abs(t[4 * w + 2] - (4 * x[1] * x[3] + 3 * x[2] ** 2)) < 1e-14);
});

Deno.test("bellApply: derivatives of exp(e^x) at 0 are e times the Bell numbers", () => {
  const K = 6;
  const bell = bellTable(new Float64Array(K + 1).fill(1), K); // inner e^x at 0: all derivatives 1
  const vz = new Float64Array(K).fill(Math.E); // outer exp at 1: all derivatives e
  const vu = new Float64Array(K);
  bellApply(bell, K, vz, vu);
  const bellNumbers = [1, 2, 5, 15, 52, 203];
  bellNumbers.forEach((b, i) => assert.ok(Math.abs(vu[i] - Math.E * b) < 1e-12 * b));
});

Deno.test("binomialTable and bad input", () => {
  const c = binomialTable(6);
  assert.equal(c[6 * 7 + 3], 20);
  assert.throws(() => bellTable(new Float64Array(2), 3), /x: needs 4 entries/);
  assert.throws(() => bellTable(new Float64Array(2), -1), /order: expected a non-negative integer/);
});
