/**
 * The `cost` analysis: how big and how slow NN2Poly gets. (1) The number of terms of a polynomial
 * of degree ≤ Q in p variables, C(p + Q, Q), for a grid of p and Q (exact integers). (2) polylab's
 * measured engine time on seeded random networks of a fixed architecture (default 2 × 64 tanh,
 * every neuron's weights and bias L1-normalised to 1, one linear output) against p and Q: one
 * warm-up run, then the median of `repeats` timed runs; points whose expansion exceeds the engine's
 * memory guard are skipped and listed.
 *
 * @module
 */

import { join } from "node:path";
import { z } from "zod";
import { UsageError } from "../../errors.ts";
import { deriveSeed, Rng } from "../../data/random.ts";
import type { DenseLayer, Network } from "../../network/network.ts";
import {
  DEFAULT_MAX_COEFFICIENTS,
  estimateSize,
  nn2poly,
  resolveTaylorOrders,
} from "../../nn2poly/engine.ts";
import { figureNotes, lineChartSpec, writeFigure } from "../../report/figures.ts";
import type { ReportFigure } from "../../report/report.ts";
import { quantileSorted } from "../../report/stats.ts";
import type { CellValue } from "../../report/tables.ts";
import { ANALYTIC_ACTIVATIONS } from "../../series/activations.ts";
import { writeTables } from "../../experiment/aggregate.ts";
import { formatIssue } from "../../experiment/schema.ts";
import type { AnalysisContext, AnalysisOutput } from "../../experiment/study.ts";

const intList = (min: number) => z.array(z.number().int().min(min)).min(1);

/** Parameters of the cost analysis (strict). */
export const costParamsSchema = z.strictObject({
  /** p values of the term-count table (default 1..30). */
  termsP: intList(1).default(Array.from({ length: 30 }, (_, i) => i + 1)),
  /** Q values of the term-count table (default 2..10). */
  termsQ: intList(0).default([2, 3, 4, 5, 6, 7, 8, 9, 10]),
  /** p values of the timing grid. */
  timingP: intList(1).default([2, 4, 8, 16]),
  /** Q values of the timing grid. */
  timingQ: intList(1).default([2, 3, 4, 5]),
  /** Hidden widths of the random networks. */
  hidden: intList(1).default([64, 64]),
  /** Hidden activation. */
  activation: z.enum(ANALYTIC_ACTIVATIONS as [string, ...string[]]).default("tanh"),
  /** Taylor order of every hidden layer. */
  taylorOrder: z.number().int().min(1).default(8),
  /** Timed runs per point (after one warm-up); the median is reported. */
  repeats: z.number().int().min(1).default(3),
  /** Skip points whose largest block (terms × units) exceeds this (the engine's guard by default). */
  maxCoefficients: z.number().int().min(1).default(DEFAULT_MAX_COEFFICIENTS),
  /** Skip the remaining (larger) Q of a p once one run took longer than this many seconds. */
  maxSecondsPerRun: z.number().positive().default(5),
});

/** Validated cost parameters. */
export type CostParams = z.infer<typeof costParamsSchema>;

/** C(p + Q, Q), exact for results below 2^53 (computed with BigInt). */
export function termCountExact(p: number, q: number): number {
  let c = 1n;
  for (let i = 1; i <= q; i++) c = (c * BigInt(p + i)) / BigInt(i);
  return Number(c);
}

/**
 * A seeded random network: hidden layers of `activation`, one linear output; weights U(−1, 1),
 * then each neuron's weights and bias divided by their L1 norm (the L1 constraint at its bound).
 */
export function randomL1Network(
  p: number,
  hidden: readonly number[],
  activation: string,
  seed: number,
): Network {
  const rng = new Rng(seed);
  const layers: DenseLayer[] = [];
  let inputs = p;
  for (const [l, units] of [...hidden, 1].entries()) {
    const weights = new Float64Array((inputs + 1) * units);
    for (let i = 0; i < weights.length; i++) weights[i] = rng.uniform(-1, 1);
    for (let j = 0; j < units; j++) {
      let norm = 0;
      for (let r = 0; r <= inputs; r++) norm += Math.abs(weights[r * units + j]);
      for (let r = 0; r <= inputs; r++) weights[r * units + j] /= norm;
    }
    const act = (l < hidden.length ? activation : "linear") as DenseLayer["activation"];
    layers.push({ kind: "dense", activation: act, inputs, units, weights });
    inputs = units;
  }
  return { inputs: p, layers };
}

