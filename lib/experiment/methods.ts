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

/** Names of the available methods, in report order. */
export const METHOD_NAMES = ["nn2poly", "polyRegression"] as const;

/** A method name. */
export type MethodName = typeof METHOD_NAMES[number];

/** Runs every method configured in `config.methods`, in {@link METHOD_NAMES} order. */
export function runMethods(
  config: Experiment,
  network: Network,
  data: MethodData,
): Map<MethodName, MethodResult> {
  const out = new Map<MethodName, MethodResult>();
  const m = config.methods;
  if (m.nn2poly) {
    const opts = m.nn2poly;
    const t0 = performance.now();
    const expand = (maxOrder: number) =>
      nn2poly(network, { maxOrder, taylorOrders: opts.taylorOrders, taylorCenter: opts.taylorCenter })
        .polynomials;
    const polynomials = expand(opts.maxOrder);
    const predictions = evaluatePolynomials(polynomials, data.testX, data.testN);
    const seconds = (performance.now() - t0) / 1000;
    const convergence = (opts.convergenceOrders ?? []).map((order) => ({
      order,
      predictions: order === opts.maxOrder
        ? predictions
        : evaluatePolynomials(expand(order), data.testX, data.testN),
    }));
    out.set("nn2poly", { predictions, polynomials, convergence, seconds });
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
