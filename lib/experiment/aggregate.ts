/**
 * From cell records to the run's tables (CSV + Markdown), figures (SVG/PNG) and report
 * sections. Everything here is deterministic in the records: no clocks, no timings in CSVs.
 *
 * @module
 */

import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic.ts";
import {
  boxplotGridSpec,
  coefficientBarSpec,
  figureNotes,
  lineChartSpec,
  type Row,
  scatterSpec,
  writeFigure,
} from "../report/figures.ts";
import type { ReportFigure, ReportTable } from "../report/report.ts";
import { summarize } from "../report/stats.ts";
import { type CellValue, type Table, toCsv, toMarkdown } from "../report/tables.ts";
import type { CellRecord } from "./cell.ts";
import { methodLabel } from "./methods.ts";
import { methodOfInstance } from "./method_registry.ts";
import { describe } from "./plan.ts";
import type { Experiment } from "./schema.ts";

/** Short column name of a grid path (`model.layers` → `layers`), unique within the grid. */
export function shortNames(paths: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of paths) {
    const last = p.split(".").pop()!;
    out[p] = paths.filter((q) => q.split(".").pop() === last).length > 1 ? p.replaceAll(".", "_") : last;
  }
  return out;
}

function gridColumns(record: CellRecord, names: Record<string, string>): Record<string, CellValue> {
  const row: Record<string, CellValue> = {};
  for (const [path, name] of Object.entries(names)) {
    const v = record.params[path];
    row[name] = typeof v === "object" ? JSON.stringify(v) : (v as CellValue);
  }
  return row;
}

/** A table written as CSV (full precision) and Markdown (4 significant digits). */
export interface WrittenTable {
  name: string;
  table: Table;
  caption: string;
}

/** Builds the tables of a run from its records (sorted by cell index). */
export function buildTables(config: Experiment, gridPaths: string[], records: CellRecord[]): WrittenTable[] {
  const names = shortNames(gridPaths);
  const gridNames = Object.values(names);
  const metricNames = [...new Set(records.flatMap((r) => Object.keys(r.metrics)))].sort();
  const tables: WrittenTable[] = [];
  const wanted = new Set(config.outputs.tables);
  if (wanted.has("cells")) {
    tables.push({
      name: "cells",
      caption: "Every cell and repetition (test-set metrics)",
      table: {
        columns: ["cell", ...gridNames, "repetition", "status", "reason", ...metricNames],
        rows: records.map((r) => ({
          cell: r.id,
          ...gridColumns(r, names),
          repetition: r.repetition,
          status: r.status,
          reason: r.reason ?? "",
          ...Object.fromEntries(metricNames.map((m) => [m, r.metrics[m] ?? null])),
        })),
      },
    });
  }
  const byGrid = groupBy(records, (r) => r.gridIndex);
  if (wanted.has("summary")) {
    const columns = [...gridNames, "n", "failed"];
    for (const m of metricNames) columns.push(`${m}_median`, `${m}_q1`, `${m}_q3`);
    tables.push({
      name: "summary",
      caption: "Median [Q1, Q3] across repetitions per grid point",
      table: {
        columns,
        rows: [...byGrid.values()].map((group) => {
          const row: Record<string, CellValue> = {
            ...gridColumns(group[0], names),
            n: group.length,
            failed: group.filter((r) => r.status !== "ok").length,
          };
          for (const m of metricNames) {
            const s = summarize(group.map((r) => (r.status === "ok" ? r.metrics[m] : null)));
            row[`${m}_median`] = s.median;
            row[`${m}_q1`] = s.q1;
            row[`${m}_q3`] = s.q3;
          }
          return row;
        }),
      },
    });
  }
  if (wanted.has("convergence") && records.some((r) => r.convergence.length > 0)) {
    const rows: Record<string, CellValue>[] = [];
    for (const group of byGrid.values()) {
      const keys = [
        ...new Set(group.flatMap((r) => r.convergence.map((c) => `${c.method}\u0000${c.order}`))),
      ];
      for (const key of keys) {
        const [method, order] = key.split("\u0000");
        const values = group.map((r) =>
          r.convergence.find((c) => c.method === method && String(c.order) === order)?.mse_nn ?? null
        );
        const s = summarize(values);
        rows.push({
          ...gridColumns(group[0], names),
          method,
          order: Number(order),
          n: s.n,
          mse_nn_median: s.median,
          mse_nn_q1: s.q1,
          mse_nn_q3: s.q3,
        });
      }
    }
    tables.push({
      name: "convergence",
      caption: "MSE between the network and the polynomial by polynomial order (median [Q1, Q3])",
      table: { rows },
    });
  }
  if (wanted.has("convergence") && records.some((r) => r.radius?.length)) {
    tables.push({
      name: "radius",
      caption:
        "MSE(NN, method) on the test points within distance r of a local method's centre (median [Q1, Q3])",
      table: { rows: radiusRows(byGrid, names) },
    });
  }
  if (wanted.has("coefficients") && records.some((r) => r.coefficients)) {
    const rows: Record<string, CellValue>[] = [];
    for (const group of byGrid.values()) {
      const ok = group.filter((r) => r.coefficients);
      const methods = [...new Set(ok.flatMap((r) => Object.keys(r.coefficients!)))];
      for (const method of methods) {
        const first = ok.find((r) => r.coefficients![method])!.coefficients![method];
        first.values.forEach((_, o) => {
          first.labels.forEach((label, t) => {
            const values = ok.map((r) => r.coefficients![method]?.values[o][t] ?? null);
            const s = summarize(values);
            rows.push({
              ...gridColumns(group[0], names),
              method,
              output: o + 1,
              term: JSON.stringify(label),
              n: s.n,
              mean: s.mean,
              sd: s.sd,
              median: s.median,
            });
          });
        });
      }
    }
    tables.push({
      name: "coefficients",
      caption: "Polynomial coefficients across repetitions",
      table: { rows },
    });
  }
  if (
    wanted.has("methods") && records.some((r) => Object.keys(r.metrics).some((m) => m.startsWith("size_")))
  ) {
    tables.push({
      name: "methods",
      caption: "Each method per grid point: size and test-set errors (median [Q1, Q3] across repetitions)",
      table: { rows: methodRows(byGrid, names) },
    });
    tables.push({
      name: "timings",
      caption:
        "Build time of each method per grid point, seconds (median [Q1, Q3]; a measurement, not reproducible)",
      table: { rows: timingRows(byGrid, names) },
    });
  }
  return tables;
}

