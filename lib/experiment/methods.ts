/**
 * Applies the configured methods to one trained network: each registered method
 * (./method_registry.ts) named in `config.methods` builds its representations from the network and
 * the scaled training data; each is evaluated on the test set, rebuilt at its convergence orders,
 * and timed. The framework never names a method.
 *
 * @module
 */

import type { Network } from "../network/network.ts";
import type { Polynomial } from "../poly/polynomial.ts";
import type { Method, MethodInput, Representation } from "./method.ts";
import { methodNamed } from "./method_registry.ts";
import type { Experiment } from "./schema.ts";

export { methodLabel } from "./method_registry.ts";

/** Scaled data a method may use (training part) and is scored on (test part). */
export interface MethodData {
  /** Inputs p. */
  p: number;
  /** Outputs (1, or k classes). */
  outputs: number;
  /** Training inputs (row-major) and targets. */
  trainX: Float64Array;
  trainY: Float64Array;
  trainN: number;
  /** Test inputs and targets. */
  testX: Float64Array;
  testY: Float64Array;
  testN: number;
}

/** What one method instance gives. */
export interface MethodResult {
  /** Test-set predictions, row-major testN × outputs. */
  predictions: Float64Array;
  /** The method's polynomials (one per output), when it produces one. */
  polynomials?: Polynomial[];
  /** Predictions (and sizes) at other orders, for the convergence curve. */
  convergence?: { order: number; predictions: Float64Array; size: number }[];
  /** Size in the method's unit (terms, nodes, units). */
  size: number;
  /** Build time in seconds (evaluation excluded; the fastest of a few builds when quick, see `buildTimed`). */
  seconds: number;
  /** Centre of a local representation, with the radii of its error-vs-distance curve. */
  center?: Float64Array;
  radii?: readonly number[];
}

/** A representation with the time it took to build. */
export interface TimedRepresentation extends Representation {
  /** Build time in seconds. */
  buildSeconds: number;
}

/** Builds faster than this (seconds) are repeated for the timing, see {@link buildTimed}. */
export const QUICK_BUILD_SECONDS = 0.05;

/** Most builds {@link buildTimed} times. */
export const MAX_TIMED_BUILDS = 5;

/**
 * Builds one representation and measures its build time: a build under {@link QUICK_BUILD_SECONDS}
 * is repeated (up to {@link MAX_TIMED_BUILDS} builds in all) and the fastest counts, so that
 * sub-millisecond builds are not dominated by the first call's compilation and by the machine's noise.
 * The representation returned is the first one (builds are deterministic).
 */
export function buildTimed<O>(method: Method<O>, input: MethodInput, options: O): TimedRepresentation {
  let t0 = performance.now();
  const rep = method.build(input, options);
  let best = (performance.now() - t0) / 1000;
  for (let k = 1; k < MAX_TIMED_BUILDS && best < QUICK_BUILD_SECONDS; k++) {
    t0 = performance.now();
    method.build(input, options);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return Object.assign(rep, { buildSeconds: best });
}

/** Whether the config asks for sizes (`size_<m>` metrics): the `methods` table or the `terms`/`pareto` figures. */
export function wantsMethodStats(config: Experiment): boolean {
  const f = config.outputs.figures;
  return config.outputs.tables.includes("methods") || f.includes("terms") || f.includes("pareto");
}

/**
 * Runs every method configured in `config.methods` (registration order; a method's variants in
 * declaration order), all on the same network.
 */
export function runMethods(
  config: Experiment,
  network: Network,
  data: MethodData,
): Map<string, MethodResult> {
  const out = new Map<string, MethodResult>();
  const input: MethodInput = {
    network,
    p: data.p,
    outputs: data.outputs,
    trainX: data.trainX,
    trainY: data.trainY,
    trainN: data.trainN,
  };
  for (const [name, options] of Object.entries(config.methods)) {
    const method = methodNamed(name);
    if (!method) throw new Error(`methods.${name}: no such method is registered in this thread`);
    for (const instance of method.instances(options, name)) {
      const rep = buildTimed(method, input, instance.options);
      const predictions = rep.evaluate(data.testX, data.testN);
      const own = method.order?.of(instance.options);
      const convergence = (instance.convergenceOrders ?? []).map((order) => {
        if (order === own) return { order, predictions, size: rep.size };
        if (!method.order) throw new Error(`methods.${name}: has no order parameter for convergenceOrders`);
        const at = method.build(input, method.order.with(instance.options, order));
        return { order, predictions: at.evaluate(data.testX, data.testN), size: at.size };
      });
      out.set(instance.name, {
        predictions,
        ...(rep.polynomials ? { polynomials: rep.polynomials } : {}),
        convergence,
        size: rep.size,
        seconds: rep.buildSeconds,
        ...(rep.center && instance.radii?.length ? { center: rep.center, radii: instance.radii } : {}),
      });
    }
  }
  return out;
}
