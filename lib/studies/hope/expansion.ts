/**
 * hope-expansion (HOPE paper, Fig. 1): the network, its exact Taylor polynomial and HOPE's
 * polynomial side by side, for the 1–1024×4–1 sine MLP at x0 = 0 (order 10) and the 2-D conv
 * network at (0, 0) (order 8); R² and largest residual on the plotted range and near x0, beside
 * the paper's values (reference_values.json, computed on the paper's seed-42 PyTorch networks).
 * With `network` (a polylab JSON, ONNX or tfjs file) that network is expanded instead, with the
 * settings of `mlp` (one input) or `conv` (two inputs).
 *
 * @module
 */

import { rSquared } from "../../experiment/metrics.ts";
import { z } from "zod";
import { lineChartSpec } from "../../report/figures.ts";
import type { ReportFigure, ReportSection, ReportTable } from "../../report/report.ts";
import type { Polynomial } from "../../poly/polynomial.ts";
import { exactTaylor } from "../../taylor/exact.ts";
import { exactTaylorModules } from "../../taylor/exact_modules.ts";
import { hopeTaylor, hopeTaylorModules } from "../../taylor/hope.ts";
import { convDemo, sineMlp } from "../../taylor/paper_networks.ts";
import { fmt, parseParams, saveFigure, saveTable } from "../../experiment/analysis_io.ts";
import { loadReferenceValues } from "./common.ts";
import { surfacePanelsSpec } from "./figures.ts";
import { grid2d, linspace, maxAbsDiff, moduleForward, resultPolynomial, toOffsets } from "./math.ts";
import type { Analysis, AnalysisContext, AnalysisOutput } from "../../experiment/study.ts";
import { basename } from "node:path";
import { UsageError } from "../../errors.ts";
import { loadProjectModel } from "../../io/project_path.ts";
import { forward, type Network } from "../../network/network.ts";
import type { HopeModule } from "../../taylor/modules.ts";

const int = (min: number) => z.number().int().min(min);
const positive = () => z.number().gt(0);

const schema = z.strictObject({
  /**
   * A network file (polylab JSON, ONNX or tfjs model.json; relative to the project root) expanded
   * instead of the paper's networks: one input uses the `mlp` settings (x0, order, ranges), two inputs
   * the `conv` ones. One output.
   */
  network: z.string().min(1).optional(),
  mlp: z.strictObject({
    /** Hidden width (paper: 1024). */
    width: int(1).default(1024),
    /** Hidden layers (paper: 4). */
    depth: int(1).default(4),
    /** Weight scale w0 (weights U(±w0/fan_in)). */
    w0: positive().default(1),
    x0: z.number().default(0),
    order: int(1).default(10),
    /** The plot spans x0 ± plotRange. */
    plotRange: positive().default(5),
    plotPoints: int(3).default(201),
    /** Half-widths of the R² ranges (the paper's: 30 points on ±4.5 and ±5). */
    r2Ranges: z.array(positive()).min(1).default([4.5, 5]),
    r2Points: int(3).default(30),
    nearRadius: positive().default(0.5),
    nearPoints: int(3).default(41),
  }).prefault({}),
  conv: z.strictObject({
    x0: z.tuple([z.number(), z.number()]).default([0, 0]),
    order: int(1).default(8),
    /** The surfaces span x0 ± range in both inputs (paper: 2). */
    range: positive().default(2),
    /** Grid side on the plotted range (paper's R²: 30 × 30). */
    grid: int(3).default(30),
    nearRadius: positive().default(0.5),
    nearGrid: int(3).default(15),
  }).prefault({}),
});

type Params = z.infer<typeof schema>;

interface RegionRow extends Record<string, string | number | null> {
  network: string;
  region: string;
  points: number;
  r2_exact: number;
  r2_hope: number;
  max_abs_residual_exact: number;
  max_abs_residual_hope: number;
  paper_r2_exact: number | null;
  paper_r2_hope: number | null;
  paper_max_abs_residual_exact: number | null;
  paper_max_abs_residual_hope: number | null;
}

