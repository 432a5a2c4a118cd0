/**
 * Vega-Lite specs of the relu studies: 2-D region maps (polygons coloured by region, local gradient
 * arrows), a network beside its shallow twin, enumeration time against regions (log-log with the
 * fitted slope), region counts against H, and Aytekin's linear pieces over the data.
 *
 * @module
 */

import { formatAffine } from "../../relu/explain.ts";
import { LOG_LABEL_FUNCTION } from "../../report/render.ts";
import type { PlNetwork } from "../../relu/net.ts";
import type { Region } from "../../relu/regions.ts";
import { polygonCentroid, regionPolygon } from "./geometry.ts";

/** A log axis labelled 10ⁿ at the powers of ten between the data's extremes. */
function logAxis(values: readonly number[]): Record<string, unknown> {
  const pos = values.filter((v) => v > 0);
  const lo = Math.floor(Math.log10(Math.min(...pos)));
  const hi = Math.ceil(Math.log10(Math.max(...pos)));
  const step = Math.max(1, Math.ceil((hi - lo) / 7));
  const ticks: number[] = [];
  for (let k = lo; k <= hi; k += step) ticks.push(Number(`1e${k}`));
  return { values: ticks, labelExpr: `${LOG_LABEL_FUNCTION}(datum.value)`, labelFlush: false };
}

/** A scrambled region index, so that neighbouring regions rarely get the same of 20 colours. */
const colourOf = (r: number) => (r * 7919) % 20;

/**
 * Region map of a 2-D network in the box: one polygon per region (colour = region), an arrow at
 * each region's centroid along the local gradient of output `output` (or of logit 2 − logit 1 when
 * `difference`), length ∝ |gradient| (scaled to the largest).
 */
export function regionMapSpec(
  regions: readonly Region[],
  box: readonly [number, number],
  options: { title: string; subtitle?: string; output?: number; difference?: boolean; size?: number },
): object {
  const size = options.size ?? 420;
  const features: object[] = [];
  const arrows: { x: number; y: number; angle: number; length: number }[] = [];
  let maxNorm = 0;
  const grads = regions.map((r) => {
    const p = 2;
    const k = options.output ?? 0;
    const g = options.difference ? [r.A[p] - r.A[0], r.A[p + 1] - r.A[1]] : [r.A[k * p], r.A[k * p + 1]];
    maxNorm = Math.max(maxNorm, Math.hypot(g[0], g[1]));
    return g;
  });
  regions.forEach((r, i) => {
    const poly = regionPolygon(r.inequalities, box);
    if (poly.length < 3) return;
    const ring = [...poly, poly[0]].map(([x, y]) => [x, y]);
    features.push({
      type: "Feature",
      geometry: { type: "Polygon", coordinates: [ring] },
      properties: { c: colourOf(i) },
    });
    const { area, x, y } = polygonCentroid(poly);
    const [gx, gy] = grads[i];
    const norm = Math.hypot(gx, gy);
    if (norm > 0 && area > 1e-4 * (box[1] - box[0]) ** 2) {
      arrows.push({
        x,
        y,
        angle: 90 - (Math.atan2(gy, gx) * 180) / Math.PI,
        length: 40 + 460 * (norm / maxNorm),
      });
    }
  });
  const projection = { type: "identity", reflectY: true };
  return {
    title: { text: options.title, subtitle: options.subtitle ?? "" },
    width: size,
    height: size,
    layer: [
      {
        data: { values: features },
        mark: { type: "geoshape", stroke: "white", strokeWidth: 0.6 },
        projection,
        encoding: {
          color: { field: "properties.c", type: "nominal", scale: { scheme: "tableau20" }, legend: null },
        },
      },
      {
        data: { values: arrows },
        mark: { type: "point", shape: "arrow", filled: true, color: "#222", opacity: 0.85 },
        projection,
        encoding: {
          longitude: { field: "x", type: "quantitative" },
          latitude: { field: "y", type: "quantitative" },
          angle: { field: "angle", type: "quantitative", scale: null },
          size: { field: "length", type: "quantitative", scale: null },
        },
      },
    ],
  };
}

/**
 * The network and its shallow twin side by side on a grid over the box (rect heat maps, one shared
 * colour scale), values computed by their own evaluators.
 */
export function twinSpec(
  grid: { x: number; y: number; network: number; shallow: number }[],
  step: number,
  options: { title: string; subtitle?: string; valueTitle: string },
): object {
  const rows = grid.flatMap((g) => [
    { model: "network (float64 forward pass)", x: g.x, y: g.y, x2: g.x + step, y2: g.y + step, v: g.network },
    {
      model: "shallow twin (3 hidden layers, ±∞ weights)",
      x: g.x,
      y: g.y,
      x2: g.x + step,
      y2: g.y + step,
      v: g.shallow,
    },
  ]);
  return {
    title: { text: options.title, subtitle: options.subtitle ?? "" },
    data: { values: rows },
    facet: { column: { field: "model", type: "nominal", title: null } },
    spec: {
      width: 300,
      height: 300,
      mark: { type: "rect" },
      encoding: {
        x: { field: "x", type: "quantitative", title: "x1", scale: { nice: false } },
        x2: { field: "x2" },
        y: { field: "y", type: "quantitative", title: "x2", scale: { nice: false } },
        y2: { field: "y2" },
        color: { field: "v", type: "quantitative", title: options.valueTitle, scale: { scheme: "viridis" } },
      },
    },
  };
}

