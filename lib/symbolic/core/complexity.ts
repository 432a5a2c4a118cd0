/**
 * Complexity of an expression: a weighted node count. The defaults are the paper's (Wetzel,
 * arXiv 2401.04978, via PySR's `complexity_of_constants=3`, `complexity_of_operators=[exp => 5,
 * sin => 5]`): every node counts 1, a constant 3, `sin` and `exp` 5; `cos` and `log`, which the
 * paper does not use, count 5 like their siblings.
 *
 * @module
 */

import type { Expr } from "./expression.ts";
import type { BinaryOp, UnaryOp } from "./operators.ts";

/** Weights of the complexity count. */
export interface ComplexityWeights {
  /** A constant leaf. */
  readonly constant: number;
  /** A variable leaf. */
  readonly variable: number;
  /** Per unary operator (missing: 1). */
  readonly unary: Readonly<Partial<Record<UnaryOp, number>>>;
  /** Per binary operator (missing: 1). */
  readonly binary: Readonly<Partial<Record<BinaryOp, number>>>;
}

/** The paper's weights: constants 3, sin/exp (and cos/log) 5, everything else 1. */
export const PAPER_COMPLEXITY: ComplexityWeights = Object.freeze({
  constant: 3,
  variable: 1,
  unary: Object.freeze({ sin: 5, cos: 5, exp: 5, log: 5 }),
  binary: Object.freeze({}),
});

/** Plain node count (every node 1). */
export const NODE_COUNT: ComplexityWeights = Object.freeze({
  constant: 1,
  variable: 1,
  unary: Object.freeze({}),
  binary: Object.freeze({}),
});

/**
 * Complexity of a tree under the given weights.
 *
 * @example
 * ```ts
 * complexity(parseExpression("x1*x1 + 2.2*x2*x2"), PAPER_COMPLEXITY); // 1+1+1+1 + 1+1+3+1+1 = 11
 * ```
 */
export function complexity(e: Expr, w: ComplexityWeights = PAPER_COMPLEXITY): number {
  switch (e.type) {
    case "const":
      return w.constant;
    case "var":
      return w.variable;
    case "unary":
      return (w.unary[e.op] ?? 1) + complexity(e.arg, w);
    case "binary":
      return (w.binary[e.op] ?? 1) + complexity(e.left, w) + complexity(e.right, w);
  }
}