function regionRow(
  network: string,
  region: string,
  f: Float64Array,
  exact: Float64Array,
  hope: Float64Array,
  paper: Partial<Record<"r2Exact" | "r2Hope" | "resExact" | "resHope", number>> = {},
): RegionRow {
  return {
    network,
    region,
    points: f.length,
    r2_exact: rSquared(exact, f),
    r2_hope: rSquared(hope, f),
    max_abs_residual_exact: maxAbsDiff(f, exact),
    max_abs_residual_hope: maxAbsDiff(f, hope),
    paper_r2_exact: paper.r2Exact ?? null,
    paper_r2_hope: paper.r2Hope ?? null,
    paper_max_abs_residual_exact: paper.resExact ?? null,
    paper_max_abs_residual_hope: paper.resHope ?? null,
  };
}

/** Relative coefficient difference per degree: max_α |h_α − e_α| / max_α |e_α| over the terms of degree n. */
function relDiffByOrder(exact: Polynomial, hope: Polynomial, order: number): number[] {
  const out: number[] = [];
  for (let n = 1; n <= order; n++) {
    let num = 0, den = 0;
    for (let t = 0; t < exact.terms.count; t++) {
      if (exact.terms.degree[t] !== n) continue;
      const label = exact.terms.label(t);
      num = Math.max(num, Math.abs(hope.coefficient(label) - exact.coefficients[t]));
      den = Math.max(den, Math.abs(exact.coefficients[t]));
    }
    out.push(den === 0 ? NaN : num / den);
  }
  return out;
}

type Ref = Record<string, unknown> | undefined;
const refNum = (ref: Ref, ...path: string[]): number | undefined => {
  let v: unknown = ref;
  for (const k of path) v = (v as Record<string, unknown> | undefined)?.[k];
  return typeof v === "number" ? v : undefined;
};

/** A network to expand: its forward pass and its exact and HOPE Taylor polynomials (one output). */
interface Expandable {
  /** Name in tables, figures and progress lines. */
  readonly name: string;
  /** Inputs p. */
  readonly inputs: number;
  /** Float64 outputs at n points (row-major n × p). */
  forward(x: Float64Array, n: number): Float64Array;
  /** The exact Taylor polynomial of order K at x0, in h = x − x0. */
  exact(x0: number[], order: number): Polynomial;
  /** HOPE's polynomial of order K at x0, in h = x − x0. */
  hope(x0: number[], order: number): Polynomial;
}

function denseExpandable(name: string, net: Network): Expandable {
  return {
    name,
    inputs: net.inputs,
    forward: (x, n) => forward(net, x, n),
    exact: (x0, order) => exactTaylor(net, x0, order).polynomials[0],
    hope: (x0, order) => resultPolynomial(net.inputs, hopeTaylor(net, x0, order)),
  };
}

function moduleExpandable(name: string, modules: readonly HopeModule[], inputs: number): Expandable {
  return {
    name,
    inputs,
    forward: (x, n) => moduleForward(modules, x, n),
    exact: (x0, order) => exactTaylorModules(modules, inputs, x0, order).polynomials[0],
    hope: (x0, order) => resultPolynomial(inputs, hopeTaylorModules(modules, inputs, x0, order)),
  };
}

/** The network file of `params.network` as an {@link Expandable}, or a one-line UsageError. */
function fileExpandable(path: string): Expandable {
  const model = loadProjectModel(path, "params.network");
  if (model.inputs > 2) {
    throw new UsageError(
      `params.network: ${path} has ${model.inputs} inputs; hope-expansion draws networks of 1 input (the mlp ` +
        `settings) or 2 (the conv settings); use poly taylor or imported-models for more`,
    );
  }
  if (model.outputs !== 1) {
    throw new UsageError(`params.network: ${path} has ${model.outputs} outputs; hope-expansion expands one`);
  }
  const name = basename(path);
  return model.network
    ? denseExpandable(name, model.network)
    : moduleExpandable(name, model.modules, model.inputs);
}

