/**
 * Vega-lite spec builders for polylab's figure kinds, plus (re-exported from render.ts) the
 * rendering to SVG/PNG. Typical use:
 *
 * ```ts
 * const spec = boxplotGridSpec({ data: cells, x: "layers", y: "mse", color: "activation", column: "width",
 *   xTitle: "hidden layers", yTitle: "MSE", colorTitle: "activation", columnTitle: "width" });
 * await writeFigure(`${runDir}/figures/mse_boxplot`, spec); // .svg + .png
 * ```
 *
 * Every builder requires axis titles, validates its input (empty data, missing fields) and
 * handles log axes: rows whose value is non-finite are always dropped, and on a log axis values
 * ≤ 0 are dropped (default) or clamped to the smallest positive value (`logGuard: "clamp"`). Each
 * such adjustment is stated in the figure's subtitle and listed in `figureNotes(spec)`.
 * Log axes put ticks at powers of ten labelled `10ⁿ` so data spanning many decades stays readable.
 *
 * @module
 */

import { LOG_LABEL_FUNCTION, LOG_MAJOR_LABEL_FUNCTION, type VegaLiteSpec } from "./render.ts";

export {
  DEFAULT_CONFIG,
  type FigureFormat,
  logMajorTickLabel,
  logTickLabel,
  type PngOptions,
  renderPng,
  renderSvg,
  svgToPng,
  type VegaLiteSpec,
  writeFigure,
  type WriteFigureOptions,
} from "./render.ts";

/** A data row for a figure. */
export type Row = Record<string, unknown>;

/** What to do with values ≤ 0 on a log axis: drop the row (default) or clamp to the smallest positive value. */
export type LogGuard = "drop" | "clamp";

/** Options every builder accepts. */
export interface CommonFigureOptions {
  /** Figure title (optional). */
  title?: string;
  /** Extra subtitle line(s); data-cleaning notes are appended automatically. */
  subtitle?: string | string[];
  /** Log-axis guard for values ≤ 0 (default "drop"). */
  logGuard?: LogGuard;
  /** Plot width in px (per facet for faceted figures). */
  width?: number;
  /** Plot height in px (per facet for faceted figures). */
  height?: number;
}

// ---------------------------------------------------------------------------------------------
// Validation and data cleaning helpers

function fail(builder: string, message: string): never {
  throw new Error(`${builder}: ${message}`);
}

function requireRows(builder: string, data: unknown): Row[] {
  if (!Array.isArray(data)) fail(builder, "`data` must be an array of row objects");
  if (data.length === 0) fail(builder, "`data` is empty — pass at least one row");
  return data as Row[];
}

function requireTitle(builder: string, option: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    fail(builder, `\`${option}\` is required (axis titles are mandatory) — pass a non-empty string`);
  }
  return value;
}

function requireField(builder: string, option: string, field: unknown, rows: Row[]): string {
  if (typeof field !== "string" || field === "") {
    fail(builder, `\`${option}\` must name a field of the data rows`);
  }
  const index = rows.findIndex((row) => !(field in row));
  if (index >= 0) {
    fail(builder, `data[${index}] has no field '${field}' (named by \`${option}\`) — add it to every row`);
  }
  return field;
}

/** Result of cleaning one quantitative field. */
interface Cleaned {
  rows: Row[];
  notes: string[];
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/**
 * Drop rows whose `field` is not a finite number; on a log axis also drop (or clamp) values ≤ 0.
 * `axisName` is used in the note, e.g. "y".
 */
function cleanQuantitative(
  builder: string,
  rows: Row[],
  field: string,
  axisName: string,
  log: boolean,
  guard: LogGuard,
): Cleaned {
  const notes: string[] = [];
  const finite = rows.filter((row) => typeof row[field] === "number" && Number.isFinite(row[field]));
  const nonFinite = rows.length - finite.length;
  if (nonFinite > 0) notes.push(`${plural(nonFinite, "non-finite or missing value")} of ${field} dropped`);
  let kept = finite;
  if (log) {
    const positive = finite.filter((row) => (row[field] as number) > 0);
    const nonPositive = finite.length - positive.length;
    if (nonPositive > 0) {
      if (guard === "clamp" && positive.length > 0) {
        const floor = Math.min(...positive.map((row) => row[field] as number));
        kept = finite.map((row) => (row[field] as number) > 0 ? row : { ...row, [field]: floor });
        notes.push(
          `${plural(nonPositive, "value")} ≤ 0 of ${field} clamped to ${floor} (log ${axisName} axis)`,
        );
      } else {
        kept = positive;
        notes.push(`${plural(nonPositive, "value")} ≤ 0 of ${field} dropped (log ${axisName} axis)`);
      }
    }
  }
  if (kept.length === 0) {
    fail(
      builder,
      `no plottable values of '${field}' remain (${notes.join("; ")}) — check the data or use a linear axis`,
    );
  }
  return { rows: kept, notes };
}

function extent(rows: Row[], field: string): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const row of rows) {
    const value = row[field] as number;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return [min, max];
}

