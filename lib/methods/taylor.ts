/**
 * The `taylor` method: the exact Taylor polynomial of the network at a centre (the origin, the
 * training mean or a given point), every ∂^α f(c)/α! with |α| ≤ K (lib/taylor/exact.ts). A local
 * method: exact near its centre, with an error that grows with the distance to it.
 *
 * @module
 */

import type { z } from "zod";
import { registerMethod } from "../experiment/method_registry.ts";
import { DEFAULT_MAX_COEFFICIENTS, estimateSize, resolveTaylorOrders } from "../nn2poly/engine.ts";
import { exactTaylor } from "../taylor/exact.ts";
import { localMethod, type LocalOptions, localOptionsSchema } from "./local.ts";
import { shapeNetwork } from "./shape.ts";

declare module "../experiment/method.ts" {
  interface MethodOptionsMap {
    taylor: { input: z.input<typeof localOptionsSchema>; output: LocalOptions };
  }
}

/** The `taylor` method. */
export const taylorMethod = localMethod({
  name: "taylor",
  label: "Taylor",
  description: "the exact Taylor polynomial of the network at a centre (origin, training mean or a point)",
  tooLarge(order, shape) {
    const net = shapeNetwork(shape);
    const size = estimateSize(net, order, resolveTaylorOrders(net, Math.max(order, 1)));
    const worst = Math.max(size.largestBlock, size.productPairs);
    return worst > DEFAULT_MAX_COEFFICIENTS
      ? `${order} gives ${size.terms} terms in ${shape.p} inputs and a working block of ${worst} ` +
        `coefficients, above the memory guard of ${DEFAULT_MAX_COEFFICIENTS}; lower it`
      : null;
  },
  expand(network, center, order) {
    const { polynomials, terms } = exactTaylor(network, center, order);
    return { polynomials, size: terms.count };
  },
});

registerMethod(taylorMethod, import.meta.url);