/** Method instance names of the records that carry sizes (`size_<m>`), in metric order. */
function sizedMethods(records: readonly CellRecord[]): string[] {
  const out: string[] = [];
  for (const r of records) {
    for (const k of Object.keys(r.metrics)) {
      if (k.startsWith("size_") && !out.includes(k.slice(5))) out.push(k.slice(5));
    }
  }
  return out;
}

/**
 * One row per grid point and sized method: the grid columns, `method`, then `columns(m, ok)` over
 * the grid point's finished cells.
 */
function perMethodRows(
  byGrid: Map<number, CellRecord[]>,
  names: Record<string, string>,
  columns: (m: string, ok: CellRecord[]) => Record<string, CellValue>,
): Record<string, CellValue>[] {
  const rows: Record<string, CellValue>[] = [];
  for (const group of byGrid.values()) {
    const ok = group.filter((r) => r.status === "ok");
    for (const m of sizedMethods(ok)) {
      rows.push({ ...gridColumns(group[0], names), method: m, ...columns(m, ok) });
    }
  }
  return rows;
}

function methodRows(
  byGrid: Map<number, CellRecord[]>,
  names: Record<string, string>,
): Record<string, CellValue>[] {
  return perMethodRows(byGrid, names, (m, ok) => {
    const metric = (key: string) => summarize(ok.map((r) => r.metrics[key] ?? null));
    const mseNn = metric(`mse_nn_${m}`);
    return {
      unit: methodOfInstance(m)?.sizeUnit ?? "",
      n: mseNn.n,
      size: metric(`size_${m}`).median,
      mse_nn_median: mseNn.median,
      mse_nn_q1: mseNn.q1,
      mse_nn_q3: mseNn.q3,
      mse_y_median: metric(`mse_${m}_y`).median,
      r2_nn_median: metric(`r2_nn_${m}`).median,
    };
  });
}

