/**
 * imported-models: NN2Poly and the exact Taylor engine on networks trained elsewhere — PyTorch
 * models exported with `torch.onnx.export` and tfjs models saved with `model.save` — read through
 * the one network-file loader (lib/io/network_file.ts). Per model: what was imported (format,
 * inputs, outputs, modules), NN2Poly's normalised error against the network on the input box for
 * Q = 1..maxOrder (dense chains of analytic activations only), the exact Taylor polynomial's error
 * near x0 for each truncation order k = 1..K, the largest terms, and — when a reference sidecar is
 * named — the largest difference from the R package's NN2Poly coefficients and from float64
 * autograd's Taylor coefficients on the same weights.
 *
 * @module
 */

import { z } from "zod";
import { UsageError } from "../../errors.ts";
import type { Analysis } from "../../experiment/study.ts";
import { Rng } from "../../data/random.ts";
import { type LoadedModel, requireNetwork } from "../../io/network_file.ts";
import { forward } from "../../network/network.ts";
import { nn2poly } from "../../nn2poly/engine.ts";
import { Polynomial } from "../../poly/polynomial.ts";
import type { ReportFigure, ReportTable } from "../../report/report.ts";
import { exactTaylorModules } from "../../taylor/exact_modules.ts";
import { HOPE_RULES, type HopeRule } from "../../taylor/hope.ts";
import type { HopeModule } from "../../taylor/modules.ts";
import { fmt, parseParams, saveFigure, saveTable, timed } from "../../experiment/analysis_io.ts";
import { loadProjectModel, projectPath } from "../../io/project_path.ts";
import { facetedLinesSpec } from "../../report/faceted_lines.ts";

const modelSchema = z.strictObject({
  /** Short label used in tables and figures. */
  name: z.string().min(1),
  /** Model file: a polylab .json, an ONNX file or a tfjs model.json (relative to the project root). */
  path: z.string().min(1),
  /** The input box [lo, hi]^p NN2Poly is evaluated on. */
  box: z.tuple([z.number(), z.number()]).default([-1, 1]),
  /** NN2Poly orders 1..maxOrder with these Taylor orders (omit for conv, pool or residual graphs). */
  nn2poly: z.strictObject({
    maxOrder: z.number().int().min(1).max(6),
    taylorOrders: z.union([z.number().int().min(1), z.array(z.number().int().min(1)).min(1)]),
  }).optional(),
  /** Exact Taylor polynomial of order K at x0 (one value for every input, or one per input). */
  taylor: z.strictObject({
    order: z.number().int().min(1).max(10),
    x0: z.union([z.number(), z.array(z.number())]),
    radius: z.number().gt(0),
  }).optional(),
  /** A reference sidecar (`*.expect.json`) with NN2Poly coefficients of the R package or autograd Taylor coefficients. */
  reference: z.string().optional(),
});

const schema = z.strictObject({
  models: z.array(modelSchema).min(1),
  /** Evaluation points per model (and per Taylor neighbourhood). */
  points: z.number().int().min(10).default(200),
  /** Terms shown per polynomial. */
  topTerms: z.number().int().min(1).default(6),
});

type ModelParams = z.infer<typeof modelSchema>;

/** Float64 forward pass of a module list on a batch (row-major n × inputs) → n × outputs. */
export function forwardModules(modules: readonly HopeModule[], x: Float64Array, n: number): Float64Array[] {
  const inputs = x.length / n;
  const out: Float64Array[] = [];
  for (let s = 0; s < n; s++) {
    let a: Float64Array = x.slice(s * inputs, (s + 1) * inputs);
    for (const m of modules) {
      a = (HOPE_RULES[m.kind] as unknown as HopeRule<HopeModule>).forward(m, a, 0).output;
    }
    out.push(a);
  }
  return out;
}

/** The network's outputs at the rows of x, per output: `[output][row]`. */
function outputsAt(model: LoadedModel, x: Float64Array, n: number): Float64Array[] {
  if (model.network) {
    const y = forward(model.network, x, n);
    return Array.from(
      { length: model.outputs },
      (_, o) => Float64Array.from({ length: n }, (_, s) => y[s * model.outputs + o]),
    );
  }
  const rows = forwardModules(model.modules, x, n);
  return Array.from({ length: model.outputs }, (_, o) => Float64Array.from(rows, (r) => r[o]));
}