/** Least-squares slope of log10(y) on log10(x). */
export function logLogSlope(x: readonly number[], y: readonly number[]): number {
  const lx = x.map(Math.log10), ly = y.map(Math.log10);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length, my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let sxy = 0, sxx = 0;
  lx.forEach((v, i) => {
    sxy += (v - mx) * (ly[i] - my);
    sxx += (v - mx) ** 2;
  });
  return sxy / sxx;
}

/** Orders a line chart's legend (series) as given instead of alphabetically (`Q = 10` after `Q = 9`). */
function sortSeries(spec: Record<string, unknown>, order: string[]): Record<string, unknown> {
  const color = (spec.encoding as Record<string, Record<string, unknown>> | undefined)?.color;
  if (color) color.sort = order;
  return spec;
}

/** Validates the cost analysis's params (a one-line UsageError naming `params.<field>`). */
export function parseCostParams(params: Record<string, unknown>): CostParams {
  const parsed = costParamsSchema.safeParse(params);
  if (!parsed.success) throw new UsageError(formatIssue(parsed.error, "params"));
  return parsed.data;
}

/** The cost analysis routine. */
export async function costAnalysis(ctx: AnalysisContext): Promise<AnalysisOutput> {
  const params = parseCostParams(ctx.params);

  // (1) term counts
  const termRows: Record<string, CellValue>[] = [];
  for (const q of params.termsQ) {
    for (const p of params.termsP) termRows.push({ p, Q: q, terms: termCountExact(p, q) });
  }

  // (2) timings
  const timingRows: Record<string, CellValue>[] = [];
  const skipped: string[] = [];
  const units = params.hidden.reduce((a, b) => Math.max(a, b), 1);
  for (const p of params.timingP) {
    const net = randomL1Network(
      p,
      params.hidden,
      params.activation,
      deriveSeed(ctx.seed, "cost", "network", p),
    );
    const orders = resolveTaylorOrders(net, params.taylorOrder);
    let tooSlow = false;
    for (const q of [...params.timingQ].sort((a, b) => a - b)) {
      const size = estimateSize(net, q, orders);
      if (tooSlow) {
        skipped.push(`p=${p} Q=${q} (Q=${q - 1} or lower took > ${params.maxSecondsPerRun} s)`);
        continue;
      }
      if (size.largestBlock > params.maxCoefficients || size.productPairs > params.maxCoefficients) {
        skipped.push(`p=${p} Q=${q} (${size.largestBlock} coefficients > ${params.maxCoefficients})`);
        continue;
      }
      ctx.progress(`timing p=${p} Q=${q} (${size.terms} terms)`);
      const run = () => {
        const t0 = performance.now();
        nn2poly(net, {
          maxOrder: q,
          taylorOrders: params.taylorOrder,
          maxCoefficients: params.maxCoefficients,
        });
        return (performance.now() - t0) / 1000;
      };
      const warm = run();
      const times = warm > params.maxSecondsPerRun ? [warm] : Array.from({ length: params.repeats }, run);
      if (Math.max(...times) > params.maxSecondsPerRun) tooSlow = true;
      const sorted = [...times].sort((a, b) => a - b);
      timingRows.push({
        p,
        Q: q,
        terms: size.terms,
        largest_block: size.largestBlock,
        runs: times.length,
        seconds_median: quantileSorted(sorted, 0.5),
        seconds_min: sorted[0],
        seconds_max: sorted[sorted.length - 1],
      });
    }
  }

  const arch = `${params.hidden.join("×")} ${params.activation}, Taylor order ${params.taylorOrder}`;
  const tables = await writeTables(ctx.runDir, [
    {
      name: "terms",
      caption: "Number of terms C(p + Q, Q) of a polynomial of degree ≤ Q in p variables",
      table: { rows: termRows },
    },
    {
      name: "timing",
      caption:
        `NN2Poly engine time on seeded random L1-normalised networks (${arch}); median of the timed runs after one warm-up`,
      table: { rows: timingRows },
    },
  ]);
  const figures: ReportFigure[] = [];
  const emit = async (name: string, caption: string, spec: object) => {
    await writeFigure(join(ctx.runDir, "figures", name), spec, { formats: ctx.formats });
    figures.push({
      caption,
      path: `figures/${name}.${ctx.formats.includes("svg") ? "svg" : "png"}`,
      notes: figureNotes(spec),
    });
  };
  await emit(
    "terms",
    "Number of terms C(p + Q, Q) against the number of inputs p, one line per maximum order Q (log scale)",
    sortSeries(
      lineChartSpec({
        data: termRows.map((r) => ({ ...r, series: `Q = ${r.Q}` })),
        x: "p",
        y: "terms",
        series: "series",
        xTitle: "number of inputs p",
        yTitle: "number of terms C(p+Q, Q)",
        seriesTitle: "max order",
        logY: true,
        points: false,
      }),
      params.termsQ.map((q) => `Q = ${q}`),
    ),
  );
  let slope = NaN;
  if (timingRows.length > 0) {
    const rows = timingRows.map((r) => ({ ...r, byQ: `Q = ${r.Q}`, byP: `p = ${r.p}` }));
    const qOrder = [...new Set(timingRows.map((r) => r.Q as number))].sort((a, b) => a - b).map((q) =>
      `Q = ${q}`
    );
    const pOrder = [...new Set(timingRows.map((r) => r.p as number))].sort((a, b) => a - b).map((p) =>
      `p = ${p}`
    );
    await emit(
      "timing_vs_p",
      `NN2Poly engine time against p, one line per Q (${arch}; log–log)`,
      sortSeries(
        lineChartSpec({
          data: rows,
          x: "p",
          y: "seconds_median",
          series: "byQ",
          xTitle: "number of inputs p",
          yTitle: "engine time (s, median)",
          seriesTitle: "max order",
          logX: true,
          logY: true,
          points: true,
        }),
        qOrder,
      ),
    );
    await emit(
      "timing_vs_q",
      `NN2Poly engine time against Q, one line per p (${arch}; log y)`,
      sortSeries(
        lineChartSpec({
          data: rows,
          x: "Q",
          y: "seconds_median",
          series: "byP",
          xTitle: "maximum order Q",
          yTitle: "engine time (s, median)",
          seriesTitle: "inputs",
          logY: true,
          points: true,
        }),
        pOrder,
      ),
    );
    await emit(
      "timing_vs_terms",
      `NN2Poly engine time against the number of terms, one line per Q (${arch}; log–log)`,
      sortSeries(
        lineChartSpec({
          data: rows,
          x: "terms",
          y: "seconds_median",
          series: "byQ",
          xTitle: "number of terms C(p+Q, Q)",
          yTitle: "engine time (s, median)",
          seriesTitle: "max order",
          logX: true,
          logY: true,
          points: true,
        }),
        qOrder,
      ),
    );
    // the scaling exponent from points large enough to dominate fixed overheads
    const big = timingRows.filter((r) => (r.seconds_median as number) > 1e-3);
    if (big.length >= 3) {
      slope = logLogSlope(big.map((r) => r.terms as number), big.map((r) => r.seconds_median as number));
    }
  }
  const largest = termRows.reduce((a, b) => ((b.terms as number) > (a.terms as number) ? b : a));
  const text =
    `A polynomial of degree ≤ Q in p variables has C(p + Q, Q) terms: ${
      termCountExact(10, 3)
    } for p = 10, Q = 3, and ${
      (largest.terms as number).toExponential(2)
    } for p = ${largest.p}, Q = ${largest.Q}. ` +
    `NN2Poly's working memory is about terms × the widest layer (${units} units here) doubles, so the engine's ` +
    `guard (${params.maxCoefficients} coefficients) bounds which (p, Q) are feasible. ` +
    (Number.isFinite(slope)
      ? `Over the timed points above 1 ms, engine time grows like terms^${
        slope.toFixed(2)
      } (least-squares slope ` +
        `on log–log axes; products of truncated polynomials make it superlinear in the number of terms). `
      : "") +
    (skipped.length ? `Skipped: ${skipped.join("; ")}. ` : "") +
    `Times are wall-clock on this machine (${navigator.hardwareConcurrency} cores, shared), single-threaded.`;
  return { sections: [{ heading: "The cost of NN2Poly", text }], tables, figures };
}
