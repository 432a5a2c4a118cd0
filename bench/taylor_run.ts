/**
 * Fallback Taylor runner for `deno task bench`, used while `deno task poly taylor` is not available:
 * `deno run -A bench/taylor_run.ts FILE.json --order K [--method exact|hope|autodiff]
 * [--max-seconds S]`. Runs one engine once in this (fresh) process and prints the same JSON as the
 * CLI contract: `{labels, coefficients, seconds, peak_rss_mib, method, notes}` with `seconds` the
 * engine's own compute time.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { parseNetwork } from "../lib/network/network.ts";
import { exactTaylor } from "../lib/taylor/exact.ts";
import { peakRssMiB, readJsonFile } from "../lib/cli/errors.ts";

/** The Taylor engines this script can run. */
export const TAYLOR_METHODS = ["exact", "hope", "autodiff"] as const;

/** One engine run: labels in the taylor style (`[]` = constant), coefficients per output. */
export interface TaylorRun {
  /** Sorted 1-based labels, `[]` = constant term. */
  labels: number[][];
  /** One array per output unit, aligned with labels. */
  coefficients: number[][];
  /** Engine compute time in seconds. */
  seconds: number;
  /** Notes from the engine (autodiff: backend, skipped degrees). */
  notes: string[];
}

/** Runs one Taylor engine on a parsed network at x0 up to `order`. */
export async function runTaylor(
  json: unknown,
  x0: number[],
  order: number,
  method: string,
  maxSeconds = Infinity,
): Promise<TaylorRun> {
  const net = parseNetwork(json);
  if (method === "exact") {
    const t0 = performance.now();
    const { polynomials, terms } = exactTaylor(net, x0, order);
    const seconds = (performance.now() - t0) / 1000;
    return {
      labels: terms.labels("taylor"),
      coefficients: polynomials.map((f) => Array.from(f.coefficients)),
      seconds,
      notes: [],
    };
  }
  if (method === "hope") {
    const { hopeTaylor } = await import("../lib/taylor/hope.ts");
    const t0 = performance.now();
    const r = hopeTaylor(net, x0, order);
    const seconds = (performance.now() - t0) / 1000;
    return { labels: r.labels, coefficients: r.coefficients.map((c) => Array.from(c)), seconds, notes: [] };
  }
  if (method === "autodiff") {
    const { autodiffTaylor } = await import("../lib/taylor/autodiff.ts");
    const r = await autodiffTaylor(net, x0, order, { maxSeconds });
    if (r.completedOrder < order) throw new Error(`autodiff reached only order ${r.completedOrder}`);
    return {
      labels: r.labels,
      coefficients: r.coefficients.map((c) => Array.from(c)),
      seconds: r.seconds,
      notes: r.notes,
    };
  }
  throw new Error(`--method: expected one of ${TAYLOR_METHODS.join(", ")}, got "${method}"`);
}

if (import.meta.main) {
  try {
    const { values, positionals } = parseArgs({
      args: Deno.args,
      allowPositionals: true,
      options: {
        order: { type: "string" },
        method: { type: "string", default: "exact" },
        "max-seconds": { type: "string" },
      },
    });
    if (positionals.length !== 1) throw new Error("usage: taylor_run.ts FILE.json --order K [--method M]");
    const json = readJsonFile(positionals[0]) as Record<string, unknown>;
    const order = Number(values.order ?? json.order);
    if (!Number.isInteger(order) || order < 0) throw new Error("--order: expected a non-negative integer");
    const x0 = (json.x0 as number[] | undefined) ?? new Array(Number(json.inputs)).fill(0);
    const maxSeconds = values["max-seconds"] ? Number(values["max-seconds"]) : Infinity;
    const run = await runTaylor(json, x0, order, values.method, maxSeconds);
    console.log(JSON.stringify({ ...run, method: values.method, order, peak_rss_mib: peakRssMiB() }));
  } catch (e) {
    console.error(`error: ${(e as Error).message.split("\n")[0]}`);
    Deno.exit(2);
  }
}