/** RMS of (a − b) over the RMS deviation of b from its mean (the largest over outputs). */
function normalisedError(pred: Float64Array[], f: Float64Array[]): number {
  let worst = 0;
  f.forEach((fo, o) => {
    const mean = fo.reduce((a, v) => a + v, 0) / fo.length;
    const sd = Math.sqrt(fo.reduce((a, v) => a + (v - mean) ** 2, 0) / fo.length);
    const rmse = Math.sqrt(fo.reduce((a, v, s) => a + (pred[o][s] - v) ** 2, 0) / fo.length);
    worst = Math.max(worst, rmse / sd);
  });
  return worst;
}

/** Uniform points in a box centred at `c` (half-width r) or in [lo, hi]^p. */
function points(rng: Rng, n: number, lo: number[], hi: number[]): Float64Array {
  const p = lo.length;
  const x = new Float64Array(n * p);
  for (let s = 0; s < n; s++) for (let i = 0; i < p; i++) x[s * p + i] = rng.uniform(lo[i], hi[i]);
  return x;
}

/** A polynomial truncated to total degree ≤ k. */
function truncate(poly: Polynomial, k: number): Polynomial {
  const c = poly.coefficients.map((v, t) => (poly.terms.degree[t] <= k ? v : 0));
  return new Polynomial(poly.terms, c);
}

/** Largest |mine − ref| / max(1, |ref|) over the reference's labels (missing terms count as 0). */
function referenceGap(
  labels: readonly (readonly number[])[],
  coefficients: readonly ArrayLike<number>[],
  refLabels: number[][],
  refCoefficients: number[][],
  intercept: "[0]" | "[]",
): number {
  const key = (
    l: readonly number[],
  ) => (intercept === "[0]" && l.length === 1 && l[0] === 0 ? "" : [...l].sort().join(","));
  let worst = 0;
  refCoefficients.forEach((ref, o) => {
    const mine = new Map<string, number>();
    labels.forEach((l, t) => mine.set(key(l), coefficients[o][t]));
    refLabels.forEach((l, t) => {
      worst = Math.max(worst, Math.abs((mine.get(key(l)) ?? 0) - ref[t]) / Math.max(1, Math.abs(ref[t])));
    });
  });
  return worst;
}

function describe(model: LoadedModel): string {
  const name = (m: HopeModule): string =>
    m.kind === "elementwise"
      ? m.activation + (m.alpha === undefined ? "" : `(${m.alpha})`)
      : m.kind === "residual"
      ? `residual[${m.body.map(name).join(" ")}]`
      : m.kind;
  return model.modules.map(name).join(" ");
}

interface Prepared {
  readonly spec: ModelParams;
  readonly model: LoadedModel;
  readonly seconds: number;
  readonly x0?: number[];
  readonly reference?: Record<string, unknown>;
}

/** Loads and checks every model before any work (a bad entry is a one-line UsageError naming it). */
function prepare(models: readonly ModelParams[]): Prepared[] {
  return models.map((spec, i) => {
    const at = `params.models[${i}] (${spec.name})`;
    const { value: model, seconds } = timed(() => loadProjectModel(spec.path, `${at}.path`));
    if (spec.nn2poly) requireNetwork(model, `${at}.nn2poly`);
    let x0: number[] | undefined;
    if (spec.taylor) {
      const v = spec.taylor.x0;
      x0 = typeof v === "number" ? new Array(model.inputs).fill(v) : v;
      if (x0.length !== model.inputs) {
        throw new UsageError(
          `${at}.taylor.x0: ${x0.length} values for ${model.inputs} inputs; give one per input`,
        );
      }
    }
    if (!spec.nn2poly && !spec.taylor) throw new UsageError(`${at}: give nn2poly or taylor (or both)`);
    let reference: Record<string, unknown> | undefined;
    if (spec.reference) {
      try {
        reference = JSON.parse(Deno.readTextFileSync(projectPath(spec.reference)));
      } catch (e) {
        throw new UsageError(
          `${at}.reference: cannot read ${spec.reference} (${(e as Error).message.split("\n")[0]})`,
        );
      }
    }
    return { spec, model, seconds, x0, reference };
  });
}

