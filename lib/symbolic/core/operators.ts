/**
 * The operator set of the symbolic-regression engine: names, arity, scalar value and first
 * derivative. The compiled evaluator (`../evaluation/`) has its own hand-unrolled loops for speed;
 * the scalar functions here are the reference it is tested against, and what the simplifier uses to
 * fold constants.
 *
 * @module
 */

/** Unary operators. `neg` prints as a unary minus; `square`/`cube` print as `a^2`/`a^3`. */
export const UNARY_OPERATORS = ["neg", "sin", "cos", "exp", "log", "sqrt", "abs", "square", "cube"] as const;
/** Binary operators, printed infix. `^` is the real power (NaN for a negative base and a non-integer exponent). */
export const BINARY_OPERATORS = ["+", "-", "*", "/", "^"] as const;

/** A unary operator name. */
export type UnaryOp = typeof UNARY_OPERATORS[number];
/** A binary operator name. */
export type BinaryOp = typeof BINARY_OPERATORS[number];

/** True when `name` is a unary operator of the engine. */
export function isUnaryOp(name: string): name is UnaryOp {
  return (UNARY_OPERATORS as readonly string[]).includes(name);
}

/** True when `name` is a binary operator of the engine. */
export function isBinaryOp(name: string): name is BinaryOp {
  return (BINARY_OPERATORS as readonly string[]).includes(name);
}

/**
 * Value of a unary operator at a scalar. Outside the domain the result is NaN (log and sqrt of a
 * negative number), never an exception.
 *
 * @example
 * ```ts
 * applyUnary("square", 3); // 9
 * ```
 */
export function applyUnary(op: UnaryOp, a: number): number {
  switch (op) {
    case "neg":
      return -a;
    case "sin":
      return Math.sin(a);
    case "cos":
      return Math.cos(a);
    case "exp":
      return Math.exp(a);
    case "log":
      return Math.log(a);
    case "sqrt":
      return Math.sqrt(a);
    case "abs":
      return Math.abs(a);
    case "square":
      return a * a;
    case "cube":
      return a * a * a;
  }
}

/** First derivative of a unary operator at a scalar (abs: sign, 0 at 0). */
export function derivativeUnary(op: UnaryOp, a: number): number {
  switch (op) {
    case "neg":
      return -1;
    case "sin":
      return Math.cos(a);
    case "cos":
      return -Math.sin(a);
    case "exp":
      return Math.exp(a);
    case "log":
      return 1 / a;
    case "sqrt":
      return 0.5 / Math.sqrt(a);
    case "abs":
      return a > 0 ? 1 : a < 0 ? -1 : 0;
    case "square":
      return 2 * a;
    case "cube":
      return 3 * a * a;
  }
}

/** Value of a binary operator at scalars. */
export function applyBinary(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "^":
      return Math.pow(a, b);
  }
}

/**
 * Partial derivatives (∂/∂a, ∂/∂b) of a binary operator at scalars. For `^` the derivative with
 * respect to the exponent is a^b·ln a (NaN for a ≤ 0 unless b is constant, which the evaluator
 * handles separately).
 */
export function derivativeBinary(op: BinaryOp, a: number, b: number): [number, number] {
  switch (op) {
    case "+":
      return [1, 1];
    case "-":
      return [1, -1];
    case "*":
      return [b, a];
    case "/":
      return [1 / b, -a / (b * b)];
    case "^":
      return [b * Math.pow(a, b - 1), Math.pow(a, b) * Math.log(a)];
  }
}

/** True for the commutative binary operators (+ and ×), whose operands the canonical form sorts. */
export function isCommutative(op: BinaryOp): boolean {
  return op === "+" || op === "*";
}
