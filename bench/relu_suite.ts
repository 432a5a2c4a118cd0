/**
 * The deep-ReLU → shallow speed benchmark: each network of `../shared/fixtures/relu-bench` run in
 * fresh processes through the CLI contract (`main.ts poly shallow FILE`), against the fixture's
 * `anchor_seconds` (a layer-wise Python enumeration with SciPy's HiGHS). Each run's output is checked:
 * the region count equals the fixture's, every region point has its pattern, and the shallow network
 * equals the network at the fixture's points. Target: ≥ 10× faster than the anchor on every network.
 * Also reports seconds per region and peak memory, and the LP solver comparison of `relu_lp.ts`.
 *
 * @module
 */

import { join } from "node:path";
import { parseNetwork } from "../lib/network/network.ts";
import { evaluateExtended, parseExtNetwork } from "../lib/relu/extended.ts";
import { plNetwork, preActivations } from "../lib/relu/net.ts";
import { fmtSeconds, markdownTable, type ProcessRun, ROOT_DIR, runDenoJson, summarize } from "./harness.ts";
import type { LpComparison } from "./relu_lp.ts";

/** Folder of the speed fixtures. */
export const RELU_BENCH_DIR: string = join(ROOT_DIR, "..", "shared", "fixtures", "relu-bench");

/** Required ratio anchor seconds / polylab seconds. */
export const RELU_TARGET_SPEEDUP = 10;

/** What the suite reads from one fixture. */
export interface ReluBenchFixture {
  /** File name without .json. */
  name: string;
  /** Absolute path. */
  path: string;
  /** Layer widths, e.g. "2-24-24-1". */
  shape: string;
  /** The fixture's region count. */
  regionCount: number;
  /** The Python anchor's median time. */
  anchorSeconds: number;
  /** The parsed JSON (network, x, nn_pred). */
  json: Record<string, unknown>;
}

/** One network's row (also the JSON record). */
export interface ReluBenchRow {
  name: string;
  shape: string;
  /** Reference region count. */
  regions: number;
  /** Regions polylab found (first run). */
  regions_found?: number;
  /** Engine seconds of each run (enumeration + shallow network). */
  seconds: number[];
  /** Whole-process wall seconds of each run. */
  wall_seconds: number[];
  median_seconds: number;
  min_seconds: number;
  /** Median seconds per region. */
  seconds_per_region: number;
  /** Largest peak RSS over the runs (MiB). */
  peak_rss_mib?: number;
  anchor_seconds: number;
  /** anchor / polylab median. */
  speedup: number;
  /** Largest relative error of the shallow network at the fixture's points (first run). */
  max_err?: number;
  /** Region points that are not interior points of their pattern (first run). */
  bad_points?: number;
  target: "PASS" | "FAIL";
  error?: string;
}