function timingRows(
  byGrid: Map<number, CellRecord[]>,
  names: Record<string, string>,
): Record<string, CellValue>[] {
  return perMethodRows(byGrid, names, (m, ok) => {
    const s = summarize(ok.map((r) => r.timings[`method_${m}`] ?? null));
    return { n: s.n, build_seconds_median: s.median, build_seconds_q1: s.q1, build_seconds_q3: s.q3 };
  });
}

function radiusRows(
  byGrid: Map<number, CellRecord[]>,
  names: Record<string, string>,
): Record<string, CellValue>[] {
  const rows: Record<string, CellValue>[] = [];
  for (const group of byGrid.values()) {
    const points = group.flatMap((r) => r.radius ?? []);
    const keys = [...new Set(points.map((c) => `${c.method}\u0000${c.radius}`))];
    for (const key of keys) {
      const [method, radius] = key.split("\u0000");
      const at = group.map((r) => r.radius?.find((c) => c.method === method && String(c.radius) === radius));
      const s = summarize(at.map((c) => c?.mse_nn ?? null));
      rows.push({
        ...gridColumns(group[0], names),
        method,
        radius: Number(radius),
        points_median: summarize(at.map((c) => c?.n ?? null)).median,
        n: s.n,
        mse_nn_median: s.median,
        mse_nn_q1: s.q1,
        mse_nn_q3: s.q3,
      });
    }
  }
  return rows;
}

/** Writes each table as `tables/NAME.csv` and `tables/NAME.md`; returns report entries. */
export async function writeTables(runDir: string, tables: WrittenTable[]): Promise<ReportTable[]> {
  const out: ReportTable[] = [];
  for (const t of tables) {
    await writeFileAtomic(join(runDir, "tables", `${t.name}.csv`), toCsv(t.table));
    await writeFileAtomic(join(runDir, "tables", `${t.name}.md`), toMarkdown(t.table) + "\n");
    out.push({ caption: t.caption, table: t.table, csvPath: `tables/${t.name}.csv` });
  }
  return out;
}

function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const it of items) m.set(key(it), [...(m.get(key(it)) ?? []), it]);
  return m;
}

/** A point of a per-method curve from one cell. */
interface CurveEntry {
  record: CellRecord;
  method: string;
  x: number;
  y: number | null;
}

/**
 * How per-method curves are drawn: one line per method and grid point when there are few (≤ 12),
 * else one line per method, pooled (median) over the other grid paths, one panel per value of the
 * first grid path (and of the second, when there is one).
 */
