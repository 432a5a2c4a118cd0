/**
 * A small, safe parser (no eval) for polynomial formulas such as `4*x1 - 3*x2*x3 + 0.5*x1^2`.
 *
 * Grammar: `formula := ['+'|'-'] term (('+'|'-') term)*`, `term := factor ('*' factor)*`,
 * `factor := (number | x<i>) [('^' | '**') integer]`. Numbers may use decimals and exponents
 * (`1.5e-3`); variables are 1-based (`x1`..`xp`). Like terms are merged and zero sums dropped.
 *
 * @module
 */

import { compareLabels, type TruePolynomial } from "./polynomial.ts";

type Token =
  | { kind: "number"; value: number; pos: number; text: string }
  | { kind: "var"; index: number; pos: number; text: string }
  | { kind: "op"; op: "+" | "-" | "*" | "^"; pos: number; text: string }
  | { kind: "end"; pos: number; text: string };

const EXAMPLE = "e.g. 4*x1 - 3*x2*x3 + 0.5*x1^2";

function fail(formula: string, pos: number, message: string): never {
  throw new Error(`formula: ${message} at position ${pos} in "${formula}" (${EXAMPLE})`);
}

function tokenize(formula: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|x(\d+)|(\*\*|[+\-*^]))/y;
  let pos = 0;
  while (pos < formula.length) {
    if (/^\s*$/.test(formula.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(formula);
    if (m === null) {
      const at = pos + (formula.slice(pos).length - formula.slice(pos).trimStart().length);
      const rest = formula.slice(at);
      const hint = /^x(?!\d)/.test(rest)
        ? "a variable needs an index, like x1"
        : "expected a number, x<i>, +, -, * or ^";
      fail(formula, at, `unexpected "${rest[0]}": ${hint}`);
    }
    const start = m.index + m[0].length - m[0].trimStart().length;
    if (m[1] !== undefined) tokens.push({ kind: "number", value: Number(m[1]), pos: start, text: m[1] });
    else if (m[2] !== undefined) {
      const index = Number(m[2]);
      if (index < 1) {
        fail(formula, start, `variable "x${m[2]}" is invalid: variables are 1-based (x1, x2, ...)`);
      }
      tokens.push({ kind: "var", index, pos: start, text: `x${m[2]}` });
    } else {
      const op = m[3] === "**" ? "^" : (m[3] as "+" | "-" | "*" | "^");
      tokens.push({ kind: "op", op, pos: start, text: m[3] });
    }
    pos = re.lastIndex;
  }
  tokens.push({ kind: "end", pos: formula.length, text: "end of formula" });
  return tokens;
}

/**
 * Parses a polynomial formula into a {@link TruePolynomial} in canonical term order.
 * `inputs` (p) defaults to the largest variable index used; a larger index than a given p throws.
 *
 * @example
 * ```ts
 * parseFormula("4*x1 - 3*x2*x3 + 0.5*x1^2"); // labels [[1], [1, 1], [2, 3]], values [4, 0.5, -3]
 * ```
 */
export function parseFormula(formula: string, inputs?: number): TruePolynomial {
  if (typeof formula !== "string" || formula.trim() === "") {
    throw new Error(`formula: expected a non-empty string (${EXAMPLE})`);
  }
  const tokens = tokenize(formula);
  let i = 0;
  const terms = new Map<string, { label: number[]; value: number }>();
  let maxIndex = 0;

  const parseExponent = (): number => {
    const t = tokens[i];
    if (t.kind === "op" && t.op === "^") {
      i++;
      const e = tokens[i];
      if (e.kind !== "number" || !Number.isInteger(e.value) || !/^\d+$/.test(e.text)) {
        fail(formula, e.pos, `exponent "${e.text}" must be a non-negative integer`);
      }
      i++;
      return e.value;
    }
    return 1;
  };

  let sign = 1;
  const first = tokens[0];
  if (first.kind === "op" && (first.op === "+" || first.op === "-")) {
    sign = first.op === "-" ? -1 : 1;
    i++;
  }
  while (true) {
    let coef = sign;
    const vars: number[] = [];
    while (true) {
      const t = tokens[i];
      if (t.kind === "number") {
        i++;
        coef *= t.value ** parseExponent();
      } else if (t.kind === "var") {
        i++;
        const power = parseExponent();
        for (let k = 0; k < power; k++) vars.push(t.index);
        maxIndex = Math.max(maxIndex, t.index);
      } else {
        fail(formula, t.pos, `unexpected "${t.text}": expected a number or a variable x<i>`);
      }
      const next = tokens[i];
      if (next.kind === "op" && next.op === "*") {
        i++;
        continue;
      }
      break;
    }
    vars.sort((a, b) => a - b);
    const label = vars.length === 0 ? [0] : vars;
    const key = label.join(",");
    const entry = terms.get(key);
    if (entry) entry.value += coef;
    else terms.set(key, { label, value: coef });

    const t = tokens[i];
    if (t.kind === "end") break;
    if (t.kind === "op" && (t.op === "+" || t.op === "-")) {
      sign = t.op === "-" ? -1 : 1;
      i++;
      continue;
    }
    fail(formula, t.pos, `unexpected "${t.text}": expected +, - or * between terms`);
  }

  const p = inputs ?? Math.max(maxIndex, 1);
  if (!Number.isInteger(p) || p < 1) {
    throw new Error(`formula inputs: expected a positive integer, got ${inputs}`);
  }
  if (maxIndex > p) {
    throw new Error(
      `formula: uses x${maxIndex} but the data has only ${p} inputs; use x1..x${p} or raise inputs`,
    );
  }
  const kept = [...terms.values()].filter((t) => t.value !== 0).sort((a, b) =>
    compareLabels(a.label, b.label)
  );
  return { inputs: p, labels: kept.map((t) => t.label), values: Float64Array.from(kept, (t) => t.value) };
}