/** Options for {@link logAxis}. */
interface LogAxisOptions {
  /** All facets share one scale, so explicit power-of-ten tick values are safe (default true). */
  sharedTicks?: boolean;
  /** Most power-of-ten ticks to place (thinned evenly beyond that; default 8). */
  maxTicks?: number;
  /** Independent scales only: label only powers of ten (set when every facet spans ≥ 1 decade). */
  majorLabelsOnly?: boolean;
}

/**
 * Axis properties for a log scale. Shared scale spanning ≥ 2 decades: ticks exactly at powers of
 * ten (at most `maxTicks`), labelled `10ⁿ`. Otherwise vega picks the ticks and the labels are
 * `10ⁿ` for powers of ten and 3 significant digits (or blank, `majorLabelsOnly`) for the rest.
 */
function logAxis(min: number, max: number, options: LogAxisOptions = {}): Record<string, unknown> {
  const { sharedTicks = true, maxTicks = 8, majorLabelsOnly = false } = options;
  const labelFunction = !sharedTicks && majorLabelsOnly ? LOG_MAJOR_LABEL_FUNCTION : LOG_LABEL_FUNCTION;
  const axis: Record<string, unknown> = {
    labelExpr: `${labelFunction}(datum.value)`,
    labelOverlap: "greedy",
    labelFlush: false,
  };
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  if (sharedTicks && hi - lo >= 2) {
    const step = Math.max(1, Math.ceil((hi - lo) / maxTicks));
    const values: number[] = [];
    for (let k = lo; k <= hi; k += step) values.push(Number(`1e${k}`));
    axis.values = values;
  }
  return axis;
}

/** Smallest span in decades (log10(max/min)) of `field` over the facets defined by `facetFields`. */
function minFacetDecades(rows: Row[], field: string, facetFields: (string | undefined)[]): number {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = JSON.stringify(facetFields.map((f) => (f ? row[f] : null)));
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  let smallest = Infinity;
  for (const group of groups.values()) {
    const [min, max] = extent(group, field);
    smallest = Math.min(smallest, Math.log10(max / min));
  }
  return smallest;
}

function integerAxisIfIntegers(rows: Row[], field: string): Record<string, unknown> {
  return rows.every((row) => Number.isInteger(row[field])) ? { tickMinStep: 1, format: "d" } : {};
}

function titleBlock(options: CommonFigureOptions, notes: string[]): Record<string, unknown> | undefined {
  const extra = options.subtitle === undefined
    ? []
    : Array.isArray(options.subtitle)
    ? options.subtitle
    : [options.subtitle];
  const subtitle = [...extra, ...notes.map((note) => `Note: ${note}.`)];
  if (!options.title) {
    // vega drops a subtitle whose title is empty, so show the lines as a subtitle-styled title.
    if (subtitle.length === 0) return undefined;
    return { text: subtitle, fontSize: 12, fontWeight: "normal", color: "#444" };
  }
  const block: Record<string, unknown> = { text: options.title };
  if (subtitle.length > 0) block.subtitle = subtitle;
  return block;
}

