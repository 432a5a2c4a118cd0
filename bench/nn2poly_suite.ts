/**
 * The nn2poly speed benchmark: each network of `../shared/fixtures/nn2poly-bench` converted in fresh
 * processes by `main.ts poly nn2poly FILE`, against the R package's recorded times.
 *
 * Target: ≥ 3× faster than the R package on every network with more than 1,000 terms.
 *
 * @module
 */

import { join } from "node:path";
import { fmtSeconds, markdownTable, type ProcessRun, ROOT_DIR, runDenoJson, summarize } from "./harness.ts";

/** Folder of the speed fixtures. */
export const NN2POLY_BENCH_DIR: string = join(ROOT_DIR, "..", "shared", "fixtures", "nn2poly-bench");

/** Networks with more terms than this must meet {@link TARGET_SPEEDUP}. */
export const TARGET_MIN_TERMS = 1000;
/** Required ratio R seconds / polylab seconds on the targeted networks. */
export const TARGET_SPEEDUP = 3;

/** What the suite needs from one fixture file. */
export interface BenchFixture {
  /** Fixture name (file name without .json). */
  name: string;
  /** Absolute path of the file. */
  path: string;
  /** Inputs p. */
  inputs: number;
  /** Hidden layer widths and output units, e.g. "100-100-100-1". */
  shape: string;
  /** Q. */
  maxOrder: number;
  /** Size of the R package's polynomial. */
  nTerms: number;
  /** The R package's three times. */
  referenceSeconds: number[];
  /** A sample of the R package's terms (1-based, `[0]` intercept) and coefficients per output. */
  sampleLabels: number[][];
  sampleCoefficients: number[][];
}

/** One network's result row (also the JSON record). */
export interface Nn2polyBenchRow {
  /** Fixture name. */
  name: string;
  /** Inputs p. */
  inputs: number;
  /** Layer widths, e.g. "100-100-100-1". */
  shape: string;
  /** Q. */
  max_order: number;
  /** Size of the R package's polynomial. */
  n_terms: number;
  /** Terms of polylab's polynomial (should equal n_terms). */
  terms?: number;
  /** Engine seconds of each fresh-process run. */
  seconds: number[];
  /** Whole-process wall seconds of each run (start-up, parsing and JSON output included). */
  wall_seconds: number[];
  /** Median of {@link seconds}. */
  median_seconds: number;
  /** Minimum of {@link seconds}. */
  min_seconds: number;
  /** Largest peak RSS over the runs (MiB). */
  peak_rss_mib?: number;
  /** The R package's recorded times. */
  r_seconds: number[];
  /** Their median. */
  r_median_seconds: number;
  /** R median / polylab median. */
  speedup: number;
  /** PASS/FAIL against the target, "—" for networks with ≤ 1,000 terms. */
  target: "PASS" | "FAIL" | "—";
  /** Largest |polylab − R| over the fixture's sample of coefficients. */
  max_abs_diff_vs_r?: number;
  /** Why the runs failed, when they did. */
  error?: string;
}

