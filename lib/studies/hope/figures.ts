/**
 * Vega-lite specs the generic builders of lib/report/figures.ts do not cover: side-by-side 2-D
 * surfaces on a grid (network vs polynomials) and side-by-side image-shaped importance maps (small
 * multiples of line charts are lib/report/faceted_lines.ts).
 *
 * @module
 */

import type { VegaLiteSpec } from "../../report/figures.ts";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

function titleBlock(title: string, subtitle?: string | string[]): Record<string, unknown> {
  return subtitle === undefined ? { text: title } : { text: title, subtitle };
}

/** One cell of a surface: panel name, cell centre (x1, x2) and value. */
export interface SurfaceCell {
  panel: string;
  x1: number;
  x2: number;
  value: number;
}

/** Options of {@link surfacePanelsSpec}. */
export interface SurfaceOptions {
  cells: readonly SurfaceCell[];
  /** Grid spacing (cells are squares of this side centred on (x1, x2)). */
  step: number;
  /** Panel order. */
  panels: readonly string[];
  title: string;
  subtitle?: string | string[];
  colorTitle: string;
  /** Colour domain; values outside are clamped to the end colours. */
  domain?: [number, number];
  /** Colour scheme (default viridis). */
  scheme?: string;
  /** Side of each panel in px (default 220). */
  size?: number;
}

/** Heat maps of several surfaces over the same (x1, x2) grid, one panel each, one shared colour scale. */
export function surfacePanelsSpec(o: SurfaceOptions): VegaLiteSpec {
  const half = o.step / 2;
  const values = o.cells.filter((c) => Number.isFinite(c.value)).map((c) => ({
    panel: c.panel,
    a: c.x1 - half,
    a2: c.x1 + half,
    b: c.x2 - half,
    b2: c.x2 + half,
    value: c.value,
  }));
  const scale: Record<string, unknown> = { scheme: o.scheme ?? "viridis" };
  if (o.domain) Object.assign(scale, { domain: o.domain, clamp: true });
  return {
    $schema: SCHEMA,
    title: titleBlock(o.title, o.subtitle),
    data: { values },
    facet: { column: { field: "panel", type: "nominal", sort: [...o.panels], title: null } },
    spec: {
      width: o.size ?? 220,
      height: o.size ?? 220,
      mark: { type: "rect" },
      encoding: {
        x: { field: "a", type: "quantitative", title: "x1", scale: { nice: false, zero: false } },
        x2: { field: "a2" },
        y: { field: "b", type: "quantitative", title: "x2", scale: { nice: false, zero: false } },
        y2: { field: "b2" },
        color: { field: "value", type: "quantitative", title: o.colorTitle, scale },
      },
    },
  };
}

/** One pixel of an importance map. */
export interface PixelCell {
  map: string;
  row: number;
  col: number;
  value: number;
}

/** Image-shaped maps side by side (row 0 at the top), each normalised by the caller, shared colour scale. */
export function pixelMapsSpec(
  cells: readonly PixelCell[],
  maps: readonly string[],
  title: string,
  subtitle?: string | string[],
): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    title: titleBlock(title, subtitle),
    data: { values: cells },
    facet: { column: { field: "map", type: "nominal", sort: [...maps], title: null } },
    spec: {
      width: 150,
      height: 150,
      mark: { type: "rect" },
      encoding: {
        x: { field: "col", type: "ordinal", title: "column" },
        y: { field: "row", type: "ordinal", title: "row" },
        color: {
          field: "value",
          type: "quantitative",
          title: "importance (÷ max)",
          scale: { scheme: "viridis", domain: [0, 1] },
        },
      },
    },
  };
}

/** Options of {@link groupedBarsSpec}. */
export interface GroupedBarsOptions {
  data: readonly Record<string, unknown>[];
  /** Category on the x axis (e.g. the term). */
  x: string;
  /** Bar height. */
  y: string;
  /** Bars side by side within a category (e.g. truth / exact / HOPE). */
  group: string;
  /** Facet column (optional). */
  column?: string;
  xTitle: string;
  yTitle: string;
  groupTitle: string;
  title: string;
  subtitle?: string | string[];
  /** Category order on the x axis. */
  xOrder?: readonly string[];
  groupOrder?: readonly string[];
}

/** Grouped bar chart (bars of each group side by side per category), optionally faceted by column. */
export function groupedBarsSpec(o: GroupedBarsOptions): VegaLiteSpec {
  const inner = {
    width: { step: 14 },
    height: 180,
    mark: { type: "bar" },
    encoding: {
      x: {
        field: o.x,
        type: "nominal",
        title: o.xTitle,
        ...(o.xOrder ? { sort: [...o.xOrder] } : {}),
        axis: { labelAngle: -45 },
      },
      xOffset: { field: o.group, type: "nominal", ...(o.groupOrder ? { sort: [...o.groupOrder] } : {}) },
      y: { field: o.y, type: "quantitative", title: o.yTitle },
      color: {
        field: o.group,
        type: "nominal",
        title: o.groupTitle,
        ...(o.groupOrder ? { sort: [...o.groupOrder] } : {}),
      },
    },
  };
  const base = { $schema: SCHEMA, title: titleBlock(o.title, o.subtitle), data: { values: o.data } };
  if (!o.column) return { ...base, ...inner };
  return {
    ...base,
    facet: { column: { field: o.column, type: "nominal", title: null } },
    spec: inner,
    resolve: { scale: { x: "independent" } },
  };
}
