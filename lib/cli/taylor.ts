/**
 * `deno task poly taylor FILE.json [--order K] [--x0 0.1,-0.2] [--method exact|hope|autodiff]`:
 * Taylor coefficients of a network at x0 by one of three engines. `order` and `x0` default to the
 * file's fields. Prints `{labels, coefficients, seconds, method, order, x0, peak_rss_mib}` (labels
 * in the Taylor fixtures' style, `[]` = constant; autodiff adds `backend`, `completed_order` and
 * `notes`); `seconds` is the engine's own compute time.
 *
 * @module
 */

import { type Network, NetworkError, parseNetwork } from "../network/network.ts";
import { Nn2polyError } from "../nn2poly/engine.ts";
import { exactTaylor } from "../taylor/exact.ts";
import { hopeTaylor } from "../taylor/hope.ts";
import { parseInteger, parseNumberList, peakRssMiB, UsageError } from "./errors.ts";
import type { TaylorRunner } from "./poly.ts";

/** The Taylor engines the CLI offers. */
export const TAYLOR_METHODS = ["exact", "hope", "autodiff"] as const;

/** Name of a Taylor engine. */
export type TaylorMethod = typeof TAYLOR_METHODS[number];

/** Resolved arguments of one `poly taylor` run. */
export interface TaylorJob {
  /** The network. */
  net: Network;
  /** Highest total degree K. */
  order: number;
  /** Expansion point, one value per input. */
  x0: number[];
  /** Engine. */
  method: TaylorMethod;
}

/**
 * Validates a file's JSON and the flags into a {@link TaylorJob}; every problem is a one-line
 * {@link UsageError} naming the field or flag.
 */
export function resolveTaylorJob(
  obj: Record<string, unknown>,
  flags: { order?: string; x0?: string; method?: string },
): TaylorJob {
  const method = flags.method ?? "exact";
  if (!(TAYLOR_METHODS as readonly string[]).includes(method)) {
    throw new UsageError(`--method: expected one of ${TAYLOR_METHODS.join(", ")}, got "${method}"`);
  }
  let net: Network;
  try {
    net = parseNetwork(obj);
  } catch (e) {
    if (e instanceof NetworkError) throw new UsageError(`poly taylor: ${e.message}`);
    throw e;
  }
  let order: number;
  if (flags.order !== undefined) order = parseInteger("--order", flags.order);
  else if (obj.order !== undefined) {
    if (typeof obj.order !== "number" || !Number.isInteger(obj.order) || obj.order < 0) {
      throw new UsageError(
        `poly taylor: order in the file must be a non-negative integer, got ${JSON.stringify(obj.order)}`,
      );
    }
    order = obj.order;
  } else throw new UsageError("poly taylor: no order in the file; pass --order K (a non-negative integer)");
  let x0: number[];
  if (flags.x0 !== undefined) x0 = parseNumberList("--x0", flags.x0);
  else if (obj.x0 !== undefined) {
    if (!Array.isArray(obj.x0) || obj.x0.some((v) => typeof v !== "number" || !Number.isFinite(v))) {
      throw new UsageError("poly taylor: x0 in the file must be a list of finite numbers");
    }
    x0 = obj.x0 as number[];
  } else {
    throw new UsageError(
      `poly taylor: no x0 in the file; pass --x0 with ${net.inputs} comma-separated numbers`,
    );
  }
  if (x0.length !== net.inputs) {
    throw new UsageError(
      `poly taylor: x0 has ${x0.length} values but the network has ${net.inputs} inputs; give one per input`,
    );
  }
  return { net, order, x0, method: method as TaylorMethod };
}

/** Runs one engine on a resolved job; returns the CLI's JSON object. */
export async function runTaylorJob(job: TaylorJob): Promise<Record<string, unknown>> {
  const { net, order, x0, method } = job;
  const common = { method, order, x0, ...piecewiseLinearNote(net) };
  try {
    if (method === "exact") {
      const t0 = performance.now();
      const { polynomials, terms } = exactTaylor(net, x0, order);
      const seconds = (performance.now() - t0) / 1000;
      return {
        labels: terms.labels("taylor"),
        coefficients: polynomials.map((f) => Array.from(f.coefficients)),
        seconds,
        ...common,
        peak_rss_mib: peakRssMiB(),
      };
    }
    if (method === "hope") {
      const t0 = performance.now();
      const r = hopeTaylor(net, x0, order);
      const seconds = (performance.now() - t0) / 1000;
      return {
        labels: r.labels,
        coefficients: r.coefficients.map((c) => Array.from(c)),
        seconds,
        ...common,
        peak_rss_mib: peakRssMiB(),
      };
    }
    const r = await (await import("../taylor/autodiff.ts")).autodiffTaylor(net, x0, order);
    return {
      labels: r.labels,
      coefficients: r.coefficients.map((c) => Array.from(c)),
      seconds: r.seconds,
      ...common,
      backend: r.backend,
      completed_order: r.completedOrder,
      notes: [...(common.notes ?? []), ...r.notes],
      peak_rss_mib: peakRssMiB(),
    };
  } catch (e) {
    // size guards and argument checks of the engines are the user's to fix
    if (e instanceof Nn2polyError || e instanceof RangeError || isEngineArgumentError(e)) {
      throw new UsageError(`poly taylor --method ${method}: ${(e as Error).message.split("\n")[0]}`);
    }
    if (method === "autodiff" && e instanceof WebAssembly.RuntimeError) {
      // nested tf.grad keeps every intermediate tape; the wasm heap (4 GB) runs out first
      throw new UsageError(
        `poly taylor --method autodiff: the tfjs wasm backend aborted at order ${order} (most likely its ` +
          `4 GB heap ran out); lower --order`,
      );
    }
    throw e;
  }
}

/** HOPE and autodiff report bad arguments as plain Errors starting with the field name. */
function isEngineArgumentError(e: unknown): boolean {
  return e instanceof Error && e.constructor === Error &&
    /^(order|x0|net\.layers|modules|backend)\b/.test(e.message);
}

/** The `poly taylor` runner installed by main.ts (see {@link TaylorRunner}). */
export const taylorRunner: TaylorRunner = (fileJson, flags) =>
  runTaylorJob(resolveTaylorJob(fileJson, flags));

/**
 * A note for networks with relu/leaky_relu layers: those have zero derivatives above the first, so
 * every unit contributes its active linear piece at x0; when all non-linear layers are piecewise
 * linear the whole expansion is the (trivially linear) active piece of the network.
 */
export function piecewiseLinearNote(net: Network): { notes?: string[] } {
  const kinked = net.layers.filter((l) => l.activation === "relu" || l.activation === "leaky_relu");
  if (kinked.length === 0) return {};
  const allLinear = net.layers.every((l) => l.activation === "linear" || kinked.includes(l));
  return {
    notes: [
      allLinear
        ? "every non-linear layer is relu/leaky_relu, whose derivatives above the first are zero: the expansion is the network's active linear piece at x0 (all terms of degree ≥ 2 are 0)"
        : `${kinked.length} relu/leaky_relu layer(s): their derivatives above the first are zero, so those units enter only through their active linear piece at x0`,
    ],
  };
}
