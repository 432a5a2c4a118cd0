/**
 * Vega-lite specs of the descrambler studies: matrices as heat maps side by side (weights before
 * and after descrambling), small multiples of line plots (signals, singular vectors, frequency
 * responses) and η against the optimiser's iteration with η* as a line.
 *
 * @module
 */

import type { VegaLiteSpec } from "../../report/figures.ts";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

function titleBlock(title: string, subtitle?: string | string[]): Record<string, unknown> {
  return subtitle === undefined ? { text: title } : { text: title, subtitle };
}

/** A matrix panel: row-major values, rows × cols. */
export interface MatrixPanel {
  name: string;
  rows: number;
  cols: number;
  values: Float64Array;
}

/** Options of {@link matrixPanelsSpec}. */
export interface MatrixPanelsOptions {
  panels: readonly MatrixPanel[];
  title: string;
  subtitle?: string | string[];
  xTitle: string;
  yTitle: string;
  colorTitle: string;
  /** Panel width and height in px. */
  width?: number;
  height?: number;
  /** Scale each panel by its largest |value| (default true). */
  normalise?: boolean;
  /** Non-negative values (magnitudes): sequential colours on [0, 1] instead of diverging on [−1, 1]. */
  sequential?: boolean;
}

/** Heat maps of matrices side by side (row 0 at the top), diverging colours centred at 0. */
export function matrixPanelsSpec(o: MatrixPanelsOptions): VegaLiteSpec {
  const values: Record<string, unknown>[] = [];
  for (const p of o.panels) {
    let scale = 1;
    if (o.normalise ?? true) {
      let m = 0;
      for (const v of p.values) m = Math.max(m, Math.abs(v));
      scale = m > 0 ? 1 / m : 1;
    }
    for (let r = 0; r < p.rows; r++) {
      for (let c = 0; c < p.cols; c++) {
        values.push({ panel: p.name, r, c, v: Number((p.values[r * p.cols + c] * scale).toPrecision(4)) });
      }
    }
  }
  return {
    $schema: SCHEMA,
    title: titleBlock(o.title, o.subtitle),
    data: { values },
    facet: { column: { field: "panel", type: "nominal", title: null, sort: o.panels.map((p) => p.name) } },
    spec: {
      width: o.width ?? 300,
      height: o.height ?? 200,
      transform: [{ calculate: "datum.c + 1", as: "c1" }, { calculate: "datum.r + 1", as: "r1" }],
      mark: { type: "rect" },
      encoding: {
        x: { field: "c", type: "quantitative", title: o.xTitle, scale: { nice: false, zero: true } },
        x2: { field: "c1" },
        y: {
          field: "r",
          type: "quantitative",
          title: o.yTitle,
          scale: { reverse: true, nice: false, zero: true },
        },
        y2: { field: "r1" },
        color: {
          field: "v",
          type: "quantitative",
          title: o.colorTitle,
          scale: o.sequential
            ? { scheme: "viridis", domain: [0, 1] }
            : { scheme: "redblue", reverse: true, domain: [-1, 1] },
        },
      },
    },
    resolve: { scale: { x: "independent", y: "independent" } },
  };
}

/** A point of a line in {@link linePanelsSpec}. */
export interface LinePoint {
  panel: string;
  series: string;
  x: number;
  y: number;
}

/** Options of {@link linePanelsSpec}. */
export interface LinePanelsOptions {
  points: readonly LinePoint[];
  panels: readonly string[];
  title: string;
  subtitle?: string | string[];
  xTitle: string;
  yTitle: string;
  seriesTitle: string;
  width?: number;
  height?: number;
  logY?: boolean;
  /** Panels per row (default: all in one row). */
  columns?: number;
}

/** Small multiples of line plots (one panel per `panel`, colour = `series`), independent y scales. */
export function linePanelsSpec(o: LinePanelsOptions): VegaLiteSpec {
  const keep = o.points.filter((p) => Number.isFinite(p.y) && (!o.logY || p.y > 0));
  const dropped = o.points.length - keep.length;
  const sub = [
    ...(o.subtitle === undefined ? [] : Array.isArray(o.subtitle) ? o.subtitle : [o.subtitle]),
    ...(dropped > 0 ? [`Note: ${dropped} non-finite${o.logY ? " or ≤ 0" : ""} values not drawn.`] : []),
  ];
  return {
    $schema: SCHEMA,
    title: titleBlock(o.title, sub.length ? sub : undefined),
    data: { values: keep.map((p) => ({ ...p, y: Number(p.y.toPrecision(6)) })) },
    facet: { field: "panel", type: "nominal", title: null, sort: [...o.panels] },
    columns: o.columns ?? o.panels.length,
    spec: {
      width: o.width ?? 220,
      height: o.height ?? 150,
      mark: { type: "line", strokeWidth: 1.3 },
      encoding: {
        x: { field: "x", type: "quantitative", title: o.xTitle, scale: { nice: false } },
        y: {
          field: "y",
          type: "quantitative",
          title: o.yTitle,
          scale: o.logY ? { type: "log" } : { zero: false },
          ...(o.logY ? { axis: { format: ".0e" } } : {}),
        },
        color: { field: "series", type: "nominal", title: o.seriesTitle },
      },
    },
    resolve: { scale: { x: "independent", y: "independent" } },
  };
}

/** Options of {@link etaTraceSpec}. */
export interface EtaTraceOptions {
  /** [iteration, η] per optimiser. */
  traces: Record<string, readonly [number, number][]>;
  etaStar: number;
  title: string;
  subtitle?: string | string[];
  /** Plot the relative gap (η − η*)/η* instead of η (values ≤ 0 are not drawn). */
  gap?: boolean;
}

/** η against the iteration (log-log, iteration + 1 on x), one line per optimiser, η* as a dashed rule. */
export function etaTraceSpec(o: EtaTraceOptions): VegaLiteSpec {
  const values: Record<string, unknown>[] = [];
  for (const [name, trace] of Object.entries(o.traces)) {
    // thin long traces to ~400 points per optimiser (log-spaced), keep the last one
    const keep = new Set<number>();
    const n = trace.length;
    for (let q = 0; q <= 400; q++) keep.add(Math.min(n - 1, Math.round(Math.expm1(q / 400 * Math.log(n)))));
    keep.add(n - 1);
    for (const i of [...keep].sort((a, b) => a - b)) {
      const v = o.gap ? (trace[i][1] - o.etaStar) / o.etaStar : trace[i][1];
      if (o.gap && !(v > 0)) continue;
      values.push({ optimiser: name, iteration: trace[i][0] + 1, eta: Number(v.toPrecision(8)) });
    }
  }
  return {
    $schema: SCHEMA,
    title: titleBlock(o.title, o.subtitle),
    width: 420,
    height: 260,
    layer: [
      {
        data: { values },
        mark: { type: "line", strokeWidth: 1.5 },
        encoding: {
          x: { field: "iteration", type: "quantitative", title: "iteration + 1", scale: { type: "log" } },
          y: {
            field: "eta",
            type: "quantitative",
            title: o.gap ? "(η − η*) / η*" : "η(P)",
            scale: { type: "log" },
            axis: { format: ".0e" },
          },
          color: { field: "optimiser", type: "nominal", title: "optimiser" },
        },
      },
      ...(o.gap ? [] : [{
        data: { values: [{ etaStar: o.etaStar, label: "η* (closed form)" }] },
        mark: { type: "rule", strokeDash: [5, 4], color: "#333" },
        encoding: { y: { field: "etaStar", type: "quantitative" } },
      }]),
    ],
  };
}
