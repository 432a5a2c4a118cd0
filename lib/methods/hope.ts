/**
 * The `hope` method: HOPE's published rule (Xiao et al. 2023; lib/taylor/hope.ts) at the same
 * centres as `taylor`. It drops the mixed partials of hidden units, so it equals the exact Taylor
 * polynomial for one hidden layer or K ≤ 1 and departs from it otherwise.
 *
 * @module
 */

import type { z } from "zod";
import { registerMethod } from "../experiment/method_registry.ts";
import { termCount } from "../poly/basis.ts";
import { Polynomial } from "../poly/polynomial.ts";
import { Terms } from "../poly/terms.ts";
import { hopeTaylor, MAX_TERMS } from "../taylor/hope.ts";
import { localMethod, type LocalOptions, localOptionsSchema } from "./local.ts";

declare module "../experiment/method.ts" {
  interface MethodOptionsMap {
    hope: { input: z.input<typeof localOptionsSchema>; output: LocalOptions };
  }
}

/** The `hope` method. */
export const hopeMethod = localMethod({
  name: "hope",
  label: "HOPE",
  description:
    "HOPE's Taylor rule (unmixed hidden derivatives) at a centre (origin, training mean or a point)",
  tooLarge(order, shape) {
    const terms = termCount(shape.p, order);
    return terms > MAX_TERMS
      ? `${order} gives ${terms} terms in ${shape.p} inputs, above HOPE's limit of ${MAX_TERMS}; lower it`
      : null;
  },
  expand(network, center, order) {
    const { labels, coefficients } = hopeTaylor(network, center, order);
    const terms = Terms.fromLabels(network.inputs, labels);
    return { polynomials: coefficients.map((c) => new Polynomial(terms, c)), size: labels.length };
  },
});

registerMethod(hopeMethod, import.meta.url);