/** Parses the params; with a network file, loads it and checks both engines accept it at its x0. */
function parseExpansionParams(params: Record<string, unknown>): { p: Params; file?: Expandable } {
  const p = parseParams(schema, params);
  if (p.network === undefined) return { p };
  const file = fileExpandable(p.network);
  const x0 = file.inputs === 1 ? [p.mlp.x0] : [...p.conv.x0];
  try {
    file.exact(x0, 1);
    file.hope(x0, 1);
  } catch (e) {
    throw new UsageError(`params.network: ${p.network}: ${(e as Error).message.split("\n")[0]}`);
  }
  return { p, file };
}

async function runMlp(ctx: AnalysisContext, p: Params["mlp"], ref: Ref, file?: Expandable) {
  const src = file ??
    denseExpandable(
      `1–${p.width}×${p.depth}–1 sine MLP`,
      sineMlp({ width: p.width, depth: p.depth, w0: p.w0, seed: ctx.seed }),
    );
  const name = src.name;
  const prefix = file ? "network" : "mlp";
  ctx.progress(`${name}: exact and HOPE polynomials of order ${p.order} at x0 = ${p.x0}`);
  const exact = src.exact([p.x0], p.order);
  const hope = src.hope([p.x0], p.order);
  const evalAll = (xs: number[]) => {
    const x = Float64Array.from(xs);
    const h = toOffsets(x, [p.x0]);
    return {
      f: src.forward(x, xs.length),
      exact: exact.evaluate(h, xs.length),
      hope: hope.evaluate(h, xs.length),
    };
  };
  ctx.progress(`${name}: forward pass on ${p.plotPoints} plot points`);
  const xs = linspace(p.x0 - p.plotRange, p.x0 + p.plotRange, p.plotPoints);
  const curve = evalAll(xs);
  const rows: RegionRow[] = [];
  for (const r of p.r2Ranges) {
    const v = evalAll(linspace(p.x0 - r, p.x0 + r, p.r2Points));
    const key = `R2_30pts_r${r}`;
    rows.push(regionRow(name, `|x − x0| ≤ ${r}`, v.f, v.exact, v.hope, {
      r2Exact: p.r2Points === 30 ? refNum(ref, key, "exact_taylor") : undefined,
      r2Hope: p.r2Points === 30 ? refNum(ref, key, "hope") : undefined,
    }));
  }
  const near = evalAll(linspace(p.x0 - p.nearRadius, p.x0 + p.nearRadius, p.nearPoints));
  rows.push(regionRow(name, `|x − x0| ≤ ${p.nearRadius}`, near.f, near.exact, near.hope));

  // coefficients by order, ours and the reference's
  const refHope = (ref?.hope_rule as number[] | undefined) ?? [];
  const refExact = (ref?.exact as number[] | undefined) ?? [];
  const coefRows = Array.from({ length: p.order + 1 }, (_, n) => {
    const e = exact.coefficient(n === 0 ? [0] : Array(n).fill(1));
    const h = hope.coefficient(n === 0 ? [0] : Array(n).fill(1));
    const re = refExact[n], rh = refHope[n];
    return {
      n,
      exact: e,
      hope: h,
      rel_diff: n === 0 ? 0 : Math.abs(h - e) / Math.abs(e),
      paper_net_exact_stored: re ?? null,
      paper_net_hope_stored: rh ?? null,
      paper_net_rel_diff: re !== undefined && rh !== undefined ? Math.abs(rh - re) / Math.abs(re) : null,
    };
  });

  // figures: the curves (y clipped to the network's range ± 50 %) and the residuals
  const fMin = Math.min(...curve.f), fMax = Math.max(...curve.f);
  const pad = Math.max(0.5 * (fMax - fMin), 1e-12 * Math.abs(fMax));
  const lines = xs.flatMap((x, i) => [
    { x, value: curve.f[i], curve: "network" },
    { x, value: curve.exact[i], curve: `exact Taylor (K=${p.order})` },
    { x, value: curve.hope[i], curve: `HOPE (K=${p.order})` },
  ]);
  const spec = lineChartSpec({
    data: lines,
    x: "x",
    y: "value",
    series: "curve",
    xTitle: "x",
    yTitle: "f(x)",
    seriesTitle: "curve",
    points: false,
    title: `${name} at x0 = ${p.x0}: network vs Taylor polynomials`,
    subtitle: `y axis clipped to the network's range ± 50 % (the polynomials leave it far from x0)`,
  });
  const enc = spec.encoding as Record<string, Record<string, unknown>>;
  enc.y.scale = { domain: [fMin - pad, fMax + pad], zero: false };
  const resid = xs.flatMap((x, i) => [
    { x, residual: Math.abs(curve.exact[i] - curve.f[i]), method: "exact Taylor" },
    { x, residual: Math.abs(curve.hope[i] - curve.f[i]), method: "HOPE" },
  ]);
  const figures: ReportFigure[] = [
    await saveFigure(ctx, `${prefix}_expansion`, `${name}: network, exact Taylor and HOPE polynomials`, spec),
    await saveFigure(
      ctx,
      `${prefix}_residual`,
      `${name}: |polynomial − network| (log scale)`,
      lineChartSpec({
        data: resid,
        x: "x",
        y: "residual",
        series: "method",
        xTitle: "x",
        yTitle: "|polynomial − network|",
        seriesTitle: "polynomial",
        logY: true,
        points: false,
        title: `${name}: residual of each order-${p.order} polynomial`,
      }),
    ),
  ];
  return { rows, coefRows, figures, exact, hope };
}