function finishSpec(
  body: VegaLiteSpec,
  options: CommonFigureOptions,
  notes: string[],
  kind: string,
): VegaLiteSpec {
  const spec: VegaLiteSpec = { $schema: "https://vega.github.io/schema/vega-lite/v6.json" };
  const title = titleBlock(options, notes);
  if (title) spec.title = title;
  Object.assign(spec, body);
  spec.usermeta = { polylab: { kind, notes } };
  return spec;
}

/** The data-cleaning notes a builder attached to `spec` (e.g. "3 values ≤ 0 of mse dropped (log y axis)"). */
export function figureNotes(spec: object): string[] {
  const meta = (spec as VegaLiteSpec).usermeta as { polylab?: { notes?: string[] } } | undefined;
  return meta?.polylab?.notes ?? [];
}

function categoryScheme(
  rows: Row[],
  field: string | undefined,
  domain?: readonly string[],
): Record<string, unknown> {
  if (!field) return {};
  const distinct = new Set(rows.map((row) => String(row[field])));
  // a fixed domain keeps each category's colour the same across figures that show only some of them
  if (domain) return { domain: [...domain], scheme: domain.length > 10 ? "tableau20" : "tableau10" };
  return { scheme: distinct.size > 10 ? "tableau20" : "tableau10" };
}

