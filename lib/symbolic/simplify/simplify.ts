/**
 * Algebraic simplification and canonical forms.
 *
 * {@link simplify} works bottom-up: constant folding (an operator whose operands are all constants
 * becomes one constant, when finite), local identities (x + 0, x·1, x·0, x − x, x/x, x^1, −(−x),
 * log(exp x), …), and n-ary chains: a sum is flattened through `+`, `−` and unary minus into signed
 * terms, a product through `×`, `÷` and unary minus into factors with exponents ±1; equal terms of
 * opposite sign cancel, the constants of a chain merge into one, and the chain is rebuilt in a
 * canonical order (terms sorted by their printed form, a sum's constant last, a product's first).
 * The result is never more complex than the input (if a rewrite would be, the input is returned),
 * and it evaluates to the same values wherever the input is finite (up to rounding: chains are
 * re-associated).
 *
 * {@link canonicalKey} (printed simplified form) recognises duplicates; {@link structureKey} does
 * the same with every constant replaced by `c`.
 *
 * @module
 */

import { complexity, type ComplexityWeights, PAPER_COMPLEXITY } from "../core/complexity.ts";
import { binary, cloneExpr, constant, type Expr, exprEquals, unary } from "../core/expression.ts";
import { applyBinary, applyUnary } from "../core/operators.ts";
import { formatExpression } from "../parse/print.ts";

const isConst = (e: Expr, v?: number): boolean => e.type === "const" && (v === undefined || e.value === v);

/** Ordering key of a subtree for canonical sorting (printed form with full constants). */
function orderKey(e: Expr): string {
  let text: string;
  try {
    text = formatExpression(e);
  } catch {
    text = structureKey(e); // a non-finite constant cannot print; order by shape
  }
  // a leading coefficient does not decide the order: x1 + 2*x2*x3, not 2*x2*x3 + x1
  return `${text.replace(/^[0-9][0-9.e+-]*\*/, "")}\u0000${text}`;
}

