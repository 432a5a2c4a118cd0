/**
 * The Taylor-engine speed benchmark: the 1–128×4–1 sine MLP of `../shared/fixtures/taylor-bench`
 * expanded at x0 = 0 for K = 1..10 by each engine (exact, HOPE, tfjs autodiff), one fresh process
 * per run, through the CLI contract (`main.ts poly taylor`).
 *
 * @module
 */

import { join } from "node:path";
import { fmtSeconds, markdownTable, type ProcessRun, ROOT_DIR, runDenoJson, summarize } from "./harness.ts";

/** The speed fixture. */
export const TAYLOR_BENCH_FILE: string = join(
  ROOT_DIR,
  "..",
  "shared",
  "fixtures",
  "taylor-bench",
  "sine-1d-128x4.json",
);

/** Engines timed, in table order. */
export const TAYLOR_BENCH_METHODS = ["exact", "hope", "autodiff"] as const;

/** One (method, K) cell (also the JSON record). */
export interface TaylorBenchCell {
  /** exact, hope or autodiff. */
  method: string;
  /** K. */
  order: number;
  /** Engine seconds of each fresh-process run. */
  seconds: number[];
  /** Whole-process wall seconds of each run. */
  wall_seconds: number[];
  /** Median of {@link seconds}. */
  median_seconds: number;
  /** Minimum of {@link seconds}. */
  min_seconds: number;
  /** Largest peak RSS over the runs (MiB). */
  peak_rss_mib?: number;
  /** Largest |Δ| / (|ref| + 1e-12·max|ref|) against the fixture's exact coefficients (degree ≤ K). */
  max_rel_diff?: number;
  /** Why this cell has no time. */
  error?: string;
}

/** The fixture's exact coefficients of output 1, keyed by label ("" = constant, "1,1" = x1²). */
export function referenceCoefficients(
  json: { labels: number[][]; coefficients: number[][] },
): Map<string, number> {
  return new Map(json.labels.map((l, t) => [l.join(","), json.coefficients[0][t]]));
}

/** Largest relative difference of a run's output-1 coefficients against the reference. */
export function maxRelDiff(ref: Map<string, number>, labels: number[][], coefficients: number[][]): number {
  const scale = Math.max(...[...ref.values()].map(Math.abs));
  let worst = 0;
  labels.forEach((l, t) => {
    const r = ref.get(l.join(","));
    if (r === undefined) return;
    worst = Math.max(worst, Math.abs(coefficients[0][t] - r) / (Math.abs(r) + 1e-12 * scale));
  });
  return worst;
}

/** Command-line arguments of one fresh-process run of the CLI contract. */
export function taylorArgs(file: string, order: number, method: string): string[] {
  return ["run", "-A", "main.ts", "poly", "taylor", file, "--order", String(order), "--method", method];
}

/** Builds one cell from its runs (pure). */
export function taylorCell(
  method: string,
  order: number,
  runs: ProcessRun[],
  ref?: Map<string, number>,
): TaylorBenchCell {
  const ok = runs.filter((r) => r.ok);
  const seconds = ok.map((r) => Number(r.json.seconds));
  const rss = ok.map((r) => Number(r.json.peak_rss_mib)).filter(Number.isFinite);
  const { median, min } = summarize(seconds);
  const failed = runs.find((r) => !r.ok);
  return {
    method,
    order,
    seconds,
    wall_seconds: runs.map((r) => r.wallSeconds),
    median_seconds: median,
    min_seconds: min,
    peak_rss_mib: rss.length > 0 ? Math.max(...rss) : undefined,
    max_rel_diff: ref && ok.length > 0
      ? maxRelDiff(ref, ok[0].json.labels as number[][], ok[0].json.coefficients as number[][])
      : undefined,
    ...(failed && !failed.ok ? { error: failed.error } : {}),
  };
}

/**
 * Times every method for K = 1..maxOrder. After a failed K (timeout, crash), higher K of the same
 * method are skipped: they would only be slower.
 */
export async function runTaylorBench(
  file: string,
  maxOrder: number,
  repeats: number,
  timeoutSeconds: number,
  log: (line: string) => void,
): Promise<TaylorBenchCell[]> {
  const ref = referenceCoefficients(JSON.parse(await Deno.readTextFile(file)));
  const cells: TaylorBenchCell[] = [];
  for (const method of TAYLOR_BENCH_METHODS) {
    let failedAt: number | undefined;
    for (let K = 1; K <= maxOrder; K++) {
      if (failedAt !== undefined) {
        cells.push({ ...taylorCell(method, K, []), error: `skipped (failed at K = ${failedAt})` });
        continue;
      }
      const runs: ProcessRun[] = [];
      for (let r = 0; r < repeats; r++) {
        const run = await runDenoJson(taylorArgs(file, K, method), timeoutSeconds);
        runs.push(run);
        log(
          `taylor ${method} K=${K} run ${r + 1}/${repeats}: ` +
            (run.ok ? `${fmtSeconds(Number(run.json.seconds))} s engine` : run.error),
        );
        if (!run.ok) break;
      }
      const cell = taylorCell(method, K, runs, ref);
      if (cell.error) failedAt = K;
      cells.push(cell);
    }
  }
  return cells;
}

/** The Markdown section of the Taylor benchmark. */
export function taylorMarkdown(
  cells: readonly TaylorBenchCell[],
  repeats: number,
  referenceSeconds?: number,
): string {
  const orders = [...new Set(cells.map((c) => c.order))].sort((a, b) => a - b);
  const methods = TAYLOR_BENCH_METHODS.filter((m) => cells.some((c) => c.method === m));
  const at = (m: string, K: number) => cells.find((c) => c.method === m && c.order === K);
  const secs = (c?: TaylorBenchCell) => (!c || c.error ? "n/a" : fmtSeconds(c.median_seconds));
  const mib = (
    c?: TaylorBenchCell,
  ) => (!c || c.peak_rss_mib === undefined ? "n/a" : c.peak_rss_mib.toFixed(0));
  const timeTable = markdownTable(
    ["K", ...methods.map((m) => `${m} median s`), ...methods.map((m) => `${m} peak RSS MiB`)],
    orders.map((
      K,
    ) => [String(K), ...methods.map((m) => secs(at(m, K))), ...methods.map((m) => mib(at(m, K)))]),
  );
  const accuracy = markdownTable(
    ["method", "highest K timed", "max rel |Δ| vs exact coefficients (fixture) at that K", "failure"],
    methods.map((m) => {
      const done = cells.filter((c) => c.method === m && !c.error);
      const top = done.at(-1);
      const fail = cells.find((c) => c.method === m && c.error && !c.error.startsWith("skipped"));
      return [
        m,
        top ? String(top.order) : "n/a",
        top?.max_rel_diff === undefined ? "n/a" : top.max_rel_diff.toExponential(1),
        fail ? `K = ${fail.order}: ${fail.error}` : "—",
      ];
    }),
  );
  const ref = referenceSeconds === undefined
    ? ""
    : ` The fixture's own generator took ${fmtSeconds(referenceSeconds)} s for K = 10.`;
  return [
    "## Taylor engines on the 1–128×4–1 sine MLP (x0 = 0)",
    "",
    `Engine seconds, median of ${repeats} fresh processes per cell (\`deno task poly taylor\`).` +
    ` hope is expected to differ from the exact coefficients on this deep network (see the fixtures README).${ref}`,
    "",
    timeTable,
    "",
    accuracy,
  ].join("\n");
}