async function runConv(ctx: AnalysisContext, p: Params["conv"], ref: Ref, file?: Expandable) {
  const src = file ?? moduleExpandable("2-D conv net", convDemo(ctx.seed).modules, 2);
  const name = src.name;
  const prefix = file ? "network" : "conv";
  ctx.progress(`${name}: exact and HOPE polynomials of order ${p.order} at (${p.x0})`);
  const exact = src.exact([...p.x0], p.order);
  const hope = src.hope([...p.x0], p.order);
  const evalGrid = (radius: number, n: number) => {
    const x = grid2d(p.x0, radius, n);
    const h = toOffsets(x, p.x0);
    return {
      x,
      f: src.forward(x, n * n),
      exact: exact.evaluate(h, n * n),
      hope: hope.evaluate(h, n * n),
    };
  };
  ctx.progress(
    `${name}: forward pass on a ${p.grid}×${p.grid} grid and a ${p.nearGrid}×${p.nearGrid} grid near x0`,
  );
  const wide = evalGrid(p.range, p.grid);
  const near = evalGrid(p.nearRadius, p.nearGrid);
  const paperWide = p.grid === 30 && p.range === 2;
  const rows = [
    regionRow(name, `|x − x0|∞ ≤ ${p.range}`, wide.f, wide.exact, wide.hope, {
      r2Exact: paperWide ? refNum(ref, "R2_30x30_grid_r2", "exact_taylor") : undefined,
      r2Hope: paperWide ? refNum(ref, "R2_30x30_grid_r2", "hope") : undefined,
    }),
    regionRow(name, `|x − x0|∞ ≤ ${p.nearRadius}`, near.f, near.exact, near.hope, {
      resExact: p.nearRadius === 0.5 ? refNum(ref, "max_residual_within_0.5", "exact_taylor") : undefined,
      resHope: p.nearRadius === 0.5 ? refNum(ref, "max_residual_within_0.5", "hope") : undefined,
    }),
  ];
  const rel = relDiffByOrder(exact, hope, p.order);
  const step = (2 * p.range) / (p.grid - 1);
  const cells = (panel: string, v: Float64Array) =>
    Array.from(v, (value, i) => ({ panel, x1: wide.x[2 * i], x2: wide.x[2 * i + 1], value }));
  const fMin = Math.min(...wide.f), fMax = Math.max(...wide.f);
  const panels = ["network", `exact Taylor (K=${p.order})`, `HOPE (K=${p.order})`];
  const log10Res = (v: Float64Array) => v.map((y, i) => Math.log10(Math.max(Math.abs(y - wide.f[i]), 1e-16)));
  const figures: ReportFigure[] = [
    await saveFigure(
      ctx,
      `${prefix}_surfaces`,
      `${name}: the network and its two polynomials on a ${p.grid}×${p.grid} grid`,
      surfacePanelsSpec({
        cells: [...cells(panels[0], wide.f), ...cells(panels[1], wide.exact), ...cells(panels[2], wide.hope)],
        panels,
        step,
        title: `${name} around (${p.x0}): network vs order-${p.order} polynomials`,
        subtitle: "colour scale = the network's range; polynomial values outside it are clamped",
        colorTitle: "f(x1, x2)",
        domain: [fMin, fMax],
      }),
    ),
    await saveFigure(
      ctx,
      `${prefix}_residual`,
      `${name}: log10 |polynomial − network|`,
      surfacePanelsSpec({
        cells: [...cells("exact Taylor", log10Res(wide.exact)), ...cells("HOPE", log10Res(wide.hope))],
        panels: ["exact Taylor", "HOPE"],
        step,
        title: `${name}: log10 of the residual of each order-${p.order} polynomial`,
        colorTitle: "log10 |residual|",
        scheme: "magma",
      }),
    ),
  ];
  const refRel = (ref?.rel_maxdiff_hope_vs_exact_by_order ?? {}) as Record<string, number>;
  const relRows = rel.map((r, i) => ({
    n: i + 1,
    rel_diff: r,
    paper_net_rel_diff: refRel[String(i + 1)] ?? null,
  }));
  return { rows, relRows, figures };
}

