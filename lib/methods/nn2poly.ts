/**
 * The `nn2poly` method: the NN2Poly polynomial of the whole network (Morala et al. 2023), with
 * named variants (`variants: { q3: { maxOrder: 3 } }` → instances `nn2poly_q3`, …) that expand the
 * same trained network with other options, and a convergence curve over the max order.
 *
 * @module
 */

import { z } from "zod";
import type { ConfigShape, Method, MethodIssue } from "../experiment/method.ts";
import { registerMethod } from "../experiment/method_registry.ts";
import type { Experiment } from "../experiment/schema.ts";
import { DEFAULT_MAX_COEFFICIENTS, estimateSize, nn2poly, resolveTaylorOrders } from "../nn2poly/engine.ts";
import { evaluatePolynomials } from "../poly/polynomial.ts";
import { isAnalytic } from "../series/activations.ts";
import { shapeNetwork } from "./shape.ts";

const finite = () => z.number().refine(Number.isFinite, "expected a finite number");
const positiveInt = () => z.number().int("expected an integer").min(1, "expected an integer ≥ 1");
const taylorOrdersSchema = z.union([positiveInt(), z.array(positiveInt()).min(1)]);

/** Schema of `methods.nn2poly`. */
export const nn2polyOptionsSchema = z.strictObject({
  maxOrder: z.number().int().min(0),
  taylorOrders: taylorOrdersSchema.default(8),
  taylorCenter: finite().default(0),
  /** Also evaluate these max orders for the convergence curve. */
  convergenceOrders: z.array(z.number().int().min(0)).optional(),
  /**
   * Named expansions of the same trained network, run instead of the base expansion: variant
   * `q3` is the method `nn2poly_q3` (metrics `mse_nn_nn2poly_q3`, …). Unset fields inherit the
   * base options; `convergenceOrders` applies to the base expansion only.
   */
  variants: z.record(
    z.string(),
    z.strictObject({
      maxOrder: z.number().int().min(0),
      taylorOrders: taylorOrdersSchema.optional(),
      taylorCenter: finite().optional(),
    }),
  )
    .refine((v) => Object.keys(v).length > 0, "give at least one variant")
    .refine(
      (v) => Object.keys(v).every((k) => /^[A-Za-z0-9]+$/.test(k)),
      "variant names are letters and digits, e.g. q3",
    ).optional(),
});

/** Resolved `methods.nn2poly`. */
export type Nn2polyMethodOptions = z.infer<typeof nn2polyOptionsSchema>;

declare module "../experiment/method.ts" {
  interface MethodOptionsMap {
    nn2poly: { input: z.input<typeof nn2polyOptionsSchema>; output: Nn2polyMethodOptions };
  }
}

/** One expansion: the engine's options of an instance. */
export interface Nn2polyExpansion {
  name: string;
  maxOrder: number;
  taylorOrders: number | number[];
  taylorCenter: number;
}

/** The expansions `methods.nn2poly` asks for: the base one, or one per variant, with resolved options. */
export function nn2polyExpansions(config: Experiment): Nn2polyExpansion[] {
  const opts = config.methods.nn2poly;
  if (!opts) return [];
  if (!opts.variants) {
    const { maxOrder, taylorOrders, taylorCenter } = opts;
    return [{ name: "nn2poly", maxOrder, taylorOrders, taylorCenter }];
  }
  return Object.entries(opts.variants).map(([variant, v]) => ({
    name: `nn2poly_${variant}`,
    maxOrder: v.maxOrder,
    taylorOrders: v.taylorOrders ?? opts.taylorOrders,
    taylorCenter: v.taylorCenter ?? opts.taylorCenter,
  }));
}

type Options = Omit<Nn2polyExpansion, "name">;

