/**
 * Trends over the history: per case, the series of absolute times (HEAD's median per run) and of
 * paired ratios (median(HEAD)/median(baseline) per paired run), split into **segments** wherever
 * the machine fingerprint, the runtime (Deno/V8), the case's version or (for ratios) the baseline
 * commit changes, because values from different segments measure different things.
 *
 * Step detection for slow drifts, per segment (window w = 3, factor f = 1.05): at run i the
 * current level is L = min(v[i−w+1..i]), the lowest of the last w values (one slow outlier cannot
 * lift it); the reference is B = the smallest rolling maximum max(v[k−w+1..k]) over the windows that
 * end before the current one starts (the best level the case held earlier, noise included). The
 * first i with L > f·B is flagged: the rise started at run i−w+1 and was confirmed at run i.
 * Checks start once a segment has 2w runs, so a new machine or runtime first sets its own level.
 *
 * @module
 */

import type { RunRecord } from "./history.ts";
import { medianOf } from "./stats.ts";
import type { VegaLiteSpec } from "../lib/report/figures.ts";

/** Parameters of {@link detectStep}. */
export interface StepRule {
  /** Window w (runs). */
  window: number;
  /** Factor f. */
  factor: number;
}

/** The rule used by the report. */
export const DEFAULT_STEP_RULE: StepRule = { window: 3, factor: 1.05 };

/** A confirmed rise in one segment. */
export interface StepFlag {
  /** Index (within the series given) where the rise was confirmed. */
  index: number;
  /** Index of the first run of the risen window. */
  start: number;
  /** Current level L and reference B. */
  level: number;
  reference: number;
}

/** The first confirmed rise of a series (one segment), or null; see the module doc. */
export function detectStep(values: readonly number[], rule: StepRule = DEFAULT_STEP_RULE): StepFlag | null {
  const w = rule.window;
  let reference = Infinity;
  for (let i = 2 * w - 1; i < values.length; i++) {
    const k = i - w; // the newest earlier window ends at k
    reference = Math.min(reference, Math.max(...values.slice(k - w + 1, k + 1)));
    const level = Math.min(...values.slice(i - w + 1, i + 1));
    if (level > rule.factor * reference) return { index: i, start: i - w + 1, level, reference };
  }
  return null;
}

/** One run of a case's series. */
export interface TrendPoint {
  /** 1-based position of the run in the history (the x axis). */
  run: number;
  time: string;
  commit: string;
  /** Machine fingerprint. */
  machine: string;
  /** "Deno x / V8 y". */
  runtime: string;
  version: string;
  baselineCommit: string | null;
  /** HEAD's median, min and max (seconds); null when HEAD had no samples. */
  median: number | null;
  min: number | null;
  max: number | null;
  /** Paired ratio and its interval (null for unpaired or failed runs). */
  ratio: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Segment numbers (absolute and ratio series). */
  segment: number;
  ratioSegment: number;
}

/** The points of case `id` over the runs (in history order), with their segments. */
export function caseSeries(runs: readonly RunRecord[], id: string): TrendPoint[] {
  const points: TrendPoint[] = [];
  let segment = 0;
  let ratioSegment = 0;
  let lastKey = "";
  let lastRatioKey = "";
  runs.forEach((run, r) => {
    const c = run.cases.find((x) => x.id === id);
    if (!c) return;
    const runtime = `Deno ${run.runtime.deno} / V8 ${run.runtime.v8}`;
    const key = `${run.machine.fingerprint}|${runtime}|${c.version}`;
    if (key !== lastKey) segment++;
    lastKey = key;
    const ratioKey = `${key}|${run.baseline_commit}`;
    if (c.comparison?.ratio != null && ratioKey !== lastRatioKey) {
      ratioSegment++;
      lastRatioKey = ratioKey;
    }
    const s = c.head.samples;
    points.push({
      run: r + 1,
      time: run.time,
      commit: (run.commit ?? "unknown").slice(0, 10) + (run.dirty ? "+" : ""),
      machine: run.machine.fingerprint,
      runtime,
      version: c.version,
      baselineCommit: run.baseline_commit,
      median: s.length ? medianOf(s) : null,
      min: s.length ? Math.min(...s) : null,
      max: s.length ? Math.max(...s) : null,
      ratio: c.comparison?.ratio ?? null,
      ciLow: c.comparison?.ci_low ?? null,
      ciHigh: c.comparison?.ci_high ?? null,
      segment,
      ratioSegment: c.comparison?.ratio != null ? ratioSegment : 0,
    });
  });
  return points;
}

