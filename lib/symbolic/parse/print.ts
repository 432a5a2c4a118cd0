/**
 * Printing expressions: in the contract's grammar (what `parseExpression` reads back to the same
 * tree) and in LaTeX.
 *
 * Precedence levels: 1 sum, 2 product, 3 unary minus (and negative constants), 4 power, 5 atom.
 * An operand is parenthesised when its level is below what its position needs: the right operand of
 * `+ -` needs 2, of `* /` needs 3 (so `a - (b - c)` and `a/(b*c)` keep their trees), a power's base
 * needs 5 and its exponent 3.
 *
 * @module
 */

import type { Expr } from "../core/expression.ts";

/** Options of {@link formatExpression}. */
export interface PrintOptions {
  /**
   * Significant digits of the constants (default: as many as round-trip exactly). The printed
   * number is the shortest text of the rounded value (`2.00000` prints as `2`).
   */
  digits?: number;
}

/**
 * Formats a non-negative finite number in the grammar (shortest round-trip text, or rounded to
 * `digits` significant digits). Throws for a non-finite or negative value.
 */
export function formatNumber(v: number, digits?: number): string {
  if (!Number.isFinite(v) || v < 0) throw new Error(`formatNumber: expected a finite number ≥ 0, got ${v}`);
  if (v === 0) return "0";
  const rounded = digits === undefined ? v : Number(v.toPrecision(digits));
  return String(rounded);
}

function wrap([text, level]: [string, number], need: number): string {
  return level >= need ? text : `(${text})`;
}

function print(e: Expr, digits: number | undefined): [string, number] {
  switch (e.type) {
    case "const": {
      if (!Number.isFinite(e.value)) throw new Error(`formatExpression: constant ${e.value} is not finite`);
      const neg = e.value < 0;
      const text = formatNumber(Math.abs(e.value), digits);
      return neg && text !== "0" ? [`-${text}`, 3] : [text, 5];
    }
    case "var":
      return [`x${e.index + 1}`, 5];
    case "unary":
      switch (e.op) {
        case "neg":
          return [`-${wrap(print(e.arg, digits), 3)}`, 3];
        case "square":
          return [`${wrap(print(e.arg, digits), 5)}^2`, 4];
        case "cube":
          return [`${wrap(print(e.arg, digits), 5)}^3`, 4];
        default:
          return [`${e.op}(${print(e.arg, digits)[0]})`, 5];
      }
    case "binary": {
      const l = print(e.left, digits);
      const r = print(e.right, digits);
      switch (e.op) {
        case "+":
        case "-":
          return [`${wrap(l, 1)} ${e.op} ${wrap(r, 2)}`, 1];
        case "*":
        case "/":
          return [`${wrap(l, 2)}${e.op}${wrap(r, 3)}`, 2];
        case "^":
          return [`${wrap(l, 5)}^${wrap(r, 3)}`, 4];
      }
    }
  }
}

/**
 * Prints an expression in the contract's grammar.
 *
 * @example
 * ```ts
 * formatExpression(parseExpression("x1*x1 + 2.18224*(x2*x2)")); // "x1*x1 + 2.18224*(x2*x2)"
 * formatExpression(e, { digits: 4 }); // constants rounded to 4 significant digits
 * ```
 */
export function formatExpression(e: Expr, options: PrintOptions = {}): string {
  return print(e, options.digits)[0];
}

function latexNumber(v: number, digits: number): string {
  const text = formatNumber(v, digits);
  const m = /^(\d+(?:\.\d+)?)e([+-]\d+)$/.exec(text);
  if (!m) return text;
  return `${m[1]} \\cdot 10^{${Number(m[2])}}`;
}

function latex(e: Expr, digits: number): [string, number] {
  switch (e.type) {
    case "const": {
      const text = latexNumber(Math.abs(e.value), digits);
      return e.value < 0 && text !== "0" ? [`-${text}`, 3] : [text, 5];
    }
    case "var":
      return [`x_{${e.index + 1}}`, 5];
    case "unary": {
      const a = latex(e.arg, digits);
      const paren = (x: [string, number], need: number) => x[1] >= need ? x[0] : `\\left(${x[0]}\\right)`;
      switch (e.op) {
        case "neg":
          return [`-${paren(a, 3)}`, 3];
        case "square":
          return [`${paren(a, 5)}^{2}`, 4];
        case "cube":
          return [`${paren(a, 5)}^{3}`, 4];
        case "sqrt":
          return [`\\sqrt{${a[0]}}`, 5];
        case "abs":
          return [`\\left|${a[0]}\\right|`, 5];
        default:
          return [`\\${e.op}\\left(${a[0]}\\right)`, 5];
      }
    }
    case "binary": {
      const l = latex(e.left, digits);
      const r = latex(e.right, digits);
      const paren = (x: [string, number], need: number) => x[1] >= need ? x[0] : `\\left(${x[0]}\\right)`;
      switch (e.op) {
        case "+":
          return [`${paren(l, 1)} + ${paren(r, 2)}`, 1];
        case "-":
          return [`${paren(l, 1)} - ${paren(r, 2)}`, 1];
        case "*":
          return [`${paren(l, 2)} \\cdot ${paren(r, 3)}`, 2];
        case "/":
          return [`\\frac{${l[0]}}{${r[0]}}`, 3];
        case "^":
          return [`${paren(l, 5)}^{${r[0]}}`, 4];
      }
    }
  }
}

/**
 * Prints an expression in LaTeX (constants to `digits` significant digits, default 4).
 *
 * @example
 * ```ts
 * toLatex(parseExpression("x1^2 + sin(x2 + x3)")); // "x_{1}^{2} + \\sin\\left(x_{2} + x_{3}\\right)"
 * ```
 */
export function toLatex(e: Expr, digits = 4): string {
  return latex(e, digits)[0];
}
