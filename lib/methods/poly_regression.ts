/**
 * The `polyRegression` method: a least-squares polynomial of degree ≤ d (QR; lib/baselines/) fitted
 * on the training inputs, to the data's response (`target: "y"`, the default: a baseline that
 * never sees the network) or to the network's own outputs (`target: "network"`: a distilled
 * polynomial surrogate, the fair competitor of NN2Poly and Taylor at the same number of terms).
 *
 * @module
 */

import { z } from "zod";
import { fitPolynomialRegression } from "../baselines/poly_regression.ts";
import { type ConfigShape, type Method, type MethodIssue, variantInstances } from "../experiment/method.ts";
import { registerMethod } from "../experiment/method_registry.ts";
import type { Experiment } from "../experiment/schema.ts";
import { forward } from "../network/network.ts";
import { termCount } from "../poly/basis.ts";
import { evaluatePolynomials } from "../poly/polynomial.ts";

const degree = () => z.number().int("expected an integer").min(0, "expected an integer ≥ 0");

/** Schema of `methods.polyRegression`. */
export const polyRegressionOptionsSchema = z.strictObject({
  /** Degree of the least-squares polynomial fitted to the training data. */
  degree: degree(),
  /** What is fitted: the training response `y` (default) or the network's outputs on the training inputs. */
  target: z.enum(["y", "network"]).optional(),
  /** Also fit these degrees for the convergence curve. */
  convergenceOrders: z.array(degree()).optional(),
  /**
   * Named variants (`variants: { net: { target: "network" } }` → `polyRegression_net`), run instead
   * of the base options; unset fields inherit them (convergence degrees too).
   */
  variants: z.record(
    z.string().regex(/^[A-Za-z0-9]+$/, "variant names are letters and digits"),
    z.strictObject({ degree: degree().optional(), target: z.enum(["y", "network"]).optional() }),
  ).refine((v) => Object.keys(v).length > 0, "give at least one variant").optional(),
});

/** Resolved `methods.polyRegression`. */
export type PolyRegressionOptions = z.infer<typeof polyRegressionOptionsSchema>;

declare module "../experiment/method.ts" {
  interface MethodOptionsMap {
    polyRegression: { input: z.input<typeof polyRegressionOptionsSchema>; output: PolyRegressionOptions };
  }
}

function check(options: PolyRegressionOptions, _config: Experiment, shape: ConfigShape): MethodIssue[] {
  const degrees: [(string | number)[], number][] = [[["degree"], options.degree]];
  for (const [v, over] of Object.entries(options.variants ?? {})) {
    if (over.degree !== undefined) degrees.push([["variants", v, "degree"], over.degree]);
  }
  for (const d of options.convergenceOrders ?? []) degrees.push([["convergenceOrders"], d]);
  for (const [path, d] of degrees) {
    const terms = termCount(shape.p, d);
    if (terms > shape.trainN) {
      return [{
        path,
        message:
          `degree ${d} in ${shape.p} inputs has ${terms} terms but only ${shape.trainN} training rows; ` +
          `lower the degree or use more rows`,
      }];
    }
  }
  return [];
}

/** The `polyRegression` method. */
export const polyRegressionMethod: Method<PolyRegressionOptions> = {
  name: "polyRegression",
  label: "poly. regression",
  description: "least-squares polynomial of degree ≤ d fitted to the training response (or to the network)",
  sizeUnit: "terms",
  options: polyRegressionOptionsSchema,
  check,
  instances: (options, name) =>
    variantInstances(options, name, (o) => ({ convergenceOrders: o.convergenceOrders ?? [] })),
  order: { of: (o) => o.degree, with: (o, degree) => ({ ...o, degree }) },
  build(input, options) {
    const y = options.target === "network"
      ? forward(input.network, input.trainX, input.trainN)
      : input.trainY;
    const fit = fitPolynomialRegression(
      input.trainX,
      y,
      input.trainN,
      input.p,
      options.degree,
      input.outputs,
    );
    const polynomials = fit.polynomials;
    return {
      polynomials,
      size: fit.terms.count,
      evaluate: (x, n) => evaluatePolynomials(polynomials, x, n),
    };
  },
};

registerMethod(polyRegressionMethod, import.meta.url);
