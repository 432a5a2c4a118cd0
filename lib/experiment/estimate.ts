/**
 * The work estimate printed before a run starts (cells × epochs × rows, expansion sizes, a rough
 * wall time) and the confirmation threshold: a run estimated above {@link CONFIRM_SECONDS} starts only
 * after a "y" on an interactive terminal or with `--yes`; without a terminal (CI, a batch job) it is
 * refused unless `--yes` is given.
 *
 * The time model is deliberately simple and rough (within a factor of ~3 on the machines measured):
 * per optimizer step a fixed overhead, per row and epoch six multiply-adds per parameter (forward and
 * backward), calibrated on sim1's protocol (480 trainings in 39 min on 2 cores, README "Speed").
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { GridPointFacts } from "./validate.ts";

/** Runs estimated above this many seconds of wall time need a confirmation (`--yes`). */
export const CONFIRM_SECONDS = 3600;

/** Seconds of overhead per optimizer step (tfjs, one batch). */
const STEP_SECONDS = 1e-3;
/** Multiply-adds per second of the training kernels. */
const FLOPS = 4e9;

/** The estimate of a plan's work. */
export interface WorkEstimate {
  /** Cells to run. */
  cells: number;
  /** Σ over cells of epochs × fitted rows. */
  rowEpochs: number;
  /** Terms of the largest polynomial a method builds (an upper bound; 0 without one). */
  maxTerms: number;
  /** Rough wall time in seconds on the given workers. */
  seconds: number;
  /** Workers the time assumes. */
  workers: number;
}

/** Estimates the work of running `cells` cells of the plan (all by default) on `workers` workers. */
export function estimateWork(
  facts: readonly GridPointFacts[],
  workers: number,
  cellsOf: (gridIndex: number) => number = (g) => facts.find((f) => f.gridIndex === g)?.cells ?? 0,
): WorkEstimate {
  let cells = 0, rowEpochs = 0, cpuSeconds = 0, maxTerms = 0;
  for (const f of facts) {
    const n = cellsOf(f.gridIndex);
    if (n === 0) continue;
    const rows = f.shape.fitRows;
    const steps = f.epochs * Math.ceil(rows / f.batchSize);
    // the methods: about 50 multiply-adds per coefficient and hidden unit of the largest polynomial
    const units = f.shape.hidden.reduce((a, b) => a + b, f.shape.outputs);
    const perCell = steps * STEP_SECONDS + (6 * f.parameters * rows * f.epochs) / FLOPS +
      (f.maxTerms * units * 50) / FLOPS;
    cells += n;
    rowEpochs += n * rows * f.epochs;
    cpuSeconds += n * perCell;
    maxTerms = Math.max(maxTerms, f.maxTerms);
  }
  const w = Math.max(1, Math.min(workers, cells));
  return { cells, rowEpochs, maxTerms, seconds: cpuSeconds / w, workers: w };
}

/** "1.5 min", "3.2 h", "40 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 86400 * 3) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(0)} days`;
}

/** Large counts as `2.5 M`, `1.2 G`. */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)} k`;
  return String(n);
}

/** One line: what will run and how long it should take. */
export function describeEstimate(name: string, e: WorkEstimate): string {
  const expansions = e.maxTerms > 0 ? `, polynomials of up to ${formatCount(e.maxTerms)} terms` : "";
  return `${name}: ${e.cells} cell${e.cells === 1 ? "" : "s"}, ${formatCount(e.rowEpochs)} row-epochs of ` +
    `training${expansions}; about ${formatDuration(e.seconds)} on ${e.workers} worker${
      e.workers === 1 ? "" : "s"
    } (rough estimate)`;
}

/** How a run above the threshold is confirmed. */
export interface ConfirmOptions {
  /** `--yes` was given. */
  yes?: boolean;
  /** Asks a yes/no question (default: on an interactive terminal, read a line from stdin). */
  ask?: (question: string) => Promise<boolean>;
  /** Prints the estimate line (skipped with `--quiet`); default stderr. */
  print?: (line: string) => void;
}

/**
 * Prints the estimate and lets the run start, or refuses it with a {@link UsageError}: above
 * {@link CONFIRM_SECONDS} a run needs `--yes`, or a "y" typed at an interactive terminal. A refusal
 * is one line that carries the estimate (it is not printed twice).
 */
export async function confirmWork(summary: string, seconds: number, options: ConfirmOptions): Promise<void> {
  const print = options.print ?? ((line: string) => console.error(line));
  if (seconds <= CONFIRM_SECONDS || options.yes) {
    print(summary);
    return;
  }
  const why = summary.replace(/^[^:]*: /, "").replace(/; about .*$/, "");
  const ask = options.ask ?? (Deno.stdin.isTerminal() ? askOnTerminal : undefined);
  if (!ask) {
    throw new UsageError(
      `this run is estimated at about ${formatDuration(seconds)} (${why}), above the confirmation ` +
        `threshold of ${formatDuration(CONFIRM_SECONDS)}; pass --yes to start it, or shrink the plan`,
    );
  }
  print(summary);
  if (!await ask(`Estimated ${formatDuration(seconds)}. Start it? [y/N] `)) {
    throw new UsageError("not started (answered no); pass --yes to skip the question, or shrink the plan");
  }
}

async function askOnTerminal(question: string): Promise<boolean> {
  Deno.stderr.writeSync(new TextEncoder().encode(question));
  const buf = new Uint8Array(64);
  const n = await Deno.stdin.read(buf);
  const answer = n ? new TextDecoder().decode(buf.subarray(0, n)).trim().toLowerCase() : "";
  return answer === "y" || answer === "yes";
}
