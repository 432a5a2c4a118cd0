/**
 * `deno task poly taylor MODEL [--order K] [--x0 0.1,-0.2] [--method exact|hope|autodiff]`:
 * Taylor coefficients of a network at x0 by one of three engines. MODEL is a polylab FILE.json, an
 * ONNX file or a tfjs model.json; conv, pool and residual graphs go to the module engines (exact,
 * hope). `order` and `x0` default to a FILE.json's fields. Prints `{labels, coefficients, seconds,
 * method, order, x0, peak_rss_mib}` (labels in the Taylor fixtures' style, `[]` = constant; autodiff
 * adds `backend`, `completed_order` and `notes`); `seconds` is the engine's own compute time.
 *
 * @module
 */

import { type LoadedModel, modelFromJson } from "../io/network_file.ts";
import type { Network } from "../network/network.ts";
import { Nn2polyError } from "../nn2poly/engine.ts";
import type { ActivationName } from "../series/activations.ts";
import { exactTaylor } from "../taylor/exact.ts";
import { exactTaylorModules } from "../taylor/exact_modules.ts";
import { hopeTaylor, hopeTaylorModules } from "../taylor/hope.ts";
import type { HopeModule } from "../taylor/modules.ts";
import { parseInteger, parseNumberList, peakRssMiB, UsageError } from "./errors.ts";
import type { TaylorRunner } from "./poly.ts";
import { confirmWork, formatDuration } from "../experiment/estimate.ts";

/** The Taylor engines the CLI offers. */
export const TAYLOR_METHODS = ["exact", "hope", "autodiff"] as const;

/** Name of a Taylor engine. */
export type TaylorMethod = typeof TAYLOR_METHODS[number];

/** Resolved arguments of one `poly taylor` run. */
export interface TaylorJob {
  /** The dense network, when the model is one (autodiff needs it). */
  net?: Network;
  /** The model as modules (conv, pool and residual graphs included). */
  modules: readonly HopeModule[];
  /** Number of inputs. */
  inputs: number;
  /** Why the model is not a dense network, when it is not. */
  notDense?: string;
  /** Highest total degree K. */
  order: number;
  /** Expansion point, one value per input. */
  x0: number[];
  /** Engine. */
  method: TaylorMethod;
}

/**
 * Validates a loaded model (or a polylab JSON object) and the flags into a {@link TaylorJob}; every
 * problem is a one-line {@link UsageError} naming the field or flag.
 */
export function resolveTaylorJob(
  source: LoadedModel | Record<string, unknown>,
  flags: { order?: string; x0?: string; method?: string },
): TaylorJob {
  const method = flags.method ?? "exact";
  if (!(TAYLOR_METHODS as readonly string[]).includes(method)) {
    throw new UsageError(`--method: expected one of ${TAYLOR_METHODS.join(", ")}, got "${method}"`);
  }
  const model = isLoaded(source) ? source : modelFromJson(source, "poly taylor");
  const obj = model.fields;
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
      `poly taylor: no x0 in the file; pass --x0 with ${model.inputs} comma-separated numbers`,
    );
  }
  if (x0.length !== model.inputs) {
    throw new UsageError(
      `poly taylor: x0 has ${x0.length} values but the network has ${model.inputs} inputs; give one per input`,
    );
  }
  if (method === "autodiff" && !model.network) {
    throw new UsageError(
      `poly taylor --method autodiff: takes dense networks only, but ${model.notDense}; use --method exact`,
    );
  }
  return {
    ...(model.network ? { net: model.network } : { notDense: model.notDense }),
    modules: model.modules,
    inputs: model.inputs,
    order,
    x0,
    method: method as TaylorMethod,
  };
}

function isLoaded(v: LoadedModel | Record<string, unknown>): v is LoadedModel {
  return typeof v.format === "string" && Array.isArray(v.modules) && typeof v.fields === "object";
}

/**
 * Refuses non-finite coefficients (float64 overflow, e.g. weights of 1e300) with a one-line error
 * naming the first such term and, from the exact engine, the layer where the overflow begins.
 * `upTo` limits the check to the terms of degree ≤ upTo (autodiff leaves skipped degrees NaN).
 */
function requireFiniteCoefficients(
  job: TaylorJob,
  labels: readonly (readonly number[])[],
  coefficients: readonly ArrayLike<number>[],
  upTo = job.order,
): void {
  for (let o = 0; o < coefficients.length; o++) {
    for (let t = 0; t < labels.length; t++) {
      if (labels[t].length > upTo || Number.isFinite(coefficients[o][t])) continue;
      let where = "";
      try {
        if (job.net) exactTaylor(job.net, job.x0, job.order);
        else exactTaylorModules(job.modules, job.inputs, job.x0, job.order);
        where = "the exact polynomial is finite, so the overflow is the engine's own";
      } catch (e) {
        where = e instanceof Nn2polyError && /non-finite/.test(e.message)
          ? e.message.replace(/^non-finite coefficients \(float64 overflow\): /, "")
            .replace(
              "rescale the weights or lower max_order/taylor_orders",
              "rescale the weights or lower --order",
            )
          : "";
      }
      throw new UsageError(
        `poly taylor --method ${job.method}: non-finite coefficient (float64 overflow) for output ${
          o + 1
        }, ` +
          `term ${JSON.stringify(labels[t])}${
            where ? `; ${where}` : "; rescale the weights or lower --order"
          }`,
      );
    }
  }
}