/** Lists the speed fixtures (names containing `only`, when given), sorted by name. */
export async function loadReluBenchFixtures(
  dir = RELU_BENCH_DIR,
  only?: string,
): Promise<ReluBenchFixture[]> {
  const out: ReluBenchFixture[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (!e.isFile || !e.name.endsWith(".json")) continue;
    const name = e.name.slice(0, -5);
    if (only !== undefined && !name.includes(only) && !"relu".includes(only)) continue;
    const path = join(dir, e.name);
    const json = JSON.parse(await Deno.readTextFile(path));
    const layers = json.layers as { weights: number[][] }[];
    out.push({
      name,
      path,
      shape: [json.inputs, ...layers.map((l) => l.weights[0].length)].join("-"),
      regionCount: json.region_count,
      anchorSeconds: json.anchor_seconds,
      json,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Checks one CLI output against the fixture: region count, interior points, exactness at x. */
export function checkReluRun(fx: ReluBenchFixture, out: Record<string, unknown>) {
  const net = plNetwork(parseNetwork(fx.json));
  const regions = out.regions as { pattern: number[]; point: number[] }[];
  let bad = 0;
  for (const r of regions) {
    const z = preActivations(net, r.point).z;
    if (!z.every((v, u) => v !== 0 && (v > 0 ? 1 : 0) === r.pattern[u])) bad++;
  }
  const sh = parseExtNetwork(out.shallow);
  const X = fx.json.x as number[][];
  const Y = fx.json.nn_pred as number[][];
  const got = evaluateExtended(sh, Float64Array.from(X.flat()), X.length);
  let worst = 0;
  Y.forEach((row, i) =>
    row.forEach((y, k) => {
      const e = Math.abs(got[i * row.length + k] - y) / Math.max(1, Math.abs(y));
      worst = Math.max(worst, Number.isNaN(e) ? Infinity : e);
    })
  );
  return { regionsFound: regions.length, badPoints: bad, maxErr: worst };
}

/** Builds a row from the runs of one fixture (pure). */
export function reluRow(
  fx: ReluBenchFixture,
  runs: ProcessRun[],
  check?: { regionsFound: number; badPoints: number; maxErr: number },
): ReluBenchRow {
  const ok = runs.filter((r) => r.ok);
  const seconds = ok.map((r) => Number(r.json.seconds));
  const rss = ok.map((r) => Number(r.json.peak_rss_mib)).filter(Number.isFinite);
  const { median, min } = summarize(seconds);
  const speedup = fx.anchorSeconds / median;
  const failed = runs.find((r) => !r.ok);
  const correct = check !== undefined && check.regionsFound === fx.regionCount && check.badPoints === 0 &&
    check.maxErr <= 1e-9;
  return {
    name: fx.name,
    shape: fx.shape,
    regions: fx.regionCount,
    regions_found: check?.regionsFound,
    seconds,
    wall_seconds: runs.map((r) => r.wallSeconds),
    median_seconds: median,
    min_seconds: min,
    seconds_per_region: median / fx.regionCount,
    peak_rss_mib: rss.length > 0 ? Math.max(...rss) : undefined,
    anchor_seconds: fx.anchorSeconds,
    speedup,
    max_err: check?.maxErr,
    bad_points: check?.badPoints,
    target: failed || !correct || !(speedup >= RELU_TARGET_SPEEDUP) ? "FAIL" : "PASS",
    ...(failed && !failed.ok ? { error: failed.error } : {}),
  };
}

/** Runs every fixture `repeats` times in fresh processes. */
export async function runReluBench(
  fixtures: readonly ReluBenchFixture[],
  repeats: number,
  timeoutSeconds: number,
  log: (line: string) => void,
): Promise<ReluBenchRow[]> {
  const rows: ReluBenchRow[] = [];
  for (const fx of fixtures) {
    const runs: ProcessRun[] = [];
    let check: ReturnType<typeof checkReluRun> | undefined;
    for (let r = 0; r < repeats; r++) {
      const run = await runDenoJson(["run", "-A", "main.ts", "poly", "shallow", fx.path], timeoutSeconds);
      runs.push(run);
      if (run.ok && check === undefined) check = checkReluRun(fx, run.json);
      log(
        `relu ${fx.name} run ${r + 1}/${repeats}: ${
          run.ok ? `${fmtSeconds(Number(run.json.seconds))} s, ${run.json.region_count} regions` : run.error
        }`,
      );
    }
    rows.push(reluRow(fx, runs, check));
  }
  return rows;
}

/** The Markdown table of the rows, and of the LP comparison when given. */
export function reluMarkdown(rows: readonly ReluBenchRow[], repeats: number, lp?: LpComparison): string {
  const table = markdownTable(
    [
      "network",
      "shape",
      "regions",
      "polylab s (median)",
      "s / region",
      "peak RSS MiB",
      "anchor s",
      "speed-up",
      "max err at x",
      "target ≥ 10×",
    ],
    rows.map((r) => [
      r.name,
      r.shape,
      r.regions_found === undefined ? `n/a (ref ${r.regions})` : String(r.regions_found),
      fmtSeconds(r.median_seconds),
      Number.isFinite(r.seconds_per_region) ? r.seconds_per_region.toExponential(2) : "n/a",
      r.peak_rss_mib === undefined ? "n/a" : String(r.peak_rss_mib),
      fmtSeconds(r.anchor_seconds),
      Number.isFinite(r.speedup) ? `${r.speedup.toFixed(1)}×` : "n/a",
      r.max_err === undefined ? "n/a" : r.max_err.toExponential(1),
      r.target,
    ]),
  );
  const parts = [
    `## Deep ReLU → shallow (poly shallow), ${repeats} fresh-process run(s) per network`,
    "",
    "Engine time = region enumeration + shallow network (start-up, parsing and JSON output excluded); " +
    "anchor = the fixture's Python/SciPy-HiGHS layer-wise enumeration (median of 3, shared 2-core machine).",
    "",
    table,
  ];
  if (lp) {
    parts.push(
      "",
      `### LP solver: own dense simplex vs HiGHS (npm \`highs\`, wasm), on the ${lp.lps} LPs of ${lp.fixture}`,
      "",
      markdownTable(
        ["solver", "µs per LP", "verdicts differing", "max slack difference", "degenerate max slack"],
        [
          [
            "own dense simplex",
            lp.own_us_per_lp.toFixed(2),
            "—",
            "—",
            lp.degenerate_own_max.toExponential(1),
          ],
          [
            "HiGHS (structured API, wasm)",
            lp.highs_us_per_lp.toFixed(1),
            String(lp.verdict_differences),
            lp.max_slack_difference.toExponential(1),
            lp.degenerate_highs_max.toExponential(1),
          ],
        ],
      ),
      "",
      markdownTable(
        ["inradius r", "systems", "own: max |t − r| / r", "HiGHS: max |t − r| / r"],
        lp.thin.map((t) => [
          t.r.toExponential(0),
          String(t.cases),
          t.own_max_rel_error.toExponential(1),
          t.highs_max_rel_error.toExponential(1),
        ]),
      ),
    );
  }
  return parts.join("\n");
}