function curveLayout(
  ok: readonly CellRecord[],
  gridPaths: readonly string[],
  names: Record<string, string>,
  label: (r: CellRecord) => string,
) {
  const points = new Set(ok.map((r) => r.gridIndex)).size;
  const methods =
    new Set(ok.flatMap((r) => Object.keys(r.metrics).filter((m) => m.startsWith("mse_nn_")))).size;
  const pooled = points * methods > 12 && gridPaths.length > 0;
  const panelPaths = pooled ? gridPaths.slice(0, 2) : [];
  const panelOf = (r: CellRecord) =>
    panelPaths.length ? panelPaths.map((p) => String(r.params[p])).join(" · ") : undefined;
  const seriesOf = (method: string, r: CellRecord) =>
    pooled ? methodLabel(method) : `${methodLabel(method)} · ${label(r)}`;
  const columns = pooled ? new Set(ok.map((r) => String(r.params[gridPaths[0]]))).size : 1;
  // pooled: one colour per method, the same in every figure
  const domain = pooled
    ? [...new Set(ok.flatMap((r) => Object.keys(r.metrics)))].filter((m) =>
      /^mse_nn_/.test(m) && m !== "mse_nn_y" && !/_c\d+$/.test(m)
    )
      .map((m) => methodLabel(m.slice("mse_nn_".length))).sort()
    : undefined;
  const pooledOver = gridPaths.slice(2).map((p) => names[p]);
  const facet = pooled
    ? {
      facet: "facet",
      facetTitle: panelPaths.map((p) => names[p]).join(" · "),
      facetColumns: Math.min(columns, 4),
      width: 240,
      height: 200,
    }
    : {};
  /** Groups entries by (series, panel[, x]) and takes medians. */
  const group = (entries: readonly CurveEntry[], byX: boolean) => {
    const groups = new Map<string, { series: string; panel?: string; xs: number[]; ys: (number | null)[] }>();
    for (const e of entries) {
      const series = seriesOf(e.method, e.record), panel = panelOf(e.record);
      const key = JSON.stringify([series, panel, byX ? e.x : null]);
      const g = groups.get(key) ?? { series, panel, xs: [], ys: [] };
      g.xs.push(e.x);
      g.ys.push(e.y);
      groups.set(key, g);
    }
    return [...groups.values()];
  };
  const row = (x: string, xv: number, y: string, yv: number, g: { series: string; panel?: string }): Row => ({
    [x]: xv,
    [y]: yv,
    series: g.series,
    ...(g.panel !== undefined ? { facet: g.panel } : {}),
  });
  return {
    seriesTitle: pooled ? "method" : "method · grid point",
    /** Colour domain of the series (pooled curves only). */
    domain,
    caption: pooled
      ? `; median over the repetitions${pooledOver.length ? ` and over ${pooledOver.join(", ")}` : ""}`
      : " (median over the repetitions)",
    facet,
    /** Curve rows: the median y at each x, per series and panel. */
    rows(entries: readonly CurveEntry[], x: string, y: string): Row[] {
      return group(entries, true).sort((a, b) => a.xs[0] - b.xs[0])
        .map((g) => row(x, g.xs[0], y, summarize(g.ys).median, g));
    },
    /** One point per series and panel: the medians of x and of y. */
    points(entries: readonly CurveEntry[], x: string, y: string): Row[] {
      return group(entries, false).map((g) => row(x, summarize(g.xs).median, y, summarize(g.ys).median, g));
    },
  };
}

