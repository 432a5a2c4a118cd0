/**
 * Why `lib/relu/` solves its LPs with its own dense simplex: every LP of one enumeration (refinement,
 * redundancy removal, centring) is recorded and solved again by HiGHS (the npm package `highs`, HiGHS
 * compiled to wasm), through its persistent structured API (one model reused, each LP passed as CSR
 * arrays, no LP text). Reported: time per LP of each
 * solver, how often the feasibility verdict (slack > 1e-9) differs, the largest slack difference, and
 * both solvers on a family of degenerate systems (many hyperplanes through one point, whose optimum is
 * exactly 0). The slack of each solver is the certified one: min_i s_i(a_i·x + b_i) at its x.
 *
 * @module
 */

import highsModule, { type Highs } from "highs";
import { parseNetwork } from "../lib/network/network.ts";
import { SlackLp } from "../lib/relu/lp.ts";
import { plNetwork } from "../lib/relu/net.ts";
import { enumerateRegions } from "../lib/relu/regions.ts";
import { mulberry32 } from "../lib/relu/testing.ts";

/** One recorded LP. */
interface RecordedLp {
  rows: Float64Array;
  m: number;
  slack: number;
}

/** The comparison's numbers (also the JSON record). */
export interface LpComparison {
  /** Fixture the LPs come from. */
  fixture: string;
  /** LPs compared. */
  lps: number;
  /** Dimension p. */
  p: number;
  /** Mean rows per LP. */
  mean_rows: number;
  /** Own simplex: microseconds per LP (median of 3 passes). */
  own_us_per_lp: number;
  /** HiGHS (structured model passed to a reused instance, solved, solution read): microseconds per LP. */
  highs_us_per_lp: number;
  /** LPs where the verdict slack > 1e-9 differs. */
  verdict_differences: number;
  /** Largest |own − HiGHS| certified slack. */
  max_slack_difference: number;
  /** Degenerate systems (optimum exactly 0) tried. */
  degenerate_cases: number;
  /** Largest certified slack the own simplex reports on them (should be ≤ 0 up to rounding). */
  degenerate_own_max: number;
  /** The same for HiGHS (its default feasibility tolerance is 1e-7). */
  degenerate_highs_max: number;
  /** Degenerate systems where HiGHS did not report "Optimal". */
  degenerate_highs_not_optimal: number;
  /** Thin systems: per inradius r, the largest |t − r| / r of each solver (the exact optimum is r). */
  thin: { r: number; cases: number; own_max_rel_error: number; highs_max_rel_error: number }[];
}

/** Certified slack of point x for the scaled rows. */
function certified(rows: Float64Array, m: number, p: number, x: ArrayLike<number>, cap: number): number {
  const w = p + 1;
  let t = cap;
  for (let i = 0; i < m; i++) {
    let big = 0;
    for (let k = 0; k < p; k++) big = Math.max(big, Math.abs(rows[i * w + k]));
    const s = big > 0 ? 2 ** -(Math.floor(Math.log2(big)) + 1) : 1;
    let v = rows[i * w + p] * s;
    for (let k = 0; k < p; k++) v += rows[i * w + k] * s * x[k];
    t = Math.min(t, v);
  }
  return t;
}

/** The package is CommonJS: its default import is the loader function its types declare. */
const highsLoader = highsModule as unknown as () => Promise<Highs>;
type HighsModel = ReturnType<Highs["createModel"]>;

/**
 * The slack LP passed to a persistent HiGHS model as structured data (CSR rows, no LP text):
 * columns x_0..x_{p−1} free and t ≤ cap, maximise t, rows s_i·a_i·x − t ≥ −s_i·b_i.
 */
