/**
 * The training suite: stacked tfjs training (lib/train/stack.ts) against training the same
 * networks one by one (lib/train/fit.ts), in fresh processes of `bench/drivers/train_run.ts` on the
 * wasm backend: sim3's shape (p 3, 10 softplus units, 150 rows, batch 16, 100 epochs) for R = 1,
 * 10, 100 networks and sim1's (p 5, 3×50 tanh, 375 rows, batch 100, L1 constraint, 50 epochs) for
 * R = 1, 20. The sample is training seconds per network. One-by-one time is linear in R, so single
 * mode trains min(R, 3) networks (one case shared by every R ≥ 3 of a shape).
 *
 * @module
 */

import { fmtSeconds, markdownTable } from "./harness.ts";
import { type BenchCase, type CaseSummary, defineSuite } from "./suite.ts";

/** One timed configuration: a shape, a number of networks and epochs. */
export interface TrainCase {
  /** Shape name of bench/drivers/train_run.ts. */
  shape: string;
  /** Networks R. */
  networks: number;
  /** Epochs. */
  epochs: number;
}

/** The suite's configurations. */
export const TRAIN_CASES: readonly TrainCase[] = [
  { shape: "sim3-10", networks: 1, epochs: 100 },
  { shape: "sim3-10", networks: 10, epochs: 100 },
  { shape: "sim3-10", networks: 100, epochs: 100 },
  { shape: "sim1-50x3", networks: 1, epochs: 50 },
  { shape: "sim1-50x3", networks: 20, epochs: 50 },
];

/** Networks trained one by one for configuration `c`. */
export function singleNetworks(c: TrainCase): number {
  return Math.min(c.networks, 3);
}

/** The bench case of `c` in one mode (single mode: min(R, 3) networks). */
export function trainCase(c: TrainCase, mode: "single" | "stack"): BenchCase {
  const networks = mode === "single" ? singleNetworks(c) : c.networks;
  return {
    id: `training/${c.shape}/${mode}/r${networks}`,
    script: "bench/drivers/train_run.ts",
    args: ["--shape", c.shape, "--networks", String(networks), "--epochs", String(c.epochs), "--mode", mode],
    metric: "seconds_per_network",
    info: { shape: c.shape, networks, epochs: c.epochs, mode },
    inspect: (json) => ({ failed_networks: Number(json.failed ?? 0), backend: String(json.backend ?? "") }),
  };
}

/** The suite (registered in bench/suites.ts). */
export const trainingSuite = defineSuite({
  name: "training",
  description: "tfjs training (wasm): R networks stacked vs one by one, sim3 and sim1 shapes",
  cases() {
    const byId = new Map<string, BenchCase>();
    for (const c of TRAIN_CASES) {
      for (const mode of ["single", "stack"] as const) {
        const bc = trainCase(c, mode);
        if (!byId.has(bc.id)) byId.set(bc.id, bc);
      }
    }
    return [...byId.values()];
  },
  section: trainMarkdown,
});

/** The suite's Markdown section: per configuration, stacked and one-by-one seconds per network. */
export function trainMarkdown(cases: readonly CaseSummary[]): string {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const secs = (c?: CaseSummary) => (!c || c.samples.length === 0 ? "n/a" : fmtSeconds(c.median));
  const mib = (c?: CaseSummary) => (c?.peakRssMiB === undefined ? "n/a" : String(c.peakRssMiB));
  const rows = TRAIN_CASES.flatMap((t) => {
    const stack = byId.get(trainCase(t, "stack").id);
    const single = byId.get(trainCase(t, "single").id);
    if (!stack && !single) return [];
    const speedup = stack?.samples.length && single?.samples.length
      ? single.median / stack.median
      : undefined;
    return [[
      t.shape,
      String(t.networks),
      String(t.epochs),
      secs(stack),
      secs(single),
      speedup === undefined ? "—" : `${speedup.toFixed(1)}×`,
      mib(stack),
      mib(single),
    ]];
  });
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
    rows,
  );
  const notes = cases.flatMap((c) => [
    ...(c.error ? [`${c.id}: ${c.error}.`] : []),
    ...(Number(c.facts?.failed_networks) > 0
      ? [`${c.id}: ${c.facts?.failed_networks} network(s) diverged in the inspected run (still timed).`]
      : []),
  ]);
  const n = Math.max(0, ...cases.map((c) => c.samples.length));
  return `## Training: stacked networks vs one by one (tfjs wasm)\n\n` +
    `Training seconds per network (backend start-up and data excluded), median of ${n} fresh ` +
    `processes. Shapes: sim3-10 = p 3, 10 softplus units, 150 rows, batch 16, Adam 1e-2; sim1-50x3 = ` +
    `p 5, 3×50 tanh, 375 rows, batch 100, Adam 1e-3, L1 constraint, validation split 0.2. One by one ` +
    `trains min(R, 3) networks (its time is linear in R).\n\n${table}` +
    (notes.length ? `\n\n${notes.join("\n")}` : "");
}
