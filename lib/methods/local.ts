/**
 * What the local methods (`taylor`, `hope`) share: the options (order K, centre, convergence orders,
 * radii, variants), the centre (the origin, the training mean or a given point, in the scaled input
 * space), and a polynomial in h = x − centre that evaluates at x.
 *
 * @module
 */

import { z } from "zod";
import type { ConfigShape, Method, MethodInput, MethodInstance, MethodIssue } from "../experiment/method.ts";
import { variantInstances } from "../experiment/method.ts";
import type { Network } from "../network/network.ts";
import { evaluatePolynomials, type Polynomial } from "../poly/polynomial.ts";

const finite = () => z.number().refine(Number.isFinite, "expected a finite number");
const order = () => z.number().int("expected an integer").min(0, "expected an integer ≥ 0");
const centerSchema = z.union([
  z.enum(["origin", "mean"]),
  z.array(finite()).min(1, "give one coordinate per input"),
], { error: 'expected "origin", "mean" or a point [x1, …, xp] in the scaled input space' });

const variantSchema = z.strictObject({
  order: order().optional(),
  center: centerSchema.optional(),
});

/** Schema of `methods.taylor` and `methods.hope`. */
export const localOptionsSchema = z.strictObject({
  /** Taylor order K (every monomial of degree ≤ K in x − centre). */
  order: order(),
  /**
   * The centre: `"origin"` (0, the default), `"mean"` (the training inputs' mean) or a point
   * (scaled input space, one value per input).
   */
  center: centerSchema.default("origin"),
  /** Also build at these orders for the convergence curve. */
  convergenceOrders: z.array(order()).optional(),
  /** Error against the distance to the centre: test points within each radius (scaled input space). */
  radii: z.array(z.number().gt(0, "radii must be > 0")).min(1, "give at least one radius").optional(),
  /**
   * Named variants of the same method (`variants: { mean: { center: "mean" } }` → `taylor_mean`),
   * run instead of the base options; unset fields inherit them, convergence orders and radii too.
   */
  variants: z.record(
    z.string().regex(/^[A-Za-z0-9]+$/, "variant names are letters and digits"),
    variantSchema,
  )
    .refine((v) => Object.keys(v).length > 0, "give at least one variant")
    .optional(),
});

/** Resolved options of a local method. */
export type LocalOptions = z.infer<typeof localOptionsSchema>;

/** Instances of a local method's options: the base, or one per variant; each with its orders and radii. */
export function localInstances(options: LocalOptions, name: string): MethodInstance<LocalOptions>[] {
  return variantInstances(options, name, (o) => ({
    convergenceOrders: o.convergenceOrders ?? [],
    ...(o.radii ? { radii: o.radii } : {}),
  }));
}

/** Every (path, order, centre) a local method's options will build, for the checks. */
export function localBuilds(
  options: LocalOptions,
): { path: (string | number)[]; order: number; center: LocalOptions["center"] }[] {
  const out: { path: (string | number)[]; order: number; center: LocalOptions["center"] }[] = [];
  const add = (path: (string | number)[], o: LocalOptions) => {
    out.push({ path: [...path, "order"], order: o.order, center: o.center });
    for (const k of o.convergenceOrders ?? []) {
      out.push({ path: ["convergenceOrders"], order: k, center: o.center });
    }
  };
  if (!options.variants) add([], options);
  else {
    for (const [v, over] of Object.entries(options.variants)) {
      add(["variants", v], {
        ...options,
        order: over.order ?? options.order,
        center: over.center ?? options.center,
      });
    }
  }
  return out;
}

/** Refuses a given centre whose length is not p. */
export function checkCenters(options: LocalOptions, shape: ConfigShape): MethodIssue[] {
  const centers: [(string | number)[], LocalOptions["center"]][] = [[["center"], options.center]];
  for (const [v, over] of Object.entries(options.variants ?? {})) {
    if (over.center !== undefined) centers.push([["variants", v, "center"], over.center]);
  }
  for (const [path, c] of centers) {
    if (Array.isArray(c) && c.length !== shape.p) {
      return [{
        path,
        message: `has ${c.length} coordinates but the data has p = ${shape.p} inputs; give ${shape.p}`,
      }];
    }
  }
  return [];
}

/** The centre of an expansion: the origin, the column means of the training inputs, or the given point. */
export function resolveCenter(
  center: LocalOptions["center"],
  x: Float64Array,
  n: number,
  p: number,
): Float64Array {
  if (center === "origin") return new Float64Array(p);
  if (center !== "mean") return Float64Array.from(center);
  const mean = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mean[j] += x[i * p + j];
  for (let j = 0; j < p; j++) mean[j] /= n;
  return mean;
}

/** Evaluates polynomials in h = x − center at the rows of x (row-major n × p). */
export function evaluateAround(
  polynomials: readonly Polynomial[],
  center: Float64Array,
  x: Float64Array,
  n: number,
): Float64Array {
  const p = center.length;
  const h = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) h[i * p + j] = x[i * p + j] - center[j];
  return evaluatePolynomials(polynomials, h, n);
}

/** What distinguishes one local method (an expansion at a centre) from another. */
export interface LocalExpansion {
  /** Registered name (`taylor`, `hope`). */
  name: string;
  /** Display name. */
  label: string;
  /** One line: what it builds. */
  description: string;
  /** Why order K is too large for this network shape (checked when the config is planned), or null. */
  tooLarge(order: number, shape: ConfigShape): string | null;
  /** The polynomials in h = x − center (one per output) and their number of terms. */
  expand(network: Network, center: Float64Array, order: number): { polynomials: Polynomial[]; size: number };
}

/**
 * A local method from its expansion: options (centre, order, convergence orders, radii, variants),
 * the checks (centre length, size of every order it will build), the order parameter, and a build
 * that resolves the centre and evaluates in x − center.
 */
export function localMethod(spec: LocalExpansion): Method<LocalOptions> {
  return {
    name: spec.name,
    label: spec.label,
    description: spec.description,
    sizeUnit: "terms",
    options: localOptionsSchema,
    check(options, _config, shape) {
      const bad = checkCenters(options, shape);
      if (bad.length) return bad;
      for (const b of localBuilds(options)) {
        const why = spec.tooLarge(b.order, shape);
        if (why !== null) return [{ path: b.path, message: why }];
      }
      return [];
    },
    instances: localInstances,
    order: { of: (o) => o.order, with: (o, order) => ({ ...o, order }) },
    build(input: MethodInput, options) {
      const center = resolveCenter(options.center, input.trainX, input.trainN, input.p);
      const { polynomials, size } = spec.expand(input.network, center, options.order);
      return { polynomials, size, center, evaluate: (x, n) => evaluateAround(polynomials, center, x, n) };
    },
  };
}