function solveHighs(highs: Highs, model: HighsModel, rows: Float64Array, m: number, p: number) {
  const w = p + 1;
  const starts = new Int32Array(m + 1);
  const indices = new Int32Array(m * w);
  const values = new Float64Array(m * w);
  const rowLower = new Float64Array(m);
  let nnz = 0;
  for (let i = 0; i < m; i++) {
    let big = 0;
    for (let k = 0; k < p; k++) big = Math.max(big, Math.abs(rows[i * w + k]));
    const s = big > 0 ? 2 ** -(Math.floor(Math.log2(big)) + 1) : 1;
    for (let k = 0; k < p; k++) {
      if (rows[i * w + k] === 0) continue;
      indices[nnz] = k;
      values[nnz++] = rows[i * w + k] * s;
    }
    indices[nnz] = p;
    values[nnz++] = -1;
    starts[i + 1] = nnz;
    rowLower[i] = -rows[i * w + p] * s;
  }
  const inf = highs.infinity;
  model.passModel({
    numCols: w,
    numRows: m,
    sense: highs.constants.objectiveSense.maximize,
    colCost: Float64Array.from({ length: w }, (_, k) => (k === p ? 1 : 0)),
    colLower: new Float64Array(w).fill(-inf),
    colUpper: Float64Array.from({ length: w }, (_, k) => (k === p ? 1 : inf)),
    rowLower,
    rowUpper: new Float64Array(m).fill(inf),
    matrix: {
      format: "csr",
      numRows: m,
      numCols: w,
      starts,
      indices: indices.subarray(0, nnz),
      values: values.subarray(0, nnz),
    },
  });
  model.run();
  const optimal = model.getModelStatus() === highs.constants.modelStatus.optimal;
  const x = model.getSolution().colValue.subarray(0, p);
  return { slack: certified(rows, m, p, x, 1), optimal };
}

/** Degenerate 2-D systems: k ≥ 3 lines through one dyadic point with normals around it (optimum 0). */
function degenerateSystems(count: number): Float64Array[] {
  const rng = mulberry32(17);
  const out: Float64Array[] = [];
  for (let c = 0; c < count; c++) {
    const k = 3 + Math.floor(rng() * 6);
    const px = Math.round((rng() * 4 - 2) * 64) / 64;
    const py = Math.round((rng() * 4 - 2) * 64) / 64;
    const rows: number[] = [];
    const start = rng() * 2 * Math.PI;
    for (let i = 0; i < k; i++) {
      const ang = start + (2 * Math.PI * i) / k + (rng() - 0.5) * 0.5;
      const a = Math.round(Math.cos(ang) * 64) / 64;
      const b = Math.round(Math.sin(ang) * 64) / 64;
      rows.push(a, b, -(a * px + b * py));
    }
    out.push(Float64Array.from(rows));
  }
  return out;
}

/**
 * Thin 2-D and 3-D systems with a known optimum r: k ≥ p + 1 dyadic normals that surround the origin,
 * all at slack r from a dyadic centre c (row i: a_i·(x − c) + r ≥ t), so t* = r exactly.
 */
function thinSystems(count: number, p: number, r: number, seed: number): Float64Array[] {
  const rng = mulberry32(seed);
  const out: Float64Array[] = [];
  while (out.length < count) {
    const k = p + 1 + Math.floor(rng() * 5);
    const c = Array.from({ length: p }, () => Math.round((rng() * 4 - 2) * 64) / 64);
    const normals: number[][] = [];
    for (let i = 0; i < k; i++) {
      const v = Array.from({ length: p }, () => rng() * 2 - 1);
      const big = Math.max(...v.map(Math.abs));
      normals.push(v.map((q) => Math.round((q / big) * 0.75 * 64) / 64)); // max |a| in [0.5, 1): no scaling
    }
    // keep only systems whose normals positively span (the origin is inside their hull): check by LP
    const probe = new SlackLp(p);
    const rows0 = Float64Array.from(normals.flatMap((a) => [...a, 0]));
    if (probe.solve(rows0, k, 1) > 1e-12) continue; // a direction with a·d > 0 for all: unbounded slack
    const rows: number[] = [];
    for (const a of normals) rows.push(...a, -a.reduce((s, q, j) => s + q * c[j], 0) + r);
    out.push(Float64Array.from(rows));
  }
  return out;
}