/** Checks the analysis's params (before the framework writes any file). */
export function validateHopeExpansionParams(params: Record<string, unknown>): void {
  parseExpansionParams(params);
}

/** The hope-expansion analysis (see the module doc). */
export const hopeExpansion: Analysis = async (ctx) => {
  const { p, file } = parseExpansionParams(ctx.params);
  if (file) return await expandFile(ctx, p, file);
  const refAll = await loadReferenceValues();
  const mlp = await runMlp(ctx, p.mlp, refAll?.demo_1D_MLP_Sine_x0_0_order10);
  const conv = await runConv(ctx, p.conv, refAll?.demo_2D_Conv_AvePool_x0_00_order8);
  const regions = [...mlp.rows, ...conv.rows];
  const tables: ReportTable[] = [
    await saveTable(ctx, "expansion_r2", "R² and largest |residual| of each polynomial against the network", {
      rows: regions,
    }),
    await saveTable(
      ctx,
      "mlp_coefficients",
      "1-D MLP: Taylor coefficients f^(n)(x0)/n!, exact vs HOPE (paper_net_*: the paper network's values as " +
        "stored in reference_values.json, whose scale suggests derivatives f^(n)(0); rel_diff = |HOPE − exact| / |exact| " +
        "does not depend on that scaling)",
      {
        rows: mlp.coefRows,
      },
    ),
    await saveTable(
      ctx,
      "conv_coefficient_diff",
      "2-D conv net: max_α |HOPE − exact| / max_α |exact| over the terms of degree n",
      { rows: conv.relRows },
    ),
  ];
  const [mWide, , mNear] = [mlp.rows[0], mlp.rows[1], mlp.rows[mlp.rows.length - 1]];
  const [cWide, cNear] = conv.rows;
  const maxRel = Math.max(...mlp.coefRows.slice(2).map((r) => r.rel_diff));
  const sections: ReportSection[] = [
    {
      heading: "1-D sine MLP",
      text:
        `Network: 1–${p.mlp.width}×${p.mlp.depth}–1, sine after every layer, weights U(±${p.mlp.w0}/fan_in), ` +
        `seed ${ctx.seed} (the paper's architecture; its seed-42 PyTorch weights cannot be reproduced, so the ` +
        `paper's columns refer to a different draw). Near x0 (|x − x0| ≤ ${p.mlp.nearRadius}) the exact ` +
        `polynomial's largest residual is ${fmt(mNear.max_abs_residual_exact)} against HOPE's ` +
        `${fmt(mNear.max_abs_residual_hope)}; on |x − x0| ≤ ${p.mlp.r2Ranges[0]} the R² are ` +
        `${fmt(mWide.r2_exact)} (exact) and ${
          fmt(mWide.r2_hope)
        } (HOPE). HOPE's coefficients agree with the ` +
        `exact ones at orders 0–1 and differ by up to ${fmt(100 * maxRel)} % at orders 2–${p.mlp.order} ` +
        `(its rule drops the mixed partials with respect to hidden units).`,
      figures: mlp.figures,
    },
    {
      heading: "2-D conv network",
      text: `Linear(2,2048)–sin–Conv2d(2→16, 2×2)–sin–AvgPool2d(2)–sin–Linear(3600,1), seed ${ctx.seed}. ` +
        `On the ${p.conv.grid}×${p.conv.grid} grid of ±${p.conv.range}: R² ${
          fmt(cWide.r2_exact)
        } (exact) vs ` +
        `${fmt(cWide.r2_hope)} (HOPE); within ±${p.conv.nearRadius}: largest residual ` +
        `${fmt(cNear.max_abs_residual_exact)} (exact) vs ${fmt(cNear.max_abs_residual_hope)} (HOPE). ` +
        `The exact polynomial is the better local approximation; how the two compare far from x0 depends on ` +
        `the network.`,
      figures: conv.figures,
    },
  ];
  return { sections, tables };
};

