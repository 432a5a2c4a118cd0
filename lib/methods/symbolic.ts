/**
 * The `symbolic` method: plain symbolic regression of the network's output on the training inputs
 * (the symbolic-gradient engine's regression mode, lib/symbolic/: regularised evolution over
 * expression trees with Levenberg–Marquardt constants, MSE loss), one expression per output. The
 * search runs in this thread on a deterministic evaluation budget, so a seed gives the same
 * expression on every machine. Size: the expression's node count.
 *
 * @module
 */

import { z } from "zod";
import { variantInstances } from "../experiment/method.ts";
import type { Method } from "../experiment/method.ts";
import { registerMethod } from "../experiment/method_registry.ts";
import { forward } from "../network/network.ts";
import { NODE_COUNT } from "../symbolic/core/complexity.ts";
import { countNodes, type Expr } from "../symbolic/core/expression.ts";
import { compile } from "../symbolic/evaluation/compile.ts";
import { evaluateProgram, readResult, Workspace } from "../symbolic/evaluation/evaluate.ts";
import { symbolicRegressionSync } from "../symbolic/interpret.ts";

const complexity = () => z.number().int("expected an integer").min(3, "expected an integer ≥ 3");

/** Schema of `methods.symbolic`. */
export const symbolicOptionsSchema = z.strictObject({
  /** Deterministic budget of each search, in evaluations of an expression on all points. */
  evaluations: z.number().int().min(1000, "expected at least 1000 evaluations").default(100_000),
  /** Largest expression, in nodes (the method's order parameter). */
  maxComplexity: complexity().default(30),
  /** Binary operators. */
  binary: z.array(z.enum(["+", "-", "*", "/"])).min(1).default(["+", "-", "*", "/"]),
  /** Unary operators (none by default). */
  unary: z.array(z.enum(["sin", "cos", "exp", "log", "sqrt", "square", "cube"])).default([]),
  /** Which front entry: the lowest MSE (the simplest within 0.1 % of it), or the engine's choice rule ("best"). */
  choose: z.enum(["lowest", "best"]).default("lowest"),
  /** At most this many training rows (evenly spaced) are regressed on. */
  maxPoints: z.number().int().min(10).default(1000),
  /** Seed of the search. */
  seed: z.number().int().min(0).default(0),
  /** Also search with these maximum complexities for the convergence curve. */
  convergenceOrders: z.array(complexity()).optional(),
  /** Named variants (partial overrides), run instead of the base options. */
  variants: z.record(
    z.string().regex(/^[A-Za-z0-9]+$/, "variant names are letters and digits"),
    z.strictObject({
      evaluations: z.number().int().min(1000).optional(),
      maxComplexity: complexity().optional(),
      unary: z.array(z.enum(["sin", "cos", "exp", "log", "sqrt", "square", "cube"])).optional(),
      choose: z.enum(["lowest", "best"]).optional(),
    }),
  ).refine((v) => Object.keys(v).length > 0, "give at least one variant").optional(),
});

/** Resolved `methods.symbolic`. */
export type SymbolicOptions = z.infer<typeof symbolicOptionsSchema>;

declare module "../experiment/method.ts" {
  interface MethodOptionsMap {
    symbolic: { input: z.input<typeof symbolicOptionsSchema>; output: SymbolicOptions };
  }
}

/** Values of an expression at n points (row-major n × p). */
export function expressionValues(tree: Expr, x: Float64Array, n: number, p: number): Float64Array {
  const prog = compile(tree, p);
  const ws = new Workspace(x, n, p);
  const value = new Float64Array(n);
  readResult(prog, ws, evaluateProgram(prog, ws, false), value);
  return value;
}

/** Rows 0, s, 2s, … of x (row-major n × p), at most `max` of them. */
function evenRows(x: Float64Array, n: number, p: number, max: number): { x: Float64Array; n: number } {
  if (n <= max) return { x, n };
  const out = new Float64Array(max * p);
  for (let j = 0; j < max; j++) {
    const i = Math.floor((j * n) / max);
    out.set(x.subarray(i * p, i * p + p), j * p);
  }
  return { x: out, n: max };
}

/**
 * Index of the simplest front entry whose MSE is within 0.1 % of the lowest; an MSE below 1e-20 ×
 * var(y) counts as zero (rounding of an exact fit).
 */
export function lowest(losses: readonly number[], y: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i] / y.length;
  let variance = 0;
  for (let i = 0; i < y.length; i++) variance += (y[i] - mean) ** 2 / y.length;
  const floor = 1e-20 * variance;
  const min = Math.max(Math.min(...losses), floor);
  return losses.findIndex((l) => Math.max(l, floor) <= min * 1.001);
}

/** The `symbolic` method. */
export const symbolicMethod: Method<SymbolicOptions> = {
  name: "symbolic",
  label: "symbolic regression",
  description:
    "symbolic regression of the network's output on the training inputs (MSE; one expression per output)",
  sizeUnit: "nodes",
  options: symbolicOptionsSchema,
  instances: (options, name) =>
    variantInstances(options, name, (o) => ({ convergenceOrders: o.convergenceOrders ?? [] })),
  order: { of: (o) => o.maxComplexity, with: (o, maxComplexity) => ({ ...o, maxComplexity }) },
  build(input, options) {
    const { p, outputs } = input;
    const rows = evenRows(input.trainX, input.trainN, p, options.maxPoints);
    const target = forward(input.network, rows.x, rows.n);
    const trees: Expr[] = [];
    for (let o = 0; o < outputs; o++) {
      const y = Float64Array.from({ length: rows.n }, (_, i) => target[i * outputs + o]);
      const res = symbolicRegressionSync(rows.x, y, rows.n, p, {
        search: {
          seed: options.seed,
          binary: options.binary,
          unary: options.unary,
          complexity: NODE_COUNT,
          maxComplexity: options.maxComplexity,
        },
        budget: { maxEvaluations: options.evaluations },
        digits: 17,
      });
      const pick = options.choose === "best" ? res.best : lowest(res.front.map((e) => e.loss), y);
      trees.push(res.front[pick].tree);
    }
    return {
      size: trees.reduce((s, t) => s + countNodes(t), 0),
      evaluate: (x, n) => {
        const out = new Float64Array(n * outputs);
        trees.forEach((tree, o) => {
          const v = expressionValues(tree, x, n, p);
          for (let i = 0; i < n; i++) out[i * outputs + o] = v[i];
        });
        return out;
      },
    };
  },
};

registerMethod(symbolicMethod, import.meta.url);
