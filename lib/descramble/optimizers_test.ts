import assert from "node:assert/strict";
import { chartPoint } from "./cayley.ts";
import { closedFormDescramble } from "./closed_form.ts";
import { identity, luDeterminant, luFactor, matmul, orthogonalityError } from "./dense.ts";
import { lbfgs } from "./lbfgs.ts";
import { paperLbfgsDescramble } from "./paper_lbfgs.ts";
import { eta, problemFromGram, problemFromSignals } from "./problem.ts";
import { trustRegionDescramble } from "./trust_region.ts";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

Deno.test("L-BFGS minimises the Rosenbrock function from (−1.2, 1)", () => {
  const r = lbfgs(
    (x, g) => {
      const a = 1 - x[0];
      const b = x[1] - x[0] * x[0];
      g[0] = -2 * a - 400 * x[0] * b;
      g[1] = 200 * b;
      return a * a + 100 * b * b;
    },
    Float64Array.from([-1.2, 1]),
    { gtol: 1e-10 },
  );
  assert.ok(Math.abs(r.x[0] - 1) < 1e-6 && Math.abs(r.x[1] - 1) < 1e-6, `${r.x}`);
  assert.ok(r.iterations < 100);
});

/** Smooth signals on k points (a few low harmonics), scrambled by a known rotation R: S = R·X. */
function scrambled(k: number, n: number, seed: number, noise: number) {
  const r = rng(seed);
  const X = Array.from({ length: k }, () => new Float64Array(n));
  for (let c = 0; c < n; c++) {
    const a = [r(), r(), r(), r(), r()];
    for (let i = 0; i < k; i++) {
      const x = 2 * Math.PI * i / k;
      X[i][c] = a[0] + a[1] * Math.cos(x) + a[2] * Math.sin(x) + a[3] * Math.cos(2 * x) +
        a[4] * Math.sin(2 * x) +
        noise * r();
    }
  }
  const R = chartPoint(Float64Array.from({ length: (k * (k - 1)) / 2 }, () => 3 * r()), k).P;
  const S = Array.from({ length: k }, () => new Float64Array(n));
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = R[i * k + j];
      for (let c = 0; c < n; c++) S[i][c] += w * X[j][c];
    }
  }
  return { X, R, S };
}

Deno.test("smooth signals scrambled by a rotation: both methods bring them back into their band (wavenumbers ≤ 2)", () => {
  const k = 12;
  const { X, R, S } = scrambled(k, 200, 11, 0);
  const problem = problemFromSignals(S);
  const cf = closedFormDescramble(problem);
  const tr = trustRegionDescramble(problem);
  // Rᵀ undoes the scrambling
  const Rt = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) Rt[j * k + i] = R[i * k + j];
  const etaTruth = eta(problem, Rt);
  assert.ok(Math.abs(cf.eta - cf.etaStar) <= 1e-10 * cf.etaStar + 1e-13);
  assert.ok(tr.eta <= cf.etaStar * (1 + 1e-9) + 1e-13);
  // the unscrambled signals are no better than the optimum (the optimum may also rotate within their band)
  assert.ok(etaTruth >= cf.etaStar * (1 - 1e-9) - 1e-13);
  // the descrambled signals P·S are smooth: nothing above wavenumber 2 (the Fourier modes 5..k−1)
  const PS = S.map((_, i) => {
    const row = new Float64Array(200);
    for (let j = 0; j < k; j++) for (let c = 0; c < 200; c++) row[c] += tr.P[i * k + j] * S[j][c];
    return row;
  });
  const energyHigh = (rows: Float64Array[]) => {
    const p = problemFromSignals(rows);
    const U = p.U;
    let hi = 0;
    for (let c = 0; c < 200; c++) {
      for (let m = 5; m < k; m++) {
        let s = 0;
        for (let i = 0; i < k; i++) s += U[i * k + m] * rows[i][c];
        hi += s * s;
      }
    }
    return hi;
  };
  assert.ok(energyHigh(PS) < 1e-10 * energyHigh(S), "descrambled signals are band-limited");
  assert.ok(energyHigh(X) < 1e-20);
});

Deno.test("degenerate problems: k = 2, N < k, SSᵀ = n·I (η constant), rank one (η* = 0)", () => {
  const cases: { name: string; problem: ReturnType<typeof problemFromGram> }[] = [];
  cases.push({ name: "k=2", problem: problemFromSignals([[1, 2, 3, 4], [2, -1, 0.5, 3]]) });
  const r = rng(21);
  cases.push({
    name: "N<k",
    problem: problemFromSignals(Array.from({ length: 10 }, () => Array.from({ length: 3 }, r))),
  });
  const eye = identity(6).map((v) => 7 * v);
  cases.push({ name: "SST=nI", problem: problemFromGram(eye, 6) });
  cases.push({ name: "rank one", problem: problemFromSignals(Array.from({ length: 8 }, () => [1, 2, 3])) });
  for (const { name, problem } of cases) {
    const k = problem.k;
    const cf = closedFormDescramble(problem);
    for (const [label, res] of [["closed-form", cf], ["optimize", trustRegionDescramble(problem)]] as const) {
      assert.ok(orthogonalityError(res.P, k) < 1e-12, `${name} ${label}`);
      assert.ok(Math.abs(luDeterminant(luFactor(res.P, k)) - 1) < 1e-12, `${name} ${label} det`);
      assert.ok(res.eta <= cf.etaStar * (1 + 1e-9) + 1e-12, `${name} ${label}: ${res.eta} vs ${cf.etaStar}`);
    }
  }
  const flat = cases[2].problem;
  assert.ok(Math.abs(eta(flat, identity(6)) - closedFormDescramble(flat).etaStar) < 1e-12);
  const still = trustRegionDescramble(flat);
  assert.ok(still.iterations <= 1 && Math.abs(still.eta - eta(flat, identity(6))) < 1e-12);
  assert.ok(closedFormDescramble(cases[3].problem).etaStar < 1e-12);
});

Deno.test("noisy scrambled signals (clustered small eigenvalues): trust region reaches η*, plain L-BFGS lags", () => {
  const k = 24;
  const { S } = scrambled(k, 400, 31, 1e-3);
  const problem = problemFromSignals(S);
  const { etaStar } = closedFormDescramble(problem);
  const tr = trustRegionDescramble(problem);
  assert.ok(tr.eta <= etaStar * (1 + 1e-10), `trust region gap ${(tr.eta - etaStar) / etaStar}`);
  const lb = paperLbfgsDescramble(problem, { maxIterations: 300 });
  assert.ok(
    lb.eta > etaStar * (1 + 1e-6),
    `L-BFGS after 300 iterations: gap ${(lb.eta - etaStar) / etaStar}`,
  );
  assert.ok(lb.trace.length === lb.iterations + 1 && lb.trace[0][1] > lb.eta);
  // the trace is monotone
  for (let i = 1; i < tr.trace.length; i++) assert.ok(tr.trace[i][1] <= tr.trace[i - 1][1]);
  assert.ok(matmul(tr.P, tr.P, k).length === k * k);
});