/** A flag of the trend detector on one case. */
export interface TrendFlag {
  id: string;
  series: "time" | "ratio";
  /** History run numbers where the rise started and was confirmed. */
  startRun: number;
  confirmedRun: number;
  /** L / B. */
  factor: number;
}

/** Runs the detector on every segment of both series of a case; flags in the latest segment only. */
export function trendFlags(
  id: string,
  points: readonly TrendPoint[],
  rule: StepRule = DEFAULT_STEP_RULE,
): TrendFlag[] {
  const flags: TrendFlag[] = [];
  const check = (series: "time" | "ratio", pts: TrendPoint[], value: (p: TrendPoint) => number) => {
    const flag = detectStep(pts.map(value), rule);
    if (flag) {
      flags.push({
        id,
        series,
        startRun: pts[flag.start].run,
        confirmedRun: pts[flag.index].run,
        factor: flag.level / flag.reference,
      });
    }
  };
  const last = points.filter((p) => p.median !== null).at(-1);
  if (last) {
    check(
      "time",
      points.filter((p) => p.segment === last.segment && p.median !== null),
      (p) => p.median!,
    );
  }
  const lastRatio = points.filter((p) => p.ratio !== null).at(-1);
  if (lastRatio) {
    check(
      "ratio",
      points.filter((p) => p.ratioSegment === lastRatio.ratioSegment && p.ratio !== null),
      (p) => p.ratio!,
    );
  }
  return flags;
}

/**
 * The trend figure of one case (vega-lite): on top, HEAD's median per run with its min–max range,
 * coloured by machine fingerprint, one line per segment; below (when the case has paired runs),
 * the ratio to the baseline with its 95 % interval and the threshold band.
 */
export function trendSpec(id: string, points: readonly TrendPoint[], threshold: number): VegaLiteSpec {
  const rows = points.map((p) => ({ ...p, segmentKey: `t${p.segment}`, ratioKey: `r${p.ratioSegment}` }));
  const timed = rows.filter((p) => p.median !== null);
  const machines = [...new Set(rows.map((p) => p.machine))];
  const color = {
    field: "machine",
    type: "nominal",
    title: "machine",
    scale: { domain: machines, scheme: "tableau10" },
  };
  const runs = rows.map((p) => p.run);
  const x = {
    field: "run",
    type: "quantitative",
    title: "run (history order)",
    scale: { domain: [Math.min(...runs) - 0.5, Math.max(...runs) + 0.5], nice: false },
    axis: { tickMinStep: 1, format: "d" },
  };
  const tooltip = [
    { field: "run" },
    { field: "time" },
    { field: "commit" },
    { field: "runtime" },
    { field: "median", format: ".4g" },
  ];
  const timePanel = {
    width: 520,
    height: 200,
    title: "HEAD median seconds (bars: min–max)",
    data: { values: timed },
    layer: [
      {
        mark: { type: "rule", opacity: 0.5 },
        encoding: {
          x,
          y: { field: "min", type: "quantitative", title: "seconds", scale: { zero: false } },
          y2: { field: "max" },
          color,
        },
      },
      {
        mark: { type: "line", point: true },
        encoding: {
          x,
          y: { field: "median", type: "quantitative" },
          color,
          detail: { field: "segmentKey" },
          tooltip,
        },
      },
    ],
  };
  const paired = rows.filter((p) => p.ratio !== null);
  const ratioPanel = {
    width: 520,
    height: 160,
    title: `median(HEAD) / median(baseline), 95 % interval; band: ±${Math.round(threshold * 100)} %`,
    data: { values: paired },
    layer: [
      {
        data: { values: [{ lo: 1 / (1 + threshold), hi: 1 + threshold }] },
        mark: { type: "rect", color: "#ddd", opacity: 0.6 },
        encoding: { y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } },
      },
      {
        data: { values: [{ one: 1 }] },
        mark: { type: "rule", color: "#666" },
        encoding: { y: { field: "one", type: "quantitative" } },
      },
      {
        mark: { type: "rule" },
        encoding: {
          x,
          y: { field: "ciLow", type: "quantitative", title: "ratio", scale: { zero: false } },
          y2: { field: "ciHigh" },
          color,
        },
      },
      {
        mark: { type: "line", point: true },
        encoding: { x, y: { field: "ratio", type: "quantitative" }, color, detail: { field: "ratioKey" } },
      },
    ],
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: id,
      subtitle: "segments break where the machine, the runtime, the case or the baseline changes",
    },
    vconcat: paired.length > 0 ? [timePanel, ratioPanel] : [timePanel],
    resolve: { scale: { color: "shared" } },
  };
}

/** File name (without extension) of a case's trend figure: the id with "/" → "__". */
export function trendFileName(id: string): string {
  return id.replaceAll("/", "__");
}