/** hope-expansion on a network file (`params.network`): the part of its input count, no paper values. */
async function expandFile(ctx: AnalysisContext, p: Params, file: Expandable): Promise<AnalysisOutput> {
  const tables: ReportTable[] = [];
  let text: string;
  let figures: ReportFigure[];
  if (file.inputs === 1) {
    const mlp = await runMlp(ctx, p.mlp, undefined, file);
    const [wide, near] = [mlp.rows[0], mlp.rows[mlp.rows.length - 1]];
    const maxRel = Math.max(0, ...mlp.coefRows.slice(2).map((r) => r.rel_diff).filter(Number.isFinite));
    tables.push(
      await saveTable(
        ctx,
        "expansion_r2",
        "R² and largest |residual| of each polynomial against the network",
        {
          rows: mlp.rows,
        },
      ),
      await saveTable(
        ctx,
        "network_coefficients",
        "Taylor coefficients f^(n)(x0)/n!, exact vs HOPE (rel_diff = |HOPE − exact| / |exact|)",
        { rows: mlp.coefRows.map(({ n, exact, hope, rel_diff }) => ({ n, exact, hope, rel_diff })) },
      ),
    );
    text =
      `Order-${p.mlp.order} polynomials at x0 = ${p.mlp.x0}. Within |x − x0| ≤ ${p.mlp.nearRadius} the ` +
      `largest residual is ${fmt(near.max_abs_residual_exact)} (exact) and ${
        fmt(near.max_abs_residual_hope)
      } ` +
      `(HOPE); on |x − x0| ≤ ${p.mlp.r2Ranges[0]} the R² are ${fmt(wide.r2_exact)} and ${
        fmt(wide.r2_hope)
      }. ` +
      `HOPE's coefficients differ from the exact ones by up to ${
        fmt(100 * maxRel)
      } % at orders 2–${p.mlp.order}.`;
    figures = mlp.figures;
  } else {
    const conv = await runConv(ctx, p.conv, undefined, file);
    const [wide, near] = conv.rows;
    tables.push(
      await saveTable(
        ctx,
        "expansion_r2",
        "R² and largest |residual| of each polynomial against the network",
        {
          rows: conv.rows,
        },
      ),
      await saveTable(
        ctx,
        "network_coefficient_diff",
        "max_α |HOPE − exact| / max_α |exact| over the terms of degree n",
        { rows: conv.relRows.map(({ n, rel_diff }) => ({ n, rel_diff })) },
      ),
    );
    text =
      `Order-${p.conv.order} polynomials at (${p.conv.x0}). On the ${p.conv.grid}×${p.conv.grid} grid of ` +
      `±${p.conv.range}: R² ${fmt(wide.r2_exact)} (exact) vs ${fmt(wide.r2_hope)} (HOPE); within ` +
      `±${p.conv.nearRadius}: largest residual ${fmt(near.max_abs_residual_exact)} (exact) vs ` +
      `${fmt(near.max_abs_residual_hope)} (HOPE).`;
    figures = conv.figures;
  }
  return {
    sections: [{
      heading: `Network file: ${file.name}`,
      text: `${p.network} (${file.inputs} input${file.inputs === 1 ? "" : "s"}, read with the loader of ` +
        `\`poly taylor\`; expanded instead of the paper's networks, so no paper values stand beside it). ${text}`,
      figures,
    }],
    tables,
  };
}