/**
 * Checks imported-models' params: the schema, then every model file is read and checked against its
 * entry (before the framework writes any file).
 */
export function validateImportedModelsParams(params: Record<string, unknown>): void {
  prepare(parseParams(schema, params).models);
}

/** The imported-models analysis (see the module doc). */
export const importedModels: Analysis = async (ctx) => {
  const params = parseParams(schema, ctx.params);
  const prepared = prepare(params.models);
  const modelRows: Record<string, string | number>[] = [];
  const errorRows: Record<string, string | number>[] = [];
  const termRows: Record<string, string | number>[] = [];
  const referenceRows: Record<string, string | number>[] = [];
  const timingRows: Record<string, string | number>[] = [];
  const rng = new Rng(ctx.seed);
  for (const { spec, model, seconds, x0, reference } of prepared) {
    ctx.progress(`${spec.name}: ${model.format}, ${model.inputs} inputs, ${describe(model)}`);
    modelRows.push({
      model: spec.name,
      file: spec.path,
      format: model.format,
      inputs: model.inputs,
      outputs: model.outputs,
      modules: describe(model),
      dense_network: model.network ? `yes (${model.network.layers.length} layers)` : `no: ${model.notDense}`,
    });
    timingRows.push({ model: spec.name, step: "import", seconds });
    const p = model.inputs;
    if (spec.nn2poly) {
      const net = model.network!;
      const x = points(rng, params.points, new Array(p).fill(spec.box[0]), new Array(p).fill(spec.box[1]));
      const f = outputsAt(model, x, params.points);
      for (let Q = 1; Q <= spec.nn2poly.maxOrder; Q++) {
        const { value: r, seconds: s } = timed(() =>
          nn2poly(net, { maxOrder: Q, taylorOrders: spec.nn2poly!.taylorOrders })
        );
        const pred = r.polynomials.map((poly) => poly.evaluate(x, params.points));
        errorRows.push({
          model: spec.name,
          method: "NN2Poly",
          order: Q,
          terms: r.terms.count,
          region: `[${spec.box[0]}, ${spec.box[1]}]^${p}`,
          nrmse: normalisedError(pred, f),
        });
        timingRows.push({ model: spec.name, step: `NN2Poly Q = ${Q}`, seconds: s });
        if (Q === spec.nn2poly.maxOrder) {
          r.polynomials.forEach((poly, o) =>
            termRows.push({
              model: spec.name,
              method: `NN2Poly Q = ${Q}`,
              output: o + 1,
              polynomial: poly.toString({ maxTerms: params.topTerms }),
            })
          );
        }
      }
    }
    if (spec.taylor && x0) {
      const K = spec.taylor.order, rad = spec.taylor.radius;
      const { value: t, seconds: s } = timed(() => exactTaylorModules(model.modules, p, x0, K));
      timingRows.push({ model: spec.name, step: `exact Taylor K = ${K}`, seconds: s });
      const x = points(rng, params.points, x0.map((v) => v - rad), x0.map((v) => v + rad));
      const h = x.map((v, k) => v - x0[k % p]);
      const f = outputsAt(model, x, params.points);
      for (let k = 1; k <= K; k++) {
        const pred = t.polynomials.map((poly) => truncate(poly, k).evaluate(h, params.points));
        errorRows.push({
          model: spec.name,
          method: "exact Taylor",
          order: k,
          terms: t.terms.degree.filter((d) => d <= k).length,
          region: `x0 ± ${rad}`,
          nrmse: normalisedError(pred, f),
        });
      }
      t.polynomials.forEach((poly, o) =>
        termRows.push({
          model: spec.name,
          method: `exact Taylor K = ${K} at x0 (in h = x − x0)`,
          output: o + 1,
          polynomial: poly.toString({ maxTerms: params.topTerms }),
        })
      );
    }
    if (reference) {
      const r = reference as {
        labels?: number[][];
        coefficients?: number[][];
        max_order?: number;
        taylor_orders?: number | number[];
        x0?: number[];
        order?: number;
      };
      if (r.labels && r.coefficients && r.max_order !== undefined && r.taylor_orders !== undefined) {
        const mine = nn2poly(requireNetwork(model, "reference"), {
          maxOrder: r.max_order,
          taylorOrders: r.taylor_orders,
        });
        referenceRows.push({
          model: spec.name,
          reference: "R package nn2poly 1.0.1.9000 (same float32 weights)",
          settings: `Q = ${r.max_order}, taylor orders ${JSON.stringify(r.taylor_orders)}`,
          terms: r.labels.length,
          max_rel_diff: referenceGap(
            mine.terms.labels("nn2poly"),
            mine.polynomials.map((q) => q.coefficients),
            r.labels,
            r.coefficients,
            "[0]",
          ),
        });
      } else if (r.labels && r.coefficients && r.x0 && r.order !== undefined) {
        const mine = exactTaylorModules(model.modules, p, r.x0, r.order);
        referenceRows.push({
          model: spec.name,
          reference: "float64 nested autograd (torch), exact ∂^α f(x0)/α!",
          settings: `K = ${r.order} at x0 = [${r.x0.join(", ")}]`,
          terms: r.labels.length,
          max_rel_diff: referenceGap(
            mine.terms.labels("taylor"),
            mine.polynomials.map((q) => q.coefficients),
            r.labels,
            r.coefficients,
            "[]",
          ),
        });
      }
    }
  }

  const tables: ReportTable[] = [
    await saveTable(ctx, "models", "What was imported (modules in order on the flat channels-first vector)", {
      rows: modelRows,
    }),
    await saveTable(
      ctx,
      "errors",
      `Normalised RMS error (RMSE / sd of the network, largest over outputs) on ${params.points} uniform points: ` +
        "NN2Poly of order Q on the input box, the exact Taylor polynomial truncated at degree k near x0",
      { rows: errorRows },
      { digits: 3 },
    ),
    await saveTable(ctx, "reference", "Largest |ours − reference| / max(1, |reference|) by label", {
      rows: referenceRows,
    }),
    await saveTable(ctx, "terms", "Largest terms of each polynomial", { rows: termRows }),
    await saveTable(
      ctx,
      "timings",
      "Seconds (import, engines) on this machine; not reproducible byte for byte",
      {
        rows: timingRows,
      },
      { digits: 3 },
    ),
  ];
  const figures: ReportFigure[] = [
    await saveFigure(
      ctx,
      "errors",
      "Normalised error against the order, per imported model",
      facetedLinesSpec({
        data: errorRows,
        x: "order",
        y: "nrmse",
        color: "method",
        column: "model",
        columnTitle: "",
        xTitle: "order (Q for NN2Poly, k for Taylor)",
        yTitle: "RMSE / sd(f)",
        colorTitle: "polynomial",
        title: "NN2Poly on the input box and the exact Taylor polynomial near x0, on imported models",
        logY: true,
        colorOrder: ["NN2Poly", "exact Taylor"],
      }),
    ),
  ];
  const gaps = referenceRows.map((r) => `${r.model}: ${fmt(r.max_rel_diff as number, 2)}`).join(", ");
  const last = (name: string, method: string) => {
    const rows = errorRows.filter((r) => r.model === name && r.method === method);
    return rows.length ? fmt(rows[rows.length - 1].nrmse as number, 2) : "n/a";
  };
  const summary = prepared.map(({ spec }) =>
    `${spec.name}: ${
      spec.nn2poly ? `NN2Poly Q = ${spec.nn2poly.maxOrder} ${last(spec.name, "NN2Poly")}` : "NN2Poly n/a"
    }, ` +
    `${spec.taylor ? `Taylor k = ${spec.taylor.order} ${last(spec.name, "exact Taylor")}` : "Taylor n/a"}`
  ).join("; ");
  return {
    sections: [{
      heading: "Imported models",
      text:
        `Models exported by PyTorch (torch.onnx.export) and TensorFlow.js (model.save), read by polylab's ` +
        `loader and expanded by the same engines as its own networks. Largest difference from the reference ` +
        `coefficients computed elsewhere on the same float32 weights: ${gaps || "no reference given"}. ` +
        `Normalised error at the highest order: ${summary}. Conv, pool and residual graphs go to the module ` +
        `engine (exact Taylor); NN2Poly needs a chain of dense layers and is not run on them.`,
      tables,
      figures,
    }],
  };
};
