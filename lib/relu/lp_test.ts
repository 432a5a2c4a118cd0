import assert from "node:assert/strict";
import { SlackLp } from "./lp.ts";
import { mulberry32 } from "./testing.ts";

/** Rows already scaled (max |a_k| in [0.5, 1)), so the LP's slack units are the rows' own. */
function scaledRows(rng: () => number, m: number, p: number): Float64Array {
  const rows = new Float64Array(m * (p + 1));
  for (let i = 0; i < m; i++) {
    let big = 0;
    for (let k = 0; k < p; k++) {
      rows[i * (p + 1) + k] = 2 * rng() - 1;
      big = Math.max(big, Math.abs(rows[i * (p + 1) + k]));
    }
    const s = 2 ** -(Math.floor(Math.log2(big)) + 1);
    for (let k = 0; k < p; k++) rows[i * (p + 1) + k] *= s;
    rows[i * (p + 1) + p] = 2 * rng() - 1;
  }
  return rows;
}

/** Optimum of the 2-D slack LP by brute force over all vertices (3 active rows of m rows + cap). */
function bruteForce2d(rows: Float64Array, m: number, cap: number): number {
  // constraints in (x1, x2, t): a1 x1 + a2 x2 − t ≥ −b ; cap: −t ≥ −cap
  const C: number[][] = [];
  for (let i = 0; i < m; i++) C.push([rows[i * 3], rows[i * 3 + 1], -1, -rows[i * 3 + 2]]);
  C.push([0, 0, -1, -cap]);
  let best = -Infinity;
  const n = C.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      for (let k = j + 1; k < n; k++) {
        const M = [C[i], C[j], C[k]];
        const det = (r: number[][]) =>
          r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1]) -
          r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0]) +
          r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
        const D = det(M);
        if (Math.abs(D) < 1e-12) continue;
        const sol = [0, 1, 2].map((c) => det(M.map((r) => r.map((v, q) => (q === c ? r[3] : v)))) / D);
        if (C.every((r) => r[0] * sol[0] + r[1] * sol[1] + r[2] * sol[2] >= r[3] - 1e-9)) {
          best = Math.max(best, sol[2]);
        }
      }
    }
  }
  return best;
}

Deno.test("slack LP: an interval and a triangle have their known widest points", () => {
  const lp = new SlackLp(1);
  // 0.5·x > 0 and −0.5·x + 1 > 0: widest at x = 1, slack 0.5
  assert.equal(lp.solve(new Float64Array([0.5, 0, -0.5, 1]), 2, 10), 0.5);
  assert.equal(lp.x[0], 1);
  // empty: 0.5x − 1 > 0 and −0.5x > 0
  assert.ok(lp.solve(new Float64Array([0.5, -1, -0.5, 0]), 2, 10) < 0);
  // capped: a half-line
  assert.equal(lp.solve(new Float64Array([0.5, 0]), 1, 1), 1);
  const lp2 = new SlackLp(2);
  // x1 > 0, x2 > 0, 1 − 0.5 x1 − 0.5 x2 > 0 (rows scaled by 2 already: max|a| = 0.5)
  const t = lp2.solve(new Float64Array([0.5, 0, 0, 0, 0.5, 0, -0.5, -0.5, 1]), 3, 10);
  assert.ok(Math.abs(t - 1 / 3) < 1e-15, `t = ${t}`);
  assert.ok(Math.abs(lp2.x[0] - 2 / 3) < 1e-15 && Math.abs(lp2.x[1] - 2 / 3) < 1e-15);
});

Deno.test("slack LP: equals brute-force vertex enumeration on 400 random 2-D systems", () => {
  const rng = mulberry32(7);
  const lp = new SlackLp(2);
  for (let trial = 0; trial < 400; trial++) {
    const m = 2 + Math.floor(rng() * 12);
    const rows = scaledRows(rng, m, 2);
    const cap = trial % 2 ? 1 : 0.25;
    const t = lp.solve(rows, m, cap);
    const ref = bruteForce2d(rows, m, cap);
    assert.ok(Math.abs(t - ref) < 1e-12, `trial ${trial}: t = ${t}, brute force ${ref}`);
  }
});

Deno.test("slack LP: degenerate systems (concurrent, duplicated, opposite rows) give slack ≤ 0 without error", () => {
  const lp = new SlackLp(2);
  // five lines through (0.25, −0.5) whose normals surround the point: no open cell meets all of them
  const rows: number[] = [];
  for (let k = 0; k < 5; k++) {
    const ang = (2 * Math.PI * k) / 5;
    const a = [Math.cos(ang) / 2 ** 1, Math.sin(ang) / 2 ** 1].map((v) => Math.round(v * 64) / 64);
    rows.push(a[0], a[1], -(a[0] * 0.25 + a[1] * -0.5));
  }
  const t = lp.solve(new Float64Array(rows), 5, 1);
  assert.ok(t <= 1e-15, `t = ${t}`);
  // a row and its exact negative: the region is a hyperplane, slack exactly 0 at best
  const opp = new Float64Array([0.5, 0.25, 0.125, -0.5, -0.25, -0.125, 0.5, 0.5, 0, 0.5, 0.5, 0]);
  assert.ok(Math.abs(lp.solve(opp, 4, 1)) <= 1e-15);
  // duplicated rows change nothing
  const one = lp.solve(new Float64Array([0.5, 0, 0, -0.5, 0, 1]), 2, 10);
  const dup = lp.solve(new Float64Array([0.5, 0, 0, 0.5, 0, 0, -0.5, 0, 1, -0.5, 0, 1]), 4, 10);
  assert.equal(one, dup);
});

Deno.test("slack LP: in 4-D the returned slack is attained at x and is the optimum (vs a random-search bound)", () => {
  const rng = mulberry32(11);
  const lp = new SlackLp(4);
  for (let trial = 0; trial < 50; trial++) {
    const m = 5 + Math.floor(rng() * 20);
    const rows = scaledRows(rng, m, 4);
    const t = lp.solve(rows, m, 1);
    let atX = 1;
    for (let i = 0; i < m; i++) {
      let s = rows[i * 5 + 4];
      for (let k = 0; k < 4; k++) s += rows[i * 5 + k] * lp.x[k];
      atX = Math.min(atX, s);
    }
    assert.equal(t, atX);
    // no random point does better
    for (let s = 0; s < 2000; s++) {
      const x = [0, 1, 2, 3].map(() => lp.x[0] * 0 + (rng() * 2 - 1) * 3);
      let v = 1;
      for (let i = 0; i < m; i++) {
        let q = rows[i * 5 + 4];
        for (let k = 0; k < 4; k++) q += rows[i * 5 + k] * x[k];
        v = Math.min(v, q);
      }
      assert.ok(v <= t + 1e-12, `trial ${trial}: random point beats the LP (${v} > ${t})`);
    }
  }
});
