/**
 * Reference evaluation of a tree at one point, value and gradient, by plain recursion over the
 * operators' scalar functions. Slow; the compiled evaluator (`compile.ts`, `evaluate.ts`) is
 * tested against it, and it serves one-off uses (printing a value, a test's expectation).
 *
 * @module
 */

import type { Expr } from "../core/expression.ts";
import { applyBinary, applyUnary, derivativeBinary, derivativeUnary } from "../core/operators.ts";

/**
 * Value of a tree at one point `x` (x[0] is x1).
 *
 * @example
 * ```ts
 * evaluateAt(parseExpression("x1*x2 + 1"), [2, 3]); // 7
 * ```
 */
export function evaluateAt(e: Expr, x: ArrayLike<number>): number {
  switch (e.type) {
    case "const":
      return e.value;
    case "var":
      return x[e.index];
    case "unary":
      return applyUnary(e.op, evaluateAt(e.arg, x));
    case "binary":
      return applyBinary(e.op, evaluateAt(e.left, x), evaluateAt(e.right, x));
  }
}

/** Value and gradient (length p) of a tree at one point, by forward-mode recursion. */
export function gradientAt(e: Expr, x: ArrayLike<number>, p: number): { value: number; gradient: number[] } {
  const r = gradientRaw(e, x, p);
  // a tree that does not use x_k has ∂_k = 0 exactly (no NaN·0), as in the compiled evaluator
  return { value: r.value, gradient: r.gradient.map((g, k) => (usesVariable(e, k) ? g : 0)) };
}

function gradientRaw(e: Expr, x: ArrayLike<number>, p: number): { value: number; gradient: number[] } {
  switch (e.type) {
    case "const":
      return { value: e.value, gradient: new Array(p).fill(0) };
    case "var": {
      const g = new Array(p).fill(0);
      g[e.index] = 1;
      return { value: x[e.index], gradient: g };
    }
    case "unary": {
      const a = gradientAt(e.arg, x, p);
      const d = derivativeUnary(e.op, a.value);
      return {
        value: applyUnary(e.op, a.value),
        gradient: a.gradient.map((t, k) => (usesVariable(e.arg, k) ? d * t : 0)),
      };
    }
    case "binary": {
      const a = gradientAt(e.left, x, p);
      const b = gradientAt(e.right, x, p);
      const value = applyBinary(e.op, a.value, b.value);
      if (e.op === "^" && e.right.type === "const") {
        // constant exponent: d(a^c) = c·a^(c−1)·da, defined for negative a too
        const d = b.value * Math.pow(a.value, b.value - 1);
        return { value, gradient: a.gradient.map((t, k) => (usesVariable(e.left, k) ? d * t : 0)) };
      }
      if (e.op === "/") {
        // (a/b)' = (a' − (a/b)·b')/b, the compiled evaluator's form
        return {
          value,
          gradient: a.gradient.map((t, k) =>
            ((usesVariable(e.left, k) ? t : 0) - (usesVariable(e.right, k) ? value * b.gradient[k] : 0)) /
            b.value
          ),
        };
      }
      const [da, db] = derivativeBinary(e.op, a.value, b.value);
      return {
        value,
        // a subtree that does not use x_k contributes nothing (not NaN·0), as in the compiled evaluator
        gradient: a.gradient.map((t, k) =>
          (usesVariable(e.left, k) ? da * t : 0) + (usesVariable(e.right, k) ? db * b.gradient[k] : 0)
        ),
      };
    }
  }
}

/** True when the tree uses input k. */
export function usesVariable(e: Expr, k: number): boolean {
  switch (e.type) {
    case "const":
      return false;
    case "var":
      return e.index === k;
    case "unary":
      return usesVariable(e.arg, k);
    case "binary":
      return usesVariable(e.left, k) || usesVariable(e.right, k);
  }
}