/** Runs the comparison on the LPs of one network file (e.g. a relu-bench fixture). */
export async function compareLpSolvers(file: string, maxLps = 40000): Promise<LpComparison> {
  const json = JSON.parse(await Deno.readTextFile(file));
  const net = plNetwork(parseNetwork(json));
  const lps: RecordedLp[] = [];
  enumerateRegions(net, {
    onLp: (rows, m, slack) => {
      if (lps.length < maxLps) lps.push({ rows: rows.slice(0, m * (net.p + 1)), m, slack });
    },
  });
  const p = net.p;
  const own = new SlackLp(p);
  const ownTimes: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const t0 = performance.now();
    for (const lp of lps) own.solve(lp.rows, lp.m, 1);
    ownTimes.push((performance.now() - t0) / lps.length);
  }
  ownTimes.sort((a, b) => a - b);
  const highs = await highsLoader();
  const model = highs.createModel();
  model.options.set("output_flag", false);
  const t0 = performance.now();
  const highsSlacks = lps.map((lp) => solveHighs(highs, model, lp.rows, lp.m, p).slack);
  const highsUs = ((performance.now() - t0) / lps.length) * 1000;
  let differences = 0;
  let maxDiff = 0;
  lps.forEach((lp, i) => {
    if ((lp.slack > 1e-9) !== (highsSlacks[i] > 1e-9)) differences++;
    maxDiff = Math.max(maxDiff, Math.abs(lp.slack - highsSlacks[i]));
  });
  const degenerate = degenerateSystems(500);
  const own2 = new SlackLp(2);
  let ownMax = -Infinity;
  let highsMax = -Infinity;
  let notOptimal = 0;
  for (const rows of degenerate) {
    const m = rows.length / 3;
    ownMax = Math.max(ownMax, own2.solve(rows, m, 1));
    const h = solveHighs(highs, model, rows, m, 2);
    highsMax = Math.max(highsMax, h.slack);
    if (!h.optimal) notOptimal++;
  }
  const thin = [];
  for (const r of [1e-4, 1e-6, 1e-8, 1e-10]) {
    let ownErr = 0;
    let highsErr = 0;
    let cases = 0;
    for (const p2 of [2, 3]) {
      const solver = new SlackLp(p2);
      for (const rows of thinSystems(200, p2, r, 23 + p2)) {
        const m = rows.length / (p2 + 1);
        ownErr = Math.max(ownErr, Math.abs(solver.solve(rows, m, 1) - r) / r);
        highsErr = Math.max(highsErr, Math.abs(solveHighs(highs, model, rows, m, p2).slack - r) / r);
        cases++;
      }
    }
    thin.push({ r, cases, own_max_rel_error: ownErr, highs_max_rel_error: highsErr });
  }
  model.dispose();
  return {
    fixture: file.split("/").pop()!.replace(/\.json$/, ""),
    lps: lps.length,
    p,
    mean_rows: lps.reduce((s, lp) => s + lp.m, 0) / lps.length,
    own_us_per_lp: ownTimes[1] * 1000,
    highs_us_per_lp: highsUs,
    verdict_differences: differences,
    max_slack_difference: maxDiff,
    degenerate_cases: degenerate.length,
    degenerate_own_max: ownMax,
    degenerate_highs_max: highsMax,
    degenerate_highs_not_optimal: notOptimal,
    thin,
  };
}

if (import.meta.main) {
  const file = Deno.args[0] ??
    new URL("../../shared/fixtures/relu-bench/relu-bench-303-1-p2-24x24.json", import.meta.url).pathname;
  console.log(JSON.stringify(await compareLpSolvers(file), null, 2));
}
