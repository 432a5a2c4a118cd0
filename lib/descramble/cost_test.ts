import assert from "node:assert/strict";
import { chartDimension, chartPoint, pullBackGradient } from "./cayley.ts";
import { luDeterminant, luFactor, matmul, orthogonalityError, transpose } from "./dense.ts";
import { fourdif2 } from "./fourdif.ts";
import { DescrambleError, eta, problemFromGram, problemFromSignals } from "./problem.ts";
import { activePairs, RecentredModel } from "./trust_region.ts";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** Smooth periodic signals on k points, mixed by a fixed pseudo-random rotation-ish matrix, plus noise. */
function signals(k: number, n: number, seed: number): Float64Array[] {
  const r = rng(seed);
  const rows = Array.from({ length: k }, () => new Float64Array(n));
  for (let c = 0; c < n; c++) {
    const a = [r(), r(), r(), r()];
    for (let i = 0; i < k; i++) {
      const x = 2 * Math.PI * i / k;
      rows[i][c] = a[0] + a[1] * Math.sin(x) + a[2] * Math.cos(2 * x) + a[3] * Math.sin(3 * x) + 1e-3 * r();
    }
  }
  return rows;
}

/** tr(DTD·P·SST·Pᵀ) straight from the definitions, independently of the library's evaluation. */
function etaDirect(rows: Float64Array[], P: Float64Array): number {
  const k = rows.length;
  const n = rows[0].length;
  const D = fourdif2(k);
  const A = matmul(D, D, k);
  const B = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) for (let c = 0; c < n; c++) B[i * k + j] += rows[i][c] * rows[j][c];
  }
  const norm = (M: Float64Array) => {
    // spectral norm of a symmetric PSD matrix by power iteration
    let v = Float64Array.from({ length: k }, (_, i) => 1 + i / k);
    let lambda = 0;
    for (let it = 0; it < 2000; it++) {
      const w = new Float64Array(k);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) w[i] += M[i * k + j] * v[j];
      lambda = Math.hypot(...w);
      v = w.map((x) => x / lambda);
    }
    return lambda;
  };
  const a = k / norm(A);
  const b = k / norm(B);
  const APB = matmul(matmul(A, P, k), B, k);
  let s = 0;
  for (let i = 0; i < k * k; i++) s += APB[i] * P[i];
  return s * a * b;
}

Deno.test("η(P) equals tr(DTD·P·SST·Pᵀ) from the definitions; η(I) and a random rotation", () => {
  const rows = signals(9, 60, 1);
  const problem = problemFromSignals(rows);
  const k = 9;
  const I = new Float64Array(k * k);
  for (let i = 0; i < k; i++) I[i * k + i] = 1;
  const q = Float64Array.from({ length: chartDimension(k) }, rng(2));
  const { P } = chartPoint(q, k);
  for (const M of [I, P]) {
    const direct = etaDirect(rows, M);
    assert.ok(Math.abs(eta(problem, M) - direct) < 1e-12 * direct, `${eta(problem, M)} vs ${direct}`);
  }
  // normalisation: both matrices have spectral norm k; α are k·m⁴/m_max⁴
  assert.equal(problem.alpha[0], 0);
  assert.equal(problem.alpha[k - 1], k);
});

Deno.test("Cayley chart: P orthogonal with det +1; the gradient matches central differences", () => {
  const k = 6;
  const rows = signals(k, 40, 3);
  const problem = problemFromSignals(rows);
  const q = Float64Array.from({ length: chartDimension(k) }, rng(4));
  const pt = chartPoint(q, k);
  assert.ok(orthogonalityError(pt.P, k) < 1e-14);
  assert.ok(Math.abs(luDeterminant(luFactor(pt.P, k)) - 1) < 1e-13);
  const { A, B } = problem;
  const E = matmul(matmul(A, pt.P, k), B, k).map((v) => 2 * v);
  const g = pullBackGradient(pt, E, k);
  const f = (x: Float64Array) => eta(problem, chartPoint(x, k).P);
  const h = 1e-6;
  for (let p = 0; p < q.length; p++) {
    const xp = q.slice();
    const xm = q.slice();
    xp[p] += h;
    xm[p] -= h;
    const fd = (f(xp) - f(xm)) / (2 * h);
    assert.ok(Math.abs(fd - g[p]) < 1e-6 * (1 + Math.abs(fd)), `coordinate ${p}: ${g[p]} vs ${fd}`);
  }
});

