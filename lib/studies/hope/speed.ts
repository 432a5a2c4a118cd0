/**
 * hope-speed (HOPE paper, timing): time and peak memory of the exact, HOPE and nested-autodiff
 * Taylor engines against the order K on the 1–W×4–1 sine MLP and against the input dimension p
 * at a fixed K; and "fast inference", evaluating a Taylor polynomial against the float64 network
 * on a batch. Every engine run is a fresh `main.ts poly taylor` process, so its peak RSS is its own.
 *
 * @module
 */

import { join } from "node:path";
import { z } from "zod";
import { type ProcessRun, runDenoJson } from "../../../bench/harness.ts";
import { deriveSeed, Rng } from "../../data/random.ts";
import { forward, type Network, networkToJson } from "../../network/network.ts";
import { lineChartSpec } from "../../report/figures.ts";
import { summarize } from "../../report/stats.ts";
import { exactTaylor } from "../../taylor/exact.ts";
import { sineMlp } from "../../taylor/paper_networks.ts";
import { fmt, parseParams, saveFigure, saveTable } from "../../experiment/analysis_io.ts";
import type { Analysis, AnalysisContext } from "../../experiment/study.ts";

const METHODS = ["exact", "hope", "autodiff"] as const;
type Method = typeof METHODS[number];

