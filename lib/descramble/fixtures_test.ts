/**
 * Parity with the shared descrambler fixtures (float64 NumPy/SciPy reference): for every file, both
 * methods return an orthogonal P with det +1 whose η is within 1e-6 of the closed-form minimum;
 * the paper's L-BFGS behaves like SciPy's on the files where that converges.
 */
import assert from "node:assert/strict";
import { closedFormDescramble } from "./closed_form.ts";
import { identity, luDeterminant, luFactor, matmul, orthogonalityError } from "./dense.ts";
import { paperLbfgsDescramble } from "./paper_lbfgs.ts";
import { eta, problemFromSignals } from "./problem.ts";
import { trustRegionDescramble } from "./trust_region.ts";

const DIR = new URL("../../../shared/fixtures/descramble/", import.meta.url);

interface Fixture {
  name: string;
  k: number;
  n: number;
  signals: number[][];
  eta_identity: number;
  eta_star: number;
  optimizer_eta: number;
  optimizer_iterations: number;
  optimizer_stop: string;
  optimizer_trace: [number, number][];
}

function loadFixtures(): Fixture[] | undefined {
  let names: string[];
  try {
    names = [...Deno.readDirSync(DIR)].map((e) => e.name).filter((n) => n.endsWith(".json")).sort();
  } catch {
    return undefined;
  }
  return names.map((n) => JSON.parse(Deno.readTextFileSync(new URL(n, DIR))) as Fixture);
}

const fixtures = loadFixtures();
const skip = fixtures === undefined;
if (skip) console.log(`descramble fixtures: ${DIR.pathname} is absent; parity tests skipped`);

/** tr(DTD·P·SST·Pᵀ) with the problem's matrices (the contract's formula, not the library's evaluation). */
function traceEta(A: Float64Array, B: Float64Array, P: Float64Array, k: number): number {
  const M = matmul(matmul(A, P, k), B, k);
  let s = 0;
  for (let i = 0; i < k * k; i++) s += M[i] * P[i];
  return s;
}

function checkAnswer(fx: Fixture, P: Float64Array, reported: number, label: string) {
  const problem = problemFromSignals(fx.signals);
  const k = fx.k;
  assert.ok(orthogonalityError(P, k) <= 1e-8, `${fx.name} ${label}: not orthogonal`);
  assert.ok(Math.abs(luDeterminant(luFactor(P, k)) - 1) <= 1e-8, `${fx.name} ${label}: det ≠ +1`);
  const recomputed = traceEta(problem.A, problem.B, P, k);
  assert.ok(Math.abs(reported - recomputed) <= 1e-9 * recomputed + 1e-12, `${fx.name} ${label}: eta ≠ η(P)`);
  assert.ok(
    recomputed <= fx.eta_star * (1 + 1e-6) + 1e-12,
    `${fx.name} ${label}: η(P) = ${recomputed} above η* = ${fx.eta_star}`,
  );
  const etaI = eta(problem, identity(k));
  assert.ok(Math.abs(etaI - fx.eta_identity) <= 1e-9 * fx.eta_identity, `${fx.name}: eta_identity`);
}

Deno.test({
  name: "fixtures: closed form reaches η* (orthogonal, det +1, η = η(P), η* from the eigenvalues)",
  ignore: skip,
  fn() {
    for (const fx of fixtures!) {
      const r = closedFormDescramble(problemFromSignals(fx.signals));
      checkAnswer(fx, r.P, r.eta, "closed-form");
      assert.ok(Math.abs(r.etaStar - fx.eta_star) <= 1e-9 * fx.eta_star + 1e-12, `${fx.name}: η*`);
    }
  },
});

Deno.test({
  name: "fixtures: optimize (trust-region Newton from P = I) reaches η*·(1 + 1e-6) on every file",
  ignore: skip,
  fn() {
    for (const fx of fixtures!) {
      const r = trustRegionDescramble(problemFromSignals(fx.signals));
      checkAnswer(fx, r.P, r.eta, "optimize");
      assert.equal(r.trace[0][0], 0);
      assert.ok(Math.abs(r.trace[0][1] - fx.eta_identity) <= 1e-9 * fx.eta_identity, "starts at P = I");
      assert.ok(r.iterations <= 200, `${fx.name}: ${r.iterations} iterations`);
    }
  },
});

Deno.test({
  name:
    "fixtures: the paper's L-BFGS converges where SciPy's does quickly, and still lags after 400 where SciPy's does",
  ignore: skip,
  fn() {
    for (const fx of fixtures!) {
      const problem = problemFromSignals(fx.signals);
      const gap = (e: number) => (e - fx.eta_star) / fx.eta_star;
      const sciConverged = gap(fx.optimizer_eta) <= 1e-6 && fx.optimizer_iterations <= 3000;
      const at400 = fx.optimizer_trace.find(([i]) => i === 400);
      if (sciConverged) {
        const r = paperLbfgsDescramble(problem, { maxIterations: 2 * fx.optimizer_iterations + 100 });
        assert.ok(gap(r.eta) <= 1e-6, `${fx.name}: L-BFGS gap ${gap(r.eta)}`);
        assert.ok(orthogonalityError(r.P, fx.k) <= 1e-8);
      } else if (at400 && gap(at400[1]) > 1e-3 && fx.k <= 40) {
        const r = paperLbfgsDescramble(problem, { maxIterations: 400 });
        assert.equal(r.iterations, 400);
        assert.ok(
          gap(r.eta) > 1e-5,
          `${fx.name}: plain L-BFGS should not have converged after 400 iterations`,
        );
        // the trust-region method gets there from the same start
        assert.ok(gap(trustRegionDescramble(problem).eta) <= 1e-6);
      }
    }
  },
});