/** Enumeration seconds against regions, log-log, one colour per task, with the fitted line. */
export function timeSpec(
  rows: { regions: number; seconds: number; task: string }[],
  fit: { slope: number; intercept: number },
): object {
  const xs = rows.map((r) => r.regions);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  // no line when there is nothing to fit (one network, or one region count)
  const line = Number.isFinite(fit.slope)
    ? [lo, hi].map((x) => ({ regions: x, seconds: 10 ** (fit.intercept + fit.slope * Math.log10(x)) }))
    : [];
  return {
    title: {
      text: "Enumeration + shallow network: time against regions (over ℝ^p)",
      subtitle: Number.isFinite(fit.slope)
        ? `fitted slope ${fit.slope.toFixed(2)} (log10 seconds on log10 regions)`
        : "too few networks with different region counts to fit a slope",
    },
    width: 420,
    height: 300,
    layer: [
      {
        data: { values: rows },
        mark: { type: "point", filled: true, size: 50 },
        encoding: {
          x: {
            field: "regions",
            type: "quantitative",
            scale: { type: "log" },
            title: "regions",
            axis: logAxis(xs),
          },
          y: {
            field: "seconds",
            type: "quantitative",
            scale: { type: "log" },
            title: "seconds",
            axis: logAxis(rows.map((r) => r.seconds)),
          },
          color: { field: "task", type: "nominal", title: "task" },
        },
      },
      {
        data: { values: line },
        mark: { type: "line", color: "#444", strokeDash: [5, 3] },
        encoding: {
          x: { field: "regions", type: "quantitative" },
          y: { field: "seconds", type: "quantitative" },
        },
      },
    ],
  };
}

/** Region counts (ℝ^p) against H beside 2^H and the two upper bounds, log y, one facet per task. */
export function countsSpec(
  rows: { task: string; H: number; value: number; what: string }[],
): object {
  return {
    title: {
      text: "Activation regions against hidden units H",
      subtitle: "counted over ℝ^p; bounds: layer-wise Zaslavsky product and Serra et al. (2018)",
    },
    data: { values: rows },
    facet: { field: "task", type: "nominal", title: null, columns: 2 },
    spec: {
      width: 300,
      height: 240,
      mark: { type: "point", filled: true, size: 45 },
      encoding: {
        x: { field: "H", type: "quantitative", title: "hidden units H" },
        y: {
          field: "value",
          type: "quantitative",
          scale: { type: "log" },
          title: "count",
          axis: logAxis(rows.map((r) => r.value)),
        },
        color: { field: "what", type: "nominal", title: null },
        shape: { field: "what", type: "nominal", title: null },
      },
    },
  };
}

/** The interval of each region of a 1-input network inside `range` (empty ones have hi ≤ lo). */
export function pieceIntervals(
  regions: readonly Region[],
  range: readonly [number, number],
): [number, number][] {
  return regions.map((r) => {
    let lo = range[0];
    let hi = range[1];
    for (const { plane, sign } of r.inequalities) {
      const root = -plane.h / plane.g[0];
      if (sign * plane.g[0] > 0) lo = Math.max(lo, root);
      else hi = Math.min(hi, root);
    }
    return [lo, hi];
  });
}

/** The 1-D network's linear pieces over the data: data points, and each region's line on its interval. */
export function piecesSpec(
  net: PlNetwork,
  regions: readonly Region[],
  data: { x: number; y: number }[],
  range: readonly [number, number],
  title: string,
  subtitle: string,
): object {
  const segments: { x: number; y: number; piece: string }[] = [];
  const intervals = pieceIntervals(regions, range);
  regions.forEach((r, i) => {
    const [lo, hi] = intervals[i];
    if (!(hi > lo)) return;
    const label = `piece ${i + 1}: y = ${formatAffine([r.A[0]], r.c[0], ["x"])}`;
    for (const x of [lo, hi]) segments.push({ x, y: r.A[0] * x + r.c[0], piece: label });
  });
  void net;
  return {
    title: { text: title, subtitle },
    width: 460,
    height: 300,
    layer: [
      {
        data: { values: data },
        mark: { type: "point", size: 6, color: "#999", opacity: 0.5 },
        encoding: {
          x: { field: "x", type: "quantitative", title: "x" },
          y: { field: "y", type: "quantitative", title: "y" },
        },
      },
      {
        data: { values: segments },
        mark: { type: "line", strokeWidth: 3 },
        encoding: {
          x: { field: "x", type: "quantitative" },
          y: { field: "y", type: "quantitative" },
          color: {
            field: "piece",
            type: "nominal",
            title: "linear piece (tree leaf)",
            legend: { labelLimit: 360 },
          },
        },
      },
    ],
  };
}