function positiveInteger(
  builder: string,
  option: string,
  value: number | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    fail(builder, `\`${option}\` must be a positive number of pixels, got ${value}`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// 1. Line chart

/** Options for {@link lineChartSpec}: one line per `series` value, e.g. epoch vs loss per cell. */
export interface LineChartOptions extends CommonFigureOptions {
  data: readonly Row[];
  /** Field on the x axis (quantitative). */
  x: string;
  /** Field on the y axis (quantitative). */
  y: string;
  /** Field whose values become separate coloured lines (optional). */
  series?: string;
  xTitle: string;
  yTitle: string;
  /** Legend title (defaults to the series field name). */
  seriesTitle?: string;
  /** Every series value in colour order (optional): the same value gets the same colour in every figure. */
  seriesDomain?: readonly string[];
  logX?: boolean;
  logY?: boolean;
  /** Draw a point at each observation (default: true when there are ≤ 50 rows per series on average). */
  points?: boolean;
  /** Facet field: one panel per value (shared axes), wrapping after `facetColumns` (default 2). */
  facet?: string;
  facetTitle?: string;
  facetColumns?: number;
}

/** Line chart (training-loss curves, convergence curves), optional log x / log y. */
export function lineChartSpec(options: LineChartOptions): VegaLiteSpec {
  const builder = "lineChartSpec";
  let rows = requireRows(builder, options.data);
  const x = requireField(builder, "x", options.x, rows);
  const y = requireField(builder, "y", options.y, rows);
  const series = options.series === undefined
    ? undefined
    : requireField(builder, "series", options.series, rows);
  const xTitle = requireTitle(builder, "xTitle", options.xTitle);
  const yTitle = requireTitle(builder, "yTitle", options.yTitle);
  const guard = options.logGuard ?? "drop";
  const notes: string[] = [];
  for (const [field, axisName, log] of [[x, "x", !!options.logX], [y, "y", !!options.logY]] as const) {
    const cleaned = cleanQuantitative(builder, rows, field, axisName, log, guard);
    rows = cleaned.rows;
    notes.push(...cleaned.notes);
  }
  const [xMin, xMax] = extent(rows, x);
  const [yMin, yMax] = extent(rows, y);
  const seriesCount = series ? new Set(rows.map((row) => String(row[series]))).size : 1;
  const points = options.points ?? rows.length / seriesCount <= 50;
  const encoding: Record<string, unknown> = {
    x: {
      field: x,
      type: "quantitative",
      title: xTitle,
      scale: options.logX ? { type: "log" } : { zero: false },
      axis: options.logX ? logAxis(xMin, xMax, { maxTicks: 6 }) : integerAxisIfIntegers(rows, x),
    },
    y: {
      field: y,
      type: "quantitative",
      title: yTitle,
      scale: options.logY ? { type: "log" } : { zero: false },
      axis: options.logY ? logAxis(yMin, yMax) : {},
    },
  };
  if (series) {
    encoding.color = {
      field: series,
      type: "nominal",
      title: options.seriesTitle ?? series,
      scale: categoryScheme(rows, series, options.seriesDomain),
    };
  }
  const inner = {
    width: positiveInteger(builder, "width", options.width, 480),
    height: positiveInteger(builder, "height", options.height, 300),
    mark: { type: "line", point: points, strokeWidth: 2, clip: true },
    encoding,
  };
  if (options.facet === undefined) {
    const { width, height, mark } = inner;
    return finishSpec({ width, height, data: { values: rows }, mark, encoding }, options, notes, "line");
  }
  const facet = requireField(builder, "facet", options.facet, rows);
  return finishSpec(
    {
      data: { values: rows },
      facet: {
        field: facet,
        type: "nominal",
        title: options.facetTitle ?? facet,
        sort: naturalOrder(rows, facet),
      },
      columns: options.facetColumns ?? 2,
      spec: inner,
    },
    options,
    notes,
    "line",
  );
}

// ---------------------------------------------------------------------------------------------
// 2. Boxplot grid (NN2Poly simulation figure)

/** Options for {@link boxplotGridSpec}. */
export interface BoxplotGridOptions extends CommonFigureOptions {
  data: readonly Row[];
  /** Discrete x field, e.g. number of hidden layers. */
  x: string;
  /** Quantitative field, e.g. MSE. */
  y: string;
  /** Colour / side-by-side grouping field, e.g. activation. */
  color: string;
  /** Facet column field, e.g. width (optional). */
  column?: string;
  /** Facet row field, e.g. panel = "MSE(NN, poly)" / "MSE(NN, Y)" (optional). */
  row?: string;
  xTitle: string;
  yTitle: string;
  colorTitle?: string;
  columnTitle?: string;
  rowTitle?: string;
  /** Log y axis (default true). */
  logY?: boolean;
  /** Whisker extent: IQR multiple (default 1.5, Tukey; points beyond are outliers) or "min-max". */
  extent?: number | "min-max";
  /** Give every facet its own y scale (default false: one shared y scale). */
  independentY?: boolean;
}

/** Sort values naturally: numbers ascending, then strings in first-seen order. */
function naturalOrder(rows: Row[], field: string): unknown[] {
  const seen: unknown[] = [];
  for (const row of rows) if (!seen.includes(row[field])) seen.push(row[field]);
  if (seen.every((v) => typeof v === "number")) return (seen as number[]).sort((a, b) => a - b);
  return seen;
}

/** Boxplot grid: y (log by default) by discrete x, coloured by `color`, faceted by column/row. */
export function boxplotGridSpec(options: BoxplotGridOptions): VegaLiteSpec {
  const builder = "boxplotGridSpec";
  const all = requireRows(builder, options.data);
  const x = requireField(builder, "x", options.x, all);
  const y = requireField(builder, "y", options.y, all);
  const color = requireField(builder, "color", options.color, all);
  const column = options.column === undefined
    ? undefined
    : requireField(builder, "column", options.column, all);
  const row = options.row === undefined ? undefined : requireField(builder, "row", options.row, all);
  const xTitle = requireTitle(builder, "xTitle", options.xTitle);
  const yTitle = requireTitle(builder, "yTitle", options.yTitle);
  const logY = options.logY ?? true;
  const extentOption = options.extent ?? 1.5;
  if (extentOption !== "min-max" && !(typeof extentOption === "number" && extentOption > 0)) {
    fail(builder, `\`extent\` must be a positive IQR multiple or "min-max", got ${extentOption}`);
  }
  const { rows, notes } = cleanQuantitative(builder, all, y, "y", logY, options.logGuard ?? "drop");
  const [yMin, yMax] = extent(rows, y);
  const independentY = !!options.independentY;
  const colorOrder = naturalOrder(rows, color);
  const inner: Record<string, unknown> = {
    width: positiveInteger(builder, "width", options.width, 240),
    height: positiveInteger(builder, "height", options.height, 260),
    mark: {
      type: "boxplot",
      extent: extentOption,
      size: 14,
      median: { color: "black" },
      outliers: { size: 16 },
    },
    encoding: {
      x: { field: x, type: "ordinal", title: xTitle, sort: naturalOrder(rows, x) },
      xOffset: { field: color, type: "nominal", sort: colorOrder },
      y: {
        field: y,
        type: "quantitative",
        title: yTitle,
        scale: logY ? { type: "log" } : { zero: false },
        axis: logY
          ? logAxis(yMin, yMax, {
            sharedTicks: !independentY,
            majorLabelsOnly: minFacetDecades(rows, y, [column, row]) >= 1,
          })
          : {},
      },
      color: {
        field: color,
        type: "nominal",
        title: options.colorTitle ?? color,
        sort: colorOrder,
        scale: categoryScheme(rows, color),
      },
    },
  };
  let body: VegaLiteSpec;
  if (column || row) {
    const facet: Record<string, unknown> = {};
    if (column) {
      facet.column = {
        field: column,
        type: "ordinal",
        title: options.columnTitle ?? column,
        sort: naturalOrder(rows, column),
      };
    }
    if (row) {
      facet.row = {
        field: row,
        type: "ordinal",
        title: options.rowTitle ?? row,
        sort: naturalOrder(rows, row),
      };
    }
    body = { data: { values: rows }, facet, spec: inner };
    if (independentY) body.resolve = { scale: { y: "independent" } };
  } else {
    body = { data: { values: rows }, ...inner };
  }
  return finishSpec(body, options, notes, "boxplot");
}

// ---------------------------------------------------------------------------------------------
// 3. Scatter with identity line

/** Options for {@link scatterSpec}, e.g. x = NN prediction, y = polynomial prediction. */
export interface ScatterOptions extends CommonFigureOptions {
  data: readonly Row[];
  x: string;
  y: string;
  xTitle: string;
  yTitle: string;
  /** Colour field (optional). */
  color?: string;
  colorTitle?: string;
  /** Every colour value in order (optional): the same value gets the same colour in every figure. */
  colorDomain?: readonly string[];
  /** Facet field; facets wrap after `facetColumns` (default 3). */
  facet?: string;
  facetTitle?: string;
  facetColumns?: number;
  /** Draw the y = x line and use equal x/y domains (default true). */
  identityLine?: boolean;
  /** Log scale on both axes. */
  log?: boolean;
}

/** Scatter of y vs x with the dashed y = x reference line (equal domains), optionally faceted. */
export function scatterSpec(options: ScatterOptions): VegaLiteSpec {
  const builder = "scatterSpec";
  let rows = requireRows(builder, options.data);
  const x = requireField(builder, "x", options.x, rows);
  const y = requireField(builder, "y", options.y, rows);
  const color = options.color === undefined ? undefined : requireField(builder, "color", options.color, rows);
  const facetField = options.facet === undefined
    ? undefined
    : requireField(builder, "facet", options.facet, rows);
  const xTitle = requireTitle(builder, "xTitle", options.xTitle);
  const yTitle = requireTitle(builder, "yTitle", options.yTitle);
  const log = !!options.log;
  const identity = options.identityLine ?? true;
  const notes: string[] = [];
  for (const [field, axisName] of [[x, "x"], [y, "y"]] as const) {
    const cleaned = cleanQuantitative(builder, rows, field, axisName, log, options.logGuard ?? "drop");
    rows = cleaned.rows;
    notes.push(...cleaned.notes);
  }
  const [xMin, xMax] = extent(rows, x);
  const [yMin, yMax] = extent(rows, y);
  let lo = Math.min(xMin, yMin);
  let hi = Math.max(xMax, yMax);
  if (lo === hi) {
    lo = log ? lo / 2 : lo - 1;
    hi = log ? hi * 2 : hi + 1;
  }
  if (log) {
    // Widen to whole decades so the power-of-ten ticks fall inside the (non-nice) shared domain.
    lo = Number(`1e${Math.floor(Math.log10(lo))}`);
    hi = Number(`1e${Math.ceil(Math.log10(hi))}`);
  }
  const scale: Record<string, unknown> = log ? { type: "log" } : { type: "linear", zero: false };
  if (identity) Object.assign(scale, { domain: [lo, hi], nice: false });
  const size = positiveInteger(builder, "width", options.width, 320);
  const pointEncoding: Record<string, unknown> = {
    x: {
      field: x,
      type: "quantitative",
      title: xTitle,
      scale,
      axis: log ? logAxis(identity ? lo : xMin, identity ? hi : xMax, { maxTicks: 6 }) : {},
    },
    y: {
      field: y,
      type: "quantitative",
      title: yTitle,
      scale,
      axis: log ? logAxis(identity ? lo : yMin, identity ? hi : yMax) : {},
    },
  };
  if (color) {
    pointEncoding.color = {
      field: color,
      type: "nominal",
      title: options.colorTitle ?? color,
      scale: categoryScheme(rows, color, options.colorDomain),
    };
  }
  const pointLayer = {
    mark: { type: "point", filled: true, opacity: 0.6, size: rows.length > 2000 ? 8 : 24, clip: true },
    encoding: pointEncoding,
  };
  const layers: Record<string, unknown>[] = [];
  if (identity) {
    layers.push({
      mark: { type: "rule", strokeDash: [6, 4], color: "#555", strokeWidth: 1.5 },
      encoding: { x: { datum: lo }, y: { datum: lo }, x2: { datum: hi }, y2: { datum: hi } },
    });
    notes.push("dashed line: y = x");
  }
  layers.push(pointLayer);
  const inner = {
    width: size,
    height: positiveInteger(builder, "height", options.height, size),
    layer: layers,
  };
  const body: VegaLiteSpec = facetField
    ? {
      data: { values: rows },
      facet: {
        field: facetField,
        type: "nominal",
        title: options.facetTitle ?? facetField,
        sort: naturalOrder(rows, facetField),
      },
      columns: options.facetColumns ?? 3,
      spec: inner,
    }
    : { data: { values: rows }, ...inner };
  return finishSpec(body, options, notes, "scatter");
}

// ---------------------------------------------------------------------------------------------
// 4. Bar chart with error bars (top coefficients)

/** Options for {@link coefficientBarSpec}. */
export interface CoefficientBarOptions extends CommonFigureOptions {
  data: readonly Row[];
  /** Field with the term label, e.g. "x1*x3^2". */
  label: string;
  /** Field with the value (e.g. mean coefficient across repetitions). */
  value: string;
  /** Field with the ± error (e.g. sd); rows without a finite error get no bar. */
  error?: string;
  /** Title of the value axis. */
  valueTitle: string;
  /** Title of the label axis. */
  labelTitle: string;
  /** Keep the `topK` rows with the largest |value| (default 10). */
  topK?: number;
  /** Widest label in pixels before it is cut with "…" (default 240). */
  labelLimit?: number;
}

/** Horizontal bars sorted by |value|, ±error bars, colour = sign (positive blue, negative red). */
export function coefficientBarSpec(options: CoefficientBarOptions): VegaLiteSpec {
  const builder = "coefficientBarSpec";
  const all = requireRows(builder, options.data);
  const label = requireField(builder, "label", options.label, all);
  const value = requireField(builder, "value", options.value, all);
  if (options.error !== undefined && (typeof options.error !== "string" || options.error === "")) {
    fail(builder, "`error` must name the field holding the ± error (rows may omit it)");
  }
  const error = options.error;
  const valueTitle = requireTitle(builder, "valueTitle", options.valueTitle);
  const labelTitle = requireTitle(builder, "labelTitle", options.labelTitle);
  const topK = options.topK ?? 10;
  if (!Number.isInteger(topK) || topK < 1) fail(builder, `\`topK\` must be a positive integer, got ${topK}`);
  const { rows: finite, notes } = cleanQuantitative(builder, all, value, "value", false, "drop");
  const labels = new Set<string>();
  for (const row of finite) {
    const text = String(row[label]);
    if (labels.has(text)) {
      fail(builder, `label '${text}' appears twice in field '${label}' — labels must be unique`);
    }
    labels.add(text);
  }
  const sorted = [...finite].sort((a, b) =>
    Math.abs(b[value] as number) - Math.abs(a[value] as number) ||
    String(a[label]).localeCompare(String(b[label]))
  );
  const top = sorted.slice(0, topK).map((row) => {
    const v = row[value] as number;
    const e = error ? row[error] : undefined;
    const hasError = typeof e === "number" && Number.isFinite(e);
    return {
      label: String(row[label]),
      value: v,
      sign: v >= 0 ? "positive" : "negative",
      lower: hasError ? v - Math.abs(e) : null,
      upper: hasError ? v + Math.abs(e) : null,
    };
  });
  if (sorted.length > topK) notes.push(`showing the top ${topK} of ${sorted.length} by |${value}|`);
  const order = top.map((row) => row.label);
  const yEncoding = {
    field: "label",
    type: "nominal",
    title: labelTitle,
    sort: order,
    axis: { labelLimit: positiveInteger(builder, "labelLimit", options.labelLimit, 240) },
  };
  const layers: Record<string, unknown>[] = [{
    mark: { type: "bar", height: { band: 0.7 } },
    encoding: {
      y: yEncoding,
      x: { field: "value", type: "quantitative", title: valueTitle },
      color: {
        field: "sign",
        type: "nominal",
        title: "sign",
        scale: { domain: ["positive", "negative"], range: ["#4c78a8", "#e45756"] },
      },
    },
  }];
  layers.push({ mark: { type: "rule", color: "#333" }, encoding: { x: { datum: 0 } } });
  if (error && top.some((row) => row.lower !== null)) {
    layers.push({
      transform: [{ filter: "datum.lower !== null" }],
      mark: { type: "errorbar", ticks: true, color: "black" },
      encoding: {
        y: yEncoding,
        x: { field: "lower", type: "quantitative", title: valueTitle },
        x2: { field: "upper" },
      },
    });
    notes.push(`error bars: ±${error}`);
  }
  return finishSpec(
    {
      width: positiveInteger(builder, "width", options.width, 420),
      height: positiveInteger(builder, "height", options.height, Math.max(120, 26 * top.length)),
      data: { values: top },
      layer: layers,
    },
    options,
    notes,
    "bar",
  );
}

// ---------------------------------------------------------------------------------------------
// 5. Heat map

/** Options for {@link heatmapSpec}: `values[i][j]` is the cell of row `rowLabels[i]`, column `colLabels[j]`. */
export interface HeatmapOptions extends CommonFigureOptions {
  values: readonly (readonly (number | null)[])[];
  rowLabels: readonly string[];
  colLabels: readonly string[];
  /** Title of the x axis (columns). */
  xTitle: string;
  /** Title of the y axis (rows). */
  yTitle: string;
  /** Legend title for the colour scale. */
  colorTitle: string;
  /** Diverging colours centred at 0 (default: when values have both signs). */
  diverging?: boolean;
  /** Print each value in its cell, with this many significant digits (default off). */
  showValues?: number;
}

/** Heat map of a rows × cols matrix (e.g. feature-importance maps). Non-finite cells are left blank. */
export function heatmapSpec(options: HeatmapOptions): VegaLiteSpec {
  const builder = "heatmapSpec";
  const { values, rowLabels, colLabels } = options;
  if (!Array.isArray(values) || values.length === 0) {
    fail(builder, "`values` is empty — pass a non-empty rows × cols matrix");
  }
  if (!Array.isArray(rowLabels) || rowLabels.length !== values.length) {
    fail(
      builder,
      `\`rowLabels\` must have one label per row of \`values\` (${values.length}), got ${rowLabels?.length}`,
    );
  }
  if (!Array.isArray(colLabels) || colLabels.length === 0) {
    fail(builder, "`colLabels` is empty — one label per column");
  }
  values.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== colLabels.length) {
      fail(
        builder,
        `values[${i}] has ${row?.length} entries but \`colLabels\` has ${colLabels.length} — make them match`,
      );
    }
  });
  if (new Set(rowLabels).size !== rowLabels.length) fail(builder, "`rowLabels` must be unique");
  if (new Set(colLabels).size !== colLabels.length) fail(builder, "`colLabels` must be unique");
  const xTitle = requireTitle(builder, "xTitle", options.xTitle);
  const yTitle = requireTitle(builder, "yTitle", options.yTitle);
  const colorTitle = requireTitle(builder, "colorTitle", options.colorTitle);
  const cells = values.flatMap((row, i) =>
    row.map((value: number | null, j: number) => ({ row: rowLabels[i], col: colLabels[j], value }))
  );
  const rows = cells.filter((cell) => typeof cell.value === "number" && Number.isFinite(cell.value));
  if (rows.length === 0) fail(builder, "`values` has no finite entries — nothing to draw");
  const notes: string[] = [];
  const blank = cells.length - rows.length;
  if (blank > 0) notes.push(`${plural(blank, "non-finite or missing cell")} left blank`);
  const [min, max] = extent(rows, "value");
  const diverging = options.diverging ?? (min < 0 && max > 0);
  const colorScale = diverging ? { scheme: "redblue", domainMid: 0, reverse: true } : { scheme: "viridis" };
  const cellSize = 28;
  const layers: Record<string, unknown>[] = [{
    mark: { type: "rect" },
    encoding: {
      color: { field: "value", type: "quantitative", title: colorTitle, scale: colorScale },
    },
  }];
  if (options.showValues !== undefined) {
    const digits = options.showValues;
    if (!Number.isInteger(digits) || digits < 1) {
      fail(builder, `\`showValues\` must be a positive integer (significant digits), got ${digits}`);
    }
    layers.push({
      mark: { type: "text", fontSize: 11 },
      encoding: {
        text: { field: "value", type: "quantitative", format: `.${digits}~g` },
        // White text on the dark ends of the colour scale, black elsewhere.
        color: {
          condition: {
            test: diverging
              ? `abs(datum.value) > ${0.6 * Math.max(Math.abs(min), Math.abs(max))}`
              : `datum.value < ${min + 0.4 * (max - min)}`,
            value: "white",
          },
          value: "black",
        },
      },
    });
  }
  return finishSpec(
    {
      width: positiveInteger(builder, "width", options.width, Math.max(160, cellSize * colLabels.length)),
      height: positiveInteger(builder, "height", options.height, Math.max(120, cellSize * rowLabels.length)),
      data: { values: rows },
      encoding: {
        x: {
          field: "col",
          type: "ordinal",
          title: xTitle,
          sort: [...colLabels],
          axis: { labelAngle: colLabels.some((l) => l.length > 3) ? -45 : 0 },
        },
        y: { field: "row", type: "ordinal", title: yTitle, sort: [...rowLabels] },
      },
      layer: layers,
    },
    options,
    notes,
    "heatmap",
  );
}

