/**
 * The representations an experiment can compute for each trained network. Each method gets the
 * float64 network and the scaled train/test data and returns test-set predictions (plus its
 * polynomials and, optionally, a convergence curve over polynomial orders).
 *
 * @module
 */

import type { Network } from "../network/network.ts";
import { nn2poly } from "../nn2poly/engine.ts";
import { evaluatePolynomials, type Polynomial } from "../poly/polynomial.ts";
import { fitPolynomialRegression } from "../baselines/poly_regression.ts";
import type { Experiment } from "./schema.ts";

/** Scaled data a method may use. */
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

/** What a method returns. */
export interface MethodResult {
  /** Test-set predictions, row-major testN × outputs. */
  predictions: Float64Array;
  /** The method's polynomials (one per output), when it produces one. */
  polynomials?: Polynomial[];
  /** Predictions at other orders, for the convergence curve. */
  convergence?: { order: number; predictions: Float64Array }[];
  /** Engine time in seconds. */
  seconds: number;
}

/** Names of the available methods, in report order (nn2poly variants are `nn2poly_<variant>`). */
export const METHOD_NAMES = ["nn2poly", "polyRegression"] as const;

/** A method name. */
export type MethodName = typeof METHOD_NAMES[number];

/** The expansions `methods.nn2poly` asks for: the base one, or one per variant, with resolved options. */
export function nn2polyExpansions(
  config: Experiment,
): { name: string; maxOrder: number; taylorOrders: number | number[]; taylorCenter: number }[] {
  const opts = config.methods.nn2poly;
  if (!opts) return [];
  if (!opts.variants) return [{ name: "nn2poly", ...opts }];
  return Object.entries(opts.variants).map(([variant, v]) => ({
    name: `nn2poly_${variant}`,
    maxOrder: v.maxOrder,
    taylorOrders: v.taylorOrders ?? opts.taylorOrders,
    taylorCenter: v.taylorCenter ?? opts.taylorCenter,
  }));
}

/** Display name of a method (`nn2poly_q3` → `NN2Poly q3`). */
export function methodLabel(name: string): string {
  if (name === "polyRegression") return "poly. regression";
  if (name === "nn2poly") return "NN2Poly";
  return name.startsWith("nn2poly_") ? `NN2Poly ${name.slice("nn2poly_".length)}` : name;
}

/**
 * Runs every method configured in `config.methods`, in {@link METHOD_NAMES} order (nn2poly
 * variants in declaration order, all expanding the same network).
 */
export function runMethods(
  config: Experiment,
  network: Network,
  data: MethodData,
): Map<string, MethodResult> {
  const out = new Map<string, MethodResult>();
  const m = config.methods;
  for (const opts of nn2polyExpansions(config)) {
    const t0 = performance.now();
    const expand = (maxOrder: number) =>
      nn2poly(network, { maxOrder, taylorOrders: opts.taylorOrders, taylorCenter: opts.taylorCenter })
        .polynomials;
    const polynomials = expand(opts.maxOrder);
    const predictions = evaluatePolynomials(polynomials, data.testX, data.testN);
    const seconds = (performance.now() - t0) / 1000;
    const orders = opts.name === "nn2poly" ? m.nn2poly?.convergenceOrders ?? [] : [];
    const convergence = orders.map((order) => ({
      order,
      predictions: order === opts.maxOrder
        ? predictions
        : evaluatePolynomials(expand(order), data.testX, data.testN),
    }));
    out.set(opts.name, { predictions, polynomials, convergence, seconds });
  }
  if (m.polyRegression) {
    const t0 = performance.now();
    const fit = fitPolynomialRegression(
      data.trainX,
      data.trainY,
      data.trainN,
      data.p,
      m.polyRegression.degree,
      data.outputs,
    );
    const predictions = evaluatePolynomials(fit.polynomials, data.testX, data.testN);
    out.set("polyRegression", {
      predictions,
      polynomials: fit.polynomials,
      seconds: (performance.now() - t0) / 1000,
    });
  }
  return out;
}