Deno.test("re-centred model: gradient, Hessian diagonal and Hessian–vector products match finite differences", () => {
  const k = 7;
  const problem = problemFromSignals(signals(k, 50, 5));
  const pairs = activePairs(problem.alpha);
  const n = pairs.I.length;
  // a point away from P = I
  const start = chartPoint(Float64Array.from({ length: chartDimension(k) }, rng(6)), k).P;
  const X = matmul(transpose(problem.U, k), start, k);
  const model = new RecentredModel(problem, X, pairs);
  assert.ok(Math.abs(model.f - eta(problem, start)) < 1e-12 * model.f);
  const f = (s: Float64Array) => model.step(s).f;
  const g = model.gradient(new Float64Array(n));
  const diag = model.hessianDiagonal(new Float64Array(n));
  const h = 1e-5;
  const e = (p: number, t: number) => {
    const s = new Float64Array(n);
    s[p] = t;
    return s;
  };
  for (let p = 0; p < n; p++) {
    const fd = (f(e(p, h)) - f(e(p, -h))) / (2 * h);
    assert.ok(Math.abs(fd - g[p]) < 1e-7 * (1 + Math.abs(fd)), `gradient ${p}`);
    const fd2 = (f(e(p, h)) - 2 * model.f + f(e(p, -h))) / (h * h);
    assert.ok(Math.abs(fd2 - diag[p]) < 1e-3 * (1 + Math.abs(fd2)), `diagonal ${p}: ${diag[p]} vs ${fd2}`);
  }
  // H v against the difference of gradients along v
  const v = Float64Array.from({ length: n }, rng(7));
  const Hv = model.hessianTimes(v, new Float64Array(n));
  // directional second derivative along v
  const fv = (tt: number) => f(v.map((x) => x * tt));
  const curvature = (fv(1e-4) - 2 * model.f + fv(-1e-4)) / 1e-8;
  let vHv = 0;
  for (let p = 0; p < n; p++) vHv += v[p] * Hv[p];
  assert.ok(Math.abs(vHv - curvature) < 1e-4 * (1 + Math.abs(curvature)), `vᵀHv ${vHv} vs ${curvature}`);
  // symmetry: uᵀ(Hv) = vᵀ(Hu)
  const u = Float64Array.from({ length: n }, rng(8));
  const Hu = model.hessianTimes(u, new Float64Array(n));
  let uHv = 0;
  let vHu = 0;
  for (let p = 0; p < n; p++) {
    uHv += u[p] * Hv[p];
    vHu += v[p] * Hu[p];
  }
  assert.ok(Math.abs(uHv - vHu) < 1e-10 * (1 + Math.abs(uHv)));
  // mixed second derivatives: (f(u+v) − f(u−v) − f(−u+v) + f(−u−v)) / 4t² ≈ uᵀHv
  const tt = 1e-4;
  const comb = (a: number, b: number) => f(u.map((x, p) => a * tt * x + b * tt * v[p]));
  const mixed = (comb(1, 1) - comb(1, -1) - comb(-1, 1) + comb(-1, -1)) / (4 * tt * tt);
  assert.ok(Math.abs(mixed - uHv) < 1e-4 * (1 + Math.abs(uHv)), `uᵀHv ${uHv} vs ${mixed}`);
});

Deno.test("all-zero signals and k < 2 are refused with the reason", () => {
  assert.throws(
    () => problemFromGram(new Float64Array(9), 3),
    (e: Error) => e instanceof DescrambleError && /all zero/.test(e.message),
  );
  assert.throws(
    () => problemFromGram(new Float64Array(1), 1),
    (e: Error) => e instanceof DescrambleError && /at least 2/.test(e.message),
  );
});
