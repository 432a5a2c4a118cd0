/**
 * symgrad-regression: the symbolic-gradient engine used as plain symbolic regression (MSE on
 * (x, y) data) on the Nguyen benchmarks (Uy et al. 2011), so the engine can be judged on its own.
 * Each benchmark is run with several seeds on a fixed evaluation budget; a run recovers the formula
 * when an expression of its front matches it on 1,000 fresh points of the range to within 1e-6 of
 * the target's spread (max |error| ≤ 1e-6·(max y − min y)); the evaluations and seconds until the
 * front first held such an expression are its time to recovery.
 *
 * @module
 */

import { z } from "zod";
import { deriveSeed, Rng } from "../../data/random.ts";
import type { Analysis, AnalysisContext } from "../../experiment/study.ts";
import type { ReportSection, ReportTable } from "../../report/report.ts";
import type { Expr } from "../../symbolic/core/expression.ts";
import { symbolicRegression } from "../../symbolic/interpret.ts";
import { valuesAndGradients } from "../../symbolic/judge.ts";
import { parseExpression } from "../../symbolic/parse/parse.ts";
import { fmt, parseParams, saveFigure, saveTable } from "../../experiment/analysis_io.ts";
import { UNARY_OPERATORS } from "../../symbolic/core/operators.ts";
import { UsageError } from "../../errors.ts";

const benchmarkSchema = z.strictObject({
  /** Short name (Nguyen-1 …). */
  name: z.string().min(1),
  /** The target in the contract's grammar. */
  formula: z.string().min(1),
  /** Number of inputs. */
  inputs: z.number().int().min(1),
  /** Sampling range of every input. */
  range: z.tuple([z.number(), z.number()]),
  /** Training points. */
  points: z.number().int().min(5),
});

/** The Nguyen benchmarks (Uy, Hoai, O'Neill, McKay, Galván-López 2011). */
export const NGUYEN = [
  { name: "Nguyen-1", formula: "x1^3 + x1^2 + x1", inputs: 1, range: [-1, 1], points: 20 },
  { name: "Nguyen-2", formula: "x1^4 + x1^3 + x1^2 + x1", inputs: 1, range: [-1, 1], points: 20 },
  { name: "Nguyen-3", formula: "x1^5 + x1^4 + x1^3 + x1^2 + x1", inputs: 1, range: [-1, 1], points: 20 },
  {
    name: "Nguyen-4",
    formula: "x1^6 + x1^5 + x1^4 + x1^3 + x1^2 + x1",
    inputs: 1,
    range: [-1, 1],
    points: 20,
  },
  { name: "Nguyen-5", formula: "sin(x1^2)*cos(x1) - 1", inputs: 1, range: [-1, 1], points: 20 },
  { name: "Nguyen-6", formula: "sin(x1) + sin(x1 + x1^2)", inputs: 1, range: [-1, 1], points: 20 },
  { name: "Nguyen-7", formula: "log(x1 + 1) + log(x1^2 + 1)", inputs: 1, range: [0, 2], points: 20 },
  { name: "Nguyen-8", formula: "sqrt(x1)", inputs: 1, range: [0, 4], points: 20 },
  { name: "Nguyen-9", formula: "sin(x1) + sin(x2^2)", inputs: 2, range: [-1, 1], points: 100 },
  { name: "Nguyen-10", formula: "2*sin(x1)*cos(x2)", inputs: 2, range: [-1, 1], points: 100 },
  { name: "Nguyen-11", formula: "x1^x2", inputs: 2, range: [0, 1], points: 100 },
  { name: "Nguyen-12", formula: "x1^4 - x1^3 + x2^2/2 - x2", inputs: 2, range: [-1, 1], points: 100 },
] as const;

/** Parameters of symgrad-regression (strict; defaults as in experiments/symgrad-regression.ts). */
export const schema = z.strictObject({
  benchmarks: z.array(benchmarkSchema).min(1).default(NGUYEN.map((b) => ({ ...b, range: [...b.range] }))),
  /** Seeds per benchmark. */
  runs: z.number().int().min(1).default(3),
  /** Evaluation budget of each run (deterministic). */
  maxEvaluations: z.number().int().min(1000).default(200_000),
  /** Operators (the usual Nguyen set: + − × ÷ sin cos exp log). */
  binary: z.array(z.enum(["+", "-", "*", "/", "^"])).min(1).default(["+", "-", "*", "/"]),
  unary: z.array(z.enum(UNARY_OPERATORS)).default(["sin", "cos", "exp", "log"]),
  /** Search threads (the result does not depend on it). */
  workers: z.number().int().min(0).default(2),
  /** Engine settings beyond the defaults (populations, …). */
  search: z.record(z.string(), z.unknown()).default({}),
});

type Params = z.infer<typeof schema>;
type Benchmark = z.infer<typeof benchmarkSchema>;

function sample(rng: Rng, b: Benchmark, n: number): Float64Array {
  return Float64Array.from({ length: n * b.inputs }, () => rng.uniform(b.range[0], b.range[1]));
}

/** Max |f − g| over test points relative to the target's spread (∞ when not finite). */
function relativeError(tree: Expr, truth: Expr, x: Float64Array, n: number, p: number): number {
  const a = valuesAndGradients(tree, x, n, p).value;
  const b = valuesAndGradients(truth, x, n, p).value;
  let lo = Infinity;
  let hi = -Infinity;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, b[i]);
    hi = Math.max(hi, b[i]);
    const d = Math.abs(a[i] - b[i]);
    worst = Number.isFinite(d) ? Math.max(worst, d) : Infinity;
  }
  return worst / Math.max(hi - lo, 1e-12);
}