/** Lists and parses the speed fixtures, sorted by name, keeping names that contain `only`. */
export async function loadBenchFixtures(dir = NN2POLY_BENCH_DIR, only?: string): Promise<BenchFixture[]> {
  const out: BenchFixture[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (!e.isFile || !e.name.endsWith(".json")) continue;
    const name = e.name.slice(0, -5);
    if (only !== undefined && !name.includes(only)) continue;
    const path = join(dir, e.name);
    const j = JSON.parse(await Deno.readTextFile(path));
    const layers = j.layers as { weights: number[][] }[];
    out.push({
      name,
      path,
      inputs: j.inputs,
      shape: layers.map((l) => l.weights[0].length).join("-"),
      maxOrder: j.max_order,
      nTerms: j.n_terms,
      referenceSeconds: j.reference_seconds,
      sampleLabels: j.sample_labels ?? [],
      sampleCoefficients: j.sample_coefficients ?? [],
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Largest |ours − R| over the fixture's sampled terms (Infinity when a sampled term is missing). */
export function maxSampleDiff(fx: BenchFixture, labels: number[][], coefficients: number[][]): number {
  const key = (l: readonly number[]) => [...l].sort((a, b) => a - b).join(",");
  const index = new Map(labels.map((l, t) => [key(l), t]));
  let worst = 0;
  fx.sampleLabels.forEach((label, s) => {
    const t = index.get(key(label));
    fx.sampleCoefficients.forEach((ref, o) => {
      worst = Math.max(worst, t === undefined ? Infinity : Math.abs(coefficients[o][t] - ref[s]));
    });
  });
  return worst;
}

function termsOf(run?: ProcessRun): number | undefined {
  if (!run?.ok) return undefined;
  if (typeof run.json.terms === "number") return run.json.terms;
  return Array.isArray(run.json.labels) ? run.json.labels.length : undefined;
}

/** Builds a result row from the runs of one fixture (pure: no I/O). */
export function nn2polyRow(fx: BenchFixture, runs: ProcessRun[], maxAbsDiff?: number): Nn2polyBenchRow {
  const ok = runs.filter((r) => r.ok);
  const seconds = ok.map((r) => Number(r.json.seconds));
  const rss = ok.map((r) => Number(r.json.peak_rss_mib)).filter(Number.isFinite);
  const { median, min } = summarize(seconds);
  const rMedian = summarize(fx.referenceSeconds).median;
  const speedup = rMedian / median;
  const failed = runs.find((r) => !r.ok);
  const targeted = fx.nTerms > TARGET_MIN_TERMS;
  return {
    name: fx.name,
    inputs: fx.inputs,
    shape: fx.shape,
    max_order: fx.maxOrder,
    n_terms: fx.nTerms,
    terms: termsOf(ok[0]),
    seconds,
    wall_seconds: runs.map((r) => r.wallSeconds),
    median_seconds: median,
    min_seconds: min,
    peak_rss_mib: rss.length > 0 ? Math.max(...rss) : undefined,
    r_seconds: fx.referenceSeconds,
    r_median_seconds: rMedian,
    speedup,
    target: !targeted ? "—" : failed || !(speedup >= TARGET_SPEEDUP) ? "FAIL" : "PASS",
    max_abs_diff_vs_r: maxAbsDiff,
    ...(failed && !failed.ok ? { error: failed.error } : {}),
  };
}

/** Runs every fixture `repeats` times in fresh processes; `log` gets one progress line per run. */
export async function runNn2polyBench(
  fixtures: readonly BenchFixture[],
  repeats: number,
  timeoutSeconds: number,
  log: (line: string) => void,
): Promise<Nn2polyBenchRow[]> {
  const rows: Nn2polyBenchRow[] = [];
  for (const fx of fixtures) {
    const runs: ProcessRun[] = [];
    let diff: number | undefined;
    for (let r = 0; r < repeats; r++) {
      const run = await runDenoJson(["run", "-A", "main.ts", "poly", "nn2poly", fx.path], timeoutSeconds);
      runs.push(run);
      if (run.ok && diff === undefined) {
        diff = maxSampleDiff(fx, run.json.labels as number[][], run.json.coefficients as number[][]);
      }
      log(
        `nn2poly ${fx.name} run ${r + 1}/${repeats}: ` +
          (run.ok ? `${fmtSeconds(Number(run.json.seconds))} s engine` : run.error),
      );
      if (!run.ok) break;
    }
    rows.push(nn2polyRow(fx, runs, diff));
  }
  return rows;
}

/** The Markdown section of the nn2poly benchmark. */
export function nn2polyMarkdown(rows: readonly Nn2polyBenchRow[], repeats: number): string {
  const table = markdownTable(
    [
      "network",
      "p",
      "layers",
      "Q",
      "terms",
      "polylab median s",
      "min s",
      "peak RSS MiB",
      "R median s",
      "R / polylab",
      `≥ ${TARGET_SPEEDUP}× (> ${TARGET_MIN_TERMS} terms)`,
      "max |Δ| vs R sample",
    ],
    rows.map((r) => [
      r.name,
      String(r.inputs),
      r.shape,
      String(r.max_order),
      r.terms === undefined || r.terms === r.n_terms ? String(r.n_terms) : `${r.terms} (R: ${r.n_terms})`,
      r.error ? `n/a (${r.error})` : fmtSeconds(r.median_seconds),
      fmtSeconds(r.min_seconds),
      r.peak_rss_mib === undefined ? "n/a" : r.peak_rss_mib.toFixed(0),
      fmtSeconds(r.r_median_seconds),
      Number.isFinite(r.speedup) ? `${r.speedup.toFixed(1)}×` : "n/a",
      r.target,
      r.max_abs_diff_vs_r === undefined ? "n/a" : r.max_abs_diff_vs_r.toExponential(1),
    ]),
  );
  const targeted = rows.filter((r) => r.target !== "—");
  const verdict = targeted.length === 0
    ? "No network in this run has more than 1,000 terms."
    : targeted.every((r) => r.target === "PASS")
    ? `Target met: ≥ ${TARGET_SPEEDUP}× faster than R on all ${targeted.length} networks with > ${TARGET_MIN_TERMS} terms.`
    : `Target NOT met on: ${targeted.filter((r) => r.target === "FAIL").map((r) => r.name).join(", ")}.`;
  return [
    "## nn2poly: polylab vs the R package nn2poly",
    "",
    `polylab: engine seconds (\`seconds\` of \`deno task poly nn2poly FILE\`), median of ${repeats} fresh ` +
    "processes (cold JIT included, start-up and JSON parsing excluded). R: the package's own time, median of " +
    "its 3 recorded runs in one R process.",
    "",
    table,
    "",
    verdict,
  ].join("\n");
}