const schema = z.strictObject({
  /** Hidden width of the sine MLP (paper: 1024). */
  width: z.number().int().min(1).default(64),
  depth: z.number().int().min(1).default(4),
  orders: z.array(z.number().int().min(0)).min(1).default([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
  methods: z.array(z.enum(METHODS)).min(1).default([...METHODS]),
  /** Fresh-process runs per cell (median reported). */
  repeats: z.number().int().min(1).default(1),
  /** Per-process time limit; after a failure larger K (or p) of that method are skipped. */
  timeoutSeconds: z.number().gt(0).default(60),
  dims: z.strictObject({
    inputs: z.array(z.number().int().min(1)).min(1).default([1, 2, 3, 4, 5, 6]),
    order: z.number().int().min(1).default(4),
  }).prefault({}),
  inference: z.strictObject({
    order: z.number().int().min(1).default(10),
    /** Points the polynomial is evaluated on. */
    points: z.number().int().min(1).default(100_000),
    /** Points the network is evaluated on (its forward pass is slow for wide nets; time is per point). */
    networkPoints: z.number().int().min(1).default(10_000),
  }).prefault({}),
});

type Params = z.infer<typeof schema>;

/** A p-input sine MLP: the 1-input paper net's law with a p-column first layer (seeded). */
function sineNet(p: number, width: number, depth: number, seed: number): Network {
  const base = sineMlp({ width, depth, seed });
  if (p === 1) return base;
  const first = base.layers[0];
  const rng = new Rng(deriveSeed(seed, "hope-speed", "first-layer", p));
  const weights = new Float64Array((p + 1) * width);
  weights.set(first.weights.subarray(0, width));
  for (let k = width; k < weights.length; k++) weights[k] = rng.uniform(-1 / p, 1 / p);
  return { inputs: p, layers: [{ ...first, inputs: p, weights }, ...base.layers.slice(1)] };
}

interface Cell extends Record<string, string | number | null> {
  sweep: string;
  method: Method;
  inputs: number;
  order: number;
  seconds: number | null;
  wall_seconds: number | null;
  peak_rss_mib: number | null;
  max_rel_diff_vs_exact: number | null;
  status: string;
}

/** max |c − e| / max |e| over the terms of degree ≥ 1 (labels aligned: every engine uses graded-lex order). */
function relDiff(run: ProcessRun, exact: number[] | undefined): number | null {
  if (!run.ok || !exact) return null;
  const c = (run.json.coefficients as number[][])[0];
  let num = 0, den = 0;
  for (let t = 1; t < exact.length; t++) {
    num = Math.max(num, Math.abs(c[t] - exact[t]));
    den = Math.max(den, Math.abs(exact[t]));
  }
  return den === 0 ? null : num / den;
}

async function sweep(
  ctx: AnalysisContext,
  p: Params,
  dir: string,
  name: string,
  points: { inputs: number; order: number }[],
): Promise<Cell[]> {
  const cells: Cell[] = [];
  const failed = new Map<Method, string>();
  for (const pt of points) {
    const net = sineNet(pt.inputs, p.width, p.depth, ctx.seed);
    const file = join(dir, `net-p${pt.inputs}.json`);
    await Deno.writeTextFile(file, JSON.stringify(networkToJson(net)));
    let exactCoef: number[] | undefined;
    for (const method of p.methods) {
      const base = { sweep: name, method, inputs: pt.inputs, order: pt.order };
      if (failed.has(method)) {
        cells.push({
          ...base,
          seconds: null,
          wall_seconds: null,
          peak_rss_mib: null,
          max_rel_diff_vs_exact: null,
          status: `n/a (skipped after: ${failed.get(method)})`,
        });
        continue;
      }
      ctx.progress(`${name}: ${method}, p = ${pt.inputs}, K = ${pt.order}`);
      const runs: ProcessRun[] = [];
      for (let r = 0; r < p.repeats; r++) {
        const run = await runDenoJson([
          "run",
          "-A",
          "--v8-flags=--no-wasm-dynamic-tiering",
          "main.ts",
          "poly",
          "taylor",
          file,
          "--order",
          String(pt.order),
          "--x0",
          Array(pt.inputs).fill(0).join(","),
          "--method",
          method,
        ], p.timeoutSeconds);
        runs.push(run);
        if (!run.ok) break;
      }
      const ok = runs.filter((r): r is Extract<ProcessRun, { ok: true }> => r.ok);
      const bad = runs.find((r) => !r.ok);
      if (method === "exact" && ok.length > 0) exactCoef = (ok[0].json.coefficients as number[][])[0];
      const incomplete = ok.length > 0 && method === "autodiff" &&
        Number(ok[0].json.completed_order) < pt.order;
      const status = bad && !bad.ok ? `n/a (${bad.error})` : incomplete ? "n/a (incomplete)" : "ok";
      if (status !== "ok") failed.set(method, `K = ${pt.order}, p = ${pt.inputs}`);
      cells.push({
        ...base,
        seconds: ok.length && status === "ok"
          ? summarize(ok.map((r) => Number(r.json.seconds))).median
          : null,
        wall_seconds: ok.length ? summarize(ok.map((r) => r.wallSeconds)).median : null,
        peak_rss_mib: ok.length ? Math.max(...ok.map((r) => Number(r.json.peak_rss_mib))) : null,
        max_rel_diff_vs_exact: method === "exact" ? 0 : relDiff(ok[0] ?? bad!, exactCoef),
        status: status.slice(0, 160),
      });
    }
  }
  return cells;
}

function ratioRows(cells: Cell[], key: "order" | "inputs") {
  const values = [...new Set(cells.map((c) => c[key]))];
  return values.map((v) => {
    const get = (m: Method) => cells.find((c) => c.method === m && c[key] === v)?.seconds ?? null;
    const e = get("exact"), h = get("hope"), a = get("autodiff");
    const ratio = (x: number | null, y: number | null) => (x !== null && y !== null && y > 0 ? x / y : null);
    return {
      [key]: v,
      exact_s: e,
      hope_s: h,
      autodiff_s: a,
      autodiff_over_exact: ratio(a, e),
      autodiff_over_hope: ratio(a, h),
      hope_over_exact: ratio(h, e),
    };
  });
}

function timePerPoint(fn: () => void, n: number): number {
  fn(); // warm-up
  const t0 = performance.now();
  fn();
  return ((performance.now() - t0) / 1000) / n;
}

/** Checks the analysis's params (before the framework writes any file). */
export function validateHopeSpeedParams(params: Record<string, unknown>): void {
  parseParams(schema, params);
}

/** The hope-speed analysis (see the module doc). */
export const hopeSpeed: Analysis = async (ctx) => {
  const p = parseParams(schema, ctx.params);
  const dir = await Deno.makeTempDir({ prefix: "polylab-hope-speed-" });
  let orderCells: Cell[], dimCells: Cell[];
  try {
    orderCells = await sweep(ctx, p, dir, "order", p.orders.map((order) => ({ inputs: 1, order })));
    dimCells = await sweep(
      ctx,
      p,
      dir,
      "inputs",
      p.dims.inputs.map((inputs) => ({ inputs, order: p.dims.order })),
    );
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }

  ctx.progress(
    `inference: polynomial on ${p.inference.points} points vs network on ${p.inference.networkPoints}`,
  );
  const inferRows = [];
  const lastP = p.dims.inputs[p.dims.inputs.length - 1];
  for (const [inputs, order] of [[1, p.inference.order], [lastP, p.dims.order]]) {
    const net = sineNet(inputs, p.width, p.depth, ctx.seed);
    const poly = exactTaylor(net, Array(inputs).fill(0), order).polynomials[0];
    const rng = new Rng(deriveSeed(ctx.seed, "hope-speed", "inference", inputs));
    const n = p.inference.points, m = Math.min(p.inference.networkPoints, n);
    const x = new Float64Array(n * inputs).map(() => rng.uniform(-0.5, 0.5));
    const tPoly = timePerPoint(() => poly.evaluate(x, n), n);
    const tNet = timePerPoint(() => forward(net, x.subarray(0, m * inputs), m), m);
    inferRows.push({
      network: `${inputs}–${p.width}×${p.depth}–1 sine`,
      order,
      terms: poly.terms.count,
      polynomial_points: n,
      network_points: m,
      polynomial_us_per_point: tPoly * 1e6,
      network_us_per_point: tNet * 1e6,
      speedup: tNet / tPoly,
    });
  }

  const orderRatios = ratioRows(orderCells, "order");
  const dimRatios = ratioRows(dimCells, "inputs");
  const tables = [
    await saveTable(
      ctx,
      "speed_orders",
      `Engines vs order K (1–${p.width}×${p.depth}–1 sine MLP, fresh processes)`,
      {
        rows: orderCells,
      },
    ),
    await saveTable(
      ctx,
      "speed_orders_ratios",
      "Engine times vs K and their ratios (engine's own compute time, s)",
      {
        rows: orderRatios,
      },
    ),
    await saveTable(ctx, "speed_inputs", `Engines vs inputs p at K = ${p.dims.order}`, { rows: dimCells }),
    await saveTable(ctx, "speed_inputs_ratios", `Engine times vs p at K = ${p.dims.order} and their ratios`, {
      rows: dimRatios,
    }),
    await saveTable(ctx, "inference", "Fast inference: Taylor polynomial vs float64 network forward pass", {
      rows: inferRows,
    }),
  ];
  const ok = (cells: Cell[], f: "seconds" | "peak_rss_mib") =>
    cells.filter((c) => typeof c[f] === "number").map((c) => ({ ...c, value: c[f] as number }));
  const line = (data: Record<string, unknown>[], x: string, xTitle: string, yTitle: string, title: string) =>
    lineChartSpec({
      data,
      x,
      y: "value",
      series: "method",
      xTitle,
      yTitle,
      seriesTitle: "engine",
      logY: true,
      title,
    });
  const figures = [
    await saveFigure(
      ctx,
      "speed_orders_time",
      "Compute time vs order K",
      line(
        ok(orderCells, "seconds"),
        "order",
        "order K",
        "seconds",
        `Taylor engines on 1–${p.width}×${p.depth}–1`,
      ),
    ),
    await saveFigure(
      ctx,
      "speed_orders_memory",
      "Peak RSS of the engine's process vs order K",
      line(
        ok(orderCells, "peak_rss_mib"),
        "order",
        "order K",
        "peak RSS (MiB)",
        "Peak memory (fresh process)",
      ),
    ),
    await saveFigure(
      ctx,
      "speed_inputs_time",
      `Compute time vs inputs p at K = ${p.dims.order}`,
      line(ok(dimCells, "seconds"), "inputs", "inputs p", "seconds", `Taylor engines, K = ${p.dims.order}`),
    ),
  ];
  const atLeast4 = orderRatios.filter((r) => (r.order as number) >= 4 && r.autodiff_over_exact !== null);
  const range = (k: "autodiff_over_exact" | "autodiff_over_hope") => {
    const v = atLeast4.map((r) => r[k] as number);
    return v.length ? `${fmt(Math.min(...v), 2)}–${fmt(Math.max(...v), 2)}×` : "n/a";
  };
  const failedAd = orderCells.find((c) => c.method === "autodiff" && c.status !== "ok");
  const inf = inferRows[0];
  return {
    sections: [{
      heading: "Speed and memory",
      text:
        `Each engine ran ${p.repeats}× per cell in a fresh process (\`main.ts poly taylor\`); seconds are ` +
        `the engine's own compute time (median), peak RSS the process's VmHWM (Deno's baseline included). At ` +
        `K ≥ 4 nested autodiff (tfjs, float32) took ${
          range("autodiff_over_exact")
        } the exact engine's time and ` +
        `${range("autodiff_over_hope")} HOPE's` +
        (failedAd ? `; it did not finish from K = ${failedAd.order} (${failedAd.status})` : "") +
        `. Evaluating the order-${inf.order} polynomial costs ${
          fmt(inf.polynomial_us_per_point)
        } µs per point ` +
        `against ${fmt(inf.network_us_per_point)} µs for the network's forward pass (${fmt(inf.speedup)}×).`,
      figures,
      tables,
    }],
  };
};