function byKey(a: Expr, b: Expr): number {
  const ka = orderKey(a);
  const kb = orderKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

interface Term {
  sign: 1 | -1;
  expr: Expr;
}

/** Flattens a sum chain into signed terms (constants included as terms). */
function sumTerms(e: Expr, sign: 1 | -1, out: Term[]): void {
  if (e.type === "binary" && (e.op === "+" || e.op === "-")) {
    sumTerms(e.left, sign, out);
    sumTerms(e.right, e.op === "+" ? sign : (-sign as 1 | -1), out);
  } else if (e.type === "unary" && e.op === "neg") {
    sumTerms(e.arg, -sign as 1 | -1, out);
  } else {
    out.push({ sign, expr: e });
  }
}

function rebuildSum(e: Expr): Expr {
  const terms: Term[] = [];
  sumTerms(e, 1, terms);
  let c = 0;
  const rest: Term[] = [];
  for (const t of terms) {
    if (t.expr.type === "const") c += t.sign * t.expr.value;
    else if (t.expr.type === "binary" && (t.expr.op === "*" || t.expr.op === "/")) {
      // x + (−2)·y → x − 2·y: a product whose leading constant is negative flips its sign
      const copy = cloneExpr(t.expr);
      let lead: Expr = copy;
      while (lead.type === "binary" && (lead.op === "*" || lead.op === "/")) lead = lead.left;
      if (lead.type === "const" && lead.value < 0) {
        lead.value = -lead.value;
        rest.push({ sign: -t.sign as 1 | -1, expr: copy });
      } else rest.push(t);
    } else rest.push(t);
  }
  // cancel equal terms of opposite sign
  for (let i = 0; i < rest.length; i++) {
    for (let j = i + 1; j < rest.length; j++) {
      if (rest[i].sign !== rest[j].sign && exprEquals(rest[i].expr, rest[j].expr)) {
        rest.splice(j, 1);
        rest.splice(i, 1);
        i--;
        break;
      }
    }
  }
  const pos = rest.filter((t) => t.sign > 0).map((t) => t.expr).sort(byKey);
  const neg = rest.filter((t) => t.sign < 0).map((t) => t.expr).sort(byKey);
  if (!Number.isFinite(c)) return e;
  let out: Expr | null = null;
  for (const p of pos) out = out === null ? p : binary("+", out, p);
  if (out === null && c > 0) {
    out = constant(c);
    c = 0;
  }
  for (const n of neg) out = out === null ? unary("neg", n) : binary("-", out, n);
  if (c !== 0) {
    out = out === null ? constant(c) : c > 0 ? binary("+", out, constant(c)) : binary("-", out, constant(-c));
  }
  return out ?? constant(0);
}

interface Factor {
  power: 1 | -1;
  expr: Expr;
}

/** Flattens a product chain into factors with exponents ±1; returns the sign pulled out of negs. */
function productFactors(e: Expr, power: 1 | -1, out: Factor[]): number {
  if (e.type === "binary" && (e.op === "*" || e.op === "/")) {
    return productFactors(e.left, power, out) *
      productFactors(e.right, e.op === "*" ? power : (-power as 1 | -1), out);
  }
  if (e.type === "unary" && e.op === "neg") return -productFactors(e.arg, power, out);
  out.push({ power, expr: e });
  return 1;
}

function rebuildProduct(e: Expr): Expr {
  const factors: Factor[] = [];
  let sign = productFactors(e, 1, factors);
  let c = 1;
  let hadConstant = false;
  const rest: Factor[] = [];
  for (const f of factors) {
    if (f.expr.type === "const") {
      hadConstant = true;
      c = f.power > 0 ? c * f.expr.value : c / f.expr.value;
    } else rest.push(f);
  }
  if (!Number.isFinite(c)) return e;
  if (c === 0) return constant(0);
  for (let i = 0; i < rest.length; i++) {
    for (let j = i + 1; j < rest.length; j++) {
      if (rest[i].power !== rest[j].power && exprEquals(rest[i].expr, rest[j].expr)) {
        rest.splice(j, 1);
        rest.splice(i, 1);
        i--;
        break;
      }
    }
  }
  if (c < 0) {
    c = -c;
    sign = -sign;
  }
  const num = rest.filter((f) => f.power > 0).map((f) => f.expr).sort(byKey);
  const den = rest.filter((f) => f.power < 0).map((f) => f.expr).sort(byKey);
  let top: Expr | null = null;
  const keepConstant = c !== 1 || (num.length === 0 && hadConstant) || (num.length === 0 && den.length === 0);
  if (keepConstant) {
    // a negative sign rides on the constant instead of a neg node
    top = constant(sign < 0 ? -c : c);
    sign = 1;
  }
  for (const f of num) top = top === null ? f : binary("*", top, f);
  let bottom: Expr | null = null;
  for (const f of den) bottom = bottom === null ? f : binary("*", bottom, f);
  let out: Expr = bottom === null ? top! : binary("/", top ?? constant(1), bottom);
  if (sign < 0) out = unary("neg", out);
  return out;
}

function simplifyUnary(e: Expr & { type: "unary" }): Expr {
  const a = e.arg;
  if (a.type === "const") {
    const v = applyUnary(e.op, a.value);
    if (Number.isFinite(v)) return constant(v);
    return e;
  }
  switch (e.op) {
    case "neg":
      if (a.type === "unary" && a.op === "neg") return a.arg;
      if (a.type === "binary" && a.op === "-") return binary("-", a.right, a.left);
      return e;
    case "abs":
      if (a.type === "unary" && (a.op === "abs" || a.op === "neg")) return unary("abs", a.arg);
      return e;
    case "log":
      if (a.type === "unary" && a.op === "exp") return a.arg;
      return e;
    case "sqrt":
      if (a.type === "unary" && a.op === "square") return unary("abs", a.arg);
      return e;
    case "square":
      if (a.type === "unary" && (a.op === "neg" || a.op === "abs")) return unary("square", a.arg);
      return e;
    default:
      return e;
  }
}

function simplifyBinary(e: Expr & { type: "binary" }): Expr {
  const { op, left: l, right: r } = e;
  if (l.type === "const" && r.type === "const") {
    const v = applyBinary(op, l.value, r.value);
    if (Number.isFinite(v)) return constant(v);
    return e;
  }
  switch (op) {
    case "+":
    case "-":
      return rebuildSum(e);
    case "*":
    case "/":
      return rebuildProduct(e);
    case "^":
      if (isConst(r, 1)) return l;
      if (isConst(r, 0)) return constant(1);
      if (isConst(l, 1)) return constant(1);
      return e;
  }
}

function simplifyNode(e: Expr): Expr {
  switch (e.type) {
    case "const":
    case "var":
      return e;
    case "unary":
      return simplifyUnary(unary(e.op, simplifyNode(e.arg)) as Expr & { type: "unary" });
    case "binary":
      return simplifyBinary(
        binary(e.op, simplifyNode(e.left), simplifyNode(e.right)) as Expr & { type: "binary" },
      );
  }
}

/**
 * Simplifies a tree (a new tree; the input is not modified). Never more complex than the input
 * under `weights`.
 *
 * @example
 * ```ts
 * formatExpression(simplify(parseExpression("x1*2*3 + (x2 - x2) + 0"))); // "6*x1"
 * ```
 */
export function simplify(e: Expr, weights: ComplexityWeights = PAPER_COMPLEXITY): Expr {
  const input = cloneExpr(e);
  let out = simplifyNode(cloneExpr(e));
  // a second pass catches rewrites that enable others (e.g. a folded constant joining a chain)
  out = simplifyNode(out);
  return complexity(out, weights) <= complexity(input, weights) ? out : input;
}

/** Key that is equal for trees with the same simplified form (constants printed in full). */
export function canonicalKey(e: Expr, weights: ComplexityWeights = PAPER_COMPLEXITY): string {
  return formatExpression(simplify(e, weights));
}

/** Key of a tree's shape: its printed form with every constant replaced by `c`. */
export function structureKey(e: Expr): string {
  switch (e.type) {
    case "const":
      return "c";
    case "var":
      return `x${e.index + 1}`;
    case "unary":
      return `${e.op}(${structureKey(e.arg)})`;
    case "binary":
      return `(${structureKey(e.left)}${e.op}${structureKey(e.right)})`;
  }
}