/** Builds and writes the requested figures; returns report entries. */
export async function writeFigures(
  runDir: string,
  config: Experiment,
  gridPaths: string[],
  records: CellRecord[],
): Promise<ReportFigure[]> {
  const names = shortNames(gridPaths);
  const formats = config.outputs.formats;
  const figures: ReportFigure[] = [];
  const ok = records.filter((r) => r.status === "ok");
  const label = (r: CellRecord) =>
    describe(Object.fromEntries(Object.entries(r.params).map(([k, v]) => [names[k], v])));
  const emit = async (name: string, caption: string, spec: object) => {
    await writeFigure(join(runDir, "figures", name), spec, { formats });
    figures.push({
      caption,
      path: `figures/${name}.${formats.includes("svg") ? "svg" : "png"}`,
      notes: figureNotes(spec),
    });
  };
  const wanted = new Set(config.outputs.figures);
  // the first successful repetition of each grid point (records come in plan order)
  const seen = new Set<number>();
  const firstReps = ok.filter((r) => !seen.has(r.gridIndex) && seen.add(r.gridIndex));

  if (wanted.has("loss")) {
    const rows: Row[] = [];
    for (const r of firstReps) {
      r.history.trainLoss.forEach((v, e) =>
        rows.push({ epoch: e + 1, loss: v, cell: label(r), split: "train" })
      );
    }
    if (rows.length > 0) {
      await emit(
        "loss",
        "Training loss per epoch (first repetition of each grid point)",
        lineChartSpec({
          data: rows,
          x: "epoch",
          y: "loss",
          series: "cell",
          xTitle: "epoch",
          yTitle: "training loss (MSE)",
          seriesTitle: "grid point",
          logY: true,
        }),
      );
    }
  }
  const methods = [...new Set(ok.flatMap((r) => r.convergence.map((c) => c.method)))];
  const layout = curveLayout(ok, gridPaths, names, label);
  const manyLines = new Set(ok.map((r) => r.gridIndex)).size * methods.length > 12 && gridPaths.length > 0;
  if (wanted.has("convergence") && methods.length > 0 && manyLines) {
    // too many lines for one panel: pooled per method, one panel per value of the first grid paths
    const entries = ok.flatMap((r) =>
      r.convergence.map((c) => ({ record: r, method: c.method, x: c.order, y: c.mse_nn }))
    );
    await emit(
      "convergence",
      `Convergence: median MSE(NN, method) on the test set against the method's order${layout.caption}`,
      lineChartSpec({
        data: layout.rows(entries, "order", "mse"),
        x: "order",
        y: "mse",
        series: "series",
        xTitle: "order (Q, K or degree)",
        yTitle: "median MSE(NN, method)",
        seriesTitle: layout.seriesTitle,
        ...(layout.domain ? { seriesDomain: layout.domain } : {}),
        logY: true,
        points: true,
        ...layout.facet,
      }),
    );
  } else if (wanted.has("convergence") && methods.length > 0) {
    const rows: Row[] = [];
    for (const group of groupBy(ok, (r) => r.gridIndex).values()) {
      for (const method of methods) {
        const orders = [
          ...new Set(
            group.flatMap((r) => r.convergence.filter((c) => c.method === method).map((c) => c.order)),
          ),
        ].sort((a, b) => a - b);
        for (const order of orders) {
          const s = summarize(
            group.map((r) =>
              r.convergence.find((c) => c.method === method && c.order === order)?.mse_nn ?? null
            ),
          );
          rows.push({
            order,
            mse: s.median,
            series: `${methodLabel(method)} · ${label(group[0])}`,
          });
        }
      }
    }
    await emit(
      "convergence",
      "Convergence: median MSE(NN, polynomial) on the test set against the polynomial's maximum order",
      lineChartSpec({
        data: rows,
        x: "order",
        y: "mse",
        series: "series",
        xTitle: "maximum polynomial order",
        yTitle: "median MSE(NN, polynomial)",
        seriesTitle: "method · grid point",
        logY: true,
        points: true,
      }),
    );
  }
  if (wanted.has("boxplot") && ok.length > 0) {
    const [xPath, colorPath, columnPath] = gridPaths;
    const metricPanels = Object.keys(ok[0].metrics).filter((m) => /^mse_nn_/.test(m) && !/_c\d+$/.test(m));
    const panels = [...metricPanels, ...(ok[0].metrics.mse_nn_y !== undefined ? ["mse_nn_y"] : [])];
    const panelTitle = (m: string) =>
      m === "mse_nn_y" ? "MSE(NN, Y)" : `MSE(NN, ${methodLabel(m.replace("mse_nn_", ""))})`;
    const rows: Row[] = [];
    for (const r of ok) {
      for (const m of panels) {
        rows.push({
          x: xPath ? String(r.params[xPath]) : "all",
          color: colorPath ? String(r.params[colorPath]) : "all",
          ...(columnPath ? { column: String(r.params[columnPath]) } : {}),
          panel: panelTitle(m),
          mse: r.metrics[m],
        });
      }
    }
    await emit(
      "boxplot",
      "Test-set MSE across repetitions (log scale)",
      boxplotGridSpec({
        data: rows,
        x: "x",
        y: "mse",
        color: "color",
        column: columnPath ? "column" : undefined,
        row: "panel",
        xTitle: xPath ? names[xPath] : "all cells (no grid)",
        yTitle: "MSE (log scale)",
        colorTitle: colorPath ? names[colorPath] : "",
        columnTitle: columnPath ? names[columnPath] : undefined,
        rowTitle: "",
        logY: true,
        independentY: false,
      }),
    );
  }
  if (wanted.has("scatter") && ok.length > 0) {
    const scatterMethods = Object.keys(ok[0]?.predictions ?? {}).filter((k) => k !== "nn" && k !== "y");
    const rows: Row[] = [];
    for (const r of firstReps.slice(0, 24)) {
      for (const m of scatterMethods) {
        r.predictions.nn.forEach((v, i) =>
          rows.push({ nn: v, poly: r.predictions[m][i], facet: `${methodLabel(m)} · ${label(r)}` })
        );
      }
    }
    if (rows.length > 0) {
      await emit(
        "scatter",
        "Polynomial vs network predictions on the test set (first repetition), with the y = x line",
        scatterSpec({
          data: rows,
          x: "nn",
          y: "poly",
          xTitle: "network prediction",
          yTitle: "polynomial prediction",
          facet: "facet",
          facetColumns: 4,
          width: 180,
          height: 180,
        }),
      );
    }
  }
  const radiusEntries = ok.flatMap((r) =>
    (r.radius ?? []).map((c) => ({ record: r, method: c.method, x: c.radius, y: c.mse_nn }))
  );
  if (wanted.has("convergence") && radiusEntries.length > 0) {
    const rows = layout.rows(radiusEntries, "radius", "mse");
    await emit(
      "radius",
      `Local methods: median MSE(NN, method) on the test points within distance r of the centre${layout.caption}`,
      lineChartSpec({
        data: rows,
        x: "radius",
        y: "mse",
        series: "series",
        xTitle: "distance r to the centre (scaled inputs)",
        yTitle: "median MSE(NN, method) within r",
        seriesTitle: layout.seriesTitle,
        ...(layout.domain ? { seriesDomain: layout.domain } : {}),
        logY: true,
        points: true,
        ...layout.facet,
      }),
    );
  }
  const sized = sizedMethods(ok);
  if (wanted.has("terms") && sized.length > 0) {
    const entries = ok.flatMap((r) =>
      sized.flatMap((m) => {
        const curve = r.convergence.filter((c) => c.method === m && c.size !== undefined)
          .map((c) => ({ record: r, method: m, x: c.size!, y: c.mse_nn }));
        const size = r.metrics[`size_${m}`];
        if (size === undefined || curve.some((c) => c.x === size)) return curve;
        return [...curve, { record: r, method: m, x: size, y: r.metrics[`mse_nn_${m}`] }];
      })
    );
    await emit(
      "terms",
      `Median MSE(NN, method) on the test set against the representation's size (terms), log-log${layout.caption}`,
      lineChartSpec({
        data: layout.rows(entries, "terms", "mse"),
        x: "terms",
        y: "mse",
        series: "series",
        xTitle: "size (number of terms)",
        yTitle: "median MSE(NN, method)",
        seriesTitle: layout.seriesTitle,
        ...(layout.domain ? { seriesDomain: layout.domain } : {}),
        logX: true,
        logY: true,
        points: true,
        ...layout.facet,
      }),
    );
  }
  if (wanted.has("pareto") && sized.length > 0) {
    const entries = ok.flatMap((r) =>
      sized.map((m) => ({ record: r, method: m, x: r.timings[`method_${m}`], y: r.metrics[`mse_nn_${m}`] }))
    ).filter((e) => e.x !== undefined);
    await emit(
      "pareto",
      `Error against cost: median MSE(NN, method) against median build time${layout.caption} ` +
        "(build times are measurements; lower left is better)",
      scatterSpec({
        data: layout.points(entries, "seconds", "mse"),
        x: "seconds",
        y: "mse",
        xTitle: "median build time (s)",
        yTitle: "median MSE(NN, method)",
        color: "series",
        colorTitle: layout.seriesTitle,
        ...(layout.domain ? { colorDomain: layout.domain } : {}),
        identityLine: false,
        log: true,
        ...layout.facet,
      }),
    );
  }
  if (config.outputs.tables.includes("coefficients")) {
    // one figure per grid point: pooling different architectures would mix different polynomials
    const groups = [...groupBy(ok.filter((r) => r.coefficients?.nn2poly), (r) => r.gridIndex).values()];
    for (const group of groups) {
      const first = group[0].coefficients!.nn2poly;
      const rows: Row[] = first.labels.map((l, t) => {
        const s = summarize(group.map((r) => r.coefficients?.nn2poly?.values[0][t] ?? null));
        return { term: JSON.stringify(l), mean: s.mean, sd: Number.isFinite(s.sd) ? s.sd : 0 };
      }).filter((r) => r.term !== "[0]");
      const suffix = groups.length > 1 ? `_g${String(group[0].gridIndex).padStart(3, "0")}` : "";
      await emit(
        `coefficients${suffix}`,
        `Top-10 NN2Poly coefficients by |mean| across repetitions, ±1 sd${
          groups.length > 1 ? ` (${label(group[0])})` : ""
        }`,
        coefficientBarSpec({
          title: groups.length > 1 ? label(group[0]) : undefined,
          data: rows,
          label: "term",
          value: "mean",
          error: "sd",
          valueTitle: "coefficient (mean ± sd)",
          labelTitle: "term",
          topK: 10,
        }),
      );
    }
  }
  return figures;
}
