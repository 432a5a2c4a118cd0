/**
 * The `hope` method: HOPE's published rule (Xiao et al. 2023; lib/taylor/hope.ts) at the same
 * centres as `taylor`. It drops the mixed partials of hidden units, so it equals the exact Taylor
 * polynomial for one hidden layer or K ≤ 1 and departs from it otherwise.
 *
 * @module
 */

import type { z } from "zod";
import type { ConfigShape, Method, MethodIssue } from "../experiment/method.ts";
import { registerMethod } from "../experiment/method_registry.ts";
import type { Experiment } from "../experiment/schema.ts";
import { termCount } from "../poly/basis.ts";
import { Polynomial } from "../poly/polynomial.ts";
import { Terms } from "../poly/terms.ts";
import { hopeTaylor, MAX_TERMS } from "../taylor/hope.ts";
import {
  checkCenters,
  evaluateAround,
  localBuilds,
  localInstances,
  type LocalOptions,
  localOptionsSchema,
  resolveCenter,
} from "./local.ts";

declare module "../experiment/method.ts" {
  interface MethodOptionsMap {
    hope: { input: z.input<typeof localOptionsSchema>; output: LocalOptions };
  }
}

function check(options: LocalOptions, _config: Experiment, shape: ConfigShape): MethodIssue[] {
  const bad = checkCenters(options, shape);
  if (bad.length) return bad;
  for (const b of localBuilds(options)) {
    const terms = termCount(shape.p, b.order);
    if (terms > MAX_TERMS) {
      return [{
        path: b.path,
        message:
          `${b.order} gives ${terms} terms in ${shape.p} inputs, above HOPE's limit of ${MAX_TERMS}; lower it`,
      }];
    }
  }
  return [];
}

/** The `hope` method. */
export const hopeMethod: Method<LocalOptions> = {
  name: "hope",
  label: "HOPE",
  description:
    "HOPE's Taylor rule (unmixed hidden derivatives) at a centre (origin, training mean or a point)",
  sizeUnit: "terms",
  options: localOptionsSchema,
  check,
  instances: localInstances,
  order: { of: (o) => o.order, with: (o, order) => ({ ...o, order }) },
  build(input, options) {
    const center = resolveCenter(options.center, input.trainX, input.trainN, input.p);
    const { labels, coefficients } = hopeTaylor(input.network, center, options.order);
    const terms = Terms.fromLabels(input.p, labels);
    const polynomials = coefficients.map((c) => new Polynomial(terms, c));
    return {
      polynomials,
      size: labels.length,
      center,
      evaluate: (x, n) => evaluateAround(polynomials, center, x, n),
    };
  },
};

registerMethod(hopeMethod, import.meta.url);