/**
 * Rough seconds of nested-autodiff Taylor coefficients: one `tf.grad` per partial of degree < K, each
 * about three times as costly as the one it differentiates (calibrated on a 3-input, 3-layer network:
 * order 6 in 4.8 s, order 7 in 20 s on this project's machine).
 */
export function estimateAutodiffSeconds(net: Network, order: number): number {
  const p = net.inputs;
  let partials = 1, total = 0;
  for (let d = 0; d < order; d++) {
    total += partials * 3 ** d;
    partials = (partials * (p + d)) / (d + 1); // C(p + d, d + 1): partials of degree d + 1
  }
  const outputs = net.layers[net.layers.length - 1].units;
  return 2.5e-4 * net.layers.length * outputs * total;
}

/** Runs one engine on a resolved job; returns the CLI's JSON object. */
export async function runTaylorJob(job: TaylorJob, yes = false): Promise<Record<string, unknown>> {
  const { net, order, x0, method, modules, inputs } = job;
  const common = { method, order, x0, ...piecewiseLinearNote(net ?? modules) };
  try {
    if (method === "exact") {
      const t0 = performance.now();
      const { polynomials, terms } = net
        ? exactTaylor(net, x0, order)
        : exactTaylorModules(modules, inputs, x0, order);
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
      const r = net ? hopeTaylor(net, x0, order) : hopeTaylorModules(modules, inputs, x0, order);
      const seconds = (performance.now() - t0) / 1000;
      requireFiniteCoefficients(job, r.labels, r.coefficients);
      return {
        labels: r.labels,
        coefficients: r.coefficients.map((c) => Array.from(c)),
        seconds,
        ...common,
        peak_rss_mib: peakRssMiB(),
      };
    }
    const seconds = estimateAutodiffSeconds(net!, order);
    if (seconds > 60) {
      await confirmWork(
        `poly taylor --method autodiff: order ${order} on ${
          net!.inputs
        } inputs nests tf.grad ${order} deep; ` +
          `about ${formatDuration(seconds)} (rough estimate)`,
        seconds,
        { yes },
      );
    }
    const r = await (await import("../taylor/autodiff.ts")).autodiffTaylor(net!, x0, order);
    requireFiniteCoefficients(job, r.labels, r.coefficients, r.completedOrder);
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
    if (e instanceof UsageError) throw e;
    if (e instanceof Nn2polyError || e instanceof RangeError || isEngineArgumentError(e)) {
      // the exact engine's size guard speaks of the library's options; the CLI's knob is --order
      const message = (e as Error).message.split("\n")[0]
        .replace(
          /; lower max_order or the Taylor orders \(or raise the limit, maxCoefficients\)$/,
          "; lower --order",
        )
        .replace(
          "rescale the weights or lower max_order/taylor_orders",
          "rescale the weights or lower --order",
        );
      throw new UsageError(`poly taylor --method ${method}: ${message}`);
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
export const taylorRunner: TaylorRunner = (model, flags) =>
  runTaylorJob(resolveTaylorJob(model, flags), flags.yes);

/**
 * A note for networks with relu/leaky_relu layers: those have zero derivatives above the first, so
 * every unit contributes its active linear piece at x0; when all non-linear layers are piecewise
 * linear the whole expansion is the (trivially linear) active piece of the network.
 */
export function piecewiseLinearNote(net: Network | readonly HopeModule[]): { notes?: string[] } {
  const acts = "layers" in net ? net.layers.map((l) => l.activation) : moduleActivations(net);
  const kinked = acts.filter((a) => a === "relu" || a === "leaky_relu");
  if (kinked.length === 0) return {};
  const allLinear = acts.every((a) => a === "linear" || a === "relu" || a === "leaky_relu");
  return {
    notes: [
      allLinear
        ? "every non-linear layer is relu/leaky_relu, whose derivatives above the first are zero: the expansion is the network's active linear piece at x0 (all terms of degree ≥ 2 are 0)"
        : `${kinked.length} relu/leaky_relu layer(s): their derivatives above the first are zero, so those units enter only through their active linear piece at x0`,
    ],
  };
}

/** Activations of a module list (residual bodies included), in order. */
function moduleActivations(modules: readonly HopeModule[]): ActivationName[] {
  return modules.flatMap((m) =>
    m.kind === "elementwise" ? [m.activation] : m.kind === "residual" ? moduleActivations(m.body) : []
  );
}
