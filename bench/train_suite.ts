/**
 * Stacked tfjs training (lib/train/stack.ts) against training the same networks one by one
 * (lib/train/fit.ts), in fresh processes of bench/train_run.ts on the wasm backend: sim3's shape
 * (p 3, 10 softplus units, 150 rows, batch 16, 100 epochs) for R = 1, 10, 100 networks and sim1's
 * (p 5, 3×50 tanh, 375 rows, batch 100, L1 constraint, 50 epochs) for R = 1, 20. Reported: median
 * training seconds per network. One-by-one time is linear in R, so single mode trains min(R, 3)
 * networks (one measurement shared by every R ≥ 3 of a shape).
 *
 * @module
 */

import { fmtSeconds, markdownTable, runDenoJson, summarize } from "./harness.ts";

/** One timed case of the suite: a shape, a number of networks and epochs. */
export interface TrainCase {
  /** Shape name of bench/train_run.ts. */
  shape: string;
  /** Networks R. */
  networks: number;
  /** Epochs. */
  epochs: number;
}

/** The suite's cases. */
export const TRAIN_CASES: readonly TrainCase[] = [
  { shape: "sim3-10", networks: 1, epochs: 100 },
  { shape: "sim3-10", networks: 10, epochs: 100 },
  { shape: "sim3-10", networks: 100, epochs: 100 },
  { shape: "sim1-50x3", networks: 1, epochs: 50 },
  { shape: "sim1-50x3", networks: 20, epochs: 50 },
];

/** One row of the suite. */
export interface TrainBenchRow extends TrainCase {
  /** Median seconds per network, stacked. */
  stack_s_per_network?: number;
  /** Networks trained one by one for the single-mode time (min(R, 3)). */
  single_networks: number;
  /** Median seconds per network, one by one. */
  single_s_per_network?: number;
  /** single / stack. */
  speedup?: number;
  /** Peak RSS of the stacked runs (MiB). */
  stack_peak_rss_mib?: number;
  /** Peak RSS of the one-by-one runs (MiB). */
  single_peak_rss_mib?: number;
  /** Networks whose training failed (diverged), over all runs. */
  failed_networks: number;
  /** First process error, if any. */
  error?: string;
}

/** Median seconds per network, peak RSS, failures and the first error of some runs. */
export interface Timing {
  perNetwork?: number;
  rss?: number;
  failed: number;
  error?: string;
}

/** Arguments of one bench/train_run.ts process. */
export function trainArgs(c: TrainCase, mode: "single" | "stack"): string[] {
  const networks = mode === "single" ? Math.min(c.networks, 3) : c.networks;
  return [
    "run",
    "-A",
    "bench/train_run.ts",
    "--shape",
    c.shape,
    "--networks",
    String(networks),
    "--epochs",
    String(c.epochs),
    "--mode",
    mode,
  ];
}

async function timed(args: string[], repeats: number, timeout: number): Promise<Timing> {
  const perNetwork: number[] = [];
  let rss: number | undefined;
  let failed = 0;
  for (let r = 0; r < repeats; r++) {
    const run = await runDenoJson(args, timeout);
    if (!run.ok) return { ...summaryOf(perNetwork, rss, failed), error: run.error };
    perNetwork.push(Number(run.json.seconds_per_network));
    rss = Math.max(rss ?? 0, Number(run.json.peak_rss_mib ?? 0));
    failed += Number(run.json.failed ?? 0);
  }
  return summaryOf(perNetwork, rss, failed);
}

function summaryOf(perNetwork: number[], rss: number | undefined, failed: number): Timing {
  return { perNetwork: perNetwork.length ? summarize(perNetwork).median : undefined, rss, failed };
}

/** A row from the stacked and one-by-one timings of a case. */
export function trainRow(c: TrainCase, stack: Timing, single: Timing): TrainBenchRow {
  return {
    ...c,
    stack_s_per_network: stack.perNetwork,
    single_networks: Math.min(c.networks, 3),
    single_s_per_network: single.perNetwork,
    speedup: stack.perNetwork && single.perNetwork ? single.perNetwork / stack.perNetwork : undefined,
    stack_peak_rss_mib: stack.rss,
    single_peak_rss_mib: single.rss,
    failed_networks: stack.failed + single.failed,
    error: stack.error ?? single.error,
  };
}

/** Runs the suite; `log` receives progress lines. */
export async function runTrainBench(
  repeats: number,
  timeout: number,
  log: (line: string) => void,
): Promise<TrainBenchRow[]> {
  // one-by-one timings depend only on (shape, min(R, 3), epochs): measure each once
  const singles = new Map<string, Timing>();
  const rows: TrainBenchRow[] = [];
  for (const c of TRAIN_CASES) {
    const singleArgs = trainArgs(c, "single");
    const key = singleArgs.join(" ");
    let single = singles.get(key);
    if (!single) {
      single = await timed(singleArgs, repeats, timeout);
      singles.set(key, single);
    }
    const stack = await timed(trainArgs(c, "stack"), repeats, timeout);
    const row = trainRow(c, stack, single);
    log(
      `training ${c.shape} R=${c.networks}: stack ${row.stack_s_per_network ?? stack.error} s/network, ` +
        `single ${row.single_s_per_network ?? single.error} s/network`,
    );
    rows.push(row);
  }
  return rows;
}

/** The suite's Markdown section. */
export function trainMarkdown(rows: TrainBenchRow[], repeats: number): string {
  const table = markdownTable(
    [
      "shape",
      "R",
      "epochs",
      "stack s/network",
      "one-by-one s/network",
      "one-by-one / stack",
      "stack peak RSS MiB",
      "one-by-one peak RSS MiB",
    ],
    rows.map((r) => [
      r.shape,
      String(r.networks),
      String(r.epochs),
      fmtSeconds(r.stack_s_per_network),
      fmtSeconds(r.single_s_per_network),
      r.speedup === undefined ? "—" : `${r.speedup.toFixed(1)}×`,
      r.stack_peak_rss_mib === undefined ? "n/a" : String(r.stack_peak_rss_mib),
      r.single_peak_rss_mib === undefined ? "n/a" : String(r.single_peak_rss_mib),
    ]),
  );
  const notes = rows.flatMap((r) => [
    ...(r.error ? [`${r.shape} R = ${r.networks}: ${r.error}.`] : []),
    ...(r.failed_networks > 0
      ? [`${r.shape} R = ${r.networks}: ${r.failed_networks} network(s) diverged (still timed).`]
      : []),
  ]);
  return `## Training: stacked networks vs one by one (tfjs wasm)\n\n` +
    `Training seconds per network (backend start-up and data excluded), median of ${repeats} fresh ` +
    `processes. Shapes: sim3-10 = p 3, 10 softplus units, 150 rows, batch 16, Adam 1e-2; sim1-50x3 = ` +
    `p 5, 3×50 tanh, 375 rows, batch 100, Adam 1e-3, L1 constraint, validation split 0.2. One by one ` +
    `trains min(R, 3) networks (its time is linear in R).\n\n${table}` +
    (notes.length ? `\n\n${notes.join("\n")}` : "");
}