// ---------------------------------------------------------------------------------------------
// 6. Dispatch by kind

/** A figure request tagged with its kind; use {@link figureSpec} to build it. */
export type FigureRequest =
  | ({ kind: "line" } & LineChartOptions)
  | ({ kind: "boxplot" } & BoxplotGridOptions)
  | ({ kind: "scatter" } & ScatterOptions)
  | ({ kind: "bar" } & CoefficientBarOptions)
  | ({ kind: "heatmap" } & HeatmapOptions)
  | { kind: "vega-lite"; spec: VegaLiteSpec };

/** The figure kinds {@link figureSpec} understands. */
export const FIGURE_KINDS = ["line", "boxplot", "scatter", "bar", "heatmap", "vega-lite"] as const;

/**
 * Build the vega-lite spec for a tagged request. `kind: "vega-lite"` passes a hand-written spec
 * through unchanged (rendered with the default theme by renderSvg/writeFigure).
 */
export function figureSpec(request: FigureRequest): VegaLiteSpec {
  switch (request?.kind) {
    case "line":
      return lineChartSpec(request);
    case "boxplot":
      return boxplotGridSpec(request);
    case "scatter":
      return scatterSpec(request);
    case "bar":
      return coefficientBarSpec(request);
    case "heatmap":
      return heatmapSpec(request);
    case "vega-lite":
      if (typeof request.spec !== "object" || request.spec === null) {
        fail("figureSpec", "`spec` must be a vega-lite spec object for kind 'vega-lite'");
      }
      return request.spec;
    default:
      return fail(
        "figureSpec",
        `unknown figure \`kind\` '${(request as { kind?: unknown })?.kind}' — use one of ${
          FIGURE_KINDS.join(", ")
        }`,
      );
  }
}
