/**
 * The `taylor` method: the exact Taylor polynomial of the network at a centre (the origin, the
 * training mean or a given point), every ∂^α f(c)/α! with |α| ≤ K (lib/taylor/exact.ts). A local
 * method: exact near its centre, with an error that grows with the distance to it.
 *
 * @module
 */

import type { z } from "zod";
import type { ConfigShape, Method, MethodIssue } from "../experiment/method.ts";
import { registerMethod } from "../experiment/method_registry.ts";
import type { Experiment } from "../experiment/schema.ts";
import { DEFAULT_MAX_COEFFICIENTS, estimateSize, resolveTaylorOrders } from "../nn2poly/engine.ts";
import { exactTaylor } from "../taylor/exact.ts";
import {
  checkCenters,
  evaluateAround,
  localBuilds,
  localInstances,
  type LocalOptions,
  localOptionsSchema,
  resolveCenter,
} from "./local.ts";
import { shapeNetwork } from "./shape.ts";

declare module "../experiment/method.ts" {
  interface MethodOptionsMap {
    taylor: { input: z.input<typeof localOptionsSchema>; output: LocalOptions };
  }
}

function check(options: LocalOptions, _config: Experiment, shape: ConfigShape): MethodIssue[] {
  const bad = checkCenters(options, shape);
  if (bad.length) return bad;
  const net = shapeNetwork(shape);
  for (const b of localBuilds(options)) {
    const size = estimateSize(net, b.order, resolveTaylorOrders(net, Math.max(b.order, 1)));
    const worst = Math.max(size.largestBlock, size.productPairs);
    if (worst > DEFAULT_MAX_COEFFICIENTS) {
      return [{
        path: b.path,
        message:
          `${b.order} gives ${size.terms} terms in ${shape.p} inputs and a working block of ${worst} ` +
          `coefficients, above the memory guard of ${DEFAULT_MAX_COEFFICIENTS}; lower it`,
      }];
    }
  }
  return [];
}

/** The `taylor` method. */
export const taylorMethod: Method<LocalOptions> = {
  name: "taylor",
  label: "Taylor",
  description: "the exact Taylor polynomial of the network at a centre (origin, training mean or a point)",
  sizeUnit: "terms",
  options: localOptionsSchema,
  check,
  instances: localInstances,
  order: { of: (o) => o.order, with: (o, order) => ({ ...o, order }) },
  build(input, options) {
    const center = resolveCenter(options.center, input.trainX, input.trainN, input.p);
    const { polynomials, terms } = exactTaylor(input.network, center, options.order);
    return {
      polynomials,
      size: terms.count,
      center,
      evaluate: (x, n) => evaluateAround(polynomials, center, x, n),
    };
  },
};

registerMethod(taylorMethod, import.meta.url);