interface RunRow {
  benchmark: string;
  seed: number;
  recovered: boolean;
  evaluations_to_recovery: number | null;
  seconds_to_recovery: number | null;
  chosen: string;
  chosen_complexity: number;
  chosen_error: number;
  iterations: number;
  evaluations: number;
  seconds: number;
}

async function runOne(ctx: AnalysisContext, params: Params, b: Benchmark, run: number): Promise<RunRow> {
  const seed = deriveSeed(ctx.seed, "symgrad-regression", b.name, run);
  const rng = new Rng(seed);
  const x = sample(rng, b, b.points);
  const truth = parseExpression(b.formula, b.inputs);
  const y = valuesAndGradients(truth, x, b.points, b.inputs).value;
  const testN = 1000;
  const test = sample(rng, b, testN);
  const t0 = performance.now();
  let hit: { evaluations: number; seconds: number } | null = null;
  const res = await symbolicRegression(x, y, b.points, b.inputs, {
    search: { seed, binary: params.binary, unary: params.unary, ...params.search },
    budget: { maxEvaluations: params.maxEvaluations },
    workers: params.workers,
    onIteration: (progress) => {
      if (hit) return;
      if (progress.front.some((m) => relativeError(m.tree, truth, test, testN, b.inputs) <= 1e-6)) {
        hit = { evaluations: progress.evaluations, seconds: (performance.now() - t0) / 1000 };
      }
    },
  });
  const chosen = res.front[res.best];
  const found = hit as { evaluations: number; seconds: number } | null;
  return {
    benchmark: b.name,
    seed,
    recovered: found !== null,
    evaluations_to_recovery: found ? Math.round(found.evaluations) : null,
    seconds_to_recovery: found ? found.seconds : null,
    chosen: chosen.expression,
    chosen_complexity: chosen.complexity,
    chosen_error: relativeError(chosen.tree, truth, test, testN, b.inputs),
    iterations: res.iterations,
    evaluations: Math.round(res.evaluations),
    seconds: res.seconds,
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The symgrad-regression analysis. */
export const symgradRegression: Analysis = async (ctx) => {
  const params = parseParams(schema, ctx.params);
  params.benchmarks.forEach((b, i) => { // refuse bad formulas before any work
    try {
      parseExpression(b.formula, b.inputs);
    } catch (e) {
      throw new UsageError(`params.benchmarks[${i}].formula: ${(e as Error).message}`);
    }
  });
  const rows: RunRow[] = [];
  for (const b of params.benchmarks) {
    for (let run = 0; run < params.runs; run++) {
      ctx.progress(`${b.name} run ${run + 1}/${params.runs}`);
      rows.push(await runOne(ctx, params, b, run));
    }
  }
  const summary = params.benchmarks.map((b) => {
    const mine = rows.filter((r) => r.benchmark === b.name);
    const hits = mine.filter((r) => r.recovered);
    return {
      benchmark: b.name,
      formula: b.formula,
      recovered: `${hits.length}/${mine.length}`,
      recovery_rate: hits.length / mine.length,
      chosen_exact: mine.filter((r) => r.chosen_error <= 1e-6).length,
      median_evaluations_to_recovery: median(hits.map((r) => r.evaluations_to_recovery!)),
      example: mine[0].chosen,
    };
  });
  const outcomes = rows.map(({ seconds_to_recovery: _a, seconds: _b, ...rest }) => rest);
  const timing = params.benchmarks.map((b) => {
    const hits = rows.filter((r) => r.benchmark === b.name && r.recovered);
    return {
      benchmark: b.name,
      median_seconds_to_recovery: median(hits.map((r) => r.seconds_to_recovery!)),
      median_seconds_per_run: median(rows.filter((r) => r.benchmark === b.name).map((r) => r.seconds)),
    };
  });
  const tables: ReportTable[] = [];
  tables.push(
    await saveTable(ctx, "recovery", "Recovery per benchmark (deterministic for the seed and budget)", {
      columns: Object.keys(summary[0]),
      rows: summary,
    }),
  );
  tables.push(
    await saveTable(ctx, "runs", "Every run (deterministic for the seed and budget)", {
      columns: Object.keys(outcomes[0]),
      rows: outcomes as unknown as Record<string, string | number | boolean | null>[],
    }),
  );
  tables.push(
    await saveTable(ctx, "timings", "Seconds (measured, machine-dependent)", {
      columns: Object.keys(timing[0]),
      rows: timing,
    }),
  );
  const figure = await saveFigure(ctx, "recovery", "Share of runs whose front held the formula", {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    width: 420,
    height: 220,
    data: { values: summary.map((s) => ({ benchmark: s.benchmark, rate: s.recovery_rate })) },
    mark: "bar",
    encoding: {
      x: { field: "benchmark", type: "nominal", sort: null, title: null },
      y: { field: "rate", type: "quantitative", scale: { domain: [0, 1] }, title: "recovery rate" },
    },
  });
  const total = rows.filter((r) => r.recovered).length;
  const sections: ReportSection[] = [{
    heading: "Plain symbolic regression with the symgrad engine",
    text: `${total} of ${rows.length} runs recovered their formula (${params.runs} seeds × ` +
      `${params.benchmarks.length} Nguyen benchmarks, ${
        fmt(params.maxEvaluations)
      } evaluations each, operators ` +
      `${
        [...params.binary, ...params.unary].join(" ")
      }). A run recovers when an expression of its front matches ` +
      "the formula on 1,000 fresh points to 1e-6 of the target's spread.",
    tables,
    figures: [figure],
  }];
  return { sections };
};