function check(options: Nn2polyMethodOptions, _config: Experiment, shape: ConfigShape): MethodIssue[] {
  const l = shape.activations.findIndex((a) => !isAnalytic(a));
  if (l >= 0) {
    const a = shape.activations[l];
    const exact = shape.activations.every((b) => b === "relu" || b === "leaky_relu")
      ? `, or for this ${a} network the exact method methods.shallow (activation regions, ±∞-weight shallow twin)`
      : "";
    return [{
      path: ["$", "model", "activation"],
      message: `"${a}" (hidden layer ${l + 1}) has no Taylor expansion at its kink (x = 0), ` +
        `so NN2Poly cannot represent it; use an analytic activation (tanh, sigmoid, softplus, silu, gelu…), ` +
        `a local method (taylor)${exact}`,
    }];
  }
  const net = shapeNetwork(shape);
  const expansions = options.variants
    ? Object.entries(options.variants).map(([v, o]) => ({
      path: ["variants", v],
      maxOrder: o.maxOrder,
      taylorOrders: o.taylorOrders ?? options.taylorOrders,
    }))
    : [{ path: [] as string[], maxOrder: options.maxOrder, taylorOrders: options.taylorOrders }];
  const orders = options.variants ? [] : options.convergenceOrders ?? [];
  for (const q of orders) {
    expansions.push({ path: ["convergenceOrders"], maxOrder: q, taylorOrders: options.taylorOrders });
  }
  for (const e of expansions) {
    if (Array.isArray(e.taylorOrders) && e.taylorOrders.length !== net.layers.length) {
      return [{
        path: [...e.path, "taylorOrders"],
        message: `has ${e.taylorOrders.length} entries but the network has ${net.layers.length} layers ` +
          `(hidden + output); give one per layer or a single number`,
      }];
    }
    const size = estimateSize(net, e.maxOrder, resolveTaylorOrders(net, e.taylorOrders));
    const worst = Math.max(size.largestBlock, size.productPairs);
    if (worst > DEFAULT_MAX_COEFFICIENTS) {
      return [{
        path: [...e.path, "maxOrder"],
        message:
          `${e.maxOrder} gives ${size.terms} terms in ${shape.p} inputs and a working block of ${worst} ` +
          `coefficients, above the memory guard of ${DEFAULT_MAX_COEFFICIENTS}; lower it`,
      }];
    }
  }
  return [];
}

/** The `nn2poly` method. */
export const nn2polyMethod: Method<Nn2polyMethodOptions> = {
  name: "nn2poly",
  label: "NN2Poly",
  description: "NN2Poly: the polynomial of the whole network from per-layer Taylor expansions",
  sizeUnit: "terms",
  options: nn2polyOptionsSchema,
  check,
  instances(options, name) {
    if (!options.variants) {
      return [{ name, options, convergenceOrders: options.convergenceOrders ?? [] }];
    }
    return Object.entries(options.variants).map(([variant, v]) => ({
      name: `${name}_${variant}`,
      options: {
        maxOrder: v.maxOrder,
        taylorOrders: v.taylorOrders ?? options.taylorOrders,
        taylorCenter: v.taylorCenter ?? options.taylorCenter,
      },
    }));
  },
  order: {
    of: (options) => options.maxOrder,
    with: (options, maxOrder) => ({ ...options, maxOrder }),
    terms(options, shape) {
      // the effective degree: min(Q, product of the Taylor orders along the layers)
      const net = shapeNetwork(shape);
      return estimateSize(net, options.maxOrder, resolveTaylorOrders(net, options.taylorOrders)).terms;
    },
  },
  build(input, options: Options) {
    const { polynomials, terms } = nn2poly(input.network, {
      maxOrder: options.maxOrder,
      taylorOrders: options.taylorOrders,
      taylorCenter: options.taylorCenter,
    });
    return {
      polynomials,
      size: terms.count,
      evaluate: (x, n) => evaluatePolynomials(polynomials, x, n),
    };
  },
};

registerMethod(nn2polyMethod, import.meta.url);
