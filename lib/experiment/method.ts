/**
 * What a method is to the framework: from a trained network and the scaled training data to a
 * representation (a polynomial, an expression, a smaller network…) that evaluates a batch and
 * reports its size. Every method implements {@link Method} once, in its own adapter
 * (`lib/methods/<name>.ts`), and registers it with ./method_registry.ts; experiments name it in
 * `methods: { <name>: options }`. The framework never names a method.
 *
 * @example
 * ```ts
 * const constant: Method<{ value: number }> = {
 *   name: "constant",
 *   label: "constant",
 *   description: "predicts one value everywhere",
 *   sizeUnit: "terms",
 *   options: z.strictObject({ value: z.number() }),
 *   instances: (options, name) => [{ name, options }],
 *   build: (input, options) => ({
 *     size: 1,
 *     evaluate: (_x, n) => new Float64Array(n * input.outputs).fill(options.value),
 *   }),
 * };
 * registerMethod(constant, import.meta.url);
 * ```
 *
 * @module
 */

import type { z } from "zod";
import type { Network } from "../network/network.ts";
import type { Polynomial } from "../poly/polynomial.ts";
import type { ActivationName } from "../series/activations.ts";
import type { Experiment } from "./schema.ts";

/** What a method is built from: the float64 network and the scaled training data it was trained on. */
export interface MethodInput {
  /** The trained network (float64). */
  network: Network;
  /** Inputs p. */
  p: number;
  /** Outputs (1, or k classes: the logits). */
  outputs: number;
  /** Scaled training inputs, row-major trainN × p. */
  trainX: Float64Array;
  /** Training targets (scaled response, or one-hot classes), row-major trainN × outputs. */
  trainY: Float64Array;
  /** Training rows. */
  trainN: number;
}

/** What a method builds. */
export interface Representation {
  /** Values at n points (`x` row-major n × p): row-major n × outputs. */
  evaluate(x: Float64Array, n: number): Float64Array;
  /** Size in the method's {@link Method.sizeUnit} (terms of a polynomial, nodes of an expression, units). */
  size: number;
  /** The polynomials (one per output), for polynomial methods. */
  polynomials?: Polynomial[];
  /**
   * For local methods: the point the representation is built around (scaled input space); the
   * framework then measures the error against the distance to it ({@link MethodInstance.radii}).
   */
  center?: Float64Array;
}

/** One representation to build and score: a method's options, or one of its variants. */
export interface MethodInstance<O> {
  /** Name in metrics and tables: the method's name, or `<method>_<variant>`. */
  name: string;
  /** Resolved options of this instance. */
  options: O;
  /** Orders at which to build again for the convergence curve (needs {@link Method.order}). */
  convergenceOrders?: readonly number[];
  /** Radii of the error-vs-distance curve around the representation's centre (local methods). */
  radii?: readonly number[];
}

/** A problem found by {@link Method.check}: a path inside the method's options and a one-line message. */
export interface MethodIssue {
  /** Path below `methods.<name>` (e.g. `["maxOrder"]`), or a config path starting with `$` (e.g. `["$", "model", "activation"]`). */
  path: (string | number)[];
  /** What is wrong and the fix. */
  message: string;
}

/** How a network's shape reads from a resolved config, for {@link Method.check}. */
export interface ConfigShape {
  /** Inputs p. */
  p: number;
  /** Outputs (1 for regression, the number of classes when known, else 1). */
  outputs: number;
  /** Hidden widths. */
  hidden: number[];
  /** Hidden activation per hidden layer. */
  activations: ActivationName[];
  /** Training rows (before the validation split). */
  trainN: number;
}

/** A method: its options schema, its checks, its variants, its order parameter and its builder. */
export interface Method<O = unknown> {
  /** Registered name, the key under `methods` in a config (letters and digits). */
  name: string;
  /** Display name in figures (`NN2Poly`). */
  label: string;
  /** One line: what it builds. */
  description: string;
  /** What {@link Representation.size} counts. */
  sizeUnit: "terms" | "nodes" | "units";
  /** Schema of `methods.<name>` (zod, strict; its defaults are part of the resolved config). */
  options: z.ZodType<O>;
  /**
   * Cross-field checks against the resolved config of a grid point, run when the config is planned,
   * before any training (e.g. activations the method cannot represent, sizes above a memory limit).
   */
  check?(options: O, config: Experiment, shape: ConfigShape): MethodIssue[];
  /** The representations to build from these options (one, or one per variant), in report order. */
  instances(options: O, name: string): MethodInstance<O>[];
  /** The method's order parameter (NN2Poly max order, Taylor order K), for convergence curves. */
  order?: {
    /** The order of these options. */
    of(options: O): number;
    /** These options at another order. */
    with(options: O, order: number): O;
    /**
     * Terms of the polynomial these options build on this network shape, for the work estimate
     * (default: every monomial of degree ≤ the order, C(p + order, order)); a method whose
     * effective degree can be lower than its order (NN2Poly) says so here.
     */
    terms?(options: O, shape: ConfigShape): number;
  };
  /** Builds the representation (may throw: the cell is then marked failed with the message). */
  build(input: MethodInput, options: O): Representation;
}

/**
 * Options of each registered method by name, for typed configs: a method adapter adds its entry by
 * module augmentation (`declare module "../experiment/method.ts" { interface MethodOptionsMap {
 * nn2poly: { input: …; output: … } } }`). Names without an entry are still accepted (as unknown)
 * and validated at run time by the registered schema.
 */
// deno-lint-ignore no-empty-interface
export interface MethodOptionsMap {}

/** `methods` as a config author writes it. */
export type MethodsInput =
  & { [K in keyof MethodOptionsMap]?: MethodOptionsMap[K] extends { input: infer I } ? I : never }
  & Record<string, unknown>;

/** `methods` after validation (defaults applied, keys in registration order). */
export type MethodsConfig =
  & { [K in keyof MethodOptionsMap]?: MethodOptionsMap[K] extends { output: infer O } ? O : never }
  & Record<string, unknown>;

/**
 * The instances of options that may carry named `variants` (each a partial override): the base
 * options alone, or one instance `<name>_<variant>` per variant with the override applied (the
 * `variants` key itself removed).
 */
export function variantInstances<O extends object>(
  options: O,
  name: string,
  extra: (options: O, isBase: boolean) => Omit<MethodInstance<O>, "name" | "options"> = () => ({}),
): MethodInstance<O>[] {
  const { variants, ...base } = options as O & { variants?: Record<string, Partial<O>> };
  if (!variants) return [{ name, options, ...extra(options, true) }];
  return Object.entries(variants).map(([variant, over]) => {
    const resolved = { ...base, ...definedOnly(over) } as O;
    return { name: `${name}_${variant}`, options: resolved, ...extra(resolved, false) };
  });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
