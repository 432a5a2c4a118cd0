/**
 * Small multiples of line charts (row × column facets, colour = series), optionally on a log y
 * axis: a figure builder the generic ones of ./figures.ts do not cover, shared by studies.
 *
 * @module
 */

import type { VegaLiteSpec } from "./figures.ts";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Options of {@link facetedLinesSpec}. */
export interface FacetedLinesOptions {
  data: readonly Record<string, unknown>[];
  x: string;
  y: string;
  color: string;
  row?: string;
  column?: string;
  xTitle: string;
  yTitle: string;
  colorTitle: string;
  rowTitle?: string;
  columnTitle?: string;
  title: string;
  subtitle?: string | string[];
  logY?: boolean;
  /** Each row of panels gets its own y scale (default true). */
  independentY?: boolean;
  width?: number;
  height?: number;
  /** Colour order. */
  colorOrder?: readonly string[];
}

/**
 * Small multiples of line charts (row × column facets, colour = series). On a log y axis rows
 * whose y is not a positive finite number are dropped, and the count is stated in the subtitle.
 */
export function facetedLinesSpec(o: FacetedLinesOptions): VegaLiteSpec {
  const keep = o.data.filter((r) => {
    const v = r[o.y];
    return typeof v === "number" && Number.isFinite(v) && (!o.logY || v > 0);
  });
  const dropped = o.data.length - keep.length;
  const sub = [
    ...(o.subtitle === undefined ? [] : Array.isArray(o.subtitle) ? o.subtitle : [o.subtitle]),
    ...(dropped > 0
      ? [`Note: ${dropped} non-finite${o.logY ? " or ≤ 0" : ""} values of ${o.y} not drawn.`]
      : []),
  ];
  const facet: Record<string, unknown> = {};
  if (o.row) facet.row = { field: o.row, type: "ordinal", title: o.rowTitle ?? o.row };
  if (o.column) facet.column = { field: o.column, type: "ordinal", title: o.columnTitle ?? o.column };
  const spec: VegaLiteSpec = {
    $schema: SCHEMA,
    title: sub.length ? { text: o.title, subtitle: sub } : { text: o.title },
    data: { values: keep },
    facet,
    spec: {
      width: o.width ?? 170,
      height: o.height ?? 130,
      mark: { type: "line", point: true, strokeWidth: 1.5 },
      encoding: {
        x: { field: o.x, type: "quantitative", title: o.xTitle, axis: { tickMinStep: 1 } },
        y: {
          field: o.y,
          type: "quantitative",
          title: o.yTitle,
          scale: o.logY ? { type: "log" } : { zero: false },
          axis: o.logY ? { format: ".0e" } : {},
        },
        color: {
          field: o.color,
          type: "nominal",
          title: o.colorTitle,
          ...(o.colorOrder ? { sort: [...o.colorOrder] } : {}),
        },
      },
    },
    usermeta: {
      polylab: { kind: "faceted-lines", notes: dropped > 0 ? [`${dropped} values not drawn`] : [] },
    },
  };
  if (o.independentY ?? true) spec.resolve = { scale: { y: "independent" } };
  return spec;
}
