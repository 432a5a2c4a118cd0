/**
 * Plumbing shared by the descrambler studies: run the three methods on one wiretapped layer and time
 * them, amplitude spectra of filters, singular vectors, and the table of optimiser results.
 *
 * @module
 */

import { SingularValueDecomposition } from "ml-matrix";
import { Matrix } from "ml-matrix";
import { closedFormDescramble, type ClosedFormResult } from "../../descramble/closed_form.ts";
import { identity } from "../../descramble/dense.ts";
import { paperLbfgsDescramble } from "../../descramble/paper_lbfgs.ts";
import { type DescrambleProblem, eta, problemFromGram } from "../../descramble/problem.ts";
import { type OptimizeResult, trustRegionDescramble } from "../../descramble/trust_region.ts";
import { join } from "node:path";
import type { AnalysisContext } from "../../experiment/study.ts";
import { figureNotes, writeFigure } from "../../report/figures.ts";
import type { ReportFigure } from "../../report/report.ts";
import type { Table } from "../../report/tables.ts";

/** The three methods on one problem, with their own compute times. */
export interface DescrambleRun {
  problem: DescrambleProblem;
  etaIdentity: number;
  closedForm: ClosedFormResult & { seconds: number };
  optimize: OptimizeResult & { seconds: number };
  lbfgs: OptimizeResult & { seconds: number };
  /** Seconds to normalise SSᵀ (eigenvalues for ‖SSᵀ‖₂). */
  setupSeconds: number;
}

function timed<T>(fn: () => T): T & { seconds: number } {
  const t0 = performance.now();
  const value = fn();
  return { ...value, seconds: (performance.now() - t0) / 1000 };
}

/** Normalises SSᵀ and runs closed form, trust-region Newton and the paper's L-BFGS (capped). */
export function runDescramblers(gram: Float64Array, k: number, lbfgsIterations: number): DescrambleRun {
  const t0 = performance.now();
  const problem = problemFromGram(gram, k);
  const setupSeconds = (performance.now() - t0) / 1000;
  return {
    problem,
    etaIdentity: eta(problem, identity(k)),
    closedForm: timed(() => closedFormDescramble(problem)),
    optimize: timed(() => trustRegionDescramble(problem)),
    lbfgs: timed(() => paperLbfgsDescramble(problem, { maxIterations: lbfgsIterations })),
    setupSeconds,
  };
}

/** Rows of the optimiser table for one run (`label` names the layer/tap). */
export function optimiserRows(label: string, run: DescrambleRun): Table["rows"] {
  const star = run.closedForm.etaStar;
  const gap = (e: number) => (e - star) / star;
  return [
    {
      signals: label,
      method: "η(I) (no descrambling)",
      eta: run.etaIdentity,
      eta_star: star,
      relative_gap: gap(run.etaIdentity),
      iterations: 0,
    },
    {
      signals: label,
      method: "optimize (trust-region Newton)",
      eta: run.optimize.eta,
      eta_star: star,
      relative_gap: gap(run.optimize.eta),
      iterations: run.optimize.iterations,
    },
    {
      signals: label,
      method: "lbfgs (the paper's, fixed chart)",
      eta: run.lbfgs.eta,
      eta_star: star,
      relative_gap: gap(run.lbfgs.eta),
      iterations: run.lbfgs.iterations,
    },
    {
      signals: label,
      method: "closed-form",
      eta: run.closedForm.eta,
      eta_star: star,
      relative_gap: gap(run.closedForm.eta),
      iterations: 0,
    },
  ];
}

/** Compute seconds of each method for one run (a separate table: timings differ run to run). */
export function timingRows(label: string, run: DescrambleRun): Table["rows"] {
  return [{
    signals: label,
    setup_seconds: run.setupSeconds,
    optimize_seconds: run.optimize.seconds,
    optimize_hessian_products: run.optimize.hessianProducts,
    lbfgs_seconds: run.lbfgs.seconds,
    lbfgs_iterations: run.lbfgs.iterations,
    closed_form_seconds: run.closedForm.seconds,
  }];
}

/** First iteration at which a trace reaches η*(1 + tol), or NaN. */
export function iterationsToReach(trace: readonly [number, number][], etaStar: number, tol = 1e-6): number {
  for (const [i, e] of trace) if (e <= etaStar * (1 + tol)) return i;
  return NaN;
}

/** |DFT| of a real sequence at wavenumbers 0..⌊n/2⌋ (direct sum; n is small). */
export function amplitudeSpectrum(v: ArrayLike<number>): Float64Array {
  const n = v.length;
  const out = new Float64Array(Math.floor(n / 2) + 1);
  for (let m = 0; m < out.length; m++) {
    let re = 0;
    let im = 0;
    for (let j = 0; j < n; j++) {
      const a = 2 * Math.PI * ((m * j) % n) / n;
      re += v[j] * Math.cos(a);
      im -= v[j] * Math.sin(a);
    }
    out[m] = Math.hypot(re, im);
  }
  return out;
}

/** Thin SVD of a row-major rows × cols matrix: U (rows × r), σ, V (cols × r), r = min(rows, cols). */
export function thinSvd(
  M: Float64Array,
  rows: number,
  cols: number,
): { U: Float64Array; sigma: Float64Array; V: Float64Array; rank: number } {
  const m: number[][] = [];
  for (let i = 0; i < rows; i++) m.push(Array.from(M.subarray(i * cols, (i + 1) * cols)));
  const svd = new SingularValueDecomposition(new Matrix(m), { autoTranspose: true });
  const r = Math.min(rows, cols);
  const U = new Float64Array(rows * r);
  const V = new Float64Array(cols * r);
  const Um = svd.leftSingularVectors;
  const Vm = svd.rightSingularVectors;
  for (let i = 0; i < rows; i++) for (let c = 0; c < r; c++) U[i * r + c] = Um.get(i, c);
  for (let i = 0; i < cols; i++) for (let c = 0; c < r; c++) V[i * r + c] = Vm.get(i, c);
  // fix signs: the largest-magnitude entry of each left vector positive (deterministic figures)
  for (let c = 0; c < r; c++) {
    let best = 0;
    for (let i = 0; i < rows; i++) if (Math.abs(U[i * r + c]) > Math.abs(U[best * r + c])) best = i;
    if (U[best * r + c] < 0) {
      for (let i = 0; i < rows; i++) U[i * r + c] = -U[i * r + c];
      for (let i = 0; i < cols; i++) V[i * r + c] = -V[i * r + c];
    }
  }
  return { U, sigma: Float64Array.from(svd.diagonal.slice(0, r)), V, rank: r };
}

/** The math-orientation weight matrix (units × inputs, bias dropped) of a layer in the fixtures' layout. */
export function unitsByInputs(weights: Float64Array, inputs: number, units: number): Float64Array {
  const W = new Float64Array(units * inputs);
  for (let i = 0; i < inputs; i++) {
    for (let u = 0; u < units; u++) W[u * inputs + i] = weights[(i + 1) * units + u];
  }
  return W;
}

/**
 * Writes a heat map as PNG only when the run writes PNG (an SVG would hold one path per matrix cell:
 * megabytes for an 80 × 256 weight matrix), else as SVG; returns the report entry.
 */
export async function saveHeatmap(
  ctx: AnalysisContext,
  name: string,
  caption: string,
  spec: object,
): Promise<ReportFigure> {
  const format = ctx.formats.includes("png") ? "png" : "svg";
  await writeFigure(join(ctx.runDir, "figures", name), spec, { formats: [format] });
  return { caption, path: `figures/${name}.${format}`, notes: figureNotes(spec) };
}
